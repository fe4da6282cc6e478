# %% [markdown]
# A patient-level split that resets the index of both parts, so the rows no longer keep their original index.

# %% nbgrader={"grade_id": "q1_answer"}
def patient_level_split(frame, test_fraction, seed):
    ids = frame["patient_id"].drop_duplicates().to_numpy()
    rng = np.random.default_rng(seed)
    test_ids = rng.permutation(ids)[:int(round(test_fraction * len(ids)))]
    is_test = frame["patient_id"].isin(test_ids)
    return frame[~is_test].reset_index(drop=True), frame[is_test].reset_index(drop=True)
