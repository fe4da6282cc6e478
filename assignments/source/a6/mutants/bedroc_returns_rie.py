# %% [markdown]
# Returns the RIE without the rescaling that turns it into BEDROC.

# %% nbgrader={"grade_id": "q5_answer"}
def bedroc(ranked_is_active, alpha=20.0):
    labels = np.asarray(ranked_is_active).astype(bool)
    n_total, n_active = len(labels), int(labels.sum())
    ranks = np.flatnonzero(labels) + 1
    ratio = n_active / n_total
    return float(np.exp(-alpha * ranks / n_total).sum() / (
        ratio * (1 - np.exp(-alpha)) / (np.exp(alpha / n_total) - 1)))
