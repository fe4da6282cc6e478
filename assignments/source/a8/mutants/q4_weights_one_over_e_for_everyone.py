# %% [markdown]
# IPW with the weight 1/e for every patient, controls included (instead of 1/(1 - e) for controls).

# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    e = np.asarray(e, dtype=float)
    w = 1 / e
    w1, w0 = w * t, w * (1 - t)
    return float((w1 * y).sum() / w1.sum() - (w0 * y).sum() / w0.sum())
