# %% [markdown]
# The HU are clipped to the window in place (np.clip with out=hu), which changes the caller's array.

# %% nbgrader={"grade_id": "q1_answer"}
def preprocess(hu):
    np.clip(hu, -160, 240, out=hu)
    return torch.from_numpy((hu.astype(np.float32) + 160) / 400)[:, None]
