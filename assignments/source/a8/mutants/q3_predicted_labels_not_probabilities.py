# %% [markdown]
# Propensity "scores" from predict (0/1 labels) instead of predicted probabilities.

# %% nbgrader={"grade_id": "q3_answer"}
def propensity_scores(X, t):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, t)
    return model.predict(X).astype(float)
