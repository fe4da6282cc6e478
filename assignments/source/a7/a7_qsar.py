# %% [markdown]
# # Assignment 7 · A QSAR model that generalises
#
# **Module:** AI drug discovery and treatment development · **Lessons:** dd03 QSAR property
# prediction (dd04 A graph neural network from scratch is optional background) · **Points:** 15
#
# A formulation group wants a model that flags poorly soluble compounds before they are made.
# Poor aqueous solubility means poor and variable oral absorption, so such a flag saves
# synthesis, formulation work and, later, failed exposure in patients. The chemists will use
# the model on **new chemical series**, not on close analogues of compounds they already
# measured. Your model therefore has to be tested the way it will be used: on molecules whose
# ring systems it has never seen.
#
# You will work with the aqueous solubility set of Huuskonen (2000): 1,282 compounds with
# measured logS (log10 of the solubility in mol/L). (It is **not** MoleculeNet's ESOL set.) You
# will clean the data, write a Bemis–Murcko scaffold split yourself, fit a model, and report
# its error honestly.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. NumPy, pandas, RDKit and scikit-learn are allowed
# (in Question 1, no `sklearn.metrics`). Run every cell top to bottom before you submit. The
# cells with `assert` are the public tests. More (hidden) tests run when your work is graded,
# on **other molecule lists** as well, so write general code and test edge cases yourself.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math

import numpy as np
import pandas as pd
from rdkit import Chem, RDLogger
from rdkit.Chem import Descriptors, rdFingerprintGenerator
from rdkit.Chem.Scaffolds import MurckoScaffold
from sklearn.base import clone
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression

from medai import datasets

RDLogger.DisableLog("rdApp.*")  # RDKit's parser messages would go to stderr
data = datasets.load("solubility")
raw = data.frame[["smiles", "name", "logS"]]
print(f"{len(raw)} records, logS from {raw['logS'].min():.2f} to {raw['logS'].max():.2f}")
raw.head()

# %% [markdown]
# ## Question 1 · Root-mean-square error (2 points)
#
# Write `rmse(y_true, y_pred)`, the root-mean-square error
# $\sqrt{\frac{1}{n}\sum_{i=1}^n (y_i - \hat y_i)^2}$, for lists, NumPy arrays or pandas Series
# (Series are matched **by position**, not by index). Use NumPy only. Return a float. The hidden
# tests compare your function with scikit-learn's `root_mean_squared_error`.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rmse(y_true, y_pred):
    """Root-mean-square error between two equally long sequences of numbers."""
    ### BEGIN SOLUTION
    truth = np.asarray(y_true, dtype=float)
    predicted = np.asarray(y_pred, dtype=float)
    return float(np.sqrt(np.mean((truth - predicted) ** 2)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
value = rmse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
assert isinstance(value, float), "rmse should return a float"
assert not math.isclose(value, 4 / 3), "4/3 is the mean squared error: take the square root"
assert not math.isclose(value, 2 / 3), (
    "2/3 is the absolute mean error: square each error first, then average, then take the root"
)
assert math.isclose(value, math.sqrt(4 / 3)), f"expected sqrt(4/3) = 1.155, got {value:.4f}"
assert math.isclose(rmse([0.5, -1.0], [0.5, -1.0]), 0.0), "a perfect prediction has RMSE 0"
print("Public tests passed. Hidden tests compare with scikit-learn on other data.")
### BEGIN HIDDEN TESTS
from sklearn.metrics import root_mean_squared_error as _sk_rmse

_rng1 = np.random.default_rng(7)
for _n in [1, 2, 17, 500]:
    _a = _rng1.normal(-3, 2, _n)
    _b = _a + _rng1.normal(0.4, 1.1, _n)
    assert math.isclose(rmse(_a, _b), _sk_rmse(_a, _b), rel_tol=1e-9), "differs from scikit-learn"
    assert math.isclose(rmse(list(_a), list(_b)), _sk_rmse(_a, _b), rel_tol=1e-9)
_s1 = pd.Series([1.0, -2.0, 0.5], index=[10, 11, 12])
_s2 = pd.Series([0.0, -2.5, 2.5], index=[12, 11, 10])
assert math.isclose(rmse(_s1, _s2), _sk_rmse(_s1.to_numpy(), _s2.to_numpy())), (
    "pandas Series must be compared by position, not aligned by index"
)
assert math.isclose(rmse([2.0, 2.0, 2.0, 2.0], [1.0, 3.0, 1.0, 3.0]), 1.0), (
    "errors of opposite sign must not cancel"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · One row per molecule (2 points)
#
# The same compound can be recorded twice: measured by two labs, written as two different
# SMILES strings (`OCC` and `CCO` are both ethanol; `C1=CC=CC=C1` and `c1ccccc1` are both
# benzene), or entered as two stereoisomers that a 2D model cannot tell apart. If one copy ends
# up in training and the other in test, the test result is inflated by a molecule the model has
# already seen.
#
# Write `deduplicate(frame)`. `frame` is a DataFrame with at least the columns `smiles` and
# `logS` (any index, possibly other columns). Two rows are the **same molecule** when their
# RDKit canonical SMILES **without stereochemistry** are equal:
# `Chem.MolToSmiles(Chem.MolFromSmiles(s), isomericSmiles=False)`. Return a new DataFrame with
#
# * one row per distinct molecule, in the order in which each molecule **first** appears;
# * the columns `smiles` (that canonical SMILES), `logS` (the **mean** logS of its records) and
#   `n_records` (how many records were merged);
# * a fresh index `0, 1, 2, ...`.
#
# You may assume that every SMILES parses.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def deduplicate(frame):
    """Merge records of the same molecule (canonical SMILES without stereo), averaging logS."""
    ### BEGIN SOLUTION
    canonical = [Chem.MolToSmiles(Chem.MolFromSmiles(s), isomericSmiles=False)
                 for s in frame["smiles"]]
    table = pd.DataFrame({"smiles": canonical, "logS": frame["logS"].to_numpy(dtype=float)})
    merged = table.groupby("smiles", sort=False).agg(logS=("logS", "mean"),
                                                      n_records=("logS", "size"))
    return merged.reset_index()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
toy = pd.DataFrame({"smiles": ["CCO", "c1ccccc1O", "OCC", "CCCC"],
                    "logS": [1.0, -0.5, 0.0, -2.5]}, index=[7, 3, 9, 1])
toy_clean = deduplicate(toy)
assert isinstance(toy_clean, pd.DataFrame), "deduplicate should return a DataFrame"
assert {"smiles", "logS", "n_records"} <= set(toy_clean.columns), (
    "the result needs the columns smiles, logS and n_records"
)
assert len(toy_clean) == 3, (
    f"'CCO' and 'OCC' are both ethanol: expected 3 molecules, got {len(toy_clean)}. "
    "Compare canonical SMILES, not the strings as typed."
)
assert list(toy_clean.index) == [0, 1, 2], "give the result a fresh index 0, 1, 2, ..."
assert toy_clean["smiles"].iloc[0] == "CCO", "keep the order of first appearance; canonical SMILES"
assert math.isclose(toy_clean["logS"].iloc[0], 0.5), "logS of a merged molecule is the mean"
assert toy_clean["n_records"].tolist() == [2, 1, 1], "n_records counts the merged records"
print("Public tests passed. Hidden tests use other spellings and stereoisomers.")
### BEGIN HIDDEN TESTS
_t2 = pd.DataFrame({
    "smiles": ["C1=CC=CC=C1O", "C[C@H](N)C(=O)O", "Oc1ccccc1", "CC(N)C(=O)O",
               "C[C@@H](N)C(=O)O", "OC(=O)C(C)N", "ClC(Cl)Cl", "C(Cl)(Cl)Cl", "c1ccncc1"],
    "logS": [-1.0, 0.5, -2.0, 1.0, 1.5, 0.0, -1.2, -1.0, 1.1],
    "name": list("abcdefghi"),
}, index=[40, 30, 20, 10, 0, -10, 5, 6, 7])
_c2 = deduplicate(_t2)
assert len(_c2) == 4, "phenol, alanine (enantiomers and spellings), chloroform, pyridine"
assert list(_c2.index) == [0, 1, 2, 3]
assert _c2["smiles"].tolist() == ["Oc1ccccc1", "CC(N)C(=O)O", "ClC(Cl)Cl", "c1ccncc1"], (
    "smiles must be the canonical SMILES without stereochemistry, in order of first appearance"
)
assert np.allclose(_c2["logS"].to_numpy(dtype=float), [-1.5, 0.75, -1.1, 1.1]), "logS is the mean"
assert _c2["n_records"].tolist() == [2, 4, 2, 1]
_clean2 = deduplicate(raw)
assert len(_clean2) == 1274 and int(_clean2["n_records"].max()) == 2, (
    "the solubility data hold 8 pairs of records of the same 2D molecule"
)
### END HIDDEN TESTS

# %% [markdown]
# The rest of the assignment works on the clean data, one row per molecule:

# %% nbgrader={"grade": false, "grade_id": "clean_data", "locked": true, "schema_version": 3, "solution": false, "task": false}
clean = deduplicate(raw)
print(f"{len(raw)} records -> {len(clean)} molecules; "
      f"{int((clean['n_records'] > 1).sum())} molecules had more than one record")

# %% [markdown]
# ## Question 3 · The Bemis–Murcko scaffold (2 points)
#
# Write `murcko_scaffold(smiles)`. It returns the Bemis–Murcko scaffold of the molecule (ring
# systems and the linkers between them, with their real atom and bond types; side chains cut
# off) as an RDKit **canonical SMILES without stereochemistry**, and the empty string `""` for
# a molecule without rings. RDKit's `rdkit.Chem.Scaffolds.MurckoScaffold` module does the
# chemistry; make sure that the same molecule written in different ways gets the same string.
#
# Examples: ibuprofen `CC(C)Cc1ccc(cc1)C(C)C(=O)O` → `c1ccccc1`; 2-phenoxypyridine
# `c1ccc(Oc2ccccn2)cc1` → `c1ccc(Oc2ccccn2)cc1`; ethanol `CCO` → `""`.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def murcko_scaffold(smiles):
    """Canonical SMILES (no stereo) of the Bemis-Murcko scaffold; "" for an acyclic molecule."""
    ### BEGIN SOLUTION
    return MurckoScaffold.MurckoScaffoldSmiles(smiles=smiles, includeChirality=False)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert murcko_scaffold("CC(C)Cc1ccc(cc1)C(C)C(=O)O") == "c1ccccc1", (
    "the scaffold of ibuprofen is its benzene ring: cut off every side chain"
)
assert murcko_scaffold("CCO") == "", "a molecule without rings has the empty scaffold ''"
assert murcko_scaffold("c1ccc(Oc2ccccn2)cc1") == murcko_scaffold("n1ccccc1Oc1ccccc1"), (
    "the same molecule written two ways must give the same scaffold string (canonical SMILES)"
)
assert murcko_scaffold("Cc1ccncc1") != murcko_scaffold("Cc1ccccc1"), (
    "pyridine and benzene are different scaffolds: keep the real atom types "
    "(this is not the generic framework)"
)
scaffold_counts = pd.Series([murcko_scaffold(s) for s in clean["smiles"]]).value_counts()
print(f"{len(scaffold_counts)} distinct scaffolds; largest groups:")
print(scaffold_counts.head(5).to_string())
print("Public tests passed.")
### BEGIN HIDDEN TESTS
_cases3 = {
    "CC(C)Cc1ccc(cc1)C(C)C(=O)O": "c1ccccc1",
    "C1=CC=C(C=C1)CCN": "c1ccccc1",
    "CCCCCC(=O)O": "",
    "O=C(O)c1ccccc1Nc1cccc(C(F)(F)F)c1": "c1ccc(Nc2ccccc2)cc1",
    "CN1CCN(CC1)c1ccc2ncccc2c1": "c1cnc2ccc(N3CCNCC3)cc2c1",
    "C[C@@H]1CC[C@H]2CCCC[C@@H]2C1": "C1CCC2CCCCC2C1",
    "C[C@H]1C[C@@H]2CC[C@]1(C)O2": "C1CC2CCC1O2",
    "Clc1ccc(cc1)C(c1ccccc1)n1ccnc1": "c1ccc(C(c2ccccc2)n2ccnc2)cc1",
}
for _smi, _expected in _cases3.items():
    _got = murcko_scaffold(_smi)
    assert _got == Chem.MolToSmiles(Chem.MolFromSmiles(_expected)) if _expected else _got == "", (
        f"wrong scaffold for {_smi}: got {_got!r}"
    )
for _m in ["c1ccc2c(c1)[nH]c1ccccc12", "OC1CCCCC1", "c1ccoc1C=O"]:
    _variants = {murcko_scaffold(_v) for _v in
                 Chem.MolToRandomSmilesVect(Chem.MolFromSmiles(_m), 4, randomSeed=3)}
    assert len(_variants) == 1, "different spellings of one molecule gave different scaffolds"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · A scaffold split (3 points)
#
# Write `scaffold_split(smiles, test_fraction)`. `smiles` is a list of SMILES strings. Return
# `(train_idx, test_idx)`, two NumPy integer arrays of **positions** in `smiles`, following the
# rule of DeepChem's `ScaffoldSplitter` (as in dd03), with two parts instead of three:
#
# 1. group the positions by scaffold (your `murcko_scaffold`; all acyclic molecules form one
#    group, the scaffold `""`);
# 2. order the groups from the **largest to the smallest** (ties in any order you like);
# 3. go down the list: put a whole group into training if training then still holds at most
#    `(1 - test_fraction) × len(smiles)` molecules; otherwise put the whole group into test, and
#    go on with the next group (a smaller one may still fit into training).
#
# So every position is in exactly one part, **no scaffold is on both sides**, the big, common
# scaffolds are in training, the test set holds the rarest ring systems, and the test set has
# about `test_fraction × len(smiles)` molecules. The function has no randomness: the same input
# gives the same split.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def scaffold_split(smiles, test_fraction):
    """Positions (train_idx, test_idx): largest scaffold groups to training, rarest to test."""
    ### BEGIN SOLUTION
    groups = {}
    for position, smi in enumerate(smiles):
        groups.setdefault(murcko_scaffold(smi), []).append(position)
    ordered = sorted(groups.values(), key=len, reverse=True)  # stable: ties by first appearance
    capacity = (1 - test_fraction) * len(smiles)
    train, test = [], []
    for rows in ordered:
        if len(train) + len(rows) <= capacity:
            train.extend(rows)
        else:
            test.extend(rows)
    return np.array(sorted(train), dtype=int), np.array(sorted(test), dtype=int)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
smiles = clean["smiles"].tolist()
train_idx, test_idx = scaffold_split(smiles, 0.2)
train_idx, test_idx = np.asarray(train_idx), np.asarray(test_idx)
assert sorted(np.concatenate([train_idx, test_idx]).tolist()) == list(range(len(smiles))), (
    "every position must be in exactly one of train_idx and test_idx"
)
train_scaffolds = {murcko_scaffold(smiles[i]) for i in train_idx}
test_scaffolds = {murcko_scaffold(smiles[i]) for i in test_idx}
assert not train_scaffolds & test_scaffolds, (
    f"{len(train_scaffolds & test_scaffolds)} scaffolds are on both sides: split whole scaffold "
    "groups, never single molecules (a random split is not a scaffold split)"
)
assert abs(len(test_idx) - 0.2 * len(smiles)) <= 0.02 * len(smiles), (
    f"expected about {0.2 * len(smiles):.0f} test molecules, got {len(test_idx)}"
)
largest_two = {murcko_scaffold("CCO"), murcko_scaffold("Cc1ccccc1")}  # acyclic, benzenes
assert largest_two <= train_scaffolds, (
    "the largest groups (acyclic molecules, benzenes) belong in training: sort largest first"
)
print(f"train {len(train_idx)} molecules ({len(train_scaffolds)} scaffolds), "
      f"test {len(test_idx)} molecules ({len(test_scaffolds)} scaffolds)")
print("Public tests passed. Hidden tests split other molecule lists.")
### BEGIN HIDDEN TESTS
from collections import Counter as _Counter


def _scaf4(smi):
    return MurckoScaffold.MurckoScaffoldSmiles(smiles=smi, includeChirality=False)


def _canon4(smi):
    return Chem.MolToSmiles(Chem.MolFromSmiles(smi), isomericSmiles=False)


def _check4(_list, _fraction):
    _n = len(_list)
    _tr, _te = scaffold_split(list(_list), _fraction)
    _tr, _te = np.asarray(_tr, dtype=int), np.asarray(_te, dtype=int)
    assert sorted(np.concatenate([_tr, _te]).tolist()) == list(range(_n)), (
        "train_idx and test_idx must partition the positions"
    )
    _sc = [_scaf4(_s) for _s in _list]
    assert not {_sc[_i] for _i in _tr} & {_sc[_i] for _i in _te}, "a scaffold is on both sides"
    _cn = [_canon4(_s) for _s in _list]
    assert not {_cn[_i] for _i in _tr} & {_cn[_i] for _i in _te}, (
        "the same molecule (written differently) is on both sides of the split"
    )
    assert abs(len(_te) - _fraction * _n) <= max(2, 0.02 * _n), "test set size is off"
    _sizes = _Counter(_sc)
    _cum, _boundary = 0, None
    for _size in sorted(_sizes.values(), reverse=True):
        if _cum + _size <= (1 - _fraction) * _n:
            _cum += _size
        else:
            _boundary = _size
            break
    _train_set = {_sc[_i] for _i in _tr}
    for _s, _size in _sizes.items():
        if _boundary is not None and _size > _boundary:
            assert _s in _train_set, "a large scaffold group is in test: the largest go to training"
    # The rule fixes the sizes of the groups that go to test, whatever the order of equal groups.
    _cum, _expected_sizes = 0, []
    for _size in sorted(_sizes.values(), reverse=True):
        if _cum + _size <= (1 - _fraction) * _n:
            _cum += _size
        else:
            _expected_sizes.append(_size)
    assert sorted((_sizes[_s] for _s in {_sc[_i] for _i in _te}), reverse=True) == _expected_sizes, (
        "the test groups are not those of the rule: after a group that does not fit, go on with "
        "the next one (a smaller group may still fit into training)"
    )
    _again = scaffold_split(list(_list), _fraction)
    assert np.array_equal(np.sort(_again[1]), np.sort(_te)), "the split must be deterministic"


_fs = datasets.load("freesolv").frame["smiles"].tolist()
_rng4 = np.random.default_rng(11)
_extra4 = []
for _k in _rng4.choice(len(_fs), 60, replace=False):
    _mol4 = Chem.MolFromSmiles(_fs[_k])
    _extra4.append(Chem.MolToRandomSmilesVect(_mol4, 1, randomSeed=int(_k))[0])
    if _k % 2 == 0:
        Chem.Kekulize(_mol4, clearAromaticFlags=True)
        _extra4.append(Chem.MolToSmiles(_mol4, kekuleSmiles=True, canonical=False))
_list4 = _fs + _extra4
_order4 = _rng4.permutation(len(_list4))
# Grade the split rule on its own: while these checks run, the name murcko_scaffold points to
# a correct scaffold function, so a mistake in Question 3 is not counted twice.
_student_scaffold4 = murcko_scaffold
murcko_scaffold = _scaf4
try:
    _check4([_list4[_i] for _i in _order4], 0.2)
    _check4(smiles, 0.3)
    _check4(smiles[::-1], 0.1)
finally:
    murcko_scaffold = _student_scaffold4
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · A model that beats the obvious baseline on new scaffolds (3 points)
#
# The first lines of the cell below are given: they take the clean molecules, their logS and
# your 80/20 scaffold split, and draw a **random** split of the same size for comparison. Then:
#
# 1. write `featurise(smiles_list)`, returning a 2D NumPy array with one row of numbers per
#    molecule, computed **from the structure only** (for example a few RDKit descriptors such
#    as `Descriptors.MolLogP`, `TPSA`, `MolWt`, ring and hydrogen-bond counts, possibly with
#    Morgan count fingerprints from `rdFingerprintGenerator`), and `X_all`, the features of all
#    the molecules in `smiles` computed with it. Every feature must be a finite number (no NaN
#    or infinity): check, because a few RDKit descriptors, such as the Gasteiger partial
#    charges, are NaN for unusual elements;
# 2. fit a scikit-learn regressor `model` (or `Pipeline`) on the **scaffold-training
#    molecules only**. `model.predict(X_all[test_idx])` must give logS in log10(mol/L) from
#    the rows of `X_all` as they are: put any scaling **inside** `model` (a `Pipeline`) and,
#    if you transform the target, wrap the regressor in
#    `sklearn.compose.TransformedTargetRegressor` so that `predict` transforms back. If it has
#    randomness, fix its `random_state`: the hidden tests refit a copy of it with `clone`;
# 3. `test_pred`: `model.predict(X_all[test_idx])`, the predicted logS for the scaffold-test
#    molecules in the order of `test_idx`, and `test_rmse`, computed with your `rmse`;
# 4. `random_rmse`: the RMSE of a fresh copy of the same model (`clone(model)`) fitted on
#    `rand_train_idx` and tested on `rand_test_idx`.
#
# **The bar.** A straight line on the Crippen log *P* alone (logS ≈ a + b·logP, the core of
# the general solubility equation) is the baseline. On a scaffold split graded with other
# settings, your model must have an RMSE at least **15% lower** than that line. A random forest
# on about a dozen RDKit descriptors clears the bar comfortably. Expect a scaffold-test RMSE of
# about 0.8–1.0 log units. The public tests reject one below 0.5 (suspect that you are scoring
# training molecules) or above 1.3 (on this split the logP line has an RMSE of about 1.56, and
# 15% lower is about 1.32).

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
smiles = clean["smiles"].tolist()
y = clean["logS"].to_numpy()
train_idx, test_idx = scaffold_split(smiles, 0.2)
permutation = np.random.default_rng(0).permutation(len(smiles))
rand_test_idx, rand_train_idx = permutation[: len(test_idx)], permutation[len(test_idx):]

# featurise, X_all, model (fitted on train_idx only), test_pred, test_rmse, random_rmse
### BEGIN SOLUTION
DESCRIPTOR_NAMES = ["MolLogP", "MolMR", "TPSA", "MolWt", "NumHDonors", "NumHAcceptors",
                    "NumRotatableBonds", "NumAromaticRings", "FractionCSP3", "HeavyAtomCount",
                    "RingCount", "NumHeteroatoms"]
morgan = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=1024)


def featurise(smiles_list):
    rows = []
    for smi in smiles_list:
        mol = Chem.MolFromSmiles(smi)
        described = [getattr(Descriptors, name)(mol) for name in DESCRIPTOR_NAMES]
        rows.append(np.concatenate([described, morgan.GetCountFingerprintAsNumPy(mol)]))
    return np.array(rows, dtype=float)


X_all = featurise(smiles)
model = RandomForestRegressor(n_estimators=300, max_features=0.3, n_jobs=2, random_state=0)
model.fit(X_all[train_idx], y[train_idx])
test_pred = model.predict(X_all[test_idx])
test_rmse = rmse(y[test_idx], test_pred)
random_model = clone(model).fit(X_all[rand_train_idx], y[rand_train_idx])
random_rmse = rmse(y[rand_test_idx], random_model.predict(X_all[rand_test_idx]))
### END SOLUTION
print(f"scaffold split: test RMSE {test_rmse:.2f} log units on {len(test_idx)} molecules")
print(f"random split:   test RMSE {random_rmse:.2f} log units on {len(rand_test_idx)} molecules")

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
assert hasattr(model, "predict"), "model must be a fitted scikit-learn regressor"
features_array = np.asarray(X_all, dtype=float)
assert features_array.shape[0] == len(smiles) and features_array.ndim == 2, (
    "X_all needs one row per molecule of smiles"
)
assert np.isfinite(features_array).all(), "X_all contains NaN or infinite values"
pred_array = np.asarray(test_pred, dtype=float)
assert pred_array.shape == (len(test_idx),), "test_pred needs one prediction per test molecule"
assert abs(pred_array.mean() - y[test_idx].mean()) < 1.5, (
    f"your predictions average {pred_array.mean():.2f} but logS averages "
    f"{y[test_idx].mean():.2f}: did you forget to transform the predictions back to logS?"
)
assert math.isclose(test_rmse, rmse(y[test_idx], pred_array), rel_tol=1e-9), (
    "test_rmse must be your rmse of test_pred against the scaffold-test molecules' logS"
)
from sklearn.metrics import root_mean_squared_error  # the checks below do not rely on your rmse

scaffold_error = root_mean_squared_error(y[test_idx], pred_array)
assert scaffold_error > 0.5, (
    f"a test RMSE of {scaffold_error:.2f} on new scaffolds is too good to be true: are you "
    "scoring the training molecules?"
)
assert scaffold_error < 1.3, (
    f"test RMSE {scaffold_error:.2f} is above 1.3, too close to the logP line: check your "
    "features and model"
)
assert np.isfinite(random_rmse) and random_rmse > 0, "random_rmse must be a positive number"
# Your margin over the bar on this split (the hidden test measures it on another one)
from rdkit import Chem
from rdkit.Chem import Crippen
from sklearn.linear_model import LinearRegression

logp = np.array([[Crippen.MolLogP(Chem.MolFromSmiles(s))] for s in smiles])
logp_line = LinearRegression().fit(logp[train_idx], y[train_idx])
baseline_error = root_mean_squared_error(y[test_idx], logp_line.predict(logp[test_idx]))
margin = 1 - scaffold_error / baseline_error
print(f"Scaffold-test RMSE {scaffold_error:.2f} against the logP line's {baseline_error:.2f}: "
      f"{margin:.0%} lower. The hidden test asks for at least 15% lower on another scaffold "
      "split" + ("; you are close to that bar, so strengthen the model." if margin < 0.25
                 else "."))
print("Public tests passed. Hidden tests refit your model on another scaffold split.")
### BEGIN HIDDEN TESTS
from rdkit.Chem import Crippen as _Crippen

_X5 = np.asarray(X_all, dtype=float)
_sample5 = np.random.default_rng(5).choice(len(smiles), 25, replace=False)
assert np.allclose(np.asarray(featurise([smiles[_i] for _i in _sample5]), dtype=float),
                   _X5[_sample5]), (
    "X_all is not featurise(smiles): compute X_all with featurise and put any scaling inside "
    "model (a Pipeline)"
)
_corr5 = [abs(np.corrcoef(_X5[:, _j], y)[0, 1]) for _j in range(_X5.shape[1])
          if np.std(_X5[:, _j]) > 0]
assert max(_corr5) < 0.999, "a feature is (almost) the target: features must come from structure"
assert np.allclose(pred_array, model.predict(_X5[test_idx])), (
    "test_pred is not the model's prediction for the scaffold-test molecules, in order"
)
_refit5 = clone(model).fit(_X5[train_idx], y[train_idx]).predict(_X5[test_idx])
assert np.allclose(_refit5, pred_array, atol=1e-6), (
    "model was not fitted on the scaffold-training molecules only (or is not reproducible)"
)
_check_rand = clone(model).fit(_X5[rand_train_idx], y[rand_train_idx])
_rand_err5 = rmse(y[rand_test_idx], _check_rand.predict(_X5[rand_test_idx]))
assert math.isclose(random_rmse, _rand_err5, rel_tol=1e-6), (
    "random_rmse is not the RMSE of a copy fitted on the random split"
)


def _ref_split5(_list, _fraction):
    _groups = {}
    for _p, _s in enumerate(_list):
        _groups.setdefault(MurckoScaffold.MurckoScaffoldSmiles(smiles=_s), []).append(_p)
    _tr, _te = [], []
    for _rows in sorted(_groups.values(), key=lambda _r: (len(_r), -_r[0]), reverse=True):
        (_tr if len(_tr) + len(_rows) <= (1 - _fraction) * len(_list) else _te).extend(_rows)
    return np.array(_tr), np.array(_te)


_tr5, _te5 = _ref_split5(smiles, 0.25)
_student5 = clone(model).fit(_X5[_tr5], y[_tr5]).predict(_X5[_te5])
_logp5 = np.array([[_Crippen.MolLogP(Chem.MolFromSmiles(smiles[_i]))] for _i in range(len(smiles))])
_line5 = LinearRegression().fit(_logp5[_tr5], y[_tr5]).predict(_logp5[_te5])
_err_student5 = float(np.sqrt(np.mean((_student5 - y[_te5]) ** 2)))
_err_line5 = float(np.sqrt(np.mean((_line5 - y[_te5]) ** 2)))
assert _err_student5 <= 0.85 * _err_line5, (
    "on a hidden scaffold split your model does not beat the logP line by 15%"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6 · What the scaffold split tells a medicinal chemist (3 points, graded by hand)
#
# In at most 200 words, using your two numbers `test_rmse` and `random_rmse`:
#
# 1. Why is the error on the scaffold split larger than on the random split? Name at least two
#    reasons, one about what the random split lets the model "see" and one about the test
#    molecules themselves.
# 2. Translate the scaffold-split RMSE into what a chemist would experience (logS is log10 of
#    mol/L: what factor in solubility is an error of that size?).
# 3. What would you tell the formulation group about using this model on a new chemical series,
#    and what would you add to each prediction to make it safe to use?
#
# **Rubric** (3 points)
#
# | points | the answer |
# |---|---|
# | 1 | quotes both RMSEs and gives two reasons for the gap: the random split puts close analogues of the same series on both sides (the model interpolates), and the scaffold-test molecules are rarer, different ring systems (the model extrapolates) |
# | 1 | translates the scaffold-split RMSE into a factor in solubility (10 to the power of the RMSE, about 8 for 0.9 log units) and says what that means for a compound |
# | 1 | expects errors near the scaffold-split value on a new series, recommends ranking or triage rather than replacing measurement, and adds something per prediction: an applicability-domain measure (similarity to the nearest training molecule) or a calibrated interval |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_scaffold_meaning", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer mentions (reference solution: scaffold-split RMSE about 0.9, random-split
# RMSE about 0.6 log units): (1) In a random split, close analogues from the same series sit on
# both sides, so the model partly interpolates within series it has already seen (near
# neighbours in the training set); a scaffold split removes whole ring systems, so the model
# must extrapolate to chemistry whose substructure effects it never learned. The scaffold test
# set is also a different population: the rarest, often more complex or more polar ring
# systems, with a shifted distribution of logS, so it is both harder and unlike the training
# data (no acyclic molecules, no simple benzenes). (2) An RMSE of about 0.9 log units is a
# typical error of a factor of about 8 (10^0.9) in solubility, against a factor of about 4 on
# the random split; that can move a compound between "soluble" and "poorly soluble". (3) For a
# new series expect errors near the scaffold-split value, not the random one: use the model to
# rank and prioritise, not to replace a measurement; report each prediction with an
# applicability-domain measure (Tanimoto similarity to the nearest training molecule) and an
# interval calibrated on held-out scaffolds (e.g. conformal), and measure the first compounds
# of a new series and retrain.
# ### END SOLUTION
