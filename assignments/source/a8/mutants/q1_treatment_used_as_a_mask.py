# %% [markdown]
# Uses the treatment itself as a boolean mask (y[t] and y[~t]), which picks rows 0 and 1 when
# the treatment is given as 0/1 integers.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t)
    y1, y0 = y[t], y[~t]
    estimate = y1.mean() - y0.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
