# %% [markdown]
# Metrics right on ordinary data, but a zero denominator raises instead of returning nan.

# %% nbgrader={"grade_id": "q1_answer"}
def diagnostic_metrics(y_true, y_pred):
    truth = np.asarray(y_true).astype(int)
    predicted = np.asarray(y_pred).astype(int)
    tp = int(np.sum((truth == 1) & (predicted == 1)))
    tn = int(np.sum((truth == 0) & (predicted == 0)))
    fp = int(np.sum((truth == 0) & (predicted == 1)))
    fn = int(np.sum((truth == 1) & (predicted == 0)))
    return {
        "sensitivity": tp / (tp + fn),
        "specificity": tn / (tn + fp),
        "ppv": tp / (tp + fp),
        "npv": tn / (tn + fn),
    }
