# %% [markdown]
# Only integer HU are converted to float32, so float64 HU give a float64 window.

# %% nbgrader={"grade_id": "q1_answer"}
def apply_window(hu, level, width):
    values = np.asarray(hu)
    if np.issubdtype(values.dtype, np.integer):
        values = values.astype(np.float32)
    return np.clip((values - (level - width / 2)) / width, 0.0, 1.0)
