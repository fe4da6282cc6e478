# %% [markdown]
# The threshold is the target quantile of the non-bleed scores (np.quantile), an interpolated value rather than an observed score.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    return float(np.quantile(values[truth == 0], target))
