# %% [markdown]
# A patient-level split that marks the test rows with a new column of the input frame, so both parts (and the input) carry an extra column.

# %% nbgrader={"grade_id": "q1_answer"}
def patient_level_split(frame, test_fraction, seed):
    ids = frame["patient_id"].drop_duplicates().to_numpy()
    rng = np.random.default_rng(seed)
    test_ids = rng.permutation(ids)[:int(round(test_fraction * len(ids)))]
    frame["is_test"] = frame["patient_id"].isin(test_ids)
    return frame[~frame["is_test"]], frame[frame["is_test"]]
