# %% [markdown]
# The predicted class taken as the argmax over axis 0 (the batch axis) instead of the class axis 1.

# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    n_classes = logits.shape[1]
    predicted = logits.argmax(dim=0)  # meant "the class dimension"
    truth = labels[:, 0]
    result = []
    for c in range(1, n_classes):
        p, g = predicted == c, truth == c
        if g.sum() == 0:
            result.append(math.nan)
        else:
            result.append(2 * (p & g).sum().item() / (p.sum() + g.sum()).item())
    return np.array(result)
