# %% [markdown]
# Predicts patient by patient in a loop and returns a Python list instead of a NumPy array.

# %% nbgrader={"grade_id": "q2_answer"}
def t_learner_cate(X, t, y):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    y = np.asarray(y, dtype=float)
    treated = LinearRegression().fit(X[t == 1], y[t == 1])
    control = LinearRegression().fit(X[t == 0], y[t == 0])
    effects = []
    for row in X:
        effects.append(float(treated.predict(row[None, :])[0] - control.predict(row[None, :])[0]))
    return effects
