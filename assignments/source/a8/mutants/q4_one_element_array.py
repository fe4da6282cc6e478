# %% [markdown]
# Writes the weighted sums as matrix products with y as a column vector and returns a
# one-element array instead of a float.

# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    t = np.asarray(t).astype(int)
    e = np.asarray(e, dtype=float)
    w1 = t / e
    w0 = (1 - t) / (1 - e)
    return w1 @ y / w1.sum() - w0 @ y / w0.sum()
