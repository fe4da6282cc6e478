# %% [markdown]
# Predicted masks from sigmoid(logits) > 0.5 per class (multi-label), not the softmax argmax the model was trained for.

# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    n_classes = logits.shape[1]
    predicted = (torch.sigmoid(logits) > 0.5).double()
    truth = one_hot(labels.long(), num_classes=n_classes, dim=1).double()
    axes = (0, 2, 3)
    overlap = (predicted * truth).sum(dim=axes)
    size_truth = truth.sum(dim=axes)
    dice = 2 * overlap / (predicted.sum(dim=axes) + size_truth)
    dice[size_truth == 0] = math.nan
    return dice[1:].numpy()
