# %% [markdown]
# Only the intercept is applied; the rescale slope is assumed to be 1.

# %% nbgrader={"grade_id": "q2_answer"}
def to_hu(ds):
    return ds.pixel_array.astype(np.float64) + float(ds.get("RescaleIntercept", 0.0))
