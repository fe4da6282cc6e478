# %% [markdown]
# External validation on all of the site's patients, including those already septic at the prediction hour, instead of its eligible cohort.

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
    cohort = data["patients"][data["patients"]["site"] == site].copy()
    onset = cohort["onset_hour"]
    cohort["y"] = ((onset > T_PRED) & (onset <= T_PRED + HORIZON)).astype(int)
    features = build_features(cohort, data["vitals"], data["labs"], T_PRED)
    return validation_summary(cohort["y"], model.predict_proba(features)[:, 1])


internal = validation_summary(dev_test["y"], test_risk)
external = external_validation(model, data, SHIFTED)
