# %% [markdown]
# The width is taken as the half-width: the window runs from level - width to level + width, twice as wide as it should.

# %% nbgrader={"grade_id": "q1_answer"}
def apply_window(hu, level, width):
    low = level - width
    values = np.asarray(hu, dtype=np.float32)
    return np.clip((values - low) / (2 * width), 0.0, 1.0).astype(np.float32)
