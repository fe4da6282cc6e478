# %% [markdown]
# validation_summary that calls the .mean() method of its inputs, so it fails when y or risk is a list.

# %% nbgrader={"grade_id": "q5_answer"}
def validation_summary(y, risk):
    return {
        "n": len(y),
        "event_rate": float(y.mean()),
        "mean_risk": float(risk.mean()),
        "auroc": float(roc_auc_score(y, risk)),
        "citl": calibration_in_the_large(y, risk),
        "slope": logistic_recalibration(y, risk)[1],
    }


def external_validation(model, data, site):
    cohort = eligible_cohort(data["patients"][data["patients"]["site"] == site])
    features = build_features(cohort, data["vitals"], data["labs"], T_PRED)
    return validation_summary(cohort["y"], model.predict_proba(features)[:, 1])


internal = validation_summary(dev_test["y"], test_risk)
external = external_validation(model, data, SHIFTED)
