# %% [markdown]
# The squared errors are divided by n - 1 (a sample standard deviation) instead of n.

# %% nbgrader={"grade_id": "q1_answer"}
def rmse(y_true, y_pred):
    truth = np.asarray(y_true, dtype=float)
    predicted = np.asarray(y_pred, dtype=float)
    return float(np.sqrt(np.sum((truth - predicted) ** 2) / max(len(truth) - 1, 1)))
