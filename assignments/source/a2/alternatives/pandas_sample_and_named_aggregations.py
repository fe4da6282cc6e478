# %% [markdown]
# The split by pandas sampling of the patient ids, features from groupby named aggregations with per-patient slopes (no measurement counts) aligned with reindex, and a summary whose AUROC is the Mann-Whitney statistic from ranks.

# %% nbgrader={"grade_id": "q1_answer"}
def patient_level_split(frame, test_fraction, seed):
    ids = pd.Series(frame["patient_id"].unique())
    test_ids = ids.sample(frac=test_fraction, random_state=seed)
    in_test = frame["patient_id"].isin(test_ids)
    return frame.loc[~in_test], frame.loc[in_test]


# %% nbgrader={"grade_id": "q2_answer"}
def build_features(cohort, vitals, labs, prediction_hour):
    ids = cohort["patient_id"]
    seen_v = vitals[vitals["patient_id"].isin(ids) & vitals["hour"].le(prediction_hour)]
    seen_l = labs[labs["patient_id"].isin(ids) & labs["hour"].le(prediction_hour)]

    by_patient = seen_v.sort_values("hour").groupby("patient_id")
    summary = by_patient[VITALS].agg(["first", "last", "min", "max", "mean"])
    summary.columns = [f"{name}_{stat}" for name, stat in summary.columns]

    centred_hour = seen_v["hour"] - by_patient["hour"].transform("mean")
    spread = (centred_hour ** 2).groupby(seen_v["patient_id"]).sum()
    slopes = {}
    for name in VITALS:
        centred = seen_v[name] - by_patient[name].transform("mean")
        products = (centred_hour * centred).groupby(seen_v["patient_id"]).sum()
        slopes[f"{name}_slope"] = products / spread
    slopes = pd.DataFrame(slopes).replace([np.inf, -np.inf], np.nan)

    lab_rows = seen_l.sort_values("hour").groupby("patient_id")
    lab_first = lab_rows[LABS].first().add_suffix("_first")
    lab_last = lab_rows[LABS].last().add_suffix("_latest")

    person = cohort.set_index("patient_id")
    admission = pd.DataFrame({"age": person["age"].astype(float),
                              "female": person["sex"].eq("F").astype(float)})
    for name in COMORBIDITIES:
        admission[name] = person[name].astype(float)
    features = pd.concat([admission, summary, slopes, lab_first, lab_last], axis=1)
    return features.reindex(ids.to_numpy())


# %% nbgrader={"grade_id": "q5_answer"}
from scipy.stats import rankdata


def validation_summary(y, risk):
    outcome = pd.Series(np.asarray(y, dtype=int))
    predicted = pd.Series(np.asarray(risk, dtype=float))
    ranks = rankdata(predicted)
    n_events = int(outcome.sum())
    n_others = len(outcome) - n_events
    auroc = (ranks[outcome.to_numpy() == 1].sum() - n_events * (n_events + 1) / 2) / (
        n_events * n_others)
    return {
        "n": outcome.size,
        "event_rate": outcome.mean(),
        "mean_risk": predicted.mean(),
        "auroc": auroc,
        "citl": calibration_in_the_large(outcome, predicted),
        "slope": logistic_recalibration(outcome, predicted)[1],
    }


def external_validation(model, data, site):
    cohort = eligible_cohort(data["patients"].query("site == @site"))
    risk = model.predict_proba(build_features(cohort, data["vitals"], data["labs"], T_PRED))
    return validation_summary(cohort["y"].to_numpy(), risk[:, 1])


internal = validation_summary(dev_test["y"], test_risk)
external = external_validation(model, data, SHIFTED)
