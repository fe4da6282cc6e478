# %% [markdown]
# Imputation and scaling fitted outside the model: `model` is a bare LogisticRegression that cannot take the output of build_features (with its missing values) as it is.

# %% nbgrader={"grade_id": "q3_answer"}
dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

imputer = SimpleImputer(strategy="median", add_indicator=True).fit(X_train)
scaler = StandardScaler().fit(imputer.transform(X_train))


def prepare(features):
    return scaler.transform(imputer.transform(features))


model = LogisticRegression(C=0.1, max_iter=2000).fit(prepare(X_train), dev_train["y"])
test_risk = model.predict_proba(prepare(X_test))[:, 1]
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")
