# %% [markdown]
# Calibration-in-the-large and the recalibration fit by Newton's method in NumPy (returning NumPy floats), the recalibrated risks from a helper function, and a logistic model with mean imputation and scikit-learn's default penalty.

# %% nbgrader={"grade_id": "q3_answer"}
dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

model = make_pipeline(SimpleImputer(strategy="mean", add_indicator=True), StandardScaler(),
                      LogisticRegression(max_iter=5000))
model.fit(X_train, dev_train["y"].to_numpy())
test_risk = model.predict_proba(X_test)[:, 1]
test_auroc = roc_auc_score(dev_test["y"], test_risk)
print(f"Test AUROC: {test_auroc:.3f}")


# %% nbgrader={"grade_id": "q4_answer"}
def _linear_predictor(risk):
    p = np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def calibration_in_the_large(y, risk):
    outcome = np.asarray(y, dtype=float)
    lp = _linear_predictor(risk)
    a = 0.0
    for _ in range(100):
        fitted = expit(a + lp)
        step = np.sum(outcome - fitted) / np.sum(fitted * (1 - fitted))
        a += step
        if abs(step) < 1e-12:
            break
    return a


def logistic_recalibration(y, risk):
    outcome = np.asarray(y, dtype=float)
    design = np.column_stack([np.ones(len(outcome)), _linear_predictor(risk)])
    beta = np.zeros(2)
    for _ in range(100):
        fitted = expit(design @ beta)
        information = design.T @ (design * (fitted * (1 - fitted))[:, None])
        step = np.linalg.solve(information, design.T @ (outcome - fitted))
        beta += step
        if np.max(np.abs(step)) < 1e-12:
            break
    return beta[0], beta[1]


def recalibrate(risk, a, b):
    return expit(a + b * _linear_predictor(risk))


recal_a, recal_b = logistic_recalibration(dev_cal["y"], model.predict_proba(X_cal)[:, 1])
test_risk_recal = recalibrate(test_risk, recal_a, recal_b)
print(f"a = {recal_a:.3f}, b = {recal_b:.3f}")
