# %% [markdown]
# Slices sorted by the z coordinate of ImagePositionPatient, which only works for axial series.

# %% nbgrader={"grade_id": "q1_answer"}
def sort_slices(datasets_):
    return sorted(datasets_, key=lambda ds: float(ds.ImagePositionPatient[2]))
