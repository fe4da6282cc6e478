# %% [markdown]
# Min-max scaling of each array to [0, 1] instead of the fixed abdominal window.

# %% nbgrader={"grade_id": "q1_answer"}
def preprocess(hu):
    values = np.asarray(hu, dtype=np.float32)
    scaled = (values - values.min()) / (values.max() - values.min())
    return torch.from_numpy(scaled)[:, None]
