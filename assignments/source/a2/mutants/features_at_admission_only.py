# %% [markdown]
# Features from the admission hour only (hour 0 vitals and labs), ignoring everything charted after admission up to the prediction time.

# %% nbgrader={"grade_id": "q2_answer"}
def build_features(cohort, vitals, labs, prediction_hour):
    ids = cohort["patient_id"].to_numpy()
    admission = vitals[vitals["patient_id"].isin(ids) & (vitals["hour"] == 0)].merge(
        labs[labs["patient_id"].isin(ids) & (labs["hour"] == 0)], on=["patient_id", "hour"],
        how="outer").set_index("patient_id")[[*VITALS, *LABS]].add_suffix("_adm")
    person = cohort.set_index("patient_id")
    base = person[["age", *COMORBIDITIES]].astype(float)
    base["male"] = (person["sex"] == "M").astype(float)
    return base.join(admission).loc[ids]
