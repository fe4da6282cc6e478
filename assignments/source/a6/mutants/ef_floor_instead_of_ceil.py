# %% [markdown]
# Enrichment factor that tests int(x * N) molecules (rounding down) instead of ceil(x * N).

# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    labels = np.asarray(ranked_is_active).astype(int)
    n_total = len(labels)
    n_top = max(1, int(fraction * n_total))
    return float((labels[:n_top].sum() / n_top) / (labels.sum() / n_total))
