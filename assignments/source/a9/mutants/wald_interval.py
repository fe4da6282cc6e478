# %% [markdown]
# The confidence intervals are Wald intervals, p +- 1.96 sqrt(p(1 - p) / n), not Wilson score intervals.

# %% nbgrader={"grade_id": "q4_answer"}
Z95 = 1.96


def operating_point(y_true, scores, threshold):
    truth = np.asarray(y_true).astype(int)
    flagged = np.asarray(scores, dtype=float) >= threshold
    sensitivity = float(np.mean(flagged[truth == 1]))
    specificity = float(np.mean(~flagged[truth == 0]))

    def wald(p, n):
        half = Z95 * math.sqrt(p * (1 - p) / n)
        return (p - half, p + half)

    return {"sensitivity": sensitivity, "specificity": specificity,
            "sensitivity_ci": wald(sensitivity, int(np.sum(truth == 1))),
            "specificity_ci": wald(specificity, int(np.sum(truth == 0)))}


threshold = threshold_for_specificity(y_val, val_scores, 0.90)
test_point = operating_point(y_test, test_scores, threshold)
