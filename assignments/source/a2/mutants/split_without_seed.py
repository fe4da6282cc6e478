# %% [markdown]
# A patient-level split drawn from NumPy's global generator (np.random.permutation) without the seed, so the same seed gives a different split each time.

# %% nbgrader={"grade_id": "q1_answer"}
def patient_level_split(frame, test_fraction, seed):
    ids = frame["patient_id"].drop_duplicates().to_numpy()
    test_ids = np.random.permutation(ids)[:int(round(test_fraction * len(ids)))]
    is_test = frame["patient_id"].isin(test_ids)
    return frame[~is_test], frame[is_test]
