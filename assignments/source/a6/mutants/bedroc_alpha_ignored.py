# %% [markdown]
# BEDROC with alpha fixed at 20 inside the formula, whatever alpha is passed.

# %% nbgrader={"grade_id": "q5_answer"}
def bedroc(ranked_is_active, alpha=20.0):
    labels = np.asarray(ranked_is_active).astype(bool)
    n_total, n_active = len(labels), int(labels.sum())
    ranks = np.flatnonzero(labels) + 1
    ratio = n_active / n_total
    a = 20.0
    rie = np.exp(-a * ranks / n_total).sum() / (
        ratio * (1 - np.exp(-a)) / (np.exp(a / n_total) - 1))
    scale = ratio * np.sinh(a / 2) / (np.cosh(a / 2) - np.cosh(a / 2 - a * ratio))
    return float(rie * scale + 1 / (1 - np.exp(a * (1 - ratio))))
