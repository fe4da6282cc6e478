# %% [markdown]
# Everything written out: pandas arithmetic for the z-scores, explicit fold loops with predict_proba, an explicit outer loop around GridSearchCV on DataFrame rows, permutations of the positions, and masks per cohort.

# %% nbgrader={"grade_id": "q1_answer"}
def gep_score(train_expression, expression, genes):
    genes = list(genes)
    centre = train_expression[genes].mean()
    spread = train_expression[genes].std(ddof=0)
    return expression[genes].sub(centre, axis=1).div(spread, axis=1).mean(axis=1).to_numpy()


# %% nbgrader={"grade_id": "q2_answer"}
def response_model(k, C):
    model = Pipeline([("select", SelectKBest(f_classif)), ("scale", StandardScaler()),
                      ("logreg", LogisticRegression(max_iter=1000))])
    return model.set_params(select__k=k, logreg__C=C)


def cv_auroc(X, y, k, C, n_splits=5, seed=0):
    X = pd.DataFrame(np.asarray(X, dtype=float))
    y = pd.Series(np.asarray(y))
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    aurocs = []
    for train, test in splitter.split(X, y):
        model = response_model(k, C)
        model.fit(X.iloc[train], y.iloc[train])
        probability = model.predict_proba(X.iloc[test])[:, list(model.classes_).index(1)]
        aurocs.append(roc_auc_score(y.iloc[test], probability))
    return np.array(aurocs)


# %% nbgrader={"grade_id": "q3_answer"}
def nested_cv(X, y, k_grid, C_grid, seed=0):
    X = pd.DataFrame(np.asarray(X, dtype=float))
    y = pd.Series(np.asarray(y))
    params = {"select__k": list(k_grid), "logreg__C": list(C_grid)}
    out = []
    for fold, (train, test) in enumerate(
            StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(X, y)):
        inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
        search = GridSearchCV(response_model(k_grid[0], C_grid[0]), params, scoring="roc_auc",
                              cv=inner, refit=True)
        search.fit(X.iloc[train], y.iloc[train])
        best = search.best_estimator_
        out.append(pd.Series({
            "auroc": roc_auc_score(y.iloc[test], best.predict_proba(X.iloc[test])[:, 1]),
            "inner_auroc": search.best_score_,
            "k": best.named_steps["select"].k,
            "C": best.named_steps["logreg"].C,
        }, name=fold))
    return pd.DataFrame(out)


# %% nbgrader={"grade_id": "q4_answer"}
def permutation_test(X, y, k, C, n_permutations, seed=0):
    labels = np.asarray(y).copy()
    generator = np.random.default_rng(seed)
    observed = cv_auroc(X, labels, k, C, 5, seed).mean()
    null = np.empty(n_permutations)
    for j in range(n_permutations):
        order = generator.permutation(len(labels))
        null[j] = cv_auroc(X, labels[order], k, C, 5, seed).mean()
    exceed = int((null >= observed).sum())
    return float(observed), null, (exceed + 1) / (n_permutations + 1)


# %% nbgrader={"grade_id": "q5_answer"}
def leave_cohort_out(X, y, cohorts, genes, k, C):
    labels = pd.Series(np.asarray(y), index=X.index)
    groups = pd.Series(np.asarray(cohorts), index=X.index)
    result = pd.DataFrame(columns=["n", "responders", "model_auroc", "gep_auroc"])
    for name in sorted(groups.unique()):
        held = groups == name
        model = response_model(k, C).fit(X[~held], labels[~held])
        risk = model.predict_proba(X[held])[:, 1]
        gep = gep_score(X[~held], X[held], genes)
        result.loc[name] = [int(held.sum()), int(labels[held].sum()),
                            roc_auc_score(labels[held], risk), roc_auc_score(labels[held], gep)]
    return result
