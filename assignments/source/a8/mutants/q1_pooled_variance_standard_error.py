# %% [markdown]
# Standard error of Student's equal-variance t-test, sqrt(s_p^2 (1/n1 + 1/n0)) with the pooled
# variance, instead of each arm's own variance over its own n.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    n1, n0 = len(y1), len(y0)
    estimate = y1.mean() - y0.mean()
    pooled_var = ((n1 - 1) * y1.var(ddof=1) + (n0 - 1) * y0.var(ddof=1)) / (n1 + n0 - 2)
    se = np.sqrt(pooled_var * (1 / n1 + 1 / n0))
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
