# %% [markdown]
# The Horvitz-Thompson form: each arm's weighted sum divided by the number of patients n
# instead of by the sum of that arm's weights.

# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    e = np.asarray(e, dtype=float)
    return float(np.mean(t * y / e) - np.mean((1 - t) * y / (1 - e)))
