# %% [markdown]
# The errors are computed between two pandas Series, which pandas aligns by index label, so two Series with different indexes are compared label by label instead of by position.

# %% nbgrader={"grade_id": "q1_answer"}
def rmse(y_true, y_pred):
    errors = pd.Series(y_true, dtype=float) - pd.Series(y_pred, dtype=float)
    return float(np.sqrt((errors ** 2).mean()))
