# %% [markdown]
# Returns the propensity scores as a pandas Series instead of a NumPy array.

# %% nbgrader={"grade_id": "q3_answer"}
def propensity_scores(X, t):
    index = X.index if isinstance(X, pd.DataFrame) else None
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, t)
    return pd.Series(model.predict_proba(X)[:, 1], index=index, name="propensity")
