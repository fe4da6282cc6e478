# %% [markdown]
# groupby(...).mean() on the whole frame, which fails as soon as the frame has another column of text (such as name).

# %% nbgrader={"grade_id": "q2_answer"}
def deduplicate(frame):
    canonical = [Chem.MolToSmiles(Chem.MolFromSmiles(s), isomericSmiles=False)
                 for s in frame["smiles"]]
    table = frame.assign(smiles=canonical).reset_index(drop=True)
    grouped = table.groupby("smiles", sort=False)
    merged = grouped.mean()
    merged["n_records"] = grouped.size()
    return merged.reset_index()
