# %% [markdown]
# Training is closed at the first group that does not fit, so every later, smaller group goes to test even when it would still fit into training.

# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi), []).append(position)
    ordered = sorted(groups.values(), key=len, reverse=True)
    capacity = (1 - test_fraction) * len(smiles)
    train, test = [], []
    closed = False
    for rows in ordered:
        if not closed and len(train) + len(rows) <= capacity:
            train.extend(rows)
        else:
            closed = True
            test.extend(rows)
    return np.array(sorted(train), dtype=int), np.array(sorted(test), dtype=int)
