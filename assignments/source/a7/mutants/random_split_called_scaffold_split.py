# %% [markdown]
# A random split of the molecules passed off as a scaffold split: scaffolds end up on both sides.

# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    order = np.random.default_rng(0).permutation(len(smiles))
    n_test = int(round(test_fraction * len(smiles)))
    return np.sort(order[n_test:]), np.sort(order[:n_test])
