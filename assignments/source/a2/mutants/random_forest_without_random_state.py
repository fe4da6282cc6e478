# %% [markdown]
# A random forest without a fixed random_state, so refitting the same model on the same training patients gives other risks.

# %% nbgrader={"grade_id": "q3_answer"}
from sklearn.ensemble import RandomForestClassifier

dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

model = make_pipeline(
    SimpleImputer(strategy="median", add_indicator=True),
    RandomForestClassifier(n_estimators=200, min_samples_leaf=5),
)
model.fit(X_train, dev_train["y"])
test_risk = model.predict_proba(X_test)[:, 1]
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")
