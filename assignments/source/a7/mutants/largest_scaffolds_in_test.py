# %% [markdown]
# Scaffold groups sorted from the smallest to the largest, so the test set is made of the largest, most common scaffolds.

# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi), []).append(position)
    ordered = sorted(groups.values(), key=len)
    capacity = (1 - test_fraction) * len(smiles)
    train, test = [], []
    for rows in ordered:
        if len(train) + len(rows) <= capacity:
            train.extend(rows)
        else:
            test.extend(rows)
    return np.array(sorted(train), dtype=int), np.array(sorted(test), dtype=int)
