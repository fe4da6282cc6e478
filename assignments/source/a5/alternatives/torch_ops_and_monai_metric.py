# %% [markdown]
# Windows with torch operations; keeps the batch losses as detached tensors and clears gradients with set_to_none; measures Dice with MONAI's DiceMetric (include_background=False, ignore_empty=True) on all images stacked as one volume; counts pixels with torch.count_nonzero.

# %% nbgrader={"grade_id": "q1_answer"}
def preprocess(hu):
    x = torch.as_tensor(np.asarray(hu), dtype=torch.float32)  # a new float32 tensor
    return ((x + 160.0) / 400.0).clamp(0.0, 1.0).unsqueeze(1)


# %% nbgrader={"grade_id": "q2_answer"}
def train_one_epoch(model, batches, loss_function, optimizer):
    model.train(True)
    batch_losses = []
    for images, labels in batches:
        optimizer.zero_grad(set_to_none=True)
        logits = model(images)
        loss = loss_function(logits, labels)
        loss.backward()
        optimizer.step()
        batch_losses.append(loss.detach())
    return torch.stack(batch_losses).mean().item()


# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    from monai.metrics import DiceMetric

    n_classes = logits.shape[1]
    predicted = one_hot(logits.argmax(dim=1, keepdim=True), num_classes=n_classes, dim=1)
    truth = one_hot(labels.long(), num_classes=n_classes, dim=1)
    # (N, C, H, W) -> one volume (1, C, N, H, W): Dice counts over all images together
    volume_pred = predicted.permute(1, 0, 2, 3)[None]
    volume_truth = truth.permute(1, 0, 2, 3)[None]
    metric = DiceMetric(include_background=False, reduction="none", ignore_empty=True)
    return metric(volume_pred, volume_truth)[0].cpu().numpy()


# %% nbgrader={"grade_id": "q5_answer"}
def area_cm2(class_map, class_index, spacing_mm):
    n_pixels = torch.count_nonzero(torch.as_tensor(class_map) == class_index).item()
    _, dy, dx = spacing_mm
    return n_pixels * (dy / 10) * (dx / 10)  # cm x cm
