# %% [markdown]
# Morgan fingerprints of radius 1 (ECFP2-like) instead of radius 2.

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=1, fpSize=n_bits)
    return np.array([generator.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles_list])
