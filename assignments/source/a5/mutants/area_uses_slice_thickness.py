# %% [markdown]
# Pixel area taken as the first two spacings (z times y) instead of the in-plane y times x.

# %% nbgrader={"grade_id": "q5_answer"}
def area_cm2(class_map, class_index, spacing_mm):
    n_pixels = int((np.asarray(class_map) == class_index).sum())
    return n_pixels * spacing_mm[0] * spacing_mm[1] / 100.0
