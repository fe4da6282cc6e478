# %% [markdown]
# validation_summary that reports the intercept a of the recalibration fit as the calibration slope (element 0 of (a, b) instead of element 1).

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
        "slope": logistic_recalibration(outcome, predicted)[0],
    }


def external_validation(model, data, site):
    cohort = eligible_cohort(data["patients"][data["patients"]["site"] == site])
    features = build_features(cohort, data["vitals"], data["labs"], T_PRED)
    return validation_summary(cohort["y"], model.predict_proba(features)[:, 1])


internal = validation_summary(dev_test["y"], test_risk)
external = external_validation(model, data, SHIFTED)
