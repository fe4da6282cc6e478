# %% [markdown]
# Only the scores of studies without a bleed are tried as thresholds, so a smaller threshold at a bleed's score is missed.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    negatives = values[truth == 0]
    for t in np.unique(negatives):
        if np.mean(negatives < t) >= target:
            return float(t)
    return math.inf
