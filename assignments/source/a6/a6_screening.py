# %% [markdown]
# # Assignment 6 · Fingerprints and screening
#
# **Module:** AI drug discovery and treatment development · **Lessons:** dd01 Molecules as data,
# dd02 Similarity and virtual screening · **Points:** 15
#
# Thrombin is the last enzyme of the coagulation cascade and the target of dabigatran, the one
# direct oral anticoagulant that blocks thrombin rather than factor Xa. A team looking for new
# thrombin inhibitors has three very potent compounds from an earlier programme and a library of
# several hundred molecules it could test. Before anyone goes to the lab you will build the
# similarity screen of dd02 yourself, from the fingerprint to the enrichment metrics, and judge
# how much a retrospective result can be trusted.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. RDKit is allowed for parsing SMILES and making
# fingerprints (`rdFingerprintGenerator`), and NumPy and pandas everywhere. Where a question says
# *from scratch*, do not call RDKit's similarity or scoring functions (`DataStructs.*Similarity`,
# `rdkit.ML.Scoring`) inside your function; you may of course use them in a scratch cell to check
# your answer. Run every cell top to bottom before you submit. The cells with `assert` are the
# public tests; more (hidden) tests run when your work is graded, on **other molecules, other
# targets and other fingerprint sizes**, so write general code.
#
# **Conventions (as in dd02).** Morgan fingerprints have **radius 2** and are **bit** vectors
# (1 if the environment occurs at least once), folded to `n_bits` positions with RDKit's default
# Morgan settings otherwise. Similarity is the **Tanimoto** coefficient $c / (a + b - c)$. Active
# labels are 1 (active) and 0 (inactive or decoy).

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math

import numpy as np
import pandas as pd
from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator
from rdkit.Chem.Scaffolds import MurckoScaffold

from medai import datasets

SEED = 0
thrombin = datasets.load("moleculeace", target="CHEMBL204_Ki").frame

# Queries: the most potent training-split compound of each of the three best scaffolds.
train = thrombin[thrombin["split"] == "train"].sort_values("pKi", ascending=False, kind="stable")
train_scaffolds = train["smiles"].map(MurckoScaffold.MurckoScaffoldSmiles)
queries = train[~train_scaffolds.duplicated()].head(3)
query_smiles = queries["smiles"].tolist()

# Library: test-split compounds (20 potent ones drawn at random, all weak ones) + 400 approved
# drugs as background decoys (counter-ions dropped by keeping the longest SMILES component).
test = thrombin[thrombin["split"] == "test"]
potent = test[test["pKi"] >= 8].sample(20, random_state=SEED)
weak = test[test["pKi"] < 6]
drugs = datasets.load("chembl_drugs").frame["smiles"].sample(400, random_state=SEED)
library = pd.concat([
    pd.DataFrame({"smiles": potent["smiles"], "group": "active (pKi >= 8)"}),
    pd.DataFrame({"smiles": weak["smiles"], "group": "measured inactive (pKi < 6)"}),
    pd.DataFrame({"smiles": drugs.map(lambda s: max(s.split("."), key=len)), "group": "approved drug"}),
], ignore_index=True)
library["is_active"] = (library["group"] == "active (pKi >= 8)").astype(int)

print("Queries (pKi):", queries["pKi"].round(2).tolist())
print(library["group"].value_counts().to_string())

# %% [markdown]
# ## Question 1 · Morgan fingerprints as bit vectors (2 points)
#
# Write `morgan_bits(smiles_list, n_bits=2048)` that takes a list (or pandas Series) of SMILES and
# returns a NumPy array of shape `(len(smiles_list), n_bits)` whose row $i$ is the Morgan
# fingerprint of molecule $i$: **radius 2**, **bits, not counts** (every entry 0 or 1), folded to
# `n_bits` positions. Use `rdFingerprintGenerator.GetMorganGenerator` (the older
# `AllChem.GetMorganFingerprintAsBitVect` gives the same bits but is deprecated).

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def morgan_bits(smiles_list, n_bits=2048):
    """Radius-2 Morgan bit fingerprints, one row per SMILES, as a 0/1 NumPy array."""
    ### BEGIN SOLUTION
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=n_bits)
    rows = [generator.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles_list]
    return np.array(rows, dtype=np.uint8).reshape(len(rows), n_bits)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
example = morgan_bits(["c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O", "CCCCCCCC"])
assert isinstance(example, np.ndarray), "return a NumPy array"
assert example.shape == (3, 2048), f"expected shape (3, 2048), got {example.shape}"
assert set(np.unique(example)) <= {0, 1}, (
    "entries must be 0 or 1: a value above 1 means you made a count fingerprint"
)
assert example[0].sum() == 3, (
    "benzene has 3 distinct environments (the atom, radius 1 and radius 2 around it), all "
    f"6 atoms alike, so 3 bits; you set {example[0].sum()}"
)
assert example[1].sum() == 24, (
    f"aspirin sets 24 bits at radius 2 with 2048 bits; you set {example[1].sum()}. "
    "16 would mean radius 1."
)
assert morgan_bits(["CCO"], n_bits=512).shape == (1, 512), "use the n_bits argument"
print("Public tests passed.")
### BEGIN HIDDEN TESTS
_generator_1024 = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=1024)
_hidden_smiles = datasets.load("moleculeace", target="CHEMBL262_Ki").frame["smiles"].iloc[::40].tolist()
_expected = np.array([_generator_1024.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in _hidden_smiles])
_mine = np.asarray(morgan_bits(pd.Series(_hidden_smiles, index=range(100, 100 + len(_hidden_smiles))),
                               n_bits=1024))
assert _mine.shape == _expected.shape, "wrong shape for a Series input with n_bits=1024"
assert np.array_equal(_mine.astype(int), _expected.astype(int)), (
    "fingerprints differ from radius-2 Morgan bit vectors (1024 bits)"
)
assert morgan_bits(["CC(=O)Nc1ccc(O)cc1"], n_bits=4096).shape == (1, 4096)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · Tanimoto similarity from scratch (2 points)
#
# Write `tanimoto(a, b)` for two fingerprints given as 0/1 vectors of equal length (NumPy arrays,
# lists, or boolean arrays): the number of bits set in both, divided by the number set in at least
# one, $c / (a + b - c)$. Use NumPy only. When **neither** vector has any bit set, return `0.0`
# (as RDKit does) instead of dividing by zero. Return a Python `float`.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def tanimoto(a, b):
    """Tanimoto similarity of two 0/1 vectors, c / (a + b - c); 0.0 if both are empty."""
    ### BEGIN SOLUTION
    x = np.asarray(a).astype(bool)
    y = np.asarray(b).astype(bool)
    both = int(np.sum(x & y))
    either = int(np.sum(x | y))
    return both / either if either else 0.0
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
value = tanimoto(np.array([1, 1, 0, 1, 0, 0]), np.array([1, 0, 0, 1, 1, 0]))
assert math.isclose(value, 0.5), (
    f"c = 2 bits in both, a = b = 3 bits each, so T = 2 / (3 + 3 - 2) = 0.5; you got {value}. "
    "0.333 means you divided by a + b; 0.667 is the Dice coefficient 2c / (a + b)."
)
assert math.isclose(tanimoto([1, 0, 1], [1, 0, 1]), 1.0), "identical fingerprints have similarity 1"
assert math.isclose(tanimoto([1, 1, 0, 0], [0, 0, 1, 1]), 0.0), "nothing in common: similarity 0"
generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
pair = [Chem.MolFromSmiles(s) for s in ["CC(=O)Oc1ccccc1C(=O)O", "O=C(O)c1ccccc1O"]]
rdkit_value = DataStructs.TanimotoSimilarity(*[generator.GetFingerprint(m) for m in pair])
mine = tanimoto(*[generator.GetFingerprintAsNumPy(m) for m in pair])
assert math.isclose(mine, rdkit_value), (
    f"aspirin vs salicylic acid: RDKit says {rdkit_value:.4f}, you say {mine:.4f}"
)
print("Public tests passed.")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(11)
for _ in range(50):
    _n = int(_rng.integers(8, 300))
    _x = (_rng.random(_n) < _rng.uniform(0.05, 0.6)).astype(np.uint8)
    _y = (_rng.random(_n) < _rng.uniform(0.05, 0.6)).astype(np.uint8)
    _c = int(np.sum(_x & _y))
    _d = int(_x.sum() + _y.sum() - _c)
    _ref = _c / _d if _d else 0.0
    assert math.isclose(tanimoto(_x, _y), _ref, abs_tol=1e-12), "wrong on random bit vectors"
    assert math.isclose(tanimoto(_x.astype(bool), _y.astype(bool)), _ref, abs_tol=1e-12), (
        "wrong on boolean vectors"
    )
assert tanimoto(np.zeros(16, dtype=np.uint8), np.zeros(16, dtype=np.uint8)) == 0.0, (
    "two empty fingerprints must give 0.0"
)
assert tanimoto([0, 0, 0], [0, 1, 0]) == 0.0
assert isinstance(tanimoto([1, 0], [1, 1]), float), "return a Python float"
_gen = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=1024)
_pair = [Chem.MolFromSmiles(s) for s in ["CN1CCC[C@H]1c1cccnc1", "CN1C(=O)CN=C(c2ccccc2)c2cc(Cl)ccc21"]]
assert math.isclose(tanimoto(*[_gen.GetFingerprintAsNumPy(m) for m in _pair]),
                    DataStructs.TanimotoSimilarity(*[_gen.GetFingerprint(m) for m in _pair]))
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · Rank a library by similarity to the queries (3 points)
#
# Write `screen(query_fps, library_fps)`. Both arguments are 0/1 fingerprint matrices with one
# row per molecule and the same number of columns (as returned by `morgan_bits`). Score every
# library molecule by its **maximum** Tanimoto similarity to **any** of the queries, from scratch,
# and return a pandas DataFrame with
#
# * one row per library molecule, whose **index is the molecule's row number** in `library_fps`
#   (0, 1, 2, ...);
# * a column `max_similarity` (that maximum) and a column `nearest_query` (the row number in
#   `query_fps` of the most similar query; the first one if several are equally similar);
# * rows **sorted from the most to the least similar**; molecules with equal scores keep their
#   library order (use a stable sort, e.g. `kind="stable"`).
#
# You may call your `tanimoto` from Question 2 in a loop (a few thousand pairs are fast enough) or
# vectorise with NumPy. (The tests give you correct fingerprints, so a mistake in Question 1 does
# not cost you points here.)

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def screen(query_fps, library_fps):
    """Library ranked by max Tanimoto similarity to any query (best first)."""
    ### BEGIN SOLUTION
    queries = np.asarray(query_fps).astype(bool).astype(np.int64)
    candidates = np.asarray(library_fps).astype(bool).astype(np.int64)
    both = candidates @ queries.T  # bits in common, for every (library, query) pair
    either = candidates.sum(axis=1)[:, None] + queries.sum(axis=1)[None, :] - both
    similarity = np.divide(both, either, out=np.zeros(both.shape), where=either > 0)
    result = pd.DataFrame({"max_similarity": similarity.max(axis=1),
                           "nearest_query": similarity.argmax(axis=1)})
    return result.sort_values("max_similarity", ascending=False, kind="stable")
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)


def fingerprints(smiles_list):
    """Correct radius-2, 2048-bit fingerprints for the tests (independent of your Question 1)."""
    return np.array([generator.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles_list])


toy_queries = ["CC(=O)Oc1ccccc1C(=O)O", "CC(C)Cc1ccc(C(C)C(=O)O)cc1"]  # aspirin, ibuprofen
toy_library = ["c1ccccc1", "CC(C)Cc1ccc(C(C)C(=O)O)cc1", "O=C(O)c1ccccc1O", "CCCCCC"]
ranked = screen(fingerprints(toy_queries), fingerprints(toy_library))
assert isinstance(ranked, pd.DataFrame), "return a pandas DataFrame"
assert {"max_similarity", "nearest_query"} <= set(ranked.columns), (
    f"expected columns max_similarity and nearest_query, got {list(ranked.columns)}"
)
assert len(ranked) == 4 and sorted(ranked.index) == [0, 1, 2, 3], (
    "one row per library molecule, indexed by its position in the library"
)
assert ranked.index[0] == 1, (
    "ibuprofen (library position 1) is identical to a query and must come first, with index 1. "
    "If it came last, you sorted in ascending order; if the index reads 0, 1, 2, 3 in rank "
    "order, you reset it after sorting: each row keeps its library position as its index."
)
assert math.isclose(ranked.loc[1, "max_similarity"], 1.0), (
    f"ibuprofen's maximum similarity is 1.0 (it IS query 1); you gave "
    f"{ranked.loc[1, 'max_similarity']:.3f}: did you average over the queries instead of taking the max?"
)
assert ranked.loc[1, "nearest_query"] == 1 and ranked.loc[2, "nearest_query"] == 0, (
    "nearest_query is the position of the most similar query (salicylic acid is closest to aspirin)"
)
assert np.all(np.diff(ranked["max_similarity"].to_numpy()) <= 0), "sort from most to least similar"
print("Public tests passed.")
### BEGIN HIDDEN TESTS
def _check_screen(_queries, _library, _bits):
    _gen = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=_bits)
    _q = [_gen.GetFingerprint(Chem.MolFromSmiles(s)) for s in _queries]
    _l = [_gen.GetFingerprint(Chem.MolFromSmiles(s)) for s in _library]
    _sims = np.array([DataStructs.BulkTanimotoSimilarity(_fp, _q) for _fp in _l])
    _ref = pd.DataFrame({"max_similarity": _sims.max(axis=1), "nearest_query": _sims.argmax(axis=1)})
    _as_array = lambda _fps: np.array([list(_fp) for _fp in _fps], dtype=np.uint8)  # noqa: E731
    _mine = screen(_as_array(_q), _as_array(_l))
    assert len(_mine) == len(_ref) and sorted(_mine.index) == list(range(len(_ref))), (
        "index must be the position in the library"
    )
    assert np.allclose(_mine.loc[_ref.index, "max_similarity"].to_numpy(dtype=float),
                       _ref["max_similarity"].to_numpy(), atol=1e-9), (
        "max_similarity differs from the max Tanimoto of radius-2 Morgan bit vectors"
    )
    assert np.array_equal(_mine.loc[_ref.index, "nearest_query"].to_numpy(dtype=int),
                          _ref["nearest_query"].to_numpy()), "nearest_query is wrong"
    _values = _mine["max_similarity"].to_numpy(dtype=float)
    _order = np.asarray(_mine.index)
    assert np.all(np.diff(_values) <= 1e-12), "rows are not sorted by decreasing similarity"
    _tied = np.isclose(_values[1:], _values[:-1], atol=1e-12)
    assert np.all(_order[1:][_tied] > _order[:-1][_tied]), "ties must keep library order"


_gsk = datasets.load("moleculeace", target="CHEMBL262_Ki").frame
_gsk_queries = _gsk.sort_values("pKi", ascending=False, kind="stable")["smiles"].iloc[[0, 7, 30]].tolist()
_gsk_library = _gsk["smiles"].iloc[5::4].tolist()
_check_screen(_gsk_queries, _gsk_library, 1024)
_check_screen(query_smiles, library["smiles"].iloc[::3].tolist(), 2048)
# duplicates in the library (ties must keep library order); an empty fingerprint
_check_screen(["CCO", "Oc1ccccc1C"], ["CCO", "c1ccccc1O", "CCO", "CCN", "c1ccccc1O", "CCCC"], 2048)
_empty = screen(np.array([[1, 1, 0, 0], [0, 1, 1, 0]]), np.array([[0, 0, 0, 0], [0, 1, 1, 0], [1, 0, 0, 0]]))
assert list(_empty.index) == [1, 2, 0] and np.allclose(_empty["max_similarity"], [1.0, 0.5, 0.0]), (
    "a library molecule with no bits set has similarity 0 to everything"
)
assert list(_empty["nearest_query"]) == [1, 0, 0], (
    "nearest_query: the first of several equally similar queries (np.argmax picks the first)"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · Enrichment factor (3 points)
#
# Write `enrichment_factor(ranked_is_active, fraction)`. `ranked_is_active` holds the activity
# labels (1/0 or True/False) **in ranked order, best-scored molecule first**; `fraction` is the
# share $x$ of the list that would be tested, e.g. 0.01. With $N$ molecules of which $n$ are
# active, test the top $n_x = \lceil x N \rceil$ molecules (at least one, even when $x N$ rounds to
# 0) and count the actives $h_x$ among them. The enrichment factor is the hit rate in the tested
# top divided by the hit rate of the whole list:
#
# $$ \mathrm{EF}_x = \frac{h_x / n_x}{n / N} . $$
#
# Return a float. You may assume the list contains at least one active.
#
# Mind floating point when you take the ceiling: in Python `0.07 * 100` is `7.000000000000001`,
# so `math.ceil(0.07 * 100)` is 8, but the top 7% of 100 molecules is 7 molecules. Round the
# product first, e.g. `math.ceil(round(fraction * N, 9))`.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def enrichment_factor(ranked_is_active, fraction):
    """Hit rate among the top ceil(fraction * N) divided by the hit rate of the whole list."""
    ### BEGIN SOLUTION
    labels = np.asarray(ranked_is_active).astype(int)
    n_total, n_active = len(labels), int(labels.sum())
    n_top = max(1, math.ceil(round(fraction * n_total, 9)))
    return float((labels[:n_top].sum() / n_top) / (n_active / n_total))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
ranked_labels = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1] + [0] * 90  # 100 molecules, 3 actives, all in the top 10
ef10 = enrichment_factor(ranked_labels, 0.10)
assert math.isclose(ef10, 10.0), (
    f"top 10% = 10 molecules with 3 actives: (3/10) / (3/100) = 10; you got {ef10}. "
    "3.0 means you divided by the fraction tested (0.10) instead of the share of actives (0.03); "
    "0.0 means you counted the bottom of the list, but it is ranked best first."
)
assert math.isclose(enrichment_factor(ranked_labels, 0.02), (1 / 2) / (3 / 100)), (
    "top 2% = 2 molecules, 1 active: EF = (1/2) / (3/100)"
)
odd = [0, 1] + [0] * 147 + [1]  # N = 150, 2 actives; 1% of 150 is 1.5, so test the top 2
assert math.isclose(enrichment_factor(odd, 0.01), (1 / 2) / (2 / 150)), (
    "n_x = ceil(0.01 * 150) = 2 molecules; with floor (1 molecule) you would get 0"
)
assert math.isclose(enrichment_factor([0, 0, 1, 1], 0.5), 0.0), "no active in the top half: EF 0"
seven = [1] + [0] * 6 + [1] + [0] * 91 + [1]  # N = 100, 3 actives at ranks 1, 8 and 100
ef7 = enrichment_factor(seven, 0.07)
assert math.isclose(ef7, (1 / 7) / (3 / 100)), (
    f"top 7% of 100 = 7 molecules with 1 active: EF = (1/7) / (3/100) = 4.76; you got {ef7:.2f}. "
    "8.33 means you tested 8 molecules: math.ceil(0.07 * 100) is 8 in floating point, so round "
    "the product before taking the ceiling."
)
print("Public tests passed.")
### BEGIN HIDDEN TESTS
from rdkit.ML.Scoring import Scoring as _Scoring

_rng = np.random.default_rng(2024)
for _n, _rate in [(1000, 0.02), (333, 0.05), (57, 0.2), (1234, 0.01)]:
    _labels = (_rng.random(_n) < _rate).astype(int)
    _labels[_rng.integers(0, _n)] = 1  # at least one active
    _rows = [[int(v)] for v in _labels]
    for _frac in (0.01, 0.05, 0.1, 0.25):
        _expected = _Scoring.CalcEnrichment(_rows, 0, [_frac])[0]
        assert math.isclose(enrichment_factor(_labels, _frac), _expected, rel_tol=1e-9), (
            f"EF at {_frac} differs on a list of {_n}"
        )
        assert math.isclose(enrichment_factor(_labels.astype(bool).tolist(), _frac), _expected,
                            rel_tol=1e-9), "booleans in a list must work"
assert math.isclose(enrichment_factor([1] + [0] * 9, 0.001), 10.0), "ceil(0.01) = 1 molecule"
assert math.isclose(enrichment_factor([0] * 199 + [1], 0.005), 0.0)
assert math.isclose(enrichment_factor([1, 0, 0, 0, 0], 0.0), 5.0), "at least one molecule is tested"
# x * N is a whole number that floating point puts just above it: n_x is that whole number
for _frac, _n in [(0.14, 50), (0.28, 25), (0.55, 100), (0.07, 200)]:
    _exact = round(_frac * _n)
    _labels = np.zeros(_n, dtype=int)
    _labels[[0, _exact]] = 1  # one active in the top n_x, the next one just below it
    assert math.isclose(enrichment_factor(_labels, _frac), (1 / _exact) / (2 / _n)), (
        f"the top {_frac:.0%} of {_n} is {_exact} molecules: round x * N before the ceiling"
    )
assert isinstance(enrichment_factor([1, 0, 0, 0], 0.25), float), "return a float"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · BEDROC from scratch (2 points)
#
# EF ignores the order inside the tested top and everything below it. BEDROC (Truchon & Bayly
# 2007) weighs every active by how early it appears. Write `bedroc(ranked_is_active, alpha=20.0)`
# from the formulas of dd02: with $N$ molecules, $n$ actives at ranks $r_1, \dots, r_n$
# (**ranks start at 1** for the best-scored molecule) and $R_a = n / N$,
#
# $$ \mathrm{RIE} = \frac{\sum_{i=1}^{n} e^{-\alpha r_i / N}}
#    {\frac{n}{N}\,\frac{1 - e^{-\alpha}}{e^{\alpha / N} - 1}} , \qquad
#    \mathrm{BEDROC} = \mathrm{RIE}\,\frac{R_a \sinh(\alpha/2)}{\cosh(\alpha/2) - \cosh(\alpha/2 - \alpha R_a)}
#    + \frac{1}{1 - e^{\alpha (1 - R_a)}} . $$
#
# You may assume at least one active and at least one inactive.

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def bedroc(ranked_is_active, alpha=20.0):
    """BEDROC of a ranked list of 0/1 activity labels (best-scored first)."""
    ### BEGIN SOLUTION
    labels = np.asarray(ranked_is_active).astype(bool)
    n_total, n_active = len(labels), int(labels.sum())
    ranks = np.flatnonzero(labels) + 1
    ratio = n_active / n_total
    rie = np.exp(-alpha * ranks / n_total).sum() / (
        ratio * (1 - np.exp(-alpha)) / (np.exp(alpha / n_total) - 1))
    scale = ratio * np.sinh(alpha / 2) / (np.cosh(alpha / 2) - np.cosh(alpha / 2 - alpha * ratio))
    return float(rie * scale + 1 / (1 - np.exp(alpha * (1 - ratio))))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
best = bedroc([1, 1, 1] + [0] * 97)
worst = bedroc([0] * 97 + [1, 1, 1])
assert math.isclose(best, 1.0, abs_tol=1e-9), f"all actives first must give 1.0; you got {best:.6f}"
assert math.isclose(worst, 0.0, abs_tol=1e-9), (
    f"all actives last must give 0.0; you got {worst:.6f}. A value far above 1 for the best "
    "ranking means you returned the RIE without rescaling."
)
middle = bedroc([0, 1, 0, 0, 1, 0, 0, 0, 0, 0] + [0] * 40 + [1] + [0] * 49)
assert 0.0 < middle < 1.0, "a mixed ranking lies between 0 and 1"
print("Public tests passed.")
### BEGIN HIDDEN TESTS
from rdkit.ML.Scoring import Scoring as _Scoring

_rng = np.random.default_rng(99)
for _n, _rate, _alpha in [(500, 0.03, 20.0), (120, 0.1, 20.0), (2000, 0.01, 80.5), (300, 0.05, 5.0)]:
    _labels = (_rng.random(_n) < _rate).astype(int)
    _labels[:3] = [1, 0, 1]
    _labels[-1] = 0
    _rows = [[int(v)] for v in _labels]
    assert math.isclose(bedroc(_labels, alpha=_alpha), _Scoring.CalcBEDROC(_rows, 0, _alpha),
                        rel_tol=1e-7, abs_tol=1e-9), f"BEDROC differs (N={_n}, alpha={_alpha})"
_labels = np.zeros(400, dtype=int)
_labels[[2, 9, 40, 150]] = 1
assert math.isclose(bedroc(_labels.tolist()), _Scoring.CalcBEDROC([[v] for v in _labels], 0, 20.0),
                    rel_tol=1e-7), "the default alpha must be 20"
### END HIDDEN TESTS

# %% [markdown]
# ## The thrombin screen
#
# The next cell runs your functions on the thrombin library of the setup cell: fingerprints,
# ranking by similarity to the three queries, and the metrics. It is not graded; it shows what
# your code finds (and fails with `NotImplementedError` until you have answered Questions 1-5).

# %%
thrombin_ranked = screen(morgan_bits(query_smiles), morgan_bits(library["smiles"]))
ranked_labels = library.loc[thrombin_ranked.index, "is_active"].to_numpy()
print(f"actives among the top 20 of {len(library)}: {ranked_labels[:20].sum()} "
      f"(library: {library['is_active'].mean():.1%} active)")
print(f"EF1% = {enrichment_factor(ranked_labels, 0.01):.1f}, "
      f"EF5% = {enrichment_factor(ranked_labels, 0.05):.1f}, BEDROC(20) = {bedroc(ranked_labels):.3f}")
library.loc[thrombin_ranked.index[:10]].assign(
    max_similarity=thrombin_ranked["max_similarity"].iloc[:10].to_numpy())

# %% [markdown]
# ## Question 6 · What does the screen tell the team? (3 points, graded by hand)
#
# In a scratch cell, compute EF1%, EF5% and BEDROC(20) for the thrombin screen twice: once with
# the **approved drugs** as the only decoys (drop the measured inactives from the ranking) and once
# with the **measured inactives** as the only decoys. Then, in at most 200 words:
#
# 1. report the numbers and explain **why** they differ, in terms of what the two kinds of decoy
#    are;
# 2. say which number (if either) you would quote to a project team deciding whether a similarity
#    screen is worth running on a purchasable library of 100,000 compounds, and what else you
#    would report with it;
# 3. explain what **scaffold hopping** means and whether a screen like this one can be expected to
#    find new thrombin chemotypes. Name one simple check of your ranking that would tell you.
#
# **Rubric** (3 points)
#
# | points | the answer |
# |---|---|
# | 1 | reports EF1%, EF5% and BEDROC(20) for both decoy sets and explains the gap: approved drugs are unrelated to thrombin inhibitors (easy decoys), the measured inactives are analogues from the same series (hard decoys) |
# | 1 | makes a defensible choice of number for the 100,000-compound screen and says what to report with it (the decoy set, N and the share of actives, an uncertainty, the enrichment curve) |
# | 1 | defines scaffold hopping (actives whose Bemis-Murcko scaffold differs from the queries') and names a concrete check, e.g. the distinct scaffolds among the top-ranked actives |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_interpretation", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer (numbers from the reference solution): with approved drugs as the only decoys
# (420 molecules, 20 actives) EF1% is 21, its maximum, EF5% 17 and BEDROC about 0.87; with the
# measured inactives as the only decoys (226 molecules) EF1% is about 7.5 (maximum 11.3), EF5%
# about 6.6 and BEDROC about 0.52. (The full library gives EF1% 13.4, EF5% 9.8, BEDROC 0.54.) Approved drugs
# are chemically unrelated to thrombin inhibitors ("easy" decoys), so almost anything that looks
# like the queries is an active. The measured inactives were made by thrombin chemists as
# analogues in the same series and failed, so many look just like actives ("hard" decoys); they
# are a more honest stand-in for a real library full of look-alikes, though still not a random
# commercial library. Neither number transfers directly to a 100,000-compound library with a far
# lower hit rate: quote the hard-decoy result (or both) with the decoy set, N, the share of actives
# and an interval (e.g. bootstrap over actives), and show the enrichment curve.
# Scaffold hopping is finding actives whose core framework (Bemis-Murcko scaffold) differs from
# the queries'. Max-similarity searching on Morgan fingerprints mostly finds close analogues of the
# queries; check by counting the distinct scaffolds (and those shared with a query) among the
# actives in the top 1-5%, or by looking at the most potent actives it ranks low.
# ### END SOLUTION
