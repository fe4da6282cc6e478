# %% [markdown]
# Splits the arms with pandas Series masks, which pair outcomes and treatments by index, not by
# position.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y, t = pd.Series(y, dtype=float), pd.Series(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    estimate = y1.mean() - y0.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
