# %% [markdown]
# A patient-level split whose number of test patients is test_fraction times the number of ROWS, so with several rows per patient nearly every patient goes to the test part.

# %% nbgrader={"grade_id": "q1_answer"}
def patient_level_split(frame, test_fraction, seed):
    ids = frame["patient_id"].drop_duplicates().to_numpy()
    rng = np.random.default_rng(seed)
    test_ids = rng.permutation(ids)[:int(round(test_fraction * len(frame)))]
    is_test = frame["patient_id"].isin(test_ids)
    return frame[~is_test], frame[is_test]
