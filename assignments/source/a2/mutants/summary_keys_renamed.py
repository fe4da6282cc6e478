# %% [markdown]
# validation_summary with its own key names ("N", "AUROC", "CITL", ...) instead of the keys the question asks for.

# %% nbgrader={"grade_id": "q5_answer"}
def validation_summary(y, risk):
    outcome = np.asarray(y, dtype=int)
    predicted = np.asarray(risk, dtype=float)
    return {
        "N": len(outcome),
        "event rate": float(outcome.mean()),
        "mean risk": float(predicted.mean()),
        "AUROC": float(roc_auc_score(outcome, predicted)),
        "CITL": calibration_in_the_large(outcome, predicted),
        "calibration slope": logistic_recalibration(outcome, predicted)[1],
    }


def external_validation(model, data, site):
    cohort = eligible_cohort(data["patients"][data["patients"]["site"] == site])
    features = build_features(cohort, data["vitals"], data["labs"], T_PRED)
    return validation_summary(cohort["y"], model.predict_proba(features)[:, 1])


internal = validation_summary(dev_test["y"], test_risk)
external = external_validation(model, data, SHIFTED)
