# %% [markdown]
# Labels and scores are turned into pandas Series and combined by index, so two Series with different indexes are not matched by position.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    y_true, scores = pd.Series(y_true), pd.Series(scores, dtype=float)
    negatives = scores[y_true == 0]
    for t in np.unique(scores):
        if (negatives < t).mean() >= target:
            return float(t)
    return math.inf
