# %% [markdown]
# Off by one: takes the next score above the right one, so sensitivity falls below target.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_sensitivity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    positive_scores = np.sort(np.asarray(scores, dtype=float)[truth == 1])[::-1]
    needed = math.ceil(target * len(positive_scores))
    return float(positive_scores[max(needed - 2, 0)])
