# %% [markdown]
# A large grid search with 10-fold cross-validation in the answer cell, which takes far longer than the 120 seconds a cell has at grading, so the cell is stopped before `model` is fitted.

# %% nbgrader={"grade_id": "q3_answer"}
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV

dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

grid = {
    "learning_rate": [0.01, 0.03, 0.1, 0.3],
    "max_iter": [200, 400, 800, 1600],
    "max_leaf_nodes": [15, 31, 63],
    "l2_regularization": [0.0, 1.0, 10.0],
}
model = GridSearchCV(HistGradientBoostingClassifier(early_stopping=False, random_state=0),
                     grid, cv=10, scoring="roc_auc")
model.fit(X_train, dev_train["y"])
test_risk = model.predict_proba(X_test)[:, 1]
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")
