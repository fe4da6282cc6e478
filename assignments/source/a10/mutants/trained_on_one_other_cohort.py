# %% [markdown]
# For each held-out cohort the model is trained on only one other cohort (the next in order), not on all the other cohorts.

# %% nbgrader={"grade_id": "q5_answer"}
def leave_cohort_out(X, y, cohorts, genes, k, C):
    y, cohorts = np.asarray(y), np.asarray(cohorts)
    names = sorted(set(cohorts))
    rows = {}
    for i, name in enumerate(names):
        test = cohorts == name
        train = cohorts == names[(i + 1) % len(names)]
        model = response_model(k, C).fit(X[train], y[train])
        rows[name] = {"n": int(test.sum()), "responders": int(y[test].sum()),
                      "model_auroc": roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]),
                      "gep_auroc": roc_auc_score(y[test], gep_score(X[train], X[test], genes))}
    return pd.DataFrame.from_dict(rows, orient="index")
