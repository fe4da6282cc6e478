# %% [markdown]
# Guards the empty case with np.divide(..., out=np.zeros(()), where=...), which returns a 0-d NumPy array instead of a Python float.

# %% nbgrader={"grade_id": "q2_answer"}
def tanimoto(a, b):
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    both = np.sum(x * y)
    either = np.sum(x) + np.sum(y) - both
    return np.divide(both, either, out=np.zeros(()), where=either > 0)
