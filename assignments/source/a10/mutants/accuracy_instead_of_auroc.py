# %% [markdown]
# The folds are scored by accuracy (cross_val_score's default for a classifier) instead of AUROC.

# %% nbgrader={"grade_id": "q2_answer"}
def response_model(k, C):
    return Pipeline([
        ("select", SelectKBest(f_classif, k=k)),
        ("scale", StandardScaler()),
        ("logreg", LogisticRegression(C=C, max_iter=1000)),
    ])


def cv_auroc(X, y, k, C, n_splits=5, seed=0):
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    return cross_val_score(response_model(k, C), X, np.asarray(y), cv=folds)
