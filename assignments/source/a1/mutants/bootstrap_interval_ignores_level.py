# %% [markdown]
# The 2.5% and 97.5% quantiles whatever confidence level is asked for.

# %% nbgrader={"grade_id": "q5_answer"}
def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    resampled = []
    for _ in range(n_boot):
        rows = rng.integers(0, len(truth), len(truth))
        if 0 < truth[rows].sum() < len(rows):
            resampled.append(auroc(truth[rows], values[rows]))
    lower, upper = np.percentile(resampled, [2.5, 97.5])
    return auroc(truth, values), float(lower), float(upper)
