# %% [markdown]
# An unpruned decision tree, which memorises the training patients and ranks new patients little better than chance.

# %% nbgrader={"grade_id": "q3_answer"}
from sklearn.tree import DecisionTreeClassifier

dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

model = make_pipeline(SimpleImputer(strategy="median"), DecisionTreeClassifier(random_state=0))
model.fit(X_train, dev_train["y"])
test_risk = model.predict_proba(X_test)[:, 1]
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")
