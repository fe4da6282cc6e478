# %% [markdown]
# Confidence interval with the 97.5% quantile of a Student t distribution (n1 + n0 - 2 degrees
# of freedom) instead of the normal quantile 1.96.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    from scipy import stats

    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    estimate = y1.mean() - y0.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    q = stats.t.ppf(0.975, len(y1) + len(y0) - 2)
    return float(estimate), float(estimate - q * se), float(estimate + q * se)
