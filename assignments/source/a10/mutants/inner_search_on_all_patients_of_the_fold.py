# %% [markdown]
# The inner search of every outer fold is run on all patients (X, y) instead of the outer training patients, and its refitted pipeline is then scored on the outer test fold it was trained on.

# %% nbgrader={"grade_id": "q3_answer"}
def nested_cv(X, y, k_grid, C_grid, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    grid = {"select__k": list(k_grid), "logreg__C": list(C_grid)}
    rows = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
        search = GridSearchCV(response_model(k_grid[0], C_grid[0]), grid, scoring="roc_auc",
                              cv=StratifiedKFold(3, shuffle=True, random_state=seed))
        search.fit(X, y)
        rows.append({"auroc": roc_auc_score(y[test], search.predict_proba(X[test])[:, 1]),
                     "inner_auroc": search.best_score_,
                     "k": search.best_params_["select__k"],
                     "C": search.best_params_["logreg__C"]})
    return pd.DataFrame(rows)
