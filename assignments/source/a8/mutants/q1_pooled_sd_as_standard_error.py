# %% [markdown]
# Confidence interval built with the pooled standard deviation as the standard error (no sqrt(1/n1 + 1/n0) factor).

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    n1, n0 = len(y1), len(y0)
    estimate = y1.mean() - y0.mean()
    pooled_sd = np.sqrt(((n1 - 1) * y1.var(ddof=1) + (n0 - 1) * y0.var(ddof=1)) / (n1 + n0 - 2))
    se = pooled_sd
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
