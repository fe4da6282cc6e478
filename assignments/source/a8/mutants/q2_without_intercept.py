# %% [markdown]
# T-learner whose two regressions are fitted without an intercept
# (LinearRegression(fit_intercept=False)) instead of with scikit-learn's default settings.

# %% nbgrader={"grade_id": "q2_answer"}
def t_learner_cate(X, t, y):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    y = np.asarray(y, dtype=float)
    treated = LinearRegression(fit_intercept=False).fit(X[t == 1], y[t == 1])
    control = LinearRegression(fit_intercept=False).fit(X[t == 0], y[t == 0])
    return treated.predict(X) - control.predict(X)
