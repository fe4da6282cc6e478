# %% [markdown]
# The denominator is clamped to at least 1 to avoid dividing by zero, so a class absent from the labels gets Dice 0 instead of nan.

# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    n_classes = logits.shape[1]
    predicted = one_hot(logits.argmax(dim=1, keepdim=True), num_classes=n_classes, dim=1)
    truth = one_hot(labels.long(), num_classes=n_classes, dim=1)
    axes = (0, 2, 3)
    overlap = (predicted * truth).sum(dim=axes)
    total = predicted.sum(dim=axes) + truth.sum(dim=axes)
    return (2 * overlap / total.clamp(min=1))[1:].double().numpy()
