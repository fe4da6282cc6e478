# %% [markdown]
# Temporal leakage through counts: the values come from hours up to the prediction time, but the numbers of measurements are counted over the whole stay.

# %% nbgrader={"grade_id": "q2_answer"}
def build_features(cohort, vitals, labs, prediction_hour):
    ids = cohort["patient_id"].to_numpy()
    window_v = vitals[vitals["patient_id"].isin(ids) & (vitals["hour"] <= prediction_hour)]
    window_l = labs[labs["patient_id"].isin(ids) & (labs["hour"] <= prediction_hour)]
    obs = window_v.merge(window_l, on=["patient_id", "hour"], how="outer")
    obs = obs.sort_values(["patient_id", "hour"])
    charted = obs.groupby("patient_id")
    later = obs[obs["hour"] >= 1].groupby("patient_id")
    parts = [
        charted[VITALS].last().add_suffix("_last"),
        charted[VITALS].min().add_suffix("_min"),
        charted[VITALS].max().add_suffix("_max"),
        obs[obs["hour"] == 0].set_index("patient_id")[LABS].add_suffix("_adm"),
        later[LABS].last().add_suffix("_repeat"),
    ]
    stay = vitals[vitals["patient_id"].isin(ids)].merge(
        labs[labs["patient_id"].isin(ids)], on=["patient_id", "hour"], how="outer")
    counts = (stay[stay["hour"] >= 1].groupby("patient_id")[["temperature", "gcs", *LABS]]
              .count().add_suffix("_n_obs"))
    person = cohort.set_index("patient_id")
    base = person[["age", *COMORBIDITIES]].astype(float)
    base["male"] = (person["sex"] == "M").astype(float)
    features = base.join(pd.concat(parts, axis=1)).join(counts)
    features[counts.columns] = features[counts.columns].fillna(0)
    return features.loc[ids]
