# %% [markdown]
# A patient-level split made on frame.drop_duplicates("patient_id"), so with several rows per patient only each patient's first row is returned.

# %% nbgrader={"grade_id": "q1_answer"}
def patient_level_split(frame, test_fraction, seed):
    one_per_patient = frame.drop_duplicates("patient_id")
    test = one_per_patient.sample(frac=test_fraction, random_state=seed)
    return one_per_patient.drop(test.index), test
