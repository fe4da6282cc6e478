# %% [markdown]
# Features assembled from the groupby results, which come out sorted by patient_id, so the rows do not follow the order of the cohort.

# %% nbgrader={"grade_id": "q2_answer"}
def build_features(cohort, vitals, labs, prediction_hour):
    ids = cohort["patient_id"].to_numpy()
    window_v = vitals[vitals["patient_id"].isin(ids) & (vitals["hour"] <= prediction_hour)]
    window_l = labs[labs["patient_id"].isin(ids) & (labs["hour"] <= prediction_hour)]
    obs = window_v.merge(window_l, on=["patient_id", "hour"], how="outer")
    obs = obs.sort_values(["patient_id", "hour"])
    charted = obs.groupby("patient_id")
    later = obs[obs["hour"] >= 1].groupby("patient_id")
    person = cohort.set_index("patient_id")
    base = person[["age", *COMORBIDITIES]].astype(float)
    base["male"] = (person["sex"] == "M").astype(float)
    counts = later[["temperature", "gcs", *LABS]].count().add_suffix("_n_obs")
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
