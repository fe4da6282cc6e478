# %% [markdown]
# Returns the average of the individual effects (one number) instead of one estimate per row
# of X.

# %% nbgrader={"grade_id": "q2_answer"}
def t_learner_cate(X, t, y):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    y = np.asarray(y, dtype=float)
    treated = LinearRegression().fit(X[t == 1], y[t == 1])
    control = LinearRegression().fit(X[t == 0], y[t == 0])
    return float(np.mean(treated.predict(X) - control.predict(X)))
