# %% [markdown]
# The target is required strictly (specificity > target), so a threshold reaching exactly 0.90 is rejected.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    negatives = values[truth == 0]
    for t in np.unique(values):
        if np.mean(negatives < t) > target:
            return float(t)
    return math.inf
