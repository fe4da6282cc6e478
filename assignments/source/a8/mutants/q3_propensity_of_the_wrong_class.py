# %% [markdown]
# Propensity scores taken from the wrong column of predict_proba: P(T = 0 | X) instead of P(T = 1 | X).

# %% nbgrader={"grade_id": "q3_answer"}
def propensity_scores(X, t):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, t)
    return model.predict_proba(X)[:, 0]
