# %% [markdown]
# # Assignment 10 · Immunotherapy response without selection leakage
#
# **Module:** AI drug discovery and treatment development · **Lesson:** dd08 Immunotherapy
# response · **Points:** 15
#
# An oncology group pools three single-arm anti-PD-1 trial cohorts (melanoma, non-small-cell
# lung cancer, gastric cancer) and wants a test on the pre-treatment biopsy that predicts
# **objective response** (RECIST complete or partial response). The oncologists who would use
# it decide whether to give a checkpoint inhibitor, which is costly and can cause serious
# immune-related adverse events, or to choose another treatment. A test that looks good only
# because of how it was evaluated is worse than no test: patients who would have responded
# are steered away from the drug, and patients who will not respond take it.
#
# The data are typical of such studies: **far more genes than patients** (1,500 genes, 180
# patients). With p ≫ n, chance alone makes some genes look predictive, and the commonest
# mistake in the literature is to pick those genes on all patients and *then*
# cross-validate (Ambroise and McLachlan 2002; Simon et al. 2003). You will build the honest
# version step by step: a published signature score, gene selection inside a pipeline,
# nested cross-validation for the hyper-parameters, a permutation test, and validation on
# a trial cohort the model has never seen.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. NumPy, pandas, SciPy and scikit-learn are allowed. Run
# every cell top to bottom before you submit. The cells with `assert` are the public tests;
# more (hidden) tests run when your work is graded. They call your functions again on
# **other patients** (other seeds and sizes of the generator, other gene panels, pure-noise
# data, and the real breast-cancer expression set `gse7390_breast`), so write general code:
# never refer to the global `expression`, `y` or `cohort` inside a function, only to its
# arguments. The whole notebook runs in about half a minute.
#
# **Conventions.** An expression matrix `X` has one row per patient and one column per gene
# (log2 expression); the functions accept a pandas DataFrame or a NumPy array unless stated
# otherwise. `y` holds the outcome, **1 = objective response (the positive class)**, 0 = no
# response, as a list, NumPy array or pandas Series, matched to the rows of `X` by position.
# AUROC is `sklearn.metrics.roc_auc_score(y_true, score)` with a higher score meaning a
# higher chance of response.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math

import numpy as np
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from medai import datasets

SEED = 0
_single_thread = threadpool_limits(limits=1)  # one BLAS thread: faster on a shared machine

data = datasets.load("immunotherapy_cohort", seed=SEED)  # 180 patients x 1,500 genes
expression = data["expression"]  # DataFrame: patients x genes, log2 expression
clinical = data["clinical"]  # cohort, tumour type, TMB, best overall response, response
y = clinical["response"].to_numpy()  # 1 = complete or partial response
cohort = clinical["cohort"].to_numpy()  # trial cohort "A", "B" or "C"
GEP_GENES = data["genes"].index[data["genes"]["in_gep"] == 1].tolist()  # the 18-gene GEP

print(f"{expression.shape[0]} patients x {expression.shape[1]} genes; "
      f"{y.sum()} responders ({y.mean():.0%})")
print(clinical.groupby(["cohort", "tumour_type"])["response"].agg(patients="size",
                                                                   responders="sum"))
print(f"GEP genes ({len(GEP_GENES)}): {', '.join(GEP_GENES)}")

# %% [markdown]
# ## Question 1 · The T-cell-inflamed signature score (2 points)
#
# The T-cell-inflamed gene expression profile (GEP) of Ayers et al. (2017) is a fixed list of
# 18 interferon-γ-related genes. Here it is scored in a simple form: standardise each GEP gene,
# then average over the genes. The standardisation is part of the test, so it must come from
# the **training patients only** and then be applied, unchanged, to any other patient: in
# practice patients arrive one at a time, and a new patient's score cannot depend on who else
# was biopsied that month.
#
# Write `gep_score(train_expression, expression, genes)`:
#
# * `train_expression` and `expression` are **DataFrames** of log2 expression (rows patients,
#   columns named by gene); they may hold many more genes than `genes`, in any column order;
# * for each gene $g$ in `genes`, $z_{ig} = (x_{ig} - \bar x_g) / s_g$, where $\bar x_g$ and
#   $s_g$ are the mean and the standard deviation of gene $g$ over the patients of
#   `train_expression`, with **`ddof=0`** (NumPy's and `StandardScaler`'s convention), and
#   $x_{ig}$ is the value of patient $i$ of `expression`;
# * the score of patient $i$ is the mean of $z_{ig}$ over the genes;
# * return a NumPy array of floats, one score per row of `expression`, in its order.
#
# `expression` may be a single patient. A higher score means a more inflamed tumour.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def gep_score(train_expression, expression, genes):
    """Mean z-score of `genes`, standardised with the training patients' mean and SD."""
    ### BEGIN SOLUTION
    reference = train_expression[list(genes)].to_numpy(dtype=float)
    values = expression[list(genes)].to_numpy(dtype=float)
    z = (values - reference.mean(axis=0)) / reference.std(axis=0)
    return z.mean(axis=1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
toy_train = pd.DataFrame({"G1": [1.0, 3.0], "G2": [10.0, 30.0], "G3": [0.0, 5.0]})
toy_new = pd.DataFrame({"G2": [40.0, 20.0], "G1": [2.0, 5.0], "G3": [9.0, 9.0]})
toy = gep_score(toy_train, toy_new, ["G1", "G2"])
assert isinstance(toy, np.ndarray), "return a NumPy array (one score per row of expression)"
toy = np.asarray(toy, dtype=float)
assert toy.shape == (2,), "one score per row of expression"
assert not np.allclose(toy, [0.707107, 1.06066], atol=1e-4), (
    "you divided by the SD with ddof=1 (pandas' .std() default); use ddof=0"
)
assert not math.isclose(toy.mean(), 0, abs_tol=1e-9), (
    "the scores of the new patients average exactly 0: you standardised them with their own "
    "mean and SD, not with the training patients'"
)
assert not np.allclose(toy, [0.417274, 0.537032], atol=1e-4), (
    "you standardised with the mean and SD of training and new patients pooled; use the "
    "training patients' only"
)
assert not np.allclose(toy, [21.0, 12.5]), "you averaged raw log2 values: standardise each gene"
assert np.allclose(toy, [1.0, 1.5]), (
    f"expected [1.0, 1.5] (G1: mean 2, SD 1; G2: mean 20, SD 10; G3 is not in genes), "
    f"got {np.round(toy, 4)}"
)
score_all = gep_score(expression, expression, GEP_GENES)
assert np.asarray(score_all).shape == (len(expression),), "one score per patient"
print(f"GEP score AUROC on all {len(y)} patients: {roc_auc_score(y, score_all):.3f}")
print("Public tests passed. Hidden tests score other patients and a single patient.")
### BEGIN HIDDEN TESTS
_d1 = datasets.load("immunotherapy_cohort", n_patients=150, n_genes=400, batch_shift=1.5,
                    seed=31)
_x1, _c1 = _d1["expression"], _d1["clinical"]["cohort"].to_numpy()
_train1, _test1 = _x1[_c1 != "C"], _x1[_c1 == "C"]
_genes1 = list(reversed(_d1.ground_truth["gep_genes"]))
_ref = _train1[_genes1].to_numpy()
_expected1 = ((_test1[_genes1].to_numpy() - _ref.mean(axis=0)) / _ref.std(axis=0)).mean(axis=1)
_got1 = np.asarray(gep_score(_train1, _test1, _genes1), dtype=float)
assert _got1.shape == (len(_test1),), "one score per patient of expression"
assert np.allclose(_got1, _expected1, atol=1e-9), (
    "the score of a held-out cohort is wrong: standardise with the training patients' mean "
    "and SD (ddof=0), then average over the genes"
)
_shuffled1 = _test1[_test1.columns[::-1]].iloc[::-1]
assert np.allclose(np.asarray(gep_score(_train1, _shuffled1, _genes1)), _expected1[::-1]), (
    "select the genes by name, keep the order of the rows of expression"
)
_one1 = np.asarray(gep_score(_train1, _test1.iloc[[3]], _genes1), dtype=float)
assert _one1.shape == (1,) and math.isclose(_one1[0], _expected1[3], abs_tol=1e-9), (
    "a single new patient must get the same score as in a group (and not NaN)"
)
_few1 = ["CD8A", "CXCL9", "GENE0007"]
_ref = _train1[_few1].to_numpy()
assert np.allclose(np.asarray(gep_score(_train1, _x1, _few1)),
                   ((_x1[_few1].to_numpy() - _ref.mean(axis=0)) / _ref.std(axis=0)).mean(axis=1)), (
    "use the genes given in `genes`, not always the 18 GEP genes"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · Gene selection inside the pipeline (3 points)
#
# A learned model chooses its genes from the data: keep the `k` genes whose expression
# differs most between responders and non-responders (the ANOVA *F* test, `f_classif`), then
# fit a penalised logistic regression on them. The selection looks at the outcome, so it is
# **part of the model** and must be refitted inside every cross-validation fold, on that
# fold's training patients only.
#
# 1. Write `response_model(k, C)`. It returns a new, unfitted scikit-learn `Pipeline` with
#    three steps named `"select"`: `SelectKBest(f_classif, k=k)`, `"scale"`:
#    `StandardScaler()` and `"logreg"`: `LogisticRegression(C=C, max_iter=1000)` (L2 penalty,
#    the default).
# 2. Write `cv_auroc(X, y, k, C, n_splits=5, seed=0)`. Split the patients with
#    `StratifiedKFold(n_splits, shuffle=True, random_state=seed)` (stratified: every fold
#    keeps the share of responders; shuffled with the seed: reproducible). In each fold, fit
#    a new `response_model(k, C)` on the fold's **training patients only** and compute the
#    AUROC of its predicted probability of response on the fold's test patients. Return a
#    NumPy array of the `n_splits` fold AUROCs, in the order of the splitter's folds.
#
# Every step (selection, scaling, the classifier) is fitted on the training patients of each
# fold only. `cross_val_score` with the right `cv` and `scoring` does all of this in one line.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def response_model(k, C):
    """An unfitted pipeline: top-k genes by ANOVA F, standardise, L2 logistic regression."""
    ### BEGIN SOLUTION
    return Pipeline([
        ("select", SelectKBest(f_classif, k=k)),
        ("scale", StandardScaler()),
        ("logreg", LogisticRegression(C=C, max_iter=1000)),
    ])
    ### END SOLUTION


def cv_auroc(X, y, k, C, n_splits=5, seed=0):
    """Fold AUROCs of response_model(k, C), every step refitted inside each training fold."""
    ### BEGIN SOLUTION
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    scores = cross_val_score(response_model(k, C), X, np.asarray(y), cv=folds,
                             scoring="roc_auc")
    return np.asarray(scores, dtype=float)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
pipe = response_model(20, 0.1)
assert isinstance(pipe, Pipeline), "response_model must return a sklearn.pipeline.Pipeline"
assert list(pipe.named_steps) == ["select", "scale", "logreg"], (
    f"the steps must be named select, scale, logreg (in this order), got {list(pipe.named_steps)}"
)
assert isinstance(pipe.named_steps["select"], SelectKBest) and pipe.named_steps["select"].k == 20, (
    "the select step is SelectKBest(f_classif, k=k), with the k given"
)
assert pipe.named_steps["select"].score_func is f_classif, "select genes with f_classif"
assert isinstance(pipe.named_steps["logreg"], LogisticRegression), "logreg: a LogisticRegression"
assert pipe.named_steps["logreg"].C == 0.1, "logreg must use the C given"
assert response_model(20, 0.1) is not pipe, "return a new pipeline at every call"
folds = cv_auroc(expression, y, 50, 0.1)
assert isinstance(folds, np.ndarray) and folds.shape == (5,), (
    "cv_auroc returns a NumPy array with one AUROC per fold (5 folds by default)"
)
assert np.all((folds >= 0) & (folds <= 1)), "AUROCs lie between 0 and 1"
assert np.allclose(folds, cv_auroc(expression, y, 50, 0.1)), (
    "the same seed must give the same folds and the same AUROCs"
)
assert not np.allclose(folds, cv_auroc(expression, y, 50, 0.1, seed=1)), (
    "another seed gave the same AUROCs: shuffle the patients (shuffle=True, random_state=seed)"
)
assert 0.6 < folds.mean() < 0.95, (
    f"mean AUROC {folds.mean():.3f}: an AUROC near or below 0.5 suggests scoring the "
    "probability of NO response (predict_proba(...)[:, 0]) or predicted labels"
)
print(f"5-fold AUROC, k = 50, C = 0.1: {np.round(folds, 3)}, mean {folds.mean():.3f}")
print("Public tests passed. Hidden tests compare with a reference on other data and on "
      "labels that carry no information.")
### BEGIN HIDDEN TESTS
# Labels with no information: honest cross-validation must find nothing.
_rng2 = np.random.default_rng(2024)
_noise2 = _rng2.normal(7.0, 1.0, size=(90, 2000))
_null2 = [np.mean(cv_auroc(_noise2, _rng2.permutation(np.repeat([0, 1], 45)), 10, 1.0, 5, _s))
          for _s in range(4)]
assert np.mean(_null2) < 0.65, (
    f"on pure noise with random labels your cross-validated AUROC is {np.mean(_null2):.2f}: "
    "the genes were selected with the labels of the test patients (selection outside the "
    "cross-validation)"
)
_d2 = datasets.load("immunotherapy_cohort", n_patients=140, n_genes=700, seed=12)
_x2 = _d2["expression"]
_y2 = _d2["clinical"]["response"].to_numpy()
for _k2, _C2, _s2, _n2 in [(30, 0.05, 3, 4), (5, 1.0, 8, 5)]:
    _expected2 = cross_val_score(
        Pipeline([("select", SelectKBest(f_classif, k=_k2)), ("scale", StandardScaler()),
                  ("logreg", LogisticRegression(C=_C2, max_iter=1000))]),
        _x2, _y2, cv=StratifiedKFold(_n2, shuffle=True, random_state=_s2), scoring="roc_auc")
    _got2 = np.asarray(cv_auroc(_x2, list(_y2), _k2, _C2, n_splits=_n2, seed=_s2), dtype=float)
    assert _got2.shape == (_n2,), "one AUROC per fold (n_splits folds)"
    assert np.allclose(_got2, _expected2, atol=1e-9), (
        "your fold AUROCs differ from StratifiedKFold(n_splits, shuffle=True, "
        "random_state=seed) with response_model(k, C) refitted in each training fold and "
        "scored by the AUROC of the predicted probability of response"
    )
_b2 = datasets.load("gse7390_breast").frame
_xb2 = _b2[[c for c in _b2.columns if c.endswith("_at")]].to_numpy()
_yb2 = pd.Series((_b2["er"] == "negative").astype(int).to_numpy(), index=_b2.index + 1000)
_expected2 = cross_val_score(
    Pipeline([("select", SelectKBest(f_classif, k=10)), ("scale", StandardScaler()),
              ("logreg", LogisticRegression(C=0.3, max_iter=1000))]),
    _xb2, _yb2.to_numpy(), cv=StratifiedKFold(3, shuffle=True, random_state=4), scoring="roc_auc")
assert np.allclose(np.asarray(cv_auroc(_xb2, _yb2, 10, 0.3, 3, 4), dtype=float), _expected2,
                   atol=1e-9), (
    "on a NumPy matrix with a pandas Series y (real breast-cancer data) the AUROCs differ "
    "from the reference"
)
### END HIDDEN TESTS

# %% [markdown]
# ### What happens when the genes are selected first
#
# The locked cell below makes the mistake on purpose. It shuffles the responses, so that no
# gene can carry any information about them, selects the 20 "best" genes **on all patients**,
# and only then cross-validates the classifier on those genes. Your `cv_auroc` runs on the
# same shuffled responses. Read the two numbers before you go on: they come back in
# Question 6.

# %% nbgrader={"grade": false, "grade_id": "leakage_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
leaky_runs, honest_runs = [], []
for repeat in range(5):
    shuffled = np.random.default_rng(100 + repeat).permutation(y)  # responses carry no signal
    chosen = SelectKBest(f_classif, k=20).fit(expression, shuffled).get_support()  # ALL patients
    classifier = Pipeline([("standardise", StandardScaler()),
                           ("classify", LogisticRegression(C=0.1, max_iter=1000))])
    leaky_runs.append(cross_val_score(
        classifier, expression.loc[:, chosen], shuffled, scoring="roc_auc",
        cv=StratifiedKFold(5, shuffle=True, random_state=SEED)).mean())
    honest_runs.append(cv_auroc(expression, shuffled, 20, 0.1).mean())
leaky_shuffled_auroc, honest_shuffled_auroc = np.mean(leaky_runs), np.mean(honest_runs)
print(f"Shuffled responses, mean of 5 shuffles: genes selected on all patients, then CV: "
      f"AUROC {leaky_shuffled_auroc:.3f}; selection inside each fold (your cv_auroc): "
      f"{honest_shuffled_auroc:.3f}")

# %% [markdown]
# ## Question 3 · Nested cross-validation (3 points)
#
# How many genes, and how strong a penalty? If you try several `(k, C)` and report the best
# cross-validated AUROC, the choice has seen the test folds, and the best of many noisy
# estimates is optimistic (Varma and Simon 2006). Nested cross-validation keeps the tuning
# inside: an **inner** search on each **outer** training set, judged on the outer test fold
# it never saw.
#
# Write `nested_cv(X, y, k_grid, C_grid, seed=0)`:
#
# * outer folds: `StratifiedKFold(5, shuffle=True, random_state=seed)`;
# * in each outer fold, on the outer **training patients only**, run
#   `GridSearchCV(response_model(k_grid[0], C_grid[0]), {"select__k": list(k_grid),
#   "logreg__C": list(C_grid)}, scoring="roc_auc", cv=StratifiedKFold(3, shuffle=True,
#   random_state=seed))` (it refits the best pipeline on all the outer training patients);
# * score that refitted best pipeline on the outer test patients.
#
# Return a DataFrame with one row per outer fold, in the splitter's order, and the columns
# `"auroc"` (the AUROC on the **outer test fold**), `"inner_auroc"` (the search's best mean
# inner AUROC, `best_score_`), `"k"` and `"C"` (the hyper-parameters chosen in that fold).

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def nested_cv(X, y, k_grid, C_grid, seed=0):
    """Outer-fold AUROC, best inner AUROC and the chosen (k, C) of each outer fold."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    grid = {"select__k": list(k_grid), "logreg__C": list(C_grid)}
    outer = StratifiedKFold(5, shuffle=True, random_state=seed)
    rows = []
    for train, test in outer.split(X, y):
        search = GridSearchCV(response_model(k_grid[0], C_grid[0]), grid, scoring="roc_auc",
                              cv=StratifiedKFold(3, shuffle=True, random_state=seed))
        search.fit(X[train], y[train])
        risk = search.predict_proba(X[test])[:, 1]
        rows.append({"auroc": roc_auc_score(y[test], risk),
                     "inner_auroc": search.best_score_,
                     "k": search.best_params_["select__k"],
                     "C": search.best_params_["logreg__C"]})
    return pd.DataFrame(rows)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
K_GRID, C_GRID = [10, 50, 200], [0.01, 0.1, 1.0]
nested = nested_cv(expression, y, K_GRID, C_GRID)
assert isinstance(nested, pd.DataFrame) and len(nested) == 5, (
    "nested_cv returns a DataFrame with one row per outer fold (5 rows)"
)
assert {"auroc", "inner_auroc", "k", "C"} <= set(nested.columns), (
    "the columns are auroc, inner_auroc, k and C"
)
assert set(nested["k"]) <= set(K_GRID) and set(nested["C"]) <= set(C_GRID), (
    "k and C must be the values chosen from k_grid and C_grid"
)
assert nested["auroc"].between(0, 1).all() and nested["inner_auroc"].between(0, 1).all()
assert not np.allclose(nested["auroc"], nested["inner_auroc"]), (
    "auroc equals inner_auroc in every fold: auroc must be measured on the outer test fold, "
    "not taken from the inner search (best_score_)"
)
print(nested.round(3))
print(f"outer (honest) AUROC {nested['auroc'].mean():.3f}; best inner AUROC "
      f"{nested['inner_auroc'].mean():.3f}")
print("Public tests passed. Hidden tests compare with a reference nested CV on other data.")
### BEGIN HIDDEN TESTS


def _nested_reference(_x, _y, _kg, _cg, _seed):
    _x, _y = np.asarray(_x, dtype=float), np.asarray(_y)
    _rows = []
    for _tr, _te in StratifiedKFold(5, shuffle=True, random_state=_seed).split(_x, _y):
        _search = GridSearchCV(
            Pipeline([("select", SelectKBest(f_classif, k=_kg[0])), ("scale", StandardScaler()),
                      ("logreg", LogisticRegression(C=_cg[0], max_iter=1000))]),
            {"select__k": list(_kg), "logreg__C": list(_cg)}, scoring="roc_auc",
            cv=StratifiedKFold(3, shuffle=True, random_state=_seed)).fit(_x[_tr], _y[_tr])
        _rows.append((roc_auc_score(_y[_te], _search.predict_proba(_x[_te])[:, 1]),
                      _search.best_score_, _search.best_params_["select__k"],
                      _search.best_params_["logreg__C"]))
    return pd.DataFrame(_rows, columns=["auroc", "inner_auroc", "k", "C"])


for _seed3, _n3, _kg3, _cg3 in [(2, 120, [5, 40], [0.02, 2.0]), (9, 150, [3, 15, 60], [0.3])]:
    _d3 = datasets.load("immunotherapy_cohort", n_patients=_n3, n_genes=500, seed=40 + _seed3)
    _x3, _y3 = _d3["expression"], _d3["clinical"]["response"]
    _want3 = _nested_reference(_x3, _y3, _kg3, _cg3, _seed3)
    _got3 = nested_cv(_x3, _y3, _kg3, _cg3, seed=_seed3)
    assert len(_got3) == 5 and {"auroc", "inner_auroc", "k", "C"} <= set(_got3.columns)
    assert list(_got3["k"]) == list(_want3["k"]) and np.allclose(_got3["C"], _want3["C"]), (
        "the hyper-parameters chosen per outer fold differ from a GridSearchCV (scored by "
        "AUROC, inner StratifiedKFold(3, shuffle=True, random_state=seed)) run on each outer "
        "training set"
    )
    assert np.allclose(_got3["inner_auroc"], _want3["inner_auroc"], atol=1e-9), (
        "inner_auroc is not the inner search's best_score_ in each outer fold"
    )
    assert np.allclose(_got3["auroc"], _want3["auroc"], atol=1e-9), (
        "auroc is not the AUROC of the refitted best pipeline on the outer test fold"
    )
_rng3 = np.random.default_rng(77)
_noise3 = _rng3.normal(0.0, 1.0, size=(80, 1500))
_null3 = nested_cv(_noise3, np.repeat([0, 1], 40), [5, 20], [0.1, 1.0], seed=1)
assert _null3["auroc"].mean() < 0.65, (
    "on pure noise the outer AUROC is well above 0.5: the outer test patients influenced the "
    "gene selection or the tuning"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · Is it better than chance? A permutation test (2 points)
#
# A cross-validated AUROC of 0.7 from 180 patients could still be luck. A permutation test
# answers that by rerunning the **whole** procedure, gene selection included, on shuffled
# responses: that gives the distribution of the cross-validated AUROC when there is nothing
# to find (Ojala and Garriga 2010).
#
# Write `permutation_test(X, y, k, C, n_permutations, seed=0)`. It returns the tuple
# `(observed, null, p_value)`:
#
# * `observed`: the mean of `cv_auroc(X, y, k, C, 5, seed)`, a float;
# * `null`: a NumPy array of `n_permutations` floats; entry $j$ is the mean of
#   `cv_auroc(X, y_j, k, C, 5, seed)` where `y_j` is a **new** random permutation of `y`
#   (draw them from `np.random.default_rng(seed)`), so every permutation reruns the
#   selection;
# * `p_value` $= \big(1 + \#\{j : \text{null}_j \ge \text{observed}\}\big) / (1 +
#   \text{n\_permutations})$, a float. A higher AUROC is the more extreme result, so count
#   the null values at or above the observed one. The $+1$ counts the observed labelling as
#   one of the permutations, so the p-value is never 0.
#
# Do not change `y` itself: shuffle a copy. (`sklearn.model_selection.permutation_test_score`
# with the right `cv` and `scoring` computes the same quantities with its own random
# permutations, and is allowed.)

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def permutation_test(X, y, k, C, n_permutations, seed=0):
    """(observed mean CV AUROC, null AUROCs on permuted responses, permutation p-value)."""
    ### BEGIN SOLUTION
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    observed = float(np.mean(cv_auroc(X, y, k, C, 5, seed)))
    null = np.array([np.mean(cv_auroc(X, rng.permutation(y), k, C, 5, seed))
                     for _ in range(n_permutations)], dtype=float)
    p_value = (1 + np.sum(null >= observed)) / (1 + n_permutations)
    return observed, null, float(p_value)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
y_before = y.copy()
observed, null, p_value = permutation_test(expression, y, 50, 0.1, n_permutations=19)
assert np.array_equal(y, y_before), "permutation_test changed y: shuffle a copy (rng.permutation)"
assert math.isclose(observed, cv_auroc(expression, y, 50, 0.1).mean(), abs_tol=1e-9), (
    "observed is the mean of cv_auroc(X, y, k, C, 5, seed) on the real responses"
)
null = np.asarray(null, dtype=float)
assert null.shape == (19,), "null holds one mean AUROC per permutation"
assert len(np.unique(np.round(null, 9))) > 1, (
    "every null value is the same: draw a new permutation each time (one generator, created "
    "once, outside the loop)"
)
assert 0.35 < null.mean() < 0.65, (
    f"the null AUROCs average {null.mean():.2f}: on shuffled responses they should sit "
    "around 0.5. Shuffle the responses and rerun the whole cv_auroc each time"
)
assert p_value > 0, "the p-value counts the observed labelling too: it is never 0 (the +1)"
assert math.isclose(p_value, (1 + np.sum(null >= observed)) / 20), (
    "p_value = (1 + number of null values >= observed) / (1 + n_permutations)"
)
print(f"observed mean AUROC {observed:.3f}; null: mean {null.mean():.3f}, max {null.max():.3f}; "
      f"p = {p_value:.3f} (the smallest possible with 19 permutations is 1/20 = 0.05)")
print("Public tests passed. Hidden tests run the test on data with nothing to find.")
### BEGIN HIDDEN TESTS
_rng4 = np.random.default_rng(404)
_x4 = _rng4.normal(5.0, 1.0, size=(60, 300))
_y4 = np.repeat([0, 1], 30)
_y4_before = _y4.copy()
_obs4, _null4, _p4 = permutation_test(_x4, _y4, 10, 1.0, 9, seed=3)
assert np.array_equal(_y4, _y4_before), "permutation_test changed y in place"
_null4 = np.asarray(_null4, dtype=float)
assert _null4.shape == (9,) and len(np.unique(np.round(_null4, 9))) > 1, (
    "each of the n_permutations null values comes from a new permutation"
)
assert math.isclose(_obs4, np.mean(cv_auroc(_x4, _y4, 10, 1.0, 5, 3)), abs_tol=1e-9), (
    "observed must use the seed given (the folds of cv_auroc(X, y, k, C, 5, seed))"
)
assert math.isclose(_p4, (1 + np.sum(_null4 >= _obs4)) / 10, abs_tol=1e-12), (
    "on other data, p_value is not (1 + number of null values >= observed) / (1 + n_permutations)"
)
_obs4b, _null4b, _p4b = permutation_test(_x4, list(_y4), 10, 1.0, 9, seed=3)
assert np.allclose(_null4b, _null4), "the same seed must give the same null"
_signal4 = _x4.copy()
_signal4[:, 0] += 1.5 * _y4
_obs4c, _null4c, _p4c = permutation_test(_signal4, pd.Series(_y4), 10, 1.0, 9, seed=5)
assert _obs4c > 0.7 and math.isclose(_p4c, 0.1), (
    "with one strongly informative gene, observed should be high and p the smallest possible "
    "(1 / (1 + n_permutations))"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · Leave one trial cohort out (2 points)
#
# The cohorts come from different trials, tumour types and laboratories (batch effects).
# Cross-validation that mixes them never asks the question that matters when the test goes
# to another hospital: does it work on patients from a cohort it has never seen?
#
# Write `leave_cohort_out(X, y, cohorts, genes, k, C)`. Here `X` is a **DataFrame** (rows
# patients, columns named by gene) and `cohorts` gives each patient's cohort label
# (list, array or Series, matched by position). For each cohort $c$, in sorted order:
#
# * the training patients are **all patients of the other cohorts**, and the test patients
#   are those of cohort $c$;
# * fit `response_model(k, C)` on the training patients and compute its AUROC on cohort $c$;
# * compute the AUROC on cohort $c$ of your `gep_score`, standardised with the **training
#   patients** (the other cohorts): it has no fitted weights, but its standardisation does
#   come from the training patients.
#
# Return a DataFrame indexed by the cohort labels (sorted), with the columns `"n"` (patients
# in cohort $c$), `"responders"`, `"model_auroc"` and `"gep_auroc"`. You may assume that every
# cohort has responders and non-responders.

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def leave_cohort_out(X, y, cohorts, genes, k, C):
    """Per held-out cohort: its size, responders, and the AUROC of the model and of the GEP."""
    ### BEGIN SOLUTION
    y = np.asarray(y)
    cohorts = np.asarray(cohorts)
    rows = {}
    for name in sorted(set(cohorts)):
        test = cohorts == name
        model = response_model(k, C).fit(X[~test], y[~test])
        risk = model.predict_proba(X[test])[:, 1]
        gep = gep_score(X[~test], X[test], genes)
        rows[name] = {"n": int(test.sum()), "responders": int(y[test].sum()),
                      "model_auroc": roc_auc_score(y[test], risk),
                      "gep_auroc": roc_auc_score(y[test], gep)}
    return pd.DataFrame.from_dict(rows, orient="index")
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
by_cohort = leave_cohort_out(expression, y, cohort, GEP_GENES, 50, 0.1)
assert isinstance(by_cohort, pd.DataFrame), "leave_cohort_out returns a DataFrame"
assert list(by_cohort.index) == ["A", "B", "C"], "one row per cohort, indexed by its label, sorted"
assert {"n", "responders", "model_auroc", "gep_auroc"} <= set(by_cohort.columns)
assert list(by_cohort["n"]) == [int((cohort == c).sum()) for c in "ABC"], (
    "n is the number of patients of the held-out cohort"
)
assert list(by_cohort["responders"]) == [int(y[cohort == c].sum()) for c in "ABC"], (
    "responders counts the responders of the held-out cohort"
)
assert by_cohort["model_auroc"].between(0.5, 0.95).all(), (
    "a held-out-cohort AUROC outside 0.5-0.95 suggests scoring the wrong patients or the "
    "probability of no response"
)
print(by_cohort.round(3))
print("Public tests passed. Hidden tests hold out cohorts of other trials.")
### BEGIN HIDDEN TESTS
_d5 = datasets.load("immunotherapy_cohort", n_patients=160, n_genes=600, batch_shift=1.0,
                    seed=55)
_x5 = _d5["expression"]
_y5 = _d5["clinical"]["response"].to_numpy()
_names5 = {"A": "trial-3", "B": "trial-1", "C": "trial-2"}
_c5 = pd.Series(_d5["clinical"]["cohort"].map(_names5).to_numpy())
_g5 = _d5.ground_truth["gep_genes"][:12]
_got5 = leave_cohort_out(_x5, list(_y5), _c5, _g5, 25, 0.3)
assert list(_got5.index) == ["trial-1", "trial-2", "trial-3"], "rows: the cohort labels, sorted"
for _name5 in ["trial-1", "trial-2", "trial-3"]:
    _te5 = (_c5 == _name5).to_numpy()
    _m5 = Pipeline([("select", SelectKBest(f_classif, k=25)), ("scale", StandardScaler()),
                    ("logreg", LogisticRegression(C=0.3, max_iter=1000))]).fit(_x5[~_te5],
                                                                               _y5[~_te5])
    _want5 = roc_auc_score(_y5[_te5], _m5.predict_proba(_x5[_te5])[:, 1])
    assert math.isclose(_got5.loc[_name5, "model_auroc"], _want5, abs_tol=1e-9), (
        "model_auroc is not the AUROC on the held-out cohort of response_model(k, C) fitted "
        "on all the patients of the other cohorts (and only on them)"
    )
    _ref5 = _x5.loc[~_te5, _g5].to_numpy()
    _gep5 = ((_x5.loc[_te5, _g5].to_numpy() - _ref5.mean(axis=0)) / _ref5.std(axis=0)).mean(axis=1)
    _want_gep5 = roc_auc_score(_y5[_te5], _gep5)
    assert math.isclose(_got5.loc[_name5, "gep_auroc"], _want_gep5, abs_tol=1e-9), (
        "gep_auroc is not the AUROC of gep_score standardised with the training cohorts' "
        "patients, on the held-out cohort, with the genes given"
    )
    assert _got5.loc[_name5, "n"] == _te5.sum()
    assert _got5.loc[_name5, "responders"] == _y5[_te5].sum()
# A signal that exists only inside one cohort: a model that never saw that cohort cannot know it.
_rng5 = np.random.default_rng(5)
_xn5 = pd.DataFrame(_rng5.normal(0, 1, size=(120, 200)),
                    columns=[f"G{i}" for i in range(200)])
_yn5 = np.tile([0, 1], 60)
_cn5 = np.repeat(["x", "y", "z"], 40)
_xn5.loc[_cn5 == "z", "G0"] += 3.0 * _yn5[_cn5 == "z"]
_leak5 = leave_cohort_out(_xn5, _yn5, _cn5, ["G1", "G2"], 5, 1.0)
assert _leak5.loc["z", "model_auroc"] < 0.8, (
    "the model knew a signal found only in the held-out cohort: the held-out patients were "
    "used for fitting"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6 · Would this test work at the next hospital? (3 points, graded by hand)
#
# Using the numbers printed above (the shuffled-response AUROCs of the locked cell, the outer
# and inner AUROCs of Question 3, the p-value of Question 4 and the leave-cohort-out table of
# Question 5), answer in at most 250 words:
#
# 1. Order the estimates of how well the learned model discriminates, from most optimistic
#    to most honest, and explain each gap: what did the optimistic estimate let the model
#    see?
# 2. Response predictors built on a few hundred patients are often published with a high
#    AUROC and then fail in other cohorts. Give at least three reasons, using what you saw
#    here and what differs between the cohorts (tumour type, laboratory, response rate).
#    How does the 18-gene GEP compare with the learned model on unseen cohorts, and why
#    might a fixed signature transfer better?
# 3. What would a **prospective** validation of such a test require before it guided
#    treatment? Single-arm cohorts cannot tell a *predictive* biomarker (who benefits from
#    anti-PD-1) from a *prognostic* one (who does well anyway): say what design can.
#
# **Rubric** (3 points)
#
# | points | the answer |
# |---|---|
# | 1 | quotes the shuffled-response AUROCs (selection outside against inside the folds), the inner against the outer AUROC and the leave-cohort-out AUROCs, orders them correctly, and explains each gap as a leak of the test patients into gene selection, into tuning, or as a shift between cohorts |
# | 1 | gives at least three sound reasons for failed transfer (e.g. selection or tuning leakage, many genes and few patients giving unstable gene lists, batch and platform effects, different tumour types and response rates, different response definitions or biopsy practice), and compares the GEP with the learned model on the held-out cohorts with a reason (no fitted weights to overfit, biology shared across tumour types) |
# | 1 | describes a prospective validation: the model, gene list, normalisation and cut-off locked in advance; an analytically validated assay; a pre-specified endpoint and analysis plan; an independent cohort from the intended-use population with enough events; and a randomised design with a control arm (biomarker-stratified or marker-by-treatment interaction) to show that the test is predictive rather than prognostic |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_transfer", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer mentions (reference solution, seed 0; numbers approximate): on shuffled
# responses, selecting 20 genes on all patients and then cross-validating gives an AUROC of
# about 0.8 although there is nothing to find; with the selection inside each fold it is
# about 0.46, i.e. chance (honest CV on null data often lands a little below 0.5). On the
# real responses, the 5-fold AUROC of Question 2 (about 0.77) used k = 50 and C = 0.1, values
# picked by someone who had looked at these data; the best inner AUROC of the grid search
# (about 0.74) is slightly above the outer AUROC of nested cross-validation (about 0.73);
# the held-out cohorts give 0.64-0.72. Most optimistic to most honest: selection on all
# patients > hyper-parameters picked on the same data (fixed-k CV, best inner score: the
# maximum of nine noisy estimates) > outer nested AUROC (new patients of the same cohorts)
# > leave-cohort-out (new patients, a new laboratory, a new tumour type and response rate).
# The permutation p-value (0.05, the smallest possible with 19 permutations) shows that
# there is a signal, not how large it is.
# Published predictors fail to transfer because of leakage in selection and tuning; p >> n
# makes the selected genes unstable and the weights overfit; batch and platform effects
# shift expression; tumour types differ in biology and response rate (case mix and
# prevalence change the AUROC and the PPV); response definitions, biopsy site and timing,
# and previous treatments differ. The GEP, with no fitted weights and interferon-gamma
# biology shared across tumour types, matches or beats the learned model on every held-out
# cohort here (about 0.71-0.80 against 0.64-0.72).
# A prospective validation locks the genes, weights, normalisation and cut-off; uses an
# analytically validated assay in a certified laboratory; pre-specifies the endpoint (ORR,
# PFS or OS) and the analysis; enrols the intended-use population with enough responders for
# a precise AUROC and PPV; and, to show that the test is predictive rather than prognostic,
# randomises marker-positive and marker-negative patients between anti-PD-1 and a control
# treatment (biomarker-stratified design, test of the treatment-by-marker interaction). A
# test that selects patients for a drug is a companion diagnostic (FDA premarket approval;
# in Korea, MFDS review of the in vitro diagnostic).
# ### END SOLUTION
