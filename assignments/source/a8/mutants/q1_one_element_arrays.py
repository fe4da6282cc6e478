# %% [markdown]
# Takes the difference of the arm means with np.diff and returns three one-element arrays
# instead of three floats.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    estimate = np.diff([y0.mean(), y1.mean()])
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return estimate, estimate - 1.96 * se, estimate + 1.96 * se
