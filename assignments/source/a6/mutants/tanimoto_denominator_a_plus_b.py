# %% [markdown]
# Tanimoto with the wrong denominator: c / (a + b) instead of c / (a + b - c).

# %% nbgrader={"grade_id": "q2_answer"}
def tanimoto(a, b):
    x = np.asarray(a).astype(int)
    y = np.asarray(b).astype(int)
    c = int(np.sum(x * y))
    total = int(x.sum() + y.sum())
    return c / total if total else 0.0
