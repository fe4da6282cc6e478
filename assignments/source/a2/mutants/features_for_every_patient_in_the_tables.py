# %% [markdown]
# Features computed for every patient of the hourly tables and joined to the cohort's columns from that side, so the result has a row for patients who are not in the cohort.

# %% nbgrader={"grade_id": "q2_answer"}
def build_features(cohort, vitals, labs, prediction_hour):
    window_v = vitals[vitals["hour"] <= prediction_hour]
    window_l = labs[labs["hour"] <= prediction_hour]
    obs = window_v.merge(window_l, on=["patient_id", "hour"], how="outer")
    obs = obs.sort_values(["patient_id", "hour"])
    charted = obs.groupby("patient_id")
    later = obs[obs["hour"] >= 1].groupby("patient_id")
    counts = later[["temperature", "gcs", *LABS]].count().add_suffix("_n_obs")
    person = cohort.set_index("patient_id")
    base = person[["age", *COMORBIDITIES]].astype(float)
    base["male"] = (person["sex"] == "M").astype(float)
    features = pd.concat([
        charted[VITALS].last().add_suffix("_last"),
        charted[VITALS].min().add_suffix("_min"),
        charted[VITALS].max().add_suffix("_max"),
        obs[obs["hour"] == 0].set_index("patient_id")[LABS].add_suffix("_adm"),
        later[LABS].last().add_suffix("_repeat"),
        counts,
    ], axis=1).join(base)
    features[counts.columns] = features[counts.columns].fillna(0)
    return features
