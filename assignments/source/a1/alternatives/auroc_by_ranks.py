# %% [markdown]
# AUROC from midranks (the Mann-Whitney U statistic written with ranks), and a bootstrap
# that draws its resamples with rng.choice and returns NumPy floats.

# %% nbgrader={"grade_id": "q4_answer"}
def auroc(y_true, scores):
    truth = np.asarray(y_true).astype(bool)
    values = np.asarray(scores, dtype=float)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):  # ties share the mean of their ranks
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    n_pos, n_neg = truth.sum(), (~truth).sum()
    return (ranks[truth].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


# %% nbgrader={"grade_id": "q5_answer"}
def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    estimates = []
    for _ in range(n_boot):
        rows = rng.choice(len(truth), size=len(truth), replace=True)
        if truth[rows].min() != truth[rows].max():  # both classes present
            estimates.append(auroc(truth[rows], values[rows]))
    alpha = 1 - level
    return auroc(truth, values), np.percentile(estimates, 100 * alpha / 2), \
        np.percentile(estimates, 100 * (1 - alpha / 2))
