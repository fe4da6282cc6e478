# %% [markdown]
# Counts the four cells of the confusion matrix in a Python loop over pairs, and returns
# float("nan") for an undefined metric.

# %% nbgrader={"grade_id": "q1_answer"}
def diagnostic_metrics(y_true, y_pred):
    counts = {"tp": 0, "tn": 0, "fp": 0, "fn": 0}
    for truth, predicted in zip(list(y_true), list(y_pred)):
        truth, predicted = int(truth), int(predicted)
        if truth == 1:
            counts["tp" if predicted == 1 else "fn"] += 1
        else:
            counts["fp" if predicted == 1 else "tn"] += 1

    def share(part, other):
        total = part + other
        return part / total if total > 0 else float("nan")

    return {"sensitivity": share(counts["tp"], counts["fn"]),
            "specificity": share(counts["tn"], counts["fp"]),
            "ppv": share(counts["tp"], counts["fp"]),
            "npv": share(counts["tn"], counts["fn"])}
