# %% [markdown]
# Walks through the studies sorted by score, counting the non-bleeds passed, and returns the next study's score: with tied scores that threshold flags non-bleeds it counted as cleared.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    order = np.argsort(values, kind="stable")
    n_negative = int(np.sum(truth == 0))
    cleared = 0
    for position, study in enumerate(order):
        if cleared / n_negative >= target:
            return float(values[study])
        cleared += truth[study] == 0
    return math.inf
