# %% [markdown]
# logistic_recalibration fitted with scipy.optimize.minimize and returning its solution array res.x instead of the tuple (a, b).

# %% nbgrader={"grade_id": "q4_answer"}
from scipy.optimize import minimize


def calibration_in_the_large(y, risk):
    outcome = np.asarray(y, dtype=float)
    lp = logit(np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6))
    return float(brentq(lambda a: np.sum(outcome - expit(a + lp)), -30, 30))


def logistic_recalibration(y, risk):
    outcome = np.asarray(y, dtype=float)
    lp = logit(np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6))

    def negative_log_likelihood(params):
        eta = params[0] + params[1] * lp
        return np.sum(np.logaddexp(0, eta) - outcome * eta)

    def gradient(params):
        residual = expit(params[0] + params[1] * lp) - outcome
        return np.array([residual.sum(), (residual * lp).sum()])

    res = minimize(negative_log_likelihood, x0=[0.0, 1.0], jac=gradient, method="BFGS",
                   options={"gtol": 1e-8})
    return res.x


cal_risk = model.predict_proba(X_cal)[:, 1]
recal_a, recal_b = logistic_recalibration(dev_cal["y"], cal_risk)
test_risk_recal = expit(recal_a + recal_b * logit(np.clip(test_risk, 1e-6, 1 - 1e-6)))
print(f"a = {recal_a:.3f}, b = {recal_b:.3f}")
