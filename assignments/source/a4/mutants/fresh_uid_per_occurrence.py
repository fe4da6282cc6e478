# %% [markdown]
# Every call returns a fresh random UID, so the same old UID gets a different new UID in every file.

# %% nbgrader={"grade_id": "q5_answer"}
def new_uid(old_uid, key):
    if str(old_uid).startswith("1.2.840.10008."):
        return str(old_uid)
    return str(generate_uid())
