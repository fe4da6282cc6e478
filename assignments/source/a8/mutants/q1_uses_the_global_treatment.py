# %% [markdown]
# Splits the arms with the setup cell's global t_rct instead of the argument t, so it works on
# the trial and nowhere else.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    y1, y0 = y[t_rct == 1], y[t_rct == 0]
    estimate = y1.mean() - y0.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
