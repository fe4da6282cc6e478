# %% [markdown]
# The GEP score of the held-out cohort is standardised with that cohort's own mean and SD instead of the training cohorts'.

# %% nbgrader={"grade_id": "q5_answer"}
def leave_cohort_out(X, y, cohorts, genes, k, C):
    y, cohorts = np.asarray(y), np.asarray(cohorts)
    rows = {}
    for name in sorted(set(cohorts)):
        test = cohorts == name
        model = response_model(k, C).fit(X[~test], y[~test])
        rows[name] = {"n": int(test.sum()), "responders": int(y[test].sum()),
                      "model_auroc": roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]),
                      "gep_auroc": roc_auc_score(y[test], gep_score(X[test], X[test], genes))}
    return pd.DataFrame.from_dict(rows, orient="index")
