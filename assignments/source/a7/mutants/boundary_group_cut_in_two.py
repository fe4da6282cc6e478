# %% [markdown]
# Molecules are sorted by scaffold group size and cut at the target size, so the group at the boundary is split between training and test.

# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi), []).append(position)
    order = [p for rows in sorted(groups.values(), key=len, reverse=True) for p in rows]
    n_train = int(round((1 - test_fraction) * len(smiles)))
    return np.array(sorted(order[:n_train]), dtype=int), np.array(sorted(order[n_train:]), dtype=int)
