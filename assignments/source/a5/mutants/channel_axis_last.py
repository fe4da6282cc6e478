# %% [markdown]
# The channel axis is added at the end, (N, H, W, 1), instead of at position 1 (channel-first).

# %% nbgrader={"grade_id": "q1_answer"}
def preprocess(hu):
    windowed = np.clip((np.asarray(hu, dtype=np.float32) + 160.0) / 400.0, 0.0, 1.0)
    return torch.from_numpy(windowed)[..., None]
