# %% [markdown]
# Slices sorted along the slice normal, but in descending instead of ascending order.

# %% nbgrader={"grade_id": "q1_answer"}
def sort_slices(datasets_):
    orientation = np.asarray(datasets_[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(orientation[:3], orientation[3:])
    return sorted(datasets_, reverse=True,
                  key=lambda ds: float(normal @ np.asarray(ds.ImagePositionPatient, dtype=float)))
