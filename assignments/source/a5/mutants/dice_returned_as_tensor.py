# %% [markdown]
# The Dice values are returned as a torch tensor instead of a NumPy array.

# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    n_classes = logits.shape[1]
    predicted = one_hot(logits.argmax(dim=1, keepdim=True), num_classes=n_classes, dim=1)
    truth = one_hot(labels.long(), num_classes=n_classes, dim=1)
    axes = (0, 2, 3)
    overlap = (predicted * truth).sum(dim=axes)
    size_truth = truth.sum(dim=axes)
    dice = 2 * overlap / (predicted.sum(dim=axes) + size_truth)
    dice[size_truth == 0] = math.nan
    return dice[1:]
