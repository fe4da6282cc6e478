# %% [markdown]
# The k genes are selected once, with the F test on all patients (test folds included), and only the classifier is cross-validated on them: selection leakage.

# %% nbgrader={"grade_id": "q2_answer"}
def response_model(k, C):
    return Pipeline([
        ("select", SelectKBest(f_classif, k=k)),
        ("scale", StandardScaler()),
        ("logreg", LogisticRegression(C=C, max_iter=1000)),
    ])


def cv_auroc(X, y, k, C, n_splits=5, seed=0):
    y = np.asarray(y)
    chosen = SelectKBest(f_classif, k=k).fit_transform(X, y)
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    return cross_val_score(response_model("all", C), chosen, y, cv=folds, scoring="roc_auc")
