# %% [markdown]
# An interval from the standard error of the bootstrap mean (SD / sqrt(n_boot)), far too narrow.

# %% nbgrader={"grade_id": "q5_answer"}
def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    from scipy.stats import norm

    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    resampled = []
    for _ in range(n_boot):
        rows = rng.integers(0, len(truth), len(truth))
        if 0 < truth[rows].sum() < len(rows):
            resampled.append(auroc(truth[rows], values[rows]))
    estimate = auroc(truth, values)
    margin = norm.ppf((1 + level) / 2) * np.std(resampled) / np.sqrt(len(resampled))
    return estimate, float(estimate - margin), float(estimate + margin)
