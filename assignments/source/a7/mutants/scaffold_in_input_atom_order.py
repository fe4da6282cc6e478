# %% [markdown]
# The scaffold is written with canonical=False, in the atom order of the input, so two spellings of one molecule give two different strings.

# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    core = MurckoScaffold.GetScaffoldForMol(Chem.MolFromSmiles(smiles))
    return Chem.MolToSmiles(core, isomericSmiles=False, canonical=False)
