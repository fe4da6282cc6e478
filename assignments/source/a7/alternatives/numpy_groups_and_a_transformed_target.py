# %% [markdown]
# The RMSE as a vector norm (a numpy.float64), groupby with as_index=False, scaffold groups from
# np.unique (equal groups in alphabetical order of scaffold), and a ridge regression on a
# standardised target wrapped in TransformedTargetRegressor.

# %% nbgrader={"grade_id": "q1_answer"}
def rmse(y_true, y_pred):
    errors = np.subtract(np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float))
    return np.linalg.norm(errors) / np.sqrt(errors.size)


# %% nbgrader={"grade_id": "q2_answer"}
def deduplicate(frame):
    table = pd.DataFrame({
        "smiles": [Chem.MolToSmiles(Chem.MolFromSmiles(s), isomericSmiles=False)
                   for s in frame["smiles"]],
        "logS": np.asarray(frame["logS"], dtype=float),
    })
    return table.groupby("smiles", sort=False, as_index=False).agg(
        logS=("logS", "mean"), n_records=("logS", "count"))


# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    return MurckoScaffold.MurckoScaffoldSmiles(mol=Chem.MolFromSmiles(smiles),
                                               includeChirality=False)


# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    scaffolds = np.array([murcko_scaffold(s) for s in smiles], dtype=object)
    keys, group_of, sizes = np.unique(scaffolds, return_inverse=True, return_counts=True)
    to_train = np.zeros(len(keys), dtype=bool)
    filled = 0
    for group in np.argsort(-sizes, kind="stable"):
        if filled + sizes[group] <= (1 - test_fraction) * len(smiles):
            to_train[group] = True
            filled += sizes[group]
    in_train = to_train[group_of.ravel()]
    return np.flatnonzero(in_train), np.flatnonzero(~in_train)


# %% nbgrader={"grade_id": "q5_answer"}
from rdkit.Chem import Crippen, rdMolDescriptors
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

smiles = clean["smiles"].tolist()
y = clean["logS"].to_numpy()
train_idx, test_idx = scaffold_split(smiles, 0.2)
permutation = np.random.default_rng(0).permutation(len(smiles))
rand_test_idx, rand_train_idx = permutation[: len(test_idx)], permutation[len(test_idx):]


def featurise(smiles_list):
    mols = [Chem.MolFromSmiles(s) for s in smiles_list]
    columns = [
        [Crippen.MolLogP(m) for m in mols],
        [Crippen.MolMR(m) for m in mols],
        [rdMolDescriptors.CalcTPSA(m) for m in mols],
        [rdMolDescriptors.CalcExactMolWt(m) for m in mols],
        [rdMolDescriptors.CalcNumHBD(m) for m in mols],
        [rdMolDescriptors.CalcNumHBA(m) for m in mols],
        [rdMolDescriptors.CalcNumRotatableBonds(m) for m in mols],
        [rdMolDescriptors.CalcNumAromaticRings(m) for m in mols],
        [rdMolDescriptors.CalcFractionCSP3(m) for m in mols],
        [m.GetNumHeavyAtoms() for m in mols],
        [rdMolDescriptors.CalcNumRings(m) for m in mols],
        [rdMolDescriptors.CalcNumHeteroatoms(m) for m in mols],
    ]
    return np.array(columns, dtype=float).T.reshape(len(mols), len(columns))


X_all = featurise(smiles)
model = TransformedTargetRegressor(regressor=make_pipeline(StandardScaler(), Ridge(alpha=1.0)),
                                   transformer=StandardScaler())
model.fit(X_all[train_idx], y[train_idx])
test_pred = model.predict(X_all[test_idx])
test_rmse = rmse(y[test_idx], test_pred)
random_model = clone(model).fit(X_all[rand_train_idx], y[rand_train_idx])
random_rmse = rmse(y[rand_test_idx], random_model.predict(X_all[rand_test_idx]))
print(f"scaffold split: test RMSE {test_rmse:.2f}; random split: {random_rmse:.2f}")
