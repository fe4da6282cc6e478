# %% [markdown]
# Keeps resamples that contain only one class, whose AUROC is undefined.

# %% nbgrader={"grade_id": "q5_answer"}
def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    resampled = []
    for _ in range(n_boot):
        rows = rng.integers(0, len(truth), len(truth))
        with np.errstate(invalid="ignore", divide="ignore"):
            resampled.append(auroc(truth[rows], values[rows]))
    lower, upper = np.quantile(resampled, [(1 - level) / 2, (1 + level) / 2])
    return auroc(truth, values), float(lower), float(upper)
