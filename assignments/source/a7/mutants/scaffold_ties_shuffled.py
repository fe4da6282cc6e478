# %% [markdown]
# Groups of equal size are shuffled with an unseeded generator before sorting, so the same molecules give a different split on every call.

# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi), []).append(position)
    shuffled = list(groups.values())
    np.random.default_rng().shuffle(shuffled)
    ordered = sorted(shuffled, key=len, reverse=True)
    capacity = (1 - test_fraction) * len(smiles)
    train, test = [], []
    for rows in ordered:
        if len(train) + len(rows) <= capacity:
            train.extend(rows)
        else:
            test.extend(rows)
    return np.array(sorted(train), dtype=int), np.array(sorted(test), dtype=int)
