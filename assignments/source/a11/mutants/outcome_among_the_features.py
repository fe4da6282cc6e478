# %% [markdown]
# Only the pseudonym is removed from the features: the outcome readmit_30d is a feature of its own
# prediction.

# %% nbgrader={"grade_id": "q4_answer"}
def utility_auroc(train, test):
    """AUROC on test of new_model() fitted on train (features: all but pseudonym and outcome)."""
    features = [c for c in train.columns if c != "pseudonym"]
    model = new_model().fit(train[features], train[OUTCOME])
    return float(roc_auc_score(test[OUTCOME], model.predict_proba(test[features])[:, 1]))


# auroc_fine, auroc_release
fine = pseudonymise(patients, 1, 5, KEY)
auroc_fine = utility_auroc(fine.loc[train_rows], fine.loc[test_rows])
coded = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
auroc_release = utility_auroc(k_release[k_release.index.isin(train_rows)], coded.loc[test_rows])
utility_lost = auroc_fine - auroc_release
print(f"AUROC trained on birth year and full postcode: {auroc_fine:.3f}")
print(f"AUROC trained on the k-anonymous release:      {auroc_release:.3f}")
print(f"utility lost: {utility_lost:+.3f} (AUROC of the true risk: "
      f"{data.ground_truth['oracle_auroc']:.3f})")
