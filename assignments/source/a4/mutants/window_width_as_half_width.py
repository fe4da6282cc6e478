# %% [markdown]
# The window width is used as if it were the half-width, so the window spans center - width to center + width.

# %% nbgrader={"grade_id": "q3_answer"}
def window_image(ds, center, width):
    hu = to_hu(ds)
    return np.clip((hu - (center - width)) / (2.0 * width), 0.0, 1.0)
