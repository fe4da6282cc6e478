# %% [markdown]
# Median survival from np.argmax without checking that the curve ever reaches 0.5, so a median that is not reached comes back as the first time of the curve.

# %% nbgrader={"grade_id": "q2_answer"}
def median_survival(survival):
    values = np.asarray(survival, dtype=float)
    return float(survival.index[np.argmax(values <= 0.5)])
