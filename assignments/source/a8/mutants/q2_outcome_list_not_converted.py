# %% [markdown]
# Converts X and t to arrays but indexes y as it came, which fails when y is a list.

# %% nbgrader={"grade_id": "q2_answer"}
def t_learner_cate(X, t, y):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    treated = LinearRegression().fit(X[t == 1], y[t == 1])
    control = LinearRegression().fit(X[t == 0], y[t == 0])
    return treated.predict(X) - control.predict(X)
