# %% [markdown]
# Draws from NumPy's global random state, so the same seed gives a different interval.

# %% nbgrader={"grade_id": "q5_answer"}
def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    resampled = []
    for _ in range(n_boot):
        rows = np.random.randint(0, len(truth), len(truth))
        if 0 < truth[rows].sum() < len(rows):
            resampled.append(auroc(truth[rows], values[rows]))
    lower, upper = np.quantile(resampled, [(1 - level) / 2, (1 + level) / 2])
    return auroc(truth, values), float(lower), float(upper)
