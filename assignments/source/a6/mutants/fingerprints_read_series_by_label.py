# %% [markdown]
# Reads the SMILES as smiles_list[i] for i in range(len(...)), which looks a pandas Series up by its index labels and fails when they are not 0, 1, 2, ...

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=n_bits)
    rows = np.zeros((len(smiles_list), n_bits), dtype=np.uint8)
    for i in range(len(smiles_list)):
        rows[i] = generator.GetFingerprintAsNumPy(Chem.MolFromSmiles(smiles_list[i]))
    return rows
