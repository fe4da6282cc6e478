# %% [markdown]
# A molecule without rings gets its own canonical SMILES as its scaffold instead of the empty string.

# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    mol = Chem.MolFromSmiles(smiles)
    scaffold = MurckoScaffold.MurckoScaffoldSmiles(mol=mol, includeChirality=False)
    return scaffold if scaffold else Chem.MolToSmiles(mol, isomericSmiles=False)
