# %% [markdown]
# Counts the actives among the last ceil(x * N) molecules, as if the list were ranked worst first.

# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    labels = np.asarray(ranked_is_active).astype(int)
    n_total, n_active = len(labels), int(labels.sum())
    n_top = max(1, math.ceil(round(fraction * n_total, 9)))
    return float((labels[-n_top:].sum() / n_top) / (n_active / n_total))
