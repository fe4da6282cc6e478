# %% [markdown]
# Only integer HU are converted to float32, so float64 HU give a float64 tensor.

# %% nbgrader={"grade_id": "q1_answer"}
def preprocess(hu):
    x = torch.as_tensor(hu)
    if not torch.is_floating_point(x):
        x = x.float()
    return ((x - (40 - 400 / 2)) / 400).clamp(0, 1).unsqueeze(1)
