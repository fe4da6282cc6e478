# %% [markdown]
# The AUROC is computed from the predicted labels (model.predict, threshold 0.5) instead of the predicted probability of response.

# %% nbgrader={"grade_id": "q2_answer"}
def response_model(k, C):
    return Pipeline([
        ("select", SelectKBest(f_classif, k=k)),
        ("scale", StandardScaler()),
        ("logreg", LogisticRegression(C=C, max_iter=1000)),
    ])


def cv_auroc(X, y, k, C, n_splits=5, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    scores = []
    for train, test in StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(X, y):
        model = response_model(k, C).fit(X[train], y[train])
        scores.append(roc_auc_score(y[test], model.predict(X[test])))
    return np.array(scores)
