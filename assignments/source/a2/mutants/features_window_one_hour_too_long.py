# %% [markdown]
# Temporal leakage by one hour: the window is taken as hour <= prediction_hour + 1, as if the hours were numbered from 1, so the features see the hour after the prediction.

# %% nbgrader={"grade_id": "q2_answer"}
def build_features(cohort, vitals, labs, prediction_hour):
    ids = cohort["patient_id"].to_numpy()
    last_hour = prediction_hour + 1  # "the first 6 hours" counted as hours 1..7
    window_v = vitals[vitals["patient_id"].isin(ids) & (vitals["hour"] <= last_hour)]
    window_l = labs[labs["patient_id"].isin(ids) & (labs["hour"] <= last_hour)]
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
    counts = later[["temperature", "gcs", *LABS]].count().add_suffix("_n_obs")
    person = cohort.set_index("patient_id")
    base = person[["age", *COMORBIDITIES]].astype(float)
    base["male"] = (person["sex"] == "M").astype(float)
    features = base.join(pd.concat(parts, axis=1)).join(counts)
    features[counts.columns] = features[counts.columns].fillna(0)
    return features.loc[ids]
