# %% [markdown]
# The Gasteiger partial charges are added to the descriptors; they are NaN for the tin compound in the data, and the forest accepts NaN, but not every feature is a finite number.

# %% nbgrader={"grade_id": "q5_answer"}
smiles = clean["smiles"].tolist()
y = clean["logS"].to_numpy()
train_idx, test_idx = scaffold_split(smiles, 0.2)
permutation = np.random.default_rng(0).permutation(len(smiles))
rand_test_idx, rand_train_idx = permutation[: len(test_idx)], permutation[len(test_idx):]

DESCRIPTOR_NAMES = ["MolLogP", "MolMR", "TPSA", "MolWt", "NumHDonors", "NumHAcceptors",
                    "NumRotatableBonds", "NumAromaticRings", "FractionCSP3", "HeavyAtomCount",
                    "RingCount", "NumHeteroatoms",
                    "MaxPartialCharge", "MinPartialCharge"]


def featurise(smiles_list):
    rows = []
    for smi in smiles_list:
        mol = Chem.MolFromSmiles(smi)
        rows.append([getattr(Descriptors, name)(mol) for name in DESCRIPTOR_NAMES])
    return np.array(rows, dtype=float)


X_all = featurise(smiles)
model = RandomForestRegressor(n_estimators=100, max_features=0.5, n_jobs=2, random_state=0)
model.fit(X_all[train_idx], y[train_idx])
test_pred = model.predict(X_all[test_idx])
test_rmse = rmse(y[test_idx], test_pred)
random_model = clone(model).fit(X_all[rand_train_idx], y[rand_train_idx])
random_rmse = rmse(y[rand_test_idx], random_model.predict(X_all[rand_test_idx]))
print(f"scaffold split: test RMSE {test_rmse:.2f}; random split: {random_rmse:.2f}")
