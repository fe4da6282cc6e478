# %% [markdown]
# Plain Python loops and dictionaries for the RMSE, the merge and the split (equal groups ordered by
# scaffold string), the scaffold from GetScaffoldForMol, and a scaled support-vector regressor.

# %% nbgrader={"grade_id": "q1_answer"}
def rmse(y_true, y_pred):
    truth = np.asarray(y_true, dtype=float).tolist()
    predicted = np.asarray(y_pred, dtype=float).tolist()
    total = 0.0
    for observed, estimate in zip(truth, predicted):
        total += (observed - estimate) ** 2
    return math.sqrt(total / len(truth))


# %% nbgrader={"grade_id": "q2_answer"}
def deduplicate(frame):
    order, values = [], {}
    for smi, value in zip(frame["smiles"], frame["logS"]):
        key = Chem.MolToSmiles(Chem.MolFromSmiles(smi), isomericSmiles=False)
        if key not in values:
            order.append(key)
            values[key] = []
        values[key].append(float(value))
    return pd.DataFrame({"smiles": order,
                         "logS": [sum(values[k]) / len(values[k]) for k in order],
                         "n_records": [len(values[k]) for k in order]})


# %% nbgrader={"grade_id": "q3_answer"}
def murcko_scaffold(smiles):
    core = MurckoScaffold.GetScaffoldForMol(Chem.MolFromSmiles(smiles))
    if core.GetNumAtoms() == 0:
        return ""
    return Chem.MolToSmiles(core, isomericSmiles=False)


# %% nbgrader={"grade_id": "q4_answer"}
def scaffold_split(smiles, test_fraction):
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi), []).append(position)
    limit = (1 - test_fraction) * len(smiles)
    train, test = [], []
    for scaffold in sorted(groups, key=lambda s: (-len(groups[s]), s)):
        rows = groups[scaffold]
        if len(train) + len(rows) <= limit:
            train.extend(rows)
        else:
            test.extend(rows)
    return np.array(sorted(train), dtype=int), np.array(sorted(test), dtype=int)


# %% nbgrader={"grade_id": "q5_answer"}
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

smiles = clean["smiles"].tolist()
y = clean["logS"].to_numpy()
train_idx, test_idx = scaffold_split(smiles, 0.2)
permutation = np.random.default_rng(0).permutation(len(smiles))
rand_test_idx, rand_train_idx = permutation[: len(test_idx)], permutation[len(test_idx):]

DESCRIPTORS = [Descriptors.MolLogP, Descriptors.MolMR, Descriptors.TPSA, Descriptors.MolWt,
               Descriptors.NumHDonors, Descriptors.NumHAcceptors, Descriptors.NumRotatableBonds,
               Descriptors.NumAromaticRings, Descriptors.FractionCSP3, Descriptors.HeavyAtomCount,
               Descriptors.RingCount, Descriptors.NumHeteroatoms]


def featurise(smiles_list):
    table = []
    for smi in smiles_list:
        mol = Chem.MolFromSmiles(smi)
        table.append([describe(mol) for describe in DESCRIPTORS])
    return np.array(table, dtype=float)


X_all = featurise(smiles)
model = Pipeline([("scale", StandardScaler()), ("svr", SVR(C=3.0))])
model.fit(X_all[train_idx], y[train_idx])
test_pred = model.predict(X_all[test_idx])
test_rmse = rmse(y[test_idx], test_pred)
random_rmse = rmse(y[rand_test_idx],
                   clone(model).fit(X_all[rand_train_idx], y[rand_train_idx]).predict(X_all[rand_test_idx]))
print(f"scaffold split: test RMSE {test_rmse:.2f}; random split: {random_rmse:.2f}")
