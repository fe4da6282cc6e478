# %% [markdown]
# Count fingerprints (how often each environment occurs) instead of 0/1 bit vectors.

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=n_bits)
    return np.array([generator.GetCountFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles_list])
