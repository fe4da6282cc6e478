# %% [markdown]
# groupby with its default sort=True, so the molecules come out in alphabetical order of their SMILES instead of the order in which they first appear.

# %% nbgrader={"grade_id": "q2_answer"}
def deduplicate(frame):
    canonical = [Chem.MolToSmiles(Chem.MolFromSmiles(s), isomericSmiles=False)
                 for s in frame["smiles"]]
    table = pd.DataFrame({"smiles": canonical, "logS": frame["logS"].to_numpy(dtype=float)})
    merged = table.groupby("smiles").agg(logS=("logS", "mean"), n_records=("logS", "size"))
    return merged.reset_index()
