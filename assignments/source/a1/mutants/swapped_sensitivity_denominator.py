# %% [markdown]
# Sensitivity divided by all positive predictions (that is PPV), a swapped denominator.

# %% nbgrader={"grade_id": "q1_answer"}
def diagnostic_metrics(y_true, y_pred):
    truth = np.asarray(y_true).astype(int)
    predicted = np.asarray(y_pred).astype(int)
    tp = int(np.sum((truth == 1) & (predicted == 1)))
    tn = int(np.sum((truth == 0) & (predicted == 0)))
    fp = int(np.sum((truth == 0) & (predicted == 1)))
    fn = int(np.sum((truth == 1) & (predicted == 0)))
    return {
        "sensitivity": tp / (tp + fp),
        "specificity": tn / (tn + fp),
        "ppv": tp / (tp + fp),
        "npv": tn / (tn + fn),
    }
