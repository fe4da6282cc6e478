# %% [markdown]
# Slices sorted by InstanceNumber, which here runs from head to feet, so the volume is upside down.

# %% nbgrader={"grade_id": "q1_answer"}
def sort_slices(datasets_):
    return sorted(datasets_, key=lambda ds: int(ds.InstanceNumber))
