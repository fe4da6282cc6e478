# %% [markdown]
# Returns (estimate, se, ci_low, ci_high), as dd06's function does, instead of the three values
# (estimate, ci_low, ci_high).

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    estimate = y1.mean() - y0.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return float(estimate), float(se), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
