# %% [markdown]
# The mean squared error is returned: the square root is missing.

# %% nbgrader={"grade_id": "q1_answer"}
def rmse(y_true, y_pred):
    truth = np.asarray(y_true, dtype=float)
    predicted = np.asarray(y_pred, dtype=float)
    return float(np.mean((truth - predicted) ** 2))
