# %% [markdown]
# External validation of the recalibrated model (sigma(recal_a + recal_b * LP)) instead of the model exactly as trained.

# %% nbgrader={"grade_id": "q5_answer"}
def validation_summary(y, risk):
    outcome = np.asarray(y, dtype=int)
    predicted = np.asarray(risk, dtype=float)
    return {
        "n": len(outcome),
        "event_rate": float(outcome.mean()),
        "mean_risk": float(predicted.mean()),
        "auroc": float(roc_auc_score(outcome, predicted)),
        "citl": calibration_in_the_large(outcome, predicted),
        "slope": logistic_recalibration(outcome, predicted)[1],
    }


def external_validation(model, data, site):
    cohort = eligible_cohort(data["patients"][data["patients"]["site"] == site])
    features = build_features(cohort, data["vitals"], data["labs"], T_PRED)
    lp = logit(np.clip(model.predict_proba(features)[:, 1], 1e-6, 1 - 1e-6))
    return validation_summary(cohort["y"], expit(recal_a + recal_b * lp))


internal = validation_summary(dev_test["y"], test_risk)
external = external_validation(model, data, SHIFTED)
