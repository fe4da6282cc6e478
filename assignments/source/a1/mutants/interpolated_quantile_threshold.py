# %% [markdown]
# A threshold from an interpolated quantile of the cancers' scores, not an observed score.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_sensitivity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    return float(np.quantile(np.asarray(scores, dtype=float)[truth == 1], 1 - target))
