# %% [markdown]
# Returns two boolean masks over the molecules instead of two arrays of positions.

# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi), []).append(position)
    capacity = (1 - test_fraction) * len(smiles)
    in_train = np.zeros(len(smiles), dtype=bool)
    for rows in sorted(groups.values(), key=len, reverse=True):
        if in_train.sum() + len(rows) <= capacity:
            in_train[rows] = True
    return in_train, ~in_train
