# %% [markdown]
# The RMSE from a dot product, the merge with groupby().transform and drop_duplicates, stereochemistry
# removed before the scaffold, a split built with pandas value_counts, and a random forest inside a
# Pipeline with a scaler.

# %% nbgrader={"grade_id": "q1_answer"}
def rmse(y_true, y_pred):
    errors = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)
    return float(np.sqrt(errors @ errors / len(errors)))


# %% nbgrader={"grade_id": "q2_answer"}
def deduplicate(frame):
    canonical = [Chem.MolToSmiles(Chem.MolFromSmiles(s), isomericSmiles=False)
                 for s in frame["smiles"]]
    table = pd.DataFrame({"smiles": canonical, "logS": frame["logS"].to_numpy(dtype=float)})
    grouped = table.groupby("smiles", sort=False)["logS"]
    table["n_records"] = grouped.transform("size")
    table["logS"] = grouped.transform("mean")
    return table.drop_duplicates("smiles").reset_index(drop=True)


# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    mol = Chem.MolFromSmiles(smiles)
    Chem.RemoveStereochemistry(mol)
    return MurckoScaffold.MurckoScaffoldSmiles(mol=mol)


# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    scaffolds = pd.Series([murcko_scaffold(s) for s in smiles], dtype=object)
    sizes = scaffolds.value_counts(sort=True, ascending=False)
    limit = (1 - test_fraction) * len(smiles)
    chosen, filled = set(), 0
    for scaffold, size in sizes.items():
        if filled + size <= limit:
            chosen.add(scaffold)
            filled += size
    in_train = scaffolds.isin(chosen).to_numpy()
    return np.flatnonzero(in_train), np.flatnonzero(~in_train)


# %% nbgrader={"grade_id": "q5_answer"}
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

smiles = clean["smiles"].tolist()
y = clean["logS"].to_numpy()
train_idx, test_idx = scaffold_split(smiles, 0.2)
permutation = np.random.default_rng(0).permutation(len(smiles))
rand_test_idx, rand_train_idx = permutation[: len(test_idx)], permutation[len(test_idx):]

NAMES = ["MolLogP", "MolMR", "TPSA", "LabuteASA", "NumHDonors", "NumHAcceptors",
         "NumRotatableBonds", "NumAromaticRings", "FractionCSP3", "RingCount", "NumHeteroatoms",
         "NHOHCount", "NOCount", "NumValenceElectrons"]


def featurise(smiles_list):
    mols = [Chem.MolFromSmiles(s) for s in smiles_list]
    return np.array([[getattr(Descriptors, n)(m) for n in NAMES] for m in mols], dtype=float)


X_all = featurise(smiles)
model = Pipeline([
    ("scale", StandardScaler()),
    ("forest", RandomForestRegressor(n_estimators=150, min_samples_leaf=2, n_jobs=2, random_state=0)),
])
model.fit(X_all[train_idx], y[train_idx])
test_pred = model.predict(X_all[test_idx])
test_rmse = rmse(y[test_idx], test_pred)
random_rmse = rmse(y[rand_test_idx],
                   clone(model).fit(X_all[rand_train_idx], y[rand_train_idx]).predict(X_all[rand_test_idx]))
print(f"scaffold split: test RMSE {test_rmse:.2f}; random split: {random_rmse:.2f}")
