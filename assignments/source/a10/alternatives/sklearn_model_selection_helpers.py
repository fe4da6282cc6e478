# %% [markdown]
# scikit-learn's helpers throughout: StandardScaler for the GEP, cross_validate, nested CV as cross_validate of a GridSearchCV with return_estimator, permutation_test_score, and LeaveOneGroupOut for the cohorts.

# %% nbgrader={"grade_id": "q1_answer"}
def gep_score(train_expression, expression, genes):
    scaler = StandardScaler().fit(train_expression[list(genes)])
    return scaler.transform(expression[list(genes)]).mean(axis=1)


# %% nbgrader={"grade_id": "q2_answer"}
from sklearn.model_selection import cross_validate


def response_model(k, C):
    steps = [("select", SelectKBest(score_func=f_classif, k=k)), ("scale", StandardScaler()),
             ("logreg", LogisticRegression(C=C, max_iter=1000))]
    return Pipeline(steps)


def cv_auroc(X, y, k, C, n_splits=5, seed=0):
    result = cross_validate(response_model(k, C), X, np.asarray(y), scoring="roc_auc",
                            cv=StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed))
    return result["test_score"]


# %% nbgrader={"grade_id": "q3_answer"}
def nested_cv(X, y, k_grid, C_grid, seed=0):
    search = GridSearchCV(response_model(k_grid[0], C_grid[0]),
                          {"select__k": list(k_grid), "logreg__C": list(C_grid)},
                          scoring="roc_auc", cv=StratifiedKFold(3, shuffle=True, random_state=seed))
    result = cross_validate(search, X, np.asarray(y), scoring="roc_auc", return_estimator=True,
                            cv=StratifiedKFold(5, shuffle=True, random_state=seed))
    fitted = result["estimator"]
    return pd.DataFrame({"auroc": result["test_score"],
                         "inner_auroc": [s.best_score_ for s in fitted],
                         "k": [s.best_params_["select__k"] for s in fitted],
                         "C": [s.best_params_["logreg__C"] for s in fitted]})


# %% nbgrader={"grade_id": "q4_answer"}
from sklearn.model_selection import permutation_test_score


def permutation_test(X, y, k, C, n_permutations, seed=0):
    observed, null, p_value = permutation_test_score(
        response_model(k, C), X, np.asarray(y), scoring="roc_auc",
        cv=StratifiedKFold(5, shuffle=True, random_state=seed),
        n_permutations=n_permutations, random_state=seed)
    return float(observed), null, float(p_value)


# %% nbgrader={"grade_id": "q5_answer"}
from sklearn.model_selection import LeaveOneGroupOut


def leave_cohort_out(X, y, cohorts, genes, k, C):
    y, cohorts = np.asarray(y), np.asarray(cohorts)
    table = []
    for train, test in LeaveOneGroupOut().split(X, y, groups=cohorts):
        model = response_model(k, C).fit(X.iloc[train], y[train])
        table.append({
            "cohort": cohorts[test[0]], "n": len(test), "responders": int(y[test].sum()),
            "model_auroc": roc_auc_score(y[test], model.predict_proba(X.iloc[test])[:, 1]),
            "gep_auroc": roc_auc_score(y[test], gep_score(X.iloc[train], X.iloc[test], genes)),
        })
    return pd.DataFrame(table).set_index("cohort").sort_index()
