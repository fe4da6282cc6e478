# %% [markdown]
# Difference in means computed as control minus treated (arms swapped).

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    estimate = y0.mean() - y1.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
