# %% [markdown]
# AUROC that counts tied scores as losses instead of one half.

# %% nbgrader={"grade_id": "q4_answer"}
def auroc(y_true, scores):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    positives = values[truth == 1][:, None]
    negatives = values[truth == 0][None, :]
    return float((positives > negatives).sum() / (positives.size * negatives.size))
