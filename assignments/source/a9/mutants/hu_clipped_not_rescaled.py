# %% [markdown]
# The HU are clipped to the window's range but not rescaled to [0, 1], so the output is still in HU.

# %% nbgrader={"grade_id": "q1_answer"}
def apply_window(hu, level, width):
    values = np.asarray(hu, dtype=np.float32)
    return np.clip(values, level - width / 2, level + width / 2).astype(np.float32)
