# %% [markdown]
# Calibration-in-the-large approximated as logit(mean of y) - logit(mean risk) instead of the intercept that solves the fixed-slope equation.

# %% nbgrader={"grade_id": "q4_answer"}
def calibration_in_the_large(y, risk):
    outcome = np.asarray(y, dtype=float)
    predicted = np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6)
    return float(logit(outcome.mean()) - logit(predicted.mean()))


def logistic_recalibration(y, risk):
    outcome = np.asarray(y, dtype=int)
    lp = logit(np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6))
    fit = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(lp.reshape(-1, 1), outcome)
    return float(fit.intercept_[0]), float(fit.coef_[0, 0])


cal_risk = model.predict_proba(X_cal)[:, 1]
recal_a, recal_b = logistic_recalibration(dev_cal["y"], cal_risk)
test_risk_recal = expit(recal_a + recal_b * logit(np.clip(test_risk, 1e-6, 1 - 1e-6)))
print(f"a = {recal_a:.3f}, b = {recal_b:.3f}")
