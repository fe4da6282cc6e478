# %% [markdown]
# The windows are stacked on axis 0, giving (3, N, H, W): the window axis in front of the images.

# %% nbgrader={"grade_id": "q2_answer"}
def three_windows(hu):
    return np.stack([apply_window(hu, level, width) for level, width in WINDOWS.values()])
