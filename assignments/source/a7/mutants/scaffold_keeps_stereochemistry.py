# %% [markdown]
# The scaffold SMILES keeps stereochemistry, so stereoisomers of one 2D molecule get different scaffolds.

# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    core = MurckoScaffold.GetScaffoldForMol(Chem.MolFromSmiles(smiles))
    return Chem.MolToSmiles(core)
