# %% [markdown]
# # Assignment 2 · A leak-free early-warning model
#
# **Module:** AI diagnosis and prediction · **Lessons:** dx02 Early warning from the EHR,
# dx03 Calibration and clinical usefulness · **Points:** 15
#
# Your hospital network wants the hour-6 sepsis alert of dx02 on its wards: six hours after
# admission, flag the patients who will develop sepsis in the next 12 hours. In dx02 you
# saw how easily such a model cheats: a row-level split, the antibiotic start time, data
# from after the prediction time. This time you build the whole pipeline yourself, keep
# every leak out, calibrate it as in dx03, and then check it where it will really be used:
# at `site_D`, a hospital whose patients, lab practice and lactate assay differ and whose
# data the model has never seen.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. pandas, NumPy, SciPy and scikit-learn (including
# `sklearn.metrics`) are allowed. Run every cell top to bottom before you submit. The cells
# with `assert` are the public tests; more (hidden) tests run when your work is graded. They
# re-run your functions on **other synthetic patients** (other seeds of the generator), so
# write general code, not code that only works on the tables below.
#
# **Time.** At grading, each cell has **120 seconds** (tests included, which call your
# functions again on new cohorts of a few thousand patients). Vectorised pandas (`groupby`,
# `merge`, boolean masks) takes well under a second; a Python loop over patients that filters
# the whole vitals table for each one can take minutes. If a cell of yours runs for more than
# about 20 s here, vectorise it.
#
# **Notation (as in dx02).** Prediction time $t_p = 6$ h after admission (`T_PRED`), horizon
# $h = 12$ h (`HORIZON`). A patient with sepsis onset $o_i$ is *eligible* if $o_i > t_p$ or
# never septic, and is labelled $y_i = [\,t_p < o_i \le t_p + h\,]$: **1 = sepsis in hours
# 7–18 (positive)**, 0 = no sepsis in that window. The setup cell does this for you with
# `eligible_cohort(...)`; the label is the column `y`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math
import re

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, logit
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from medai import datasets

SEED = 0
T_PRED, HORIZON = 6, 12  # predict at the end of hour 6 for onsets in hours 7..18
VITALS = ["heart_rate", "resp_rate", "temperature", "sbp", "spo2", "gcs"]
LABS = ["lactate", "wbc", "creatinine", "platelets", "bilirubin"]
COMORBIDITIES = ["diabetes", "ckd", "copd", "heart_failure", "immunosuppressed"]
# If you use gradient boosting: one OpenMP thread is much faster on a shared machine.
_single_thread = threadpool_limits(limits=1, user_api="openmp")

data = datasets.load("ehr_cohort", n_patients=8000, hours=24, seed=SEED)
patients, vitals, labs = data["patients"], data["vitals"], data["labs"]
SHIFTED = data.ground_truth["shifted_site"]  # "site_D": the external site, kept aside


def eligible_cohort(patients, prediction_hour=T_PRED, horizon=HORIZON):
    """Patients not yet septic at the prediction hour, with the label y (onset in the horizon)."""
    onset = patients["onset_hour"]
    cohort = patients[~(onset <= prediction_hour)].copy()
    later = cohort["onset_hour"]
    cohort["y"] = ((later > prediction_hour) & (later <= prediction_hour + horizon)).astype(int)
    return cohort


dev = eligible_cohort(patients[patients["site"] != SHIFTED])  # development: sites A-C
print(f"Development cohort (sites A-C): {len(dev)} eligible patients, "
      f"{dev['y'].sum()} with sepsis in hours {T_PRED + 1}-{T_PRED + HORIZON} "
      f"({dev['y'].mean():.1%})")
print(f"Hourly tables: vitals {vitals.shape}, labs {labs.shape}; external site: {SHIFTED}")

# %% [markdown]
# ## Question 1 · A patient-level split (2 points)
#
# Every number you report later must come from patients the model has never seen. Write
# `patient_level_split(frame, test_fraction, seed)`. `frame` is any DataFrame with a
# `patient_id` column: one row per patient (like `dev`) **or many rows per patient** (like
# `vitals`, 24 rows each, or a table with a different number of rows per patient). Return
# `(train, test)`: two DataFrames made of the rows of `frame` (same columns, original index)
# such that
#
# * every row of `frame` is in exactly one of them;
# * **no `patient_id` has rows on both sides**: all rows of a patient go together;
# * the number of test **patients** (not rows) is `round(test_fraction × number of patients)`,
#   give or take one;
# * the same `seed` gives the same split, and different seeds give different random splits.
#
# `np.random.default_rng(seed)` or scikit-learn's `GroupShuffleSplit` are good tools.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def patient_level_split(frame, test_fraction, seed):
    """Split the rows of `frame` into (train, test) so that no patient is on both sides."""
    ### BEGIN SOLUTION
    ids = frame["patient_id"].drop_duplicates().to_numpy()
    rng = np.random.default_rng(seed)
    n_test = int(round(test_fraction * len(ids)))
    test_ids = rng.permutation(ids)[:n_test]
    is_test = frame["patient_id"].isin(test_ids)
    return frame[~is_test], frame[is_test]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
train_part, test_part = patient_level_split(dev, 0.3, SEED)
assert isinstance(train_part, pd.DataFrame) and isinstance(test_part, pd.DataFrame), (
    "return two DataFrames (train, test) made of rows of the input"
)
assert len(train_part) + len(test_part) == len(dev), "every row must be in exactly one part"
assert set(train_part["patient_id"]).isdisjoint(test_part["patient_id"]), (
    "a patient appears in both the training and the test part"
)
n_patients = dev["patient_id"].nunique()
assert abs(test_part["patient_id"].nunique() - round(0.3 * n_patients)) <= 1, (
    f"expected round(0.3 x {n_patients}) = {round(0.3 * n_patients)} test patients (give or take "
    f"one), got {test_part['patient_id'].nunique()}"
)
repeat = patient_level_split(dev, 0.3, SEED)[1]
assert set(repeat["patient_id"]) == set(test_part["patient_id"]), (
    "the same seed must give the same split (use the seed for all randomness)"
)
print(f"train: {len(train_part)} patients, test: {len(test_part)} patients")
print("Public tests passed. Hidden tests split tables with many rows per patient.")
### BEGIN HIDDEN TESTS
_d1 = datasets.load("ehr_cohort", n_patients=400, hours=12, seed=11)
_rows = _d1["vitals"]  # 12 rows per patient
_columns1 = list(_rows.columns)
_a, _b = patient_level_split(_rows, 0.25, 3)
assert len(_a) + len(_b) == len(_rows), "every row must be in exactly one part"
assert set(_a.index).isdisjoint(_b.index) and set(_a.index) | set(_b.index) == set(_rows.index), (
    "the two parts must partition the rows of the input, keeping their index"
)
assert list(_a.columns) == _columns1 and list(_b.columns) == _columns1, (
    "both parts must have the same columns as the input (no added or dropped columns)"
)
assert set(_a["patient_id"]).isdisjoint(_b["patient_id"]), (
    "with several rows per patient, rows of one patient ended up on both sides (row-level split)"
)
assert abs(_b["patient_id"].nunique() - 0.25 * 400) <= 1, (
    "the test fraction must count patients, not rows"
)
_rng1 = np.random.default_rng(12)
_last_hour = pd.Series(_rng1.integers(0, 12, 400), index=_d1["patients"]["patient_id"])
_uneven = _rows[_rows["hour"] <= _rows["patient_id"].map(_last_hour)]  # 1 to 12 rows each
_a, _b = patient_level_split(_uneven, 0.5, 8)
assert set(_a["patient_id"]).isdisjoint(_b["patient_id"]), "a patient is on both sides"
assert abs(_b["patient_id"].nunique() - 200) <= 1, (
    "the test fraction must count patients, not rows"
)
_s1 = set(patient_level_split(_d1["patients"], 0.3, 1)[1]["patient_id"])
_s2 = set(patient_level_split(_d1["patients"], 0.3, 2)[1]["patient_id"])
assert _s1 != _s2, "different seeds should give different splits"
_s1b = set(patient_level_split(_d1["patients"], 0.3, 1)[1]["patient_id"])
assert _s1 == _s1b, "the same seed must give the same split"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · Features known at the prediction time (3 points)
#
# Write `build_features(cohort, vitals, labs, prediction_hour)`:
#
# * `cohort` has one row per patient, with the columns of `patients` (and possibly `y`);
#   `vitals` and `labs` are hourly tables that may contain other patients and all 24 hours;
# * return a DataFrame with **one row per patient of `cohort`, indexed by `patient_id` in the
#   order of `cohort`**, numeric columns only (NaN is allowed, if your model in Question 3
#   handles it), and the **same columns whatever the cohort or site**, so that a model
#   trained on one cohort can score another.
#
# The leak-free rules (dx02):
#
# 1. Use only the vitals and labs charted at hours $0, 1, \dots, t$ with
#    $t$ = `prediction_hour` (the alert runs at the end of hour $t$). Values at later hours
#    must not change any feature, not even through counts of measurements.
# 2. From the patient table use only what is known at admission: `age`, `sex` and the five
#    comorbidities. Never use `antibiotics_started_hour`, `sepsis`, `onset_hour`,
#    `mortality_30d` or `y`, in any transformed form either. Do not use `site` (the model
#    must work at a hospital it has never seen). Name each column after what it measures:
#    the public test rejects a column called `y`, or with a word in its name that begins with
#    `antibiotic`, `onset`, `sepsis`, `mortality` or `site`.
# 3. It is an early-warning model: use what was charted **after** admission, e.g. the last,
#    minimum and maximum charted values, a slope, the admission and the latest repeat lab
#    value, and the number of measurements, as in `window_features` of dx02.
#
# The hidden tests call your function on other patients and prediction hours, change the
# values charted after $t$ and the outcome columns, and check that your features do not change.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_features(cohort, vitals, labs, prediction_hour):
    """One feature row per patient of `cohort`, from data charted at hours <= prediction_hour."""
    ### BEGIN SOLUTION
    ids = cohort["patient_id"].to_numpy()
    window_v = vitals[vitals["patient_id"].isin(ids) & (vitals["hour"] <= prediction_hour)]
    window_l = labs[labs["patient_id"].isin(ids) & (labs["hour"] <= prediction_hour)]
    obs = window_v.merge(window_l, on=["patient_id", "hour"], how="outer")
    obs = obs.sort_values(["patient_id", "hour"])
    charted = obs.groupby("patient_id")
    later = obs[obs["hour"] >= 1].groupby("patient_id")
    parts = [
        charted[VITALS].last().add_suffix("_last"),  # last() skips NaN: last charted value
        charted[VITALS].min().add_suffix("_min"),
        charted[VITALS].max().add_suffix("_max"),
        obs[obs["hour"] == 0].set_index("patient_id")[LABS].add_suffix("_adm"),
        later[LABS].last().add_suffix("_repeat"),  # NaN if never repeated after admission
    ]
    counts = later[["temperature", "gcs", *LABS]].count().add_suffix("_n_obs")
    person = cohort.set_index("patient_id")
    base = person[["age", *COMORBIDITIES]].astype(float)
    base["male"] = (person["sex"] == "M").astype(float)
    features = base.join(pd.concat(parts, axis=1)).join(counts)
    features[counts.columns] = features[counts.columns].fillna(0)  # no repeat draw = 0 draws
    return features.loc[ids]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
sample = dev.head(300)
features_6 = build_features(sample, vitals, labs, T_PRED)
assert isinstance(features_6, pd.DataFrame), "build_features should return a DataFrame"
assert list(features_6.index) == sample["patient_id"].tolist(), (
    "one row per patient of the cohort, indexed by patient_id, in the order of the cohort"
)
non_numeric = [c for c in features_6.columns if not pd.api.types.is_numeric_dtype(features_6[c])]
assert not non_numeric, f"features must be numeric; not numeric: {non_numeric}"
outcome_words = ("antibiotic", "onset", "sepsis", "mortality", "site")
suspicious = [c for c in features_6.columns
              if str(c) == "y" or any(word.startswith(outcome_words)
                                      for word in re.findall(r"[a-z]+", str(c).lower()))]
assert not suspicious, f"these columns look like outcomes or the site, not predictors: {suspicious}"
site_sample = eligible_cohort(patients[patients["site"] == SHIFTED]).head(300)
features_site = build_features(site_sample, vitals, labs, T_PRED)
assert list(features_site.columns) == list(features_6.columns), (
    "the columns must not depend on the cohort or the site: the model scores other sites too"
)
features_0 = build_features(sample, vitals, labs, 0)
assert list(features_0.index) == list(features_6.index), "hour 0 must work too (admission only)"
print(f"{features_6.shape[1]} features, e.g. {list(features_6.columns[:6])}")
print("Public tests passed. Hidden tests perturb data after the prediction hour.")
### BEGIN HIDDEN TESTS
_t2 = 8
_d2 = datasets.load("ehr_cohort", n_patients=500, hours=24, seed=23)
_pat2 = _d2["patients"]
_cohort2 = _pat2[~(_pat2["onset_hour"] <= _t2)].copy()
_cohort2["y"] = ((_cohort2["onset_hour"] > _t2) & (_cohort2["onset_hour"] <= _t2 + 12)).astype(int)
_cohort2 = _cohort2.sample(frac=1.0, random_state=4)  # not in patient_id order


def _same_features(first, second):
    if list(first.index) != list(second.index) or list(first.columns) != list(second.columns):
        return False
    return bool(np.allclose(first.to_numpy(dtype=float), second.to_numpy(dtype=float),
                            equal_nan=True))


def _scramble_after(table, hour, rng):
    out = table.copy()
    after = (out["hour"] > hour).to_numpy()
    for col in [c for c in out.columns if c not in ("patient_id", "hour")]:
        new = float(out[col].median()) * rng.uniform(0.5, 1.6, after.sum())
        new[rng.random(after.sum()) < 0.4] = np.nan  # measurements appear and disappear
        out.loc[after, col] = new
    return out


_ref2 = build_features(_cohort2, _d2["vitals"], _d2["labs"], _t2)
assert list(_ref2.index) == _cohort2["patient_id"].tolist(), (
    "rows must follow the order of the cohort, indexed by patient_id"
)
_few2 = build_features(_cohort2.head(4), _d2["vitals"], _d2["labs"], _t2)
assert list(_few2.columns) == list(_ref2.columns), (
    "a cohort of 4 patients gets other columns than a large one: the columns must not depend "
    "on which values occur in the cohort (e.g. pd.get_dummies of a column of the cohort)"
)
_rng2 = np.random.default_rng(99)
_future2 = build_features(_cohort2, _scramble_after(_d2["vitals"], _t2, _rng2),
                          _scramble_after(_d2["labs"], _t2, _rng2), _t2)
assert _same_features(_ref2, _future2), (
    "your features change when values charted AFTER the prediction hour change: temporal leakage"
)
_outcomes2 = _cohort2.copy()
_n2 = len(_outcomes2)
_outcomes2["antibiotics_started_hour"] = np.where(_rng2.random(_n2) < 0.5, np.nan,
                                                  _rng2.integers(0, 30, _n2).astype(float))
_outcomes2["onset_hour"] = np.where(_rng2.random(_n2) < 0.5, np.nan,
                                    _rng2.integers(3, 24, _n2).astype(float))
for _col in ["sepsis", "mortality_30d", "y"]:
    _outcomes2[_col] = 1 - _outcomes2[_col]
assert _same_features(_ref2, build_features(_outcomes2, _d2["vitals"], _d2["labs"], _t2)), (
    "your features change with antibiotics_started_hour, onset_hour, sepsis, mortality_30d or y: "
    "label leakage"
)
_moved2 = _cohort2.assign(site="site_Q")
assert _same_features(_ref2, build_features(_moved2, _d2["vitals"], _d2["labs"], _t2)), (
    "your features depend on the site name; the model must work at a site it has never seen"
)
_v3, _l3 = _d2["vitals"].copy(), _d2["labs"].copy()
_v3.loc[_v3["hour"].between(1, _t2), VITALS] += 40
_l3.loc[_l3["hour"].between(1, _t2), LABS] *= 2
assert not _same_features(_ref2, build_features(_cohort2, _v3, _l3, _t2)), (
    "your features ignore what was charted after admission: an early-warning model must use it"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · Fit the model, report on held-out patients (2 points)
#
# The first lines of the cell below are given: they split the development cohort into
# **training** patients (to fit the model), **calibration** patients (Question 4 only) and
# **test** patients (to report), with your two functions. Then:
#
# * fit a classifier with `predict_proba` on the **training patients only** and call it
#   `model`. `model` must take the output of `build_features` **as it is**: every
#   preprocessing step (imputation, scaling, ...) goes **inside** `model`, as a scikit-learn
#   pipeline, because the hidden tests call `model.predict_proba(build_features(...))` on new
#   patients and refit a copy of `model` with `sklearn.base.clone`. A pipeline as in dx02 works
#   well: `SimpleImputer(strategy="median", add_indicator=True)`, `StandardScaler()`,
#   `LogisticRegression(C=0.1, max_iter=2000)`. Gradient boosting is allowed. If the model has
#   any randomness, fix its `random_state`;
# * `test_risk`: the model's predicted probability of **sepsis** (`y = 1`) for each test
#   patient, in the order of `dev_test`, as a NumPy array;
# * `test_auroc`: the AUROC of `test_risk` against `dev_test["y"]`.
#
# An honest hour-6 model on these data reaches a test AUROC of about 0.75–0.82. The test
# requires **0.70 < AUROC < 0.90**: above 0.9 on ward data, look for a leak first.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
dev_rest, dev_test = patient_level_split(dev, 0.3, SEED)
dev_train, dev_cal = patient_level_split(dev_rest, 0.25, SEED)
X_train = build_features(dev_train, vitals, labs, T_PRED)
X_cal = build_features(dev_cal, vitals, labs, T_PRED)
X_test = build_features(dev_test, vitals, labs, T_PRED)

# Fit `model` on the training patients only; then `test_risk` and `test_auroc`.
### BEGIN SOLUTION
model = make_pipeline(
    SimpleImputer(strategy="median", add_indicator=True),
    StandardScaler(),
    LogisticRegression(C=0.1, max_iter=2000),
)
model.fit(X_train, dev_train["y"])
test_risk = model.predict_proba(X_test)[:, 1]  # column 1 = P(y = 1)
test_auroc = roc_auc_score(dev_test["y"], test_risk)
### END SOLUTION
print(f"train {len(dev_train)}, calibration {len(dev_cal)}, test {len(dev_test)} patients")
print(f"Test AUROC (held-out patients): {test_auroc:.3f}")

# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert hasattr(model, "predict_proba"), "model must be a fitted classifier with predict_proba"
assert isinstance(test_risk, np.ndarray), (
    f"test_risk should be a NumPy array (model.predict_proba(X_test)[:, 1] is one), "
    f"not a {type(test_risk).__name__}"
)
test_risk_array = np.asarray(test_risk, dtype=float)
assert test_risk_array.shape == (len(dev_test),), "test_risk needs one probability per test patient"
assert np.all((test_risk_array >= 0) & (test_risk_array <= 1)), "test_risk must be probabilities"
assert test_auroc > 0.5, (
    "AUROC below 0.5: the model ranks backwards. predict_proba(...)[:, 0] is the probability of "
    "NO sepsis; the risk of sepsis is column 1"
)
assert test_auroc > 0.70, (
    f"test AUROC {test_auroc:.3f} is too low for an hour-6 model: use what was charted after "
    "admission, and check the imputation and the model"
)
assert test_auroc < 0.90, (
    f"test AUROC {test_auroc:.3f} is too good to be true on ward data: look for a leak "
    "(outcome columns, data after the prediction hour)"
)
print("Public tests passed. Hidden tests recompute the AUROC on the held-out patients.")
### BEGIN HIDDEN TESTS
from sklearn.base import clone as _clone

_d3 = datasets.load("ehr_cohort", n_patients=8000, hours=24, seed=0)
_p3 = _d3["patients"]
_dev3 = _p3[(_p3["site"] != _d3.ground_truth["shifted_site"]) & ~(_p3["onset_hour"] <= 6)].copy()
_dev3["y"] = ((_dev3["onset_hour"] > 6) & (_dev3["onset_hour"] <= 18)).astype(int)
_rest3, _test3 = patient_level_split(_dev3, 0.3, 0)
_train3, _cal3 = patient_level_split(_rest3, 0.25, 0)
_X_test3 = build_features(_test3, _d3["vitals"], _d3["labs"], 6)
_risk3 = model.predict_proba(_X_test3)[:, 1]
assert np.allclose(np.asarray(test_risk, dtype=float), _risk3), (
    "test_risk is not P(sepsis) of the model for the test patients, in the order of dev_test"
)
assert math.isclose(test_auroc, roc_auc_score(_test3["y"], _risk3), abs_tol=1e-9), (
    "test_auroc is not the AUROC on the held-out test patients"
)
_X_train3 = build_features(_train3, _d3["vitals"], _d3["labs"], 6)
_refit3 = _clone(model).fit(_X_train3, _train3["y"]).predict_proba(_X_test3)[:, 1]
assert np.allclose(_refit3, _risk3, atol=1e-6), (
    "model was not fitted on the training patients only, or refitting it does not reproduce it "
    "(fix its random_state): calibration and test patients must not be used for fitting"
)
assert 0.70 < test_auroc < 0.90
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · Calibration on a separate calibration set (3 points)
#
# Use the notation of dx03: the linear predictor $\mathrm{LP}_i = \operatorname{logit}(\hat p_i)$,
# and clip every $\hat p_i$ to $[10^{-6},\ 1 - 10^{-6}]$ before taking the logit.
#
# 1. `calibration_in_the_large(y, risk)`: the intercept $a$ of
#    $\operatorname{logit} P(Y_i = 1) = a + \mathrm{LP}_i$ (slope **fixed** at 1), i.e. the
#    solution of $\sum_i \big(y_i - \sigma(a + \mathrm{LP}_i)\big) = 0$. Positive $a$ means
#    risks that are too low.
# 2. `logistic_recalibration(y, risk)`: the tuple $(a, b)$ of the **unpenalised**
#    maximum-likelihood fit of $\operatorname{logit} P(Y_i = 1) = a + b\,\mathrm{LP}_i$. $b$ is
#    the calibration slope; $\sigma(a + b\,\mathrm{LP})$ is Platt scaling.
#    (`LogisticRegression(C=np.inf)` is unpenalised; the default `C=1.0` is not.)
#
# Both accept lists, arrays or pandas Series. Then recalibrate the model from Question 3 on the
# **calibration patients** (never on the test patients, which are only for reporting):
# `recal_a, recal_b` from `X_cal` and `dev_cal["y"]`, and `test_risk_recal`
# $= \sigma(a + b\,\mathrm{LP})$ for the test patients.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def calibration_in_the_large(y, risk):
    """Intercept a of logit P(Y=1) = a + logit(risk), slope fixed at 1."""
    ### BEGIN SOLUTION
    outcome = np.asarray(y, dtype=float)
    lp = logit(np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6))
    return float(brentq(lambda a: np.sum(outcome - expit(a + lp)), -30, 30))
    ### END SOLUTION


def logistic_recalibration(y, risk):
    """(a, b) of the unpenalised fit logit P(Y=1) = a + b * logit(risk)."""
    ### BEGIN SOLUTION
    outcome = np.asarray(y, dtype=int)
    lp = logit(np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6))
    fit = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(lp.reshape(-1, 1), outcome)
    return float(fit.intercept_[0]), float(fit.coef_[0, 0])
    ### END SOLUTION


# Recalibrate on the calibration patients: `recal_a`, `recal_b`, then `test_risk_recal`.
### BEGIN SOLUTION
cal_risk = model.predict_proba(X_cal)[:, 1]
recal_a, recal_b = logistic_recalibration(dev_cal["y"], cal_risk)
test_risk_recal = expit(recal_a + recal_b * logit(np.clip(test_risk, 1e-6, 1 - 1e-6)))
### END SOLUTION
print(f"Recalibration fitted on {len(dev_cal)} calibration patients: "
      f"a = {recal_a:.3f}, b = {recal_b:.3f}")

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(1)
toy_risk = expit(rng.normal(-1.5, 1.0, 20000))
toy_y = (rng.random(20000) < expit(0.5 + 0.7 * logit(toy_risk))).astype(int)
recalibration = logistic_recalibration(toy_y, toy_risk)
assert isinstance(recalibration, tuple) and len(recalibration) == 2, (
    "logistic_recalibration should return the tuple (a, b), e.g. `return float(a), float(b)`; "
    f"got a {type(recalibration).__name__}"
)
a, b = recalibration
assert abs(b - 0.7) < 0.07 and abs(a - 0.5) < 0.1, (
    f"outcomes drawn from logit P = 0.5 + 0.7 LP should give a ~ 0.5, b ~ 0.7; got {a:.2f}, {b:.2f}"
)
toy_y_high = (rng.random(20000) < expit(logit(toy_risk) + 0.3)).astype(int)
citl = calibration_in_the_large(toy_y_high, toy_risk)
assert abs(citl - 0.3) < 0.06, (
    f"risks 0.3 log-odds too low should give a calibration-in-the-large near +0.3, got {citl:.2f}"
)
recal = np.asarray(test_risk_recal, dtype=float)
assert recal.shape == (len(dev_test),), "test_risk_recal needs one probability per test patient"
assert math.isclose(roc_auc_score(dev_test["y"], recal), roc_auc_score(dev_test["y"], test_risk),
                    abs_tol=1e-6), (
    "logistic recalibration is monotone: it must not change the test AUROC"
)
report = pd.DataFrame({
    "before": [calibration_in_the_large(dev_test["y"], test_risk),
               logistic_recalibration(dev_test["y"], test_risk)[1]],
    "after recalibration": [calibration_in_the_large(dev_test["y"], recal),
                            logistic_recalibration(dev_test["y"], recal)[1]],
}, index=["calibration-in-the-large (test)", "calibration slope (test)"])
print(report.round(3))
print("Public tests passed. Hidden tests check the fits exactly and the data they use.")
### BEGIN HIDDEN TESTS
_rng4 = np.random.default_rng(404)


def _fit_ab4(y, risk):
    """Unpenalised ML fit of logit P(Y=1) = a + b LP: Newton's method from (0, 0), with the step
    halved until the likelihood increases (plain Newton diverges for very overconfident risks)."""
    outcome = np.asarray(y, dtype=float)
    lp = logit(np.clip(np.asarray(risk, dtype=float), 1e-6, 1 - 1e-6))
    design = np.column_stack([np.ones_like(lp), lp])

    def loglik(beta):
        eta = design @ beta
        return np.sum(outcome * eta - np.logaddexp(0, eta))

    beta = np.zeros(2)
    for _ in range(200):
        mu = expit(design @ beta)
        step = np.linalg.solve(design.T @ (design * (mu * (1 - mu))[:, None]),
                               design.T @ (outcome - mu))
        while loglik(beta + step) < loglik(beta) and np.max(np.abs(step)) > 1e-14:
            step = step / 2
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    return beta


_r4 = expit(_rng4.normal(-1.0, 1.2, 800))
_y4 = (_rng4.random(800) < expit(-0.4 + 1.6 * logit(_r4))).astype(int)
_ab4 = _fit_ab4(_y4, _r4)
_a4, _b4 = logistic_recalibration(pd.Series(_y4, index=np.arange(800) + 7), list(_r4))
assert abs(_a4 - _ab4[0]) < 2e-3 and abs(_b4 - _ab4[1]) < 2e-3, (
    "logistic_recalibration is not the unpenalised maximum-likelihood fit (is it penalised?)"
)
_c4 = calibration_in_the_large(list(_y4), pd.Series(_r4))
_lp4 = logit(_r4)
assert abs(np.mean(_y4 - expit(_c4 + _lp4))) < 1e-4, (
    "calibration-in-the-large fixes the slope at 1: the shifted predictions must sum to the events"
)
assert math.isclose(calibration_in_the_large([0, 1, 1, 0], [0.0, 1.0, 0.5, 0.5]), 0.0,
                    abs_tol=1e-6), "clip the risks before the logit"
_r4x = _r4.copy()
_r4x[:4] = [0.0, 1e-9, 1.0, 1 - 1e-9]  # the first patient had sepsis at a predicted risk of 0
_abx4 = _fit_ab4(_y4, _r4x)
_ax4, _bx4 = logistic_recalibration(_y4, _r4x)
assert abs(_ax4 - _abx4[0]) < 2e-3 and abs(_bx4 - _abx4[1]) < 2e-3, (
    "with risks of 0, 1 or beyond [1e-6, 1 - 1e-6], clip them to that range before the logit"
)
_d4 = datasets.load("ehr_cohort", n_patients=8000, hours=24, seed=0)
_p4 = _d4["patients"]
_dev4 = _p4[(_p4["site"] != _d4.ground_truth["shifted_site"]) & ~(_p4["onset_hour"] <= 6)].copy()
_dev4["y"] = ((_dev4["onset_hour"] > 6) & (_dev4["onset_hour"] <= 18)).astype(int)
_rest4, _test4 = patient_level_split(_dev4, 0.3, 0)
_train4, _cal4 = patient_level_split(_rest4, 0.25, 0)
_cal_ab4 = _fit_ab4(_cal4["y"],
                    model.predict_proba(build_features(_cal4, _d4["vitals"], _d4["labs"], 6))[:, 1])
_test_r4 = model.predict_proba(build_features(_test4, _d4["vitals"], _d4["labs"], 6))[:, 1]
_test_ab4 = _fit_ab4(_test4["y"], _test_r4)
_err_cal = abs(recal_a - _cal_ab4[0]) + abs(recal_b - _cal_ab4[1])
_err_test = abs(recal_a - _test_ab4[0]) + abs(recal_b - _test_ab4[1])
assert _err_cal < 0.01 and _err_cal < _err_test, (
    "recal_a, recal_b must be fitted on the calibration patients only, never on the test patients"
)
_own_lp4 = logit(np.clip(np.asarray(test_risk, dtype=float), 1e-6, 1 - 1e-6))
assert np.allclose(np.asarray(test_risk_recal, dtype=float), expit(recal_a + recal_b * _own_lp4),
                   atol=1e-6), "test_risk_recal should apply sigma(a + b * LP) to test_risk"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · External validation at a held-out site (3 points)
#
# Internal test patients come from the same three hospitals as the training patients. The
# question a new hospital asks is different: *how does the model, exactly as trained, perform
# on our patients?* Write
#
# * `validation_summary(y, risk)` (lists, arrays or pandas Series, matched by position): a
#   dict with the keys `"n"` (patients), `"event_rate"` (mean of `y`), `"mean_risk"` (mean of
#   `risk`), `"auroc"`, `"citl"` (calibration-in-the-large) and `"slope"` (calibration slope),
#   using your functions from Question 4;
# * `external_validation(model, data, site)`: takes the fitted `model`, a loaded `ehr_cohort`
#   dataset `data` (with `data["patients"]`, `data["vitals"]`, `data["labs"]`) and a site name;
#   builds the eligible cohort of **that site's patients** with `eligible_cohort`, their
#   features at `T_PRED` from **that dataset's** hourly tables, the model's risk of sepsis
#   (no refitting, no recalibration), and returns `validation_summary` of them.
#
# The last two lines of the cell (given) apply them to the internal test patients and to
# `site_D`.
#
# The hidden tests validate your `model` at the shifted site of **another hospital network**
# (the generator with another seed) and require an **AUROC of at least 0.70** there.

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def validation_summary(y, risk):
    """Size, event rate, mean risk, AUROC, calibration-in-the-large and slope."""
    ### BEGIN SOLUTION
    outcome = np.asarray(y, dtype=int)
    predicted = np.asarray(risk, dtype=float)
    return {
        "n": len(outcome),
        "event_rate": float(outcome.mean()),
        "mean_risk": float(predicted.mean()),
        "auroc": float(roc_auc_score(outcome, predicted)),
        "citl": calibration_in_the_large(outcome, predicted),
        "slope": logistic_recalibration(outcome, predicted)[1],
    }
    ### END SOLUTION


def external_validation(model, data, site):
    """validation_summary of the fitted model on the eligible patients of one site of `data`."""
    ### BEGIN SOLUTION
    site_patients = data["patients"][data["patients"]["site"] == site]
    cohort = eligible_cohort(site_patients)
    features = build_features(cohort, data["vitals"], data["labs"], T_PRED)
    return validation_summary(cohort["y"], model.predict_proba(features)[:, 1])
    ### END SOLUTION


internal = validation_summary(dev_test["y"], test_risk)  # the internal test patients
external = external_validation(model, data, SHIFTED)  # the held-out site

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
keys = {"n", "event_rate", "mean_risk", "auroc", "citl", "slope"}
assert set(internal) == keys and set(external) == keys, f"expected the keys {sorted(keys)}"
assert internal["n"] == len(dev_test), "internal: summarise the internal test patients"
assert math.isclose(internal["auroc"], roc_auc_score(dev_test["y"], test_risk)), (
    "internal: the AUROC of test_risk on the test patients"
)
n_site = len(eligible_cohort(patients[patients["site"] == SHIFTED]))
assert external["n"] == n_site, (
    f"external: expected the {n_site} eligible patients of {SHIFTED}, got {external['n']}"
)
assert 0.5 < external["auroc"] < 0.95, "an external AUROC outside 0.5-0.95 suggests a bug"
comparison = pd.DataFrame({"internal test (sites A-C)": internal,
                           f"external ({SHIFTED})": external})
print(comparison.round(3))
print(f"External AUROC here {external['auroc']:.3f}: the hidden test asks for at least 0.70 "
      f"at another hospital's shifted site (a margin of {external['auroc'] - 0.70:+.3f} here"
      + ("; close to the bar: check your features" if external["auroc"] < 0.74 else "") + ").")
print("Public tests passed. Hidden tests validate your model at another hospital's shifted site.")
### BEGIN HIDDEN TESTS
_d5 = datasets.load("ehr_cohort", n_patients=8000, hours=24, seed=2027)
_p5 = _d5["patients"]
for _site5 in [_d5.ground_truth["shifted_site"], "site_A"]:
    _c5 = _p5[(_p5["site"] == _site5) & ~(_p5["onset_hour"] <= 6)].copy()
    _c5["y"] = ((_c5["onset_hour"] > 6) & (_c5["onset_hour"] <= 18)).astype(int)
    _r5 = model.predict_proba(build_features(_c5, _d5["vitals"], _d5["labs"], 6))[:, 1]
    _e5 = external_validation(model, _d5, _site5)
    assert _e5["n"] == len(_c5), (
        "external_validation must use the eligible patients of the given site"
    )
    assert math.isclose(_e5["event_rate"], _c5["y"].mean()), "event_rate is not that of the site"
    assert math.isclose(_e5["mean_risk"], _r5.mean(), rel_tol=1e-6), (
        "mean_risk is not the model's mean predicted risk at the site "
        "(no refitting, no recalibration)"
    )
    assert math.isclose(_e5["auroc"], roc_auc_score(_c5["y"], _r5), abs_tol=1e-9), (
        "auroc is not computed on the given site's patients"
    )
    assert math.isclose(_e5["citl"], calibration_in_the_large(_c5["y"], _r5), abs_tol=1e-6), (
        "citl is not calibration_in_the_large of the site's patients and risks"
    )
    assert math.isclose(_e5["slope"], logistic_recalibration(_c5["y"], _r5)[1], abs_tol=1e-6), (
        "slope is not the calibration slope b of logistic_recalibration (the second element)"
    )
    if _site5 == _d5.ground_truth["shifted_site"]:
        assert _e5["auroc"] >= 0.70, (
            "at a hidden external site your model's AUROC is below the threshold stated above"
        )
_rng5 = np.random.default_rng(55)
_y5 = _rng5.integers(0, 2, 500)
_s5 = expit(_rng5.normal(-1, 1, 500) + _y5)
_sum5 = validation_summary(pd.Series(_y5, index=np.arange(500) + 3), list(_s5))
assert _sum5["n"] == 500 and math.isclose(_sum5["auroc"], roc_auc_score(_y5, _s5))
assert math.isclose(_sum5["event_rate"], _y5.mean())
assert math.isclose(_sum5["mean_risk"], _s5.mean())
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6 · What changed at the shifted site? (2 points, graded by hand)
#
# Using the comparison table printed above, answer in at most 200 words:
#
# 1. Did **discrimination** and **calibration** transfer to `site_D`? Quote the AUROC, the
#    event rate against the mean predicted risk, the calibration-in-the-large and the slope.
# 2. The data card lists what differs at the shifted site: older, more comorbid patients;
#    +0.4 log-odds of baseline sepsis risk not explained by any recorded variable; a lactate
#    assay reading 0.5 mmol/L high; lab panels drawn twice as often by policy. Which of these
#    would you expect to push the model's risks up, which down, and which only to change the
#    case mix? Why can a calibration-in-the-large close to 0 be reassuring for the wrong reasons?
# 3. What would you do before switching the alert on at `site_D`?
#
# **Rubric** (2 points)
#
# | points | the answer |
# |---|---|
# | 0.5 | quotes the AUROC, the event rate against the mean predicted risk, the calibration-in-the-large and the slope, internal and at `site_D`, and judges both discrimination and calibration from them, using the slope as well as the calibration-in-the-large |
# | 1 | says, for each of the four differences, whether it moves the predicted risks, the true risks, or only the case mix the model already accounts for, with a reason; and explains how a calibration-in-the-large close to 0 can hide errors that cancel on average |
# | 0.5 | proposes concrete steps before go-live that follow from these findings (e.g. local validation, recalibration or refitting, threshold, monitoring) |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_site_shift", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer mentions (reference solution, seed 0): discrimination dropped somewhat
# (AUROC 0.76 at site_D against 0.82 on the internal test patients; with about 115 internal
# and 250 external events part of this gap is noise). Sepsis in the horizon is twice as common
# at site_D (12.9% against 6.6%); the mean predicted risk (12.2%) nearly matches it, so the
# calibration-in-the-large is close to 0 (+0.09, slight under-prediction), but the slope is
# about 0.8: the risks are too spread out (high risks too high, low ones too low).
# The older, more comorbid case mix raises the predicted risks legitimately and by itself
# causes no miscalibration. The +0.4 log-odds baseline risk pushes the true risk up without
# moving the predictions (under-prediction). The lactate assay reading high and the routine
# extra lab draws (counts, "a repeat value exists") push the predictions up without any
# change in true risk. These errors roughly cancel on average (with the lactate corrected
# by 0.5 mmol/L the mean prediction would be about 10%), so a CITL near 0 hides compensating
# errors that differ between patients (e.g. those without repeat labs are under-predicted)
# and would break with any change of assay or lab policy. Before go-live: a silent-mode local
# validation with enough events and confidence intervals; local recalibration (intercept
# and slope) or a refit with the assay harmonised and without practice-dependent features;
# subgroup checks (age, lab-draw pattern); an alert threshold set from site_D's alarm budget;
# monitoring of calibration after deployment.
# ### END SOLUTION
