# %% [markdown]
# Median survival returned as the position of the first value at or below 0.5 (np.argmax) instead of the time at that position.

# %% nbgrader={"grade_id": "q2_answer"}
def median_survival(survival):
    values = np.asarray(survival, dtype=float)
    if not np.any(values <= 0.5):
        return math.inf
    return int(np.argmax(values <= 0.5))
