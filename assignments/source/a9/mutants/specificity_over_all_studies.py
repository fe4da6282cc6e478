# %% [markdown]
# "Specificity" computed as the share of ALL studies scored below t (one minus the flag rate), not of the studies without a bleed.

# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    values = np.asarray(scores, dtype=float)
    for t in np.unique(values):
        if np.mean(values < t) >= target:
            return float(t)
    return math.inf
