# %% [markdown]
# Standard error from the population variances (denominator n_k, NumPy's default ddof=0)
# instead of the sample variances (denominator n_k - 1).

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    estimate = y1.mean() - y0.mean()
    se = np.sqrt(y1.var() / len(y1) + y0.var() / len(y0))
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
