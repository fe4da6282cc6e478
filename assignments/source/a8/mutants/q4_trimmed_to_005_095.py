# %% [markdown]
# Drops the patients whose propensity score lies outside [0.05, 0.95] (dd06's trimming) instead
# of using every patient.

# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    e = np.asarray(e, dtype=float)
    keep = (e >= 0.05) & (e <= 0.95)
    y, t, e = y[keep], t[keep], e[keep]
    w1 = t / e
    w0 = (1 - t) / (1 - e)
    return float((w1 * y).sum() / w1.sum() - (w0 * y).sum() / w0.sum())
