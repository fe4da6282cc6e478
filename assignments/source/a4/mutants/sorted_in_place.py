# %% [markdown]
# The input list itself is sorted in place and returned, so the caller's list is reordered.

# %% nbgrader={"grade_id": "q1_answer"}
def sort_slices(datasets_):
    orientation = np.asarray(datasets_[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(orientation[:3], orientation[3:])
    datasets_.sort(key=lambda ds: float(normal @ np.asarray(ds.ImagePositionPatient, dtype=float)))
    return datasets_
