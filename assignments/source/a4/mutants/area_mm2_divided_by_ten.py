# %% [markdown]
# Square millimetres are converted to square centimetres by dividing by 10 instead of 100.

# %% nbgrader={"grade_id": "q4_answer"}
def roi_measurement(hu_slice, mask, pixel_spacing):
    inside = np.asarray(mask).astype(bool)
    row_mm, col_mm = (float(v) for v in pixel_spacing)
    mean_hu = float(np.asarray(hu_slice, dtype=float)[inside].mean())
    return mean_hu, float(inside.sum()) * row_mm * col_mm / 10.0
