# %% [markdown]
# Counts with pandas Series arithmetic, which pairs labels and predictions by index, not
# by position.

# %% nbgrader={"grade_id": "q1_answer"}
def diagnostic_metrics(y_true, y_pred):
    import pandas as pd

    truth, predicted = pd.Series(y_true), pd.Series(y_pred)
    tp = int(((truth == 1) & (predicted == 1)).sum())
    tn = int(((truth == 0) & (predicted == 0)).sum())
    fp = int(((truth == 0) & (predicted == 1)).sum())
    fn = int(((truth == 1) & (predicted == 0)).sum())

    def ratio(numerator, denominator):
        return numerator / denominator if denominator else math.nan

    return {"sensitivity": ratio(tp, tp + fn), "specificity": ratio(tn, tn + fp),
            "ppv": ratio(tp, tp + fp), "npv": ratio(tn, tn + fn)}
