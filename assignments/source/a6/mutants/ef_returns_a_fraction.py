# %% [markdown]
# Exact arithmetic with fractions.Fraction (right value, right n_x), but the Fraction is returned instead of a float.

# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    from fractions import Fraction

    labels = [int(v) for v in ranked_is_active]
    n_total, n_active = len(labels), sum(labels)
    n_top = max(1, math.ceil(Fraction(str(fraction)) * n_total))
    return Fraction(sum(labels[:n_top]), n_top) / Fraction(n_active, n_total)
