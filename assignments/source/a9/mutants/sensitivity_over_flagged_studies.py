# %% [markdown]
# "Sensitivity" divided by the flagged studies (that is the PPV) instead of by all bleeds.

# %% nbgrader={"grade_id": "q4_answer"}
Z95 = 1.96


def operating_point(y_true, scores, threshold):
    truth = np.asarray(y_true).astype(int)
    flagged = np.asarray(scores, dtype=float) >= threshold
    tp = int(np.sum(flagged & (truth == 1)))
    tn = int(np.sum(~flagged & (truth == 0)))
    n_flagged, n_neg = int(np.sum(flagged)), int(np.sum(truth == 0))

    def wilson(k, n):
        p = k / n
        denominator = 1 + Z95**2 / n
        centre = (p + Z95**2 / (2 * n)) / denominator
        half = Z95 / denominator * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2))
        return (centre - half, centre + half)

    return {"sensitivity": tp / n_flagged, "specificity": tn / n_neg,
            "sensitivity_ci": wilson(tp, n_flagged), "specificity_ci": wilson(tn, n_neg)}


threshold = threshold_for_specificity(y_val, val_scores, 0.90)
test_point = operating_point(y_test, test_scores, threshold)
