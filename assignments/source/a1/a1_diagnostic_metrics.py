# %% [markdown]
# # Assignment 1 · Diagnostic metrics
#
# **Module:** AI diagnosis and prediction · **Lesson:** dx01 Clinical prediction basics · **Points:** 13
#
# A logistic-regression model reads the 30 nuclear features of a breast fine-needle
# aspirate and outputs a probability of malignancy. Before anyone uses it to decide who
# goes on to biopsy, you will measure it the way a diagnostic-accuracy study does,
# writing each metric yourself so that you know exactly what it counts.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. Use NumPy only inside your functions (no
# `sklearn.metrics`): the point is to know what the library computes. Run every cell
# top to bottom before you submit. The cells with `assert` are the public tests; more
# (hidden) tests run when your work is graded, so test edge cases yourself.
#
# Throughout, **1 = malignant (disease present, positive)** and **0 = benign**.
#
# **Your data.** Your test set is drawn for you from the 569 patients: the setup cell prints
# your variant, and your work is graded on the same split. Classmates have other test
# patients and so other thresholds and AUROCs: compare methods with them, not numbers.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets
from medai.teach import variant

my_seed = variant.show("a1")
data = datasets.load("breast_cancer_wisconsin")
X_train, X_test, y_train, y_test = train_test_split(
    data.features, data.target, test_size=0.3, stratify=data.target, random_state=my_seed
)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
y_test = y_test.to_numpy()
scores = model.predict_proba(X_test)[:, 1]  # predicted probability of malignancy
print(f"{len(y_test)} test patients, {int(y_test.sum())} malignant")

# %% [markdown]
# ## Question 1 · Sensitivity, specificity, PPV and NPV (3 points)
#
# Write `diagnostic_metrics(y_true, y_pred)` that takes true labels and predicted labels
# (arrays, lists or pandas Series of 0/1) and returns a dict with the keys
# `"sensitivity"`, `"specificity"`, `"ppv"` and `"npv"`. The two inputs are matched **by
# position**: the first label goes with the first prediction, even when two Series carry
# different indexes (`np.asarray` drops the index).
#
# * sensitivity = TP / (TP + FN): of the patients **with** cancer, the share the test flags;
# * specificity = TN / (TN + FP): of the patients **without** cancer, the share it clears;
# * PPV = TP / (TP + FP): of the positive results, the share that are cancer;
# * NPV = TN / (TN + FN): of the negative results, the share that are truly benign.
#
# When a denominator is zero the metric is undefined: return `math.nan` for it.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def diagnostic_metrics(y_true, y_pred):
    """Sensitivity, specificity, PPV and NPV of binary predictions (1 = disease)."""
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    predicted = np.asarray(y_pred).astype(int)
    tp = int(np.sum((truth == 1) & (predicted == 1)))
    tn = int(np.sum((truth == 0) & (predicted == 0)))
    fp = int(np.sum((truth == 0) & (predicted == 1)))
    fn = int(np.sum((truth == 1) & (predicted == 0)))

    def ratio(numerator, denominator):
        return numerator / denominator if denominator else math.nan

    return {
        "sensitivity": ratio(tp, tp + fn),
        "specificity": ratio(tn, tn + fp),
        "ppv": ratio(tp, tp + fp),
        "npv": ratio(tn, tn + fn),
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Public tests. 4 patients with cancer (3 caught), 6 without (4 cleared).
example_true = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
example_pred = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]
result = diagnostic_metrics(example_true, example_pred)
assert isinstance(result, dict), "diagnostic_metrics should return a dict"
assert set(result) == {"sensitivity", "specificity", "ppv", "npv"}, (
    f"expected the keys sensitivity, specificity, ppv, npv; got {sorted(result)}"
)
assert math.isclose(result["sensitivity"], 0.75), (
    "sensitivity is TP / (TP + FN), over patients who HAVE the disease. "
    "0.6 means you divided by all positive predictions (that is PPV)."
)
assert math.isclose(result["specificity"], 4 / 6), (
    "specificity is TN / (TN + FP), over patients who do NOT have the disease. "
    "0.8 means you divided by all negative predictions (that is NPV)."
)
assert math.isclose(result["ppv"], 0.6), (
    "PPV is TP / (TP + FP): among positive predictions, how many are truly positive. "
    "Check that you did not swap PPV and sensitivity."
)
assert math.isclose(result["npv"], 0.8), (
    "NPV is TN / (TN + FN): among negative predictions, how many are truly negative."
)
print("Public tests passed. Hidden tests will also check other data and edge cases.")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2027)
_truth = _rng.integers(0, 2, 300)
_pred = np.where(_rng.random(300) < 0.8, _truth, 1 - _truth)
_tp = np.sum((_truth == 1) & (_pred == 1))
_tn = np.sum((_truth == 0) & (_pred == 0))
_fp = np.sum((_truth == 0) & (_pred == 1))
_fn = np.sum((_truth == 1) & (_pred == 0))
_hidden = diagnostic_metrics(_truth.tolist(), _pred.tolist())
assert math.isclose(_hidden["sensitivity"], _tp / (_tp + _fn))
assert math.isclose(_hidden["specificity"], _tn / (_tn + _fp))
assert math.isclose(_hidden["ppv"], _tp / (_tp + _fp))
assert math.isclose(_hidden["npv"], _tn / (_tn + _fn))
import pandas as _pd
_series = diagnostic_metrics(_pd.Series(_truth, index=range(1000, 1300)),
                             _pd.Series(_pred, index=range(1300, 1000, -1)))
assert math.isclose(_series["ppv"], _tp / (_tp + _fp)), "pandas Series must be compared by position"
_none_flagged = diagnostic_metrics([1, 0, 0, 1], [0, 0, 0, 0])
assert math.isnan(_none_flagged["ppv"]), "PPV with no positive predictions must be nan"
assert math.isclose(_none_flagged["sensitivity"], 0.0)
assert math.isclose(_none_flagged["npv"], 0.5)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · Predictive values depend on prevalence (2 points)
#
# Sensitivity and specificity describe the test; PPV and NPV also depend on how common
# the disease is in the people tested. Write
# `predictive_values_at_prevalence(sensitivity, specificity, prevalence)` that returns the
# tuple `(ppv, npv)` expected when the test is used where a fraction `prevalence` of the
# patients has the disease (Bayes' theorem).

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    """(PPV, NPV) of a test with this sensitivity and specificity at this prevalence."""
    ### BEGIN SOLUTION
    true_pos = sensitivity * prevalence
    false_pos = (1 - specificity) * (1 - prevalence)
    true_neg = specificity * (1 - prevalence)
    false_neg = (1 - sensitivity) * prevalence
    return true_pos / (true_pos + false_pos), true_neg / (true_neg + false_neg)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
ppv, npv = predictive_values_at_prevalence(0.9, 0.9, 0.5)
assert math.isclose(ppv, 0.9) and math.isclose(npv, 0.9), (
    "with prevalence 0.5 and sensitivity = specificity = 0.9, PPV and NPV are both 0.9"
)
ppv, npv = predictive_values_at_prevalence(0.9, 0.9, 0.01)
assert math.isclose(ppv, 0.009 / (0.009 + 0.099)), (
    "at 1% prevalence most positives are false: PPV = sens*prev / (sens*prev + (1-spec)*(1-prev)). "
    "A PPV of 0.9 here means prevalence was ignored."
)
print("Public tests passed.")
### BEGIN HIDDEN TESTS
_ppv, _npv = predictive_values_at_prevalence(0.8, 0.95, 0.2)
assert math.isclose(_ppv, 0.16 / (0.16 + 0.04))
assert math.isclose(_npv, 0.76 / (0.76 + 0.04))
_ppv, _npv = predictive_values_at_prevalence(0.99, 0.7, 0.005)
assert math.isclose(_ppv, 0.99 * 0.005 / (0.99 * 0.005 + 0.3 * 0.995))
assert math.isclose(_npv, 0.7 * 0.995 / (0.7 * 0.995 + 0.01 * 0.005))
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · A threshold for a target sensitivity (2 points)
#
# In a referral clinic, missing a cancer is far worse than an extra biopsy, so the team
# asks for a threshold that catches at least 95% of cancers. A patient is called positive
# when `score >= threshold`. Write `threshold_for_sensitivity(y_true, scores, target)`
# that returns the **highest** threshold (one of the observed scores) whose sensitivity
# is at least `target`. The highest such threshold keeps specificity as high as possible.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def threshold_for_sensitivity(y_true, scores, target):
    """Highest observed score t such that flagging score >= t reaches the target sensitivity."""
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    positive_scores = np.sort(values[truth == 1])[::-1]
    needed = math.ceil(target * len(positive_scores) - 1e-12)
    return float(positive_scores[max(needed, 1) - 1])
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
toy_true = [1, 1, 1, 1, 0, 0, 0, 0]
toy_scores = [0.9, 0.8, 0.4, 0.3, 0.7, 0.35, 0.2, 0.1]
t = threshold_for_sensitivity(toy_true, toy_scores, 0.75)
assert t in toy_scores, "return one of the observed scores, not an interpolated value"
assert math.isclose(t, 0.4), (
    "3 of 4 cancers have scores >= 0.4, so 0.4 is the highest threshold with sensitivity 0.75. "
    "0.3 is too low (it costs specificity); 0.7 catches only 2 of 4."
)
t95 = threshold_for_sensitivity(y_test, scores, 0.95)
achieved = np.mean(scores[y_test == 1] >= t95)
assert achieved >= 0.95, f"your threshold {t95:.3f} catches only {achieved:.1%} of cancers"
print(f"threshold for 95% sensitivity: {t95:.3f}")
### BEGIN HIDDEN TESTS
_pos = np.sort(scores[y_test == 1])[::-1]
assert math.isclose(t95, _pos[math.ceil(0.95 * len(_pos)) - 1]), "not the highest such threshold"
_t = threshold_for_sensitivity(np.array([1, 1, 0, 1, 0]), np.array([0.2, 0.6, 0.5, 0.9, 0.1]), 1.0)
assert math.isclose(_t, 0.2)
_t = threshold_for_sensitivity([0, 1, 1, 0, 1], [0.3, 0.8, 0.6, 0.65, 0.55], 0.5)
assert math.isclose(_t, 0.6)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · AUROC from its definition (2 points)
#
# The area under the ROC curve equals the probability that a randomly chosen patient with
# cancer gets a higher score than a randomly chosen patient without it, counting ties as
# one half (the Mann-Whitney statistic). Write `auroc(y_true, scores)` from that definition.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def auroc(y_true, scores):
    """Probability that a random positive outranks a random negative (ties count 1/2)."""
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    positives = values[truth == 1][:, None]
    negatives = values[truth == 0][None, :]
    wins = (positives > negatives).sum() + 0.5 * (positives == negatives).sum()
    return float(wins / (positives.size * negatives.size))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert math.isclose(auroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75), (
    "of the 4 (cancer, benign) pairs, 3 have the cancer scored higher: AUROC 0.75"
)
assert math.isclose(auroc([1, 0], [0.2, 0.9]), 0.0), "a perfectly wrong ranking has AUROC 0"
model_auc = auroc(y_test, scores)
assert 0.9 < model_auc <= 1.0, f"the model ranks well; an AUROC of {model_auc:.3f} looks wrong"
print(f"AUROC on the test set: {model_auc:.3f}")
### BEGIN HIDDEN TESTS
assert math.isclose(auroc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.875), "ties must count one half"
assert math.isclose(auroc([1, 1, 0, 0], [0.3, 0.3, 0.3, 0.3]), 0.5)
_rng = np.random.default_rng(7)
_y = _rng.integers(0, 2, 400)
_s = np.round(_rng.random(400) + 0.3 * _y, 1)
_pairs = [(a, b) for a in _s[_y == 1] for b in _s[_y == 0]]
_expected = np.mean([1.0 if a > b else 0.5 if a == b else 0.0 for a, b in _pairs])
assert math.isclose(auroc(_y, _s), _expected)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · AUROC with a bootstrap interval (2 points)
#
# The test set has only about 170 patients, so the AUROC from Question 4 is uncertain. A
# diagnostic-accuracy report (STARD, TRIPOD) gives it with a 95% confidence interval. The
# **percentile bootstrap** estimates one without formulas:
#
# 1. draw `n` patients **with replacement** from the `n` test patients, keeping each
#    patient's label and score together;
# 2. compute the AUROC of that resample; repeat `n_boot` times;
# 3. the interval runs from the `(1 - level) / 2` to the `(1 + level) / 2` quantile of the
#    resampled AUROCs (2.5% and 97.5% for `level=0.95`).
#
# Write `bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0)` that
# returns the tuple `(estimate, lower, upper)`, where `estimate` is the AUROC of the full
# data. Make the draws with a generator from `np.random.default_rng(seed)`, so that a seed gives the same
# interval every time. You may call your `auroc` from Question 4. Skip a resample that
# happens to contain only one class (it has no AUROC).

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    """AUROC and its percentile-bootstrap interval, resampling patients with replacement."""
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    resampled = []
    for _ in range(n_boot):
        rows = rng.integers(0, len(truth), len(truth))
        if 0 < truth[rows].sum() < len(rows):
            resampled.append(auroc(truth[rows], values[rows]))
    lower, upper = np.quantile(resampled, [(1 - level) / 2, (1 + level) / 2])
    return auroc(truth, values), float(lower), float(upper)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
estimate, lower, upper = bootstrap_auroc_interval(y_test, scores, n_boot=500, seed=1)
assert math.isclose(estimate, auroc(y_test, scores)), (
    "the estimate is the AUROC of all the test patients, not the mean of the resamples"
)
# (a test set the model separates perfectly has AUROC 1 in every resample: zero width)
assert upper > lower or estimate == 1.0, (
    "a zero-width interval means every resample was the same data: draw WITH replacement "
    "(rng.integers(0, n, n)), not a permutation of the patients"
)
assert lower <= estimate <= upper, (
    f"the interval ({lower:.3f}, {upper:.3f}) should surround the estimate {estimate:.3f}. "
    "An interval near 0.5 means the labels and the scores were resampled separately: "
    "draw row numbers once and take the label and the score of the same patients."
)
assert upper - lower < 0.1, (
    f"an interval {upper - lower:.3f} wide is too wide for this model: did you resample the "
    "labels and the scores separately? A patient's label and score must stay together."
)
assert bootstrap_auroc_interval(y_test, scores, n_boot=500, seed=1) == (estimate, lower, upper), (
    "the same seed must give the same interval: draw from np.random.default_rng(seed)"
)
print(f"AUROC {estimate:.3f} (95% bootstrap interval {lower:.3f} to {upper:.3f})")
### BEGIN HIDDEN TESTS
from scipy.stats import rankdata as _rankdata


def _rank_auroc(_t, _s):
    _r = _rankdata(_s)
    _n1 = _t.sum()
    return (_r[_t == 1].sum() - _n1 * (_n1 + 1) / 2) / (_n1 * (len(_t) - _n1))


_rng = np.random.default_rng(11)
_t = _rng.integers(0, 2, 240)
_s = _rng.normal(size=240) + 0.9 * _t
# The exact AUROC of 20000 resamples at once: a resample is a count per patient, and its
# AUROC is (counts of positives) @ (positive outranks negative) @ (counts of negatives).
_rows = _rng.integers(0, 240, (20000, 240))
_counts = np.bincount((_rows + 240 * np.arange(20000)[:, None]).ravel(),
                      minlength=20000 * 240).reshape(20000, 240).astype(float)
_pos, _neg = _counts[:, _t == 1], _counts[:, _t == 0]
_diff = _s[_t == 1][:, None] - _s[_t == 0][None, :]
_outranks = (_diff > 0) + 0.5 * (_diff == 0)
_n1, _n0 = _pos.sum(axis=1), _neg.sum(axis=1)
_ok = (_n1 > 0) & (_n0 > 0)
_reference = ((_pos @ _outranks) * _neg).sum(axis=1)[_ok] / (_n1 * _n0)[_ok]
for _level in (0.95, 0.8):
    _low, _high = np.quantile(_reference, [(1 - _level) / 2, (1 + _level) / 2])
    _half = (_high - _low) / 2
    _est, _lo, _hi = bootstrap_auroc_interval(_t, _s, n_boot=5000, level=_level, seed=3)
    assert math.isclose(_est, _rank_auroc(_t, _s))
    assert abs(_lo - _low) < 0.12 * _half and abs(_hi - _high) < 0.12 * _half, (_level, _lo, _hi)
# Five patients, one with cancer: about a third of the resamples have no cancer at all.
_est, _lo, _hi = bootstrap_auroc_interval([0, 0, 1, 0, 0], [0.1, 0.4, 0.35, 0.8, 0.2],
                                          n_boot=300, seed=5)
assert math.isfinite(_lo) and math.isfinite(_hi) and 0 <= _lo <= _hi <= 1, (
    "skip a resample with only one class: it has no AUROC", _lo, _hi)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6 · The clinical trade-off (2 points, graded by hand)
#
# Compare the 95%-sensitivity threshold from Question 3 with the default threshold 0.5 on
# this test set (compute both confusion matrices with your own function in a scratch cell
# if you like). In at most 150 words: which would you recommend for a breast clinic that
# decides who goes to biopsy, and why? What changes if the same model were used for
# population screening, where about 0.5% of those tested have cancer? Use numbers.
#
# **Rubric** (2 points)
#
# | points | the answer |
# |---|---|
# | 1 | recommends one threshold for the clinic and justifies it by the cost of a missed cancer against a benign biopsy, quoting both thresholds' sensitivity or specificity |
# | 1 | explains, with a PPV at about 0.5% prevalence (Question 2), that most screening positives would be false and what that demands (higher specificity, a second test, validation in screening) |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_tradeoff", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer mentions: the lower 95%-sensitivity threshold misses fewer cancers at
# the cost of more benign biopsies (lower specificity and PPV); in a referral clinic with
# about 37% prevalence a missed cancer costs far more than a biopsy, so the
# high-sensitivity threshold is preferred. At 0.5% prevalence the same sensitivity and
# specificity give a PPV of only a few percent (Question 2), so most positives would be
# false alarms: screening needs a much higher specificity, a second-stage test, or a
# different threshold, and must be validated in the screening population.
# ### END SOLUTION
