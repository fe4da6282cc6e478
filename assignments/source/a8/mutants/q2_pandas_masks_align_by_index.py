# %% [markdown]
# Selects each arm's rows with a pandas boolean Series, which pandas lines up with X by index,
# not by position.

# %% nbgrader={"grade_id": "q2_answer"}
def t_learner_cate(X, t, y):
    X = pd.DataFrame(X)
    t = pd.Series(t).astype(bool)
    y = pd.Series(y, dtype=float, index=X.index)
    treated = LinearRegression().fit(X[t], y[t])
    control = LinearRegression().fit(X[~t], y[~t])
    return treated.predict(X) - control.predict(X)
