# %% [markdown]
# Tests ceil(x * N) molecules without the minimum of one, so a fraction that rounds to no molecule divides by zero.

# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    labels = np.asarray(ranked_is_active).astype(int)
    n_total, n_active = len(labels), int(labels.sum())
    n_top = math.ceil(round(fraction * n_total, 9))
    return float((labels[:n_top].sum() / n_top) / (n_active / n_total))
