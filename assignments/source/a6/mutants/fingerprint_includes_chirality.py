# %% [markdown]
# Morgan fingerprints with chirality switched on, so stereocentres change the bits (RDKit's default leaves chirality out).

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=n_bits,
                                                          includeChirality=True)
    return np.array([generator.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles_list])
