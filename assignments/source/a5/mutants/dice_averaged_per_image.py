# %% [markdown]
# Dice computed image by image and then averaged, instead of counted over all images together.

# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    from monai.metrics import DiceMetric

    n_classes = logits.shape[1]
    predicted = one_hot(logits.argmax(dim=1, keepdim=True), num_classes=n_classes, dim=1)
    truth = one_hot(labels.long(), num_classes=n_classes, dim=1)
    metric = DiceMetric(include_background=False, reduction="mean_batch")
    return metric(predicted, truth).double().nanmean(dim=0).numpy()
