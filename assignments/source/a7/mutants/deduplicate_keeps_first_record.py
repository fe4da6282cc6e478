# %% [markdown]
# Duplicates are dropped and the first record's logS is kept instead of the mean of the records.

# %% nbgrader={"grade_id": "q2_answer"}
def deduplicate(frame):
    canonical = [Chem.MolToSmiles(Chem.MolFromSmiles(s), isomericSmiles=False)
                 for s in frame["smiles"]]
    table = pd.DataFrame({"smiles": canonical, "logS": frame["logS"].to_numpy(dtype=float)})
    counts = table["smiles"].value_counts()
    first = table.drop_duplicates("smiles").reset_index(drop=True)
    first["n_records"] = first["smiles"].map(counts).to_numpy()
    return first
