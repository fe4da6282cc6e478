# %% [markdown]
# Only the ring atoms are kept, so the linkers between ring systems are cut off with the side chains.

# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    mol = Chem.MolFromSmiles(smiles)
    ring_atoms = [atom.GetIdx() for atom in mol.GetAtoms() if atom.IsInRing()]
    if not ring_atoms:
        return ""
    return Chem.MolFragmentToSmiles(mol, atomsToUse=ring_atoms, isomericSmiles=False)
