# %% [markdown]
# The HU are clipped to the window in place (np.clip with out=hu), which changes the caller's array.

# %% nbgrader={"grade_id": "q1_answer"}
def apply_window(hu, level, width):
    low, high = level - width // 2, level + width // 2
    np.clip(hu, low, high, out=hu)
    return ((hu - low) / width).astype(np.float32)
