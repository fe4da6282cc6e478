# %% [markdown]
# Calibration-in-the-large by minimising the fixed-slope negative log-likelihood with scipy.optimize.minimize_scalar, and the recalibration by scipy.optimize.minimize, returned as a tuple of Python floats; the recalibrated risks written out as 1 / (1 + exp(-(a + b LP))).

# %% nbgrader={"grade_id": "q4_answer"}
from scipy.optimize import minimize, minimize_scalar


def _lp(risk):
    return logit(np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6))


def _negative_log_likelihood(eta, outcome):
    return np.sum(np.logaddexp(0, eta) - outcome * eta)


def calibration_in_the_large(y, risk):
    outcome, lp = np.asarray(y, dtype=float), _lp(risk)
    result = minimize_scalar(lambda a: _negative_log_likelihood(a + lp, outcome),
                             bracket=(-1.0, 1.0), tol=1e-12)
    return float(result.x)


def logistic_recalibration(y, risk):
    outcome, lp = np.asarray(y, dtype=float), _lp(risk)

    def gradient(params):
        residual = expit(params[0] + params[1] * lp) - outcome
        return np.array([residual.sum(), (residual * lp).sum()])

    result = minimize(lambda params: _negative_log_likelihood(params[0] + params[1] * lp, outcome),
                      x0=np.array([0.0, 1.0]), jac=gradient, method="BFGS",
                      options={"gtol": 1e-9, "maxiter": 1000})
    return float(result.x[0]), float(result.x[1])


recal_a, recal_b = logistic_recalibration(dev_cal["y"], model.predict_proba(X_cal)[:, 1])
test_risk_recal = 1.0 / (1.0 + np.exp(-(recal_a + recal_b * _lp(test_risk))))
print(f"a = {recal_a:.3f}, b = {recal_b:.3f}")
