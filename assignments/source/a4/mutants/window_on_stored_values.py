# %% [markdown]
# The window is applied to the stored values before (instead of after) the conversion to Hounsfield units.

# %% nbgrader={"grade_id": "q3_answer"}
def window_image(ds, center, width):
    stored = ds.pixel_array.astype(np.float64)
    return np.clip((stored - (center - width / 2.0)) / width, 0.0, 1.0)
