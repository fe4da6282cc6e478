# %% [markdown]
# Display values scaled to 0..255 grey levels instead of floats in [0, 1].

# %% nbgrader={"grade_id": "q3_answer"}
def window_image(ds, center, width):
    hu = to_hu(ds)
    return 255.0 * np.clip((hu - (center - width / 2.0)) / width, 0.0, 1.0)
