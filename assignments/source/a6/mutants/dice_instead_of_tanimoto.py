# %% [markdown]
# The Dice coefficient 2c / (a + b) instead of the Tanimoto coefficient.

# %% nbgrader={"grade_id": "q2_answer"}
def tanimoto(a, b):
    x = np.asarray(a).astype(int)
    y = np.asarray(b).astype(int)
    c = int(np.sum(x * y))
    total = int(x.sum() + y.sum())
    return 2 * c / total if total else 0.0
