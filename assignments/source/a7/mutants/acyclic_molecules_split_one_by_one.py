# %% [markdown]
# Each molecule without rings is made a group of its own (keyed by its SMILES) instead of all of them forming the one group of the scaffold "", so acyclic molecules land on both sides.

# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi) or smi, []).append(position)
    ordered = sorted(groups.values(), key=len, reverse=True)
    capacity = (1 - test_fraction) * len(smiles)
    train, test = [], []
    for rows in ordered:
        if len(train) + len(rows) <= capacity:
            train.extend(rows)
        else:
            test.extend(rows)
    return np.array(sorted(train), dtype=int), np.array(sorted(test), dtype=int)
