# %% [markdown]
# BEDROC right for any alpha passed, but the default is 80.5 (the other value in Truchon & Bayly's paper) instead of 20.

# %% nbgrader={"grade_id": "q5_answer"}
def bedroc(ranked_is_active, alpha=80.5):
    labels = np.asarray(ranked_is_active).astype(bool)
    n_total, n_active = len(labels), int(labels.sum())
    ranks = np.flatnonzero(labels) + 1
    ratio = n_active / n_total
    rie = np.exp(-alpha * ranks / n_total).sum() / (
        ratio * (1 - np.exp(-alpha)) / (np.exp(alpha / n_total) - 1))
    scale = ratio * np.sinh(alpha / 2) / (np.cosh(alpha / 2) - np.cosh(alpha / 2 - alpha * ratio))
    return float(rie * scale + 1 / (1 - np.exp(alpha * (1 - ratio))))
