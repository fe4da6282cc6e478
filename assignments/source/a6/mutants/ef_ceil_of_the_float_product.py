# %% [markdown]
# Takes math.ceil(fraction * N) of the floating-point product, so the top 7% of 100 molecules is 8 molecules (0.07 * 100 is 7.000000000000001).

# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    labels = np.asarray(ranked_is_active).astype(int)
    n_total, n_active = len(labels), int(labels.sum())
    n_top = max(1, math.ceil(fraction * n_total))
    return float((labels[:n_top].sum() / n_top) / (n_active / n_total))
