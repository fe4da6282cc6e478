# %% [markdown]
# Finds the threshold by trying every observed score from the highest down and keeping the
# first whose sensitivity reaches the target (no index arithmetic).

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_sensitivity(y_true, scores, target):
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    for candidate in sorted(set(values.tolist()), reverse=True):
        sensitivity = np.mean(values[truth == 1] >= candidate)
        if sensitivity >= target:
            return candidate
    return float(values.min())
