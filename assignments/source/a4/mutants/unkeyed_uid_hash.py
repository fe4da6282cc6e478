# %% [markdown]
# The new UID is a hash of the old UID only, without the key, so anyone holding the original UIDs can recompute the mapping.

# %% nbgrader={"grade_id": "q5_answer"}
def new_uid(old_uid, key):
    if str(old_uid).startswith("1.2.840.10008."):
        return str(old_uid)
    return str(generate_uid(entropy_srcs=[str(old_uid)]))
