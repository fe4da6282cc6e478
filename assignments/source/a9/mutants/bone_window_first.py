# %% [markdown]
# The channels are in reverse order (bone, subdural, brain), as if copying a BGR image convention.

# %% nbgrader={"grade_id": "q2_answer"}
def three_windows(hu):
    channels = [apply_window(hu, level, width) for level, width in WINDOWS.values()]
    return np.stack(channels[::-1], axis=1)
