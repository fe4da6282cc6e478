# %% [markdown]
# When no observed score reaches the target, the highest score is returned instead of math.inf, so the device still flags a study.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    negatives = values[truth == 0]
    candidates = np.unique(values)
    for t in candidates:
        if np.mean(negatives < t) >= target:
            return float(t)
    return float(candidates[-1])
