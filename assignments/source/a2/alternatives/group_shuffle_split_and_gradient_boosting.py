# %% [markdown]
# The split with scikit-learn's GroupShuffleSplit (which rounds the number of test patients up), and gradient boosting (HistGradientBoostingClassifier with a fixed random_state, which handles missing values itself) as the model.

# %% nbgrader={"grade_id": "q1_answer"}
from sklearn.model_selection import GroupShuffleSplit


def patient_level_split(frame, test_fraction, seed):
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_fraction, random_state=seed)
    train_rows, test_rows = next(splitter.split(frame, groups=frame["patient_id"]))
    return frame.iloc[train_rows], frame.iloc[test_rows]


# %% nbgrader={"grade_id": "q3_answer"}
from sklearn.ensemble import HistGradientBoostingClassifier

dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

model = HistGradientBoostingClassifier(random_state=0)
model.fit(X_train, dev_train["y"])
test_risk = model.predict_proba(X_test)[:, 1]
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")
