# %% [markdown]
# Slices sorted by SliceLocation, an optional attribute that other series do not carry.

# %% nbgrader={"grade_id": "q1_answer"}
def sort_slices(datasets_):
    return sorted(datasets_, key=lambda ds: float(ds.SliceLocation))
