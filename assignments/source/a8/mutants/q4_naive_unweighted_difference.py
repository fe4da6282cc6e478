# %% [markdown]
# IPW that ignores the weights: the naive unweighted difference in means of the observational data.

# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    return float(y[t == 1].mean() - y[t == 0].mean())
