# %% [markdown]
# Windows with np.interp; sums the batch losses by hand; computes Dice in a NumPy loop over the classes; predicts the held-out slices one patient at a time and concatenates the logits; counts pixels with np.count_nonzero and math.prod.

# %% nbgrader={"grade_id": "q1_answer"}
def preprocess(hu):
    windowed = np.interp(np.asarray(hu, dtype=np.float64), [-160.0, 240.0], [0.0, 1.0])
    return torch.from_numpy(np.expand_dims(windowed.astype(np.float32), axis=1))


# %% nbgrader={"grade_id": "q2_answer"}
def train_one_epoch(model, batches, loss_function, optimizer):
    model.train()
    total = 0.0
    for images, labels in batches:
        optimizer.zero_grad()
        output = model(images)
        loss = loss_function(output, labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(batches)


# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    predicted = logits.argmax(dim=1).numpy()  # (N, H, W)
    truth = labels[:, 0].numpy()
    values = []
    for c in range(1, logits.shape[1]):
        p, g = predicted == c, truth == c
        if not g.any():
            values.append(math.nan)
        else:
            values.append(2.0 * np.logical_and(p, g).sum() / (p.sum() + g.sum()))
    return np.array(values)


# %% nbgrader={"grade_id": "q4_answer"}
per_patient = [predict_logits(model, preprocess(p.volume)) for p in test_phantoms]
heldout_dice = dice_per_class(torch.cat(per_patient), y_test)
print(pd.Series(np.asarray(heldout_dice, dtype=float), index=CLASS_NAMES[1:], name="held-out Dice"))


# %% nbgrader={"grade_id": "q5_answer"}
def area_cm2(class_map, class_index, spacing_mm):
    n_pixels = np.count_nonzero(np.asarray(class_map) == class_index)
    return n_pixels * math.prod(spacing_mm[1:]) / 100
