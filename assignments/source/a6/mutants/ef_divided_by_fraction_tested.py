# %% [markdown]
# Enrichment factor with the wrong denominator: the fraction of the library tested instead of the share of actives.

# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    labels = np.asarray(ranked_is_active).astype(int)
    n_top = max(1, math.ceil(fraction * len(labels)))
    return float((labels[:n_top].sum() / n_top) / fraction)
