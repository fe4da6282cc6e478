# %% [markdown]
# Windows a float32 copy in place with torch's in-place operations; computes Dice from a confusion matrix counted with torch.bincount and returns float32; counts pixels with .sum().item(), which works for arrays and tensors alike.

# %% nbgrader={"grade_id": "q1_answer"}
def preprocess(hu):
    x = torch.from_numpy(np.array(hu, dtype=np.float32))  # np.array copies
    return x.sub_(-160.0).div_(400.0).clamp_(0.0, 1.0)[:, None]


# %% nbgrader={"grade_id": "q3_answer"}
def dice_per_class(logits, labels):
    c = logits.shape[1]
    predicted = logits.argmax(dim=1).reshape(-1)
    truth = labels.reshape(-1).long()
    matrix = torch.bincount(truth * c + predicted, minlength=c * c).reshape(c, c)  # [truth, pred]
    in_truth, in_pred = matrix.sum(dim=1), matrix.sum(dim=0)
    dice = 2 * matrix.diagonal() / (in_truth + in_pred)
    dice = torch.where(in_truth > 0, dice, torch.tensor(float("nan")))
    return dice[1:].float().numpy()


# %% nbgrader={"grade_id": "q5_answer"}
def area_cm2(class_map, class_index, spacing_mm):
    n_pixels = (class_map == class_index).sum().item()
    return n_pixels * spacing_mm[1] * spacing_mm[2] / 100
