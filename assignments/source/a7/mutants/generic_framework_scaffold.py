# %% [markdown]
# The generic framework (all atoms carbon, all bonds single) is used, so pyridine, benzene and cyclohexane become one scaffold.

# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    core = MurckoScaffold.GetScaffoldForMol(Chem.MolFromSmiles(smiles))
    if core.GetNumAtoms() == 0:
        return ""
    return Chem.MolToSmiles(MurckoScaffold.MakeScaffoldGeneric(core))
