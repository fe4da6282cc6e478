# %% [markdown]
# Computes the weights and weighted sums with pandas Series, whose arithmetic pairs outcomes,
# treatments and scores by index, not by position.

# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    y = pd.Series(y, dtype=float)
    t = pd.Series(t).astype(int)
    e = pd.Series(e, dtype=float)
    w1 = t / e
    w0 = (1 - t) / (1 - e)
    return float((w1 * y).sum() / w1.sum() - (w0 * y).sum() / w0.sum())
