# %% [markdown]
# # Assignment 3 · Survival analysis
#
# **Module:** AI diagnosis and prediction · **Lesson:** dx05 Prognosis and survival · **Points:** 11
#
# The breast-cancer follow-up clinic wants numbers it can trust for women with node-positive
# disease: how fast recurrences happen, whether tamoxifen is associated with fewer of them,
# and how well routine pathology ranks women by risk. You will work with the GBSG2 trial
# cohort from dx05 (686 women, recurrence-free survival). You will write the Kaplan-Meier
# estimator and Harrell's concordance index yourself, so that you know exactly how they
# handle censoring. Then you will fit a Cox model with lifelines and explain its hazard ratio
# in words.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. In Questions 1, 2 and 4 use only NumPy and pandas inside
# your functions (no lifelines there). You may of course compare your results with lifelines
# in a scratch cell of your own. Run every cell top to bottom before you submit. The cells with
# `assert` are the public tests. More (hidden) tests run when your work is graded, on other
# data as well, so test edge cases yourself.
#
# Notation as in dx05: each patient has an observed time $Y_i$ (event or last follow-up) and an
# event indicator $\delta_i$, with **1 = event observed (recurrence or death)** and
# **0 = censored** (event-free when last seen).

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter

from medai import datasets

data = datasets.load("gbsg2")
df = data.frame.copy()
df["years"] = df[data.duration] / 365.25  # clinicians think in years
df["event"] = df[data.event]  # 1 = recurrence or death, 0 = censored

# The covariate coding of dx05: 0/1 indicators, per-10 scaling and log transforms.
design = pd.DataFrame({
    "tamoxifen": (df["horTh"] == "yes").astype(int),
    "age (per 10 y)": df["age"] / 10,
    "postmenopausal": (df["menostat"] == "Post").astype(int),
    "tumour size (per 10 mm)": df["tsize"] / 10,
    "grade II vs I": (df["tgrade"] == "II").astype(int),
    "grade III vs I": (df["tgrade"] == "III").astype(int),
    "log nodes": np.log(df["pnodes"]),
    "log(PgR + 1)": np.log1p(df["progrec"]),
    "log(ER + 1)": np.log1p(df["estrec"]),
    "years": df["years"],
    "event": df["event"],
})
print(f"{len(df)} women, {int(df['event'].sum())} events, {int((df['event'] == 0).sum())} censored")
design.head()

# %% [markdown]
# ## Question 1 · Kaplan-Meier by hand (3 points)
#
# Write `kaplan_meier(durations, events)`. It takes the observed times and the event indicators
# (1/0 or True/False), as lists, NumPy arrays or pandas Series (Series are matched **by
# position**, not by index), and returns a **pandas Series**:
#
# * its index holds the **distinct event times** $t_1 < t_2 < \dots$, sorted. Times at which
#   only censoring happened are **not** in the index;
# * its values are the product-limit estimate just after each of them,
#   $\hat S(t_j) = \prod_{k \le j} (1 - d_k / n_k)$.
#
# Conventions you must follow (they are those of dx05 and of lifelines):
#
# * $d_k$ counts **all** events at $t_k$, so several patients with the same event time give one
#   step, not several;
# * $n_k$ counts everyone whose observed time is $\ge t_k$. In particular, a patient **censored
#   at exactly $t_k$** is still at risk at $t_k$: she was known to be event-free at that time;
# * censored patients never count as events, and are never dropped before their censoring time.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def kaplan_meier(durations, events):
    """Kaplan-Meier estimate S(t) at each distinct event time, as a pandas Series."""
    ### BEGIN SOLUTION
    times = np.asarray(durations, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    event_times = np.unique(times[observed])
    at_risk = (times[None, :] >= event_times[:, None]).sum(axis=1)
    deaths = ((times[None, :] == event_times[:, None]) & observed[None, :]).sum(axis=1)
    survival = np.cumprod(1.0 - deaths / at_risk)
    return pd.Series(survival, index=pd.Index(event_times, name="time"), name="survival")
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Public tests. Eight patients; two events at time 3, censoring at 4, 6 and 9.
example_times = [1, 3, 3, 4, 5, 6, 7, 9]
example_events = [1, 1, 1, 0, 1, 0, 1, 0]
curve = kaplan_meier(example_times, example_events)
assert isinstance(curve, pd.Series), "kaplan_meier should return a pandas Series"
assert list(curve.index) == [1, 3, 5, 7], (
    f"the index should be the distinct EVENT times [1, 3, 5, 7]; got {list(curve.index)}. "
    "Censoring times (4, 6, 9) are not steps of the curve, and tied event times give one step."
)
assert np.allclose(curve.to_numpy(), [7 / 8, 5 / 8, 15 / 32, 15 / 64]), (
    "expected S = 7/8, 5/8, 15/32, 15/64. At time 3 there are 7 at risk and 2 events, so the "
    "factor is 5/7. Values 0.8, 0.4, 0.2, 0 mean you dropped the censored patients."
)
full_curve = kaplan_meier(df["years"], df["event"])
assert len(full_curve) == df.loc[df["event"] == 1, "years"].nunique(), (
    "one value per distinct event time in GBSG2"
)
assert np.all(np.diff(full_curve.to_numpy()) <= 0), "a survival curve never goes up"
s5 = full_curve[full_curve.index <= 5].iloc[-1]
print(f"GBSG2: S(5 years) = {s5:.3f} (dx05 said about 0.49)")
print("Public tests passed. Hidden tests also check ties, censoring at event times and other data.")
### BEGIN HIDDEN TESTS
from lifelines import KaplanMeierFitter as _KMF
from medai import datasets as _datasets

# a censored patient at an event time is still at risk; tied events are one step
_c = kaplan_meier(np.array([2, 2, 2, 5, 5, 8]), np.array([1, 0, 1, 1, 0, 0]))
assert list(_c.index) == [2, 5], "only event times belong in the index"
assert np.allclose(_c.to_numpy(), [4 / 6, 4 / 6 * 2 / 3]), (
    "wrong when a patient is censored at the same time as an event: she is still at risk then"
)
# events given as booleans, Series matched by position
_c = kaplan_meier(pd.Series([4.0, 1.0, 3.0, 3.0], index=[10, 3, 7, 1]),
                  pd.Series([True, True, False, True], index=[0, 1, 2, 3]))
assert np.allclose(_c.to_numpy(), [3 / 4, 3 / 4 * 2 / 3, 0.0]), (
    "Series must be matched by position; boolean events must work"
)
for _name in ["gbsg2", "lung_ncctg"]:
    _d = _datasets.load(_name)
    _t = _d.frame[_d.duration].to_numpy()
    _e = _d.frame[_d.event].to_numpy()
    _expected = _KMF().fit(_t, _e).survival_function_.iloc[:, 0]
    _event_times = np.unique(_t[_e == 1])
    _mine = kaplan_meier(_t, _e)
    assert np.allclose(np.asarray(_mine.index, dtype=float), _event_times), (
        f"on {_name}: the index is not the sorted distinct event times"
    )
    assert np.allclose(_mine.to_numpy(), _expected.loc[_event_times].to_numpy(),
                       rtol=1e-9, atol=1e-12), (
        f"on {_name}: does not match the Kaplan-Meier estimate"
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · Median survival from the curve (1 point)
#
# Write `median_survival(survival)`. It takes a survival curve as a pandas Series (index = times
# in increasing order, values = $\hat S(t)$), such as the output of Question 1 or lifelines'
# `survival_function_` column (which also has a first row at time 0 with $S = 1$), and returns
# the **median survival time**: the **first time at which $\hat S(t) \le 0.5$**, as in dx05 and
# lifelines. If the curve never falls to 0.5 during follow-up, the median is not reached:
# return `math.inf`.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def median_survival(survival):
    """First time at which the survival curve is at or below 0.5 (math.inf if never)."""
    ### BEGIN SOLUTION
    values = np.asarray(survival, dtype=float)
    reached = np.flatnonzero(values <= 0.5)
    if reached.size == 0:
        return math.inf
    return float(survival.index[reached[0]])
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
example_curve = pd.Series([7 / 8, 5 / 8, 15 / 32, 15 / 64], index=[1.0, 3.0, 5.0, 7.0])
assert math.isclose(median_survival(example_curve), 5.0), (
    "S first drops to 0.5 or below at time 5 (S = 15/32). Return that time (the index label), "
    "not the probability and not its position in the Series (2)."
)
from lifelines import KaplanMeierFitter

gbsg2_curve = KaplanMeierFitter().fit(df["years"], df["event"]).survival_function_.iloc[:, 0]
gbsg2_median = median_survival(gbsg2_curve)
assert 4.5 < gbsg2_median < 5.5, (
    f"dx05 read a median of about 4.9 years off the GBSG2 curve; you found {gbsg2_median}"
)
print(f"GBSG2 median recurrence-free survival: {gbsg2_median:.2f} years")
### BEGIN HIDDEN TESTS
from lifelines import KaplanMeierFitter as _KMF
from medai import datasets as _datasets

_flat = pd.Series([0.75, 0.5, 0.25, 0.0], index=[1.0, 2.0, 3.0, 4.0])
assert math.isclose(median_survival(_flat), 2.0), (
    "when S equals 0.5 exactly, that time is already the median (S <= 0.5, not S < 0.5)"
)
_never = pd.Series([1.0, 0.9, 0.7, 0.55], index=[0.0, 10.0, 20.0, 30.0])
assert median_survival(_never) == math.inf, "a median that is not reached must be math.inf"
for _name in ["gbsg2", "lung_ncctg"]:
    _d = _datasets.load(_name)
    _k = _KMF().fit(_d.frame[_d.duration], _d.frame[_d.event])
    assert math.isclose(median_survival(_k.survival_function_.iloc[:, 0]),
                        _k.median_survival_time_), f"wrong median on {_name}"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · A hazard ratio from a Cox model (2 points)
#
# Write `hazard_ratio(design, covariate, duration_col="years", event_col="event")`. It fits a
# Cox proportional-hazards model with lifelines' `CoxPHFitter` (default settings) on **all**
# columns of `design` (the covariates plus the duration and event columns) and returns the tuple
# `(hr, ci_low, ci_high)`: the **hazard ratio** of `covariate` and its 95% confidence interval,
# as floats.
#
# Use the arguments you are given: the hidden tests call the function on other data, whose
# duration and event columns have other names.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    """Adjusted hazard ratio of one covariate with its 95% CI, from a Cox model on all columns."""
    ### BEGIN SOLUTION
    cox = CoxPHFitter().fit(design, duration_col=duration_col, event_col=event_col)
    row = cox.summary.loc[covariate]
    return (float(row["exp(coef)"]), float(row["exp(coef) lower 95%"]),
            float(row["exp(coef) upper 95%"]))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
tamoxifen_result = hazard_ratio(design, "tamoxifen")
assert isinstance(tamoxifen_result, tuple) and len(tamoxifen_result) == 3, (
    "return the tuple (hr, ci_low, ci_high), e.g. `return float(hr), float(low), float(high)`; "
    f"got a {type(tamoxifen_result).__name__}"
)
assert all(isinstance(value, float) for value in tamoxifen_result), (
    "hr, ci_low and ci_high must be floats: convert each one with float(...)"
)
hr, ci_low, ci_high = tamoxifen_result
assert hr > 0, (
    "a hazard ratio is always positive. A negative value is the Cox coefficient (the log hazard "
    "ratio): the hazard ratio is exp(coef)."
)
assert ci_low < hr < ci_high, "the hazard ratio must lie inside its own 95% confidence interval"
assert 0.6 < hr < 0.75, (
    f"dx05 found an adjusted tamoxifen HR of about 0.68; yours is {hr:.3f}. Fit one model on "
    "all columns of design and report exp(coef) for the covariate you were asked about."
)
nodes_hr = hazard_ratio(design, "log nodes")
assert nodes_hr[0] > 1, "more positive nodes means a higher hazard: its HR must be above 1"
print(f"Tamoxifen, adjusted: HR {hr:.2f} (95% CI {ci_low:.2f} to {ci_high:.2f})")
### BEGIN HIDDEN TESTS
from lifelines import CoxPHFitter as _Cox
from medai import datasets as _datasets

_g = _datasets.load("gbsg2").frame
_gd = pd.DataFrame({
    "tamoxifen": (_g["horTh"] == "yes").astype(int),
    "age (per 10 y)": _g["age"] / 10,
    "postmenopausal": (_g["menostat"] == "Post").astype(int),
    "tumour size (per 10 mm)": _g["tsize"] / 10,
    "grade II vs I": (_g["tgrade"] == "II").astype(int),
    "grade III vs I": (_g["tgrade"] == "III").astype(int),
    "log nodes": np.log(_g["pnodes"]),
    "log(PgR + 1)": np.log1p(_g["progrec"]),
    "log(ER + 1)": np.log1p(_g["estrec"]),
    "years": _g["days"] / 365.25,
    "event": _g["recurrence"],
})
_ref = _Cox().fit(_gd.copy(), duration_col="years", event_col="event").summary
for _cov in ["tamoxifen", "log nodes"]:
    _mine = hazard_ratio(_gd.copy(), _cov)
    assert len(_mine) == 3, "return (hr, ci_low, ci_high)"
    assert np.allclose(_mine, _ref.loc[_cov, ["exp(coef)", "exp(coef) lower 95%",
                                              "exp(coef) upper 95%"]].to_numpy(), rtol=1e-4), (
        f"the {_cov} HR or its CI differs from a Cox model adjusted for all covariates in design"
    )
_l = _datasets.load("lung_ncctg").frame
_ld = _l[["days", "death", "age", "sex", "ph.ecog"]].dropna()
_ld = _ld.assign(female=(_ld["sex"] == 2).astype(int)).drop(columns="sex")
_ref = _Cox().fit(_ld.copy(), duration_col="days", event_col="death").summary
for _cov in ["female", "ph.ecog"]:
    _mine = hazard_ratio(_ld.copy(), _cov, duration_col="days", event_col="death")
    assert np.allclose(_mine, _ref.loc[_cov, ["exp(coef)", "exp(coef) lower 95%",
                                              "exp(coef) upper 95%"]].to_numpy(), rtol=1e-4), (
        "wrong on other data: use the design, duration_col and event_col you are given"
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · Harrell's concordance index by hand (3 points)
#
# Write `concordance(durations, risk_scores, events)` that returns Harrell's C of a risk score
# (**higher score = higher predicted risk = expected to have the event sooner**). Inputs are
# lists, arrays or Series (events 1/0 or True/False), matched by position.
#
# Go over all ordered pairs of patients $(i, j)$. A pair is **comparable** when we know who had
# the event first: patient $i$ had an **event** ($\delta_i = 1$) and
#
# * $Y_i < Y_j$ (patient $j$ had an event later or was still followed later), **or**
# * $Y_i = Y_j$ and patient $j$ was **censored** ($\delta_j = 0$): as in Question 1, a patient
#   censored at the time of an event counts as having outlived it.
#
# Pairs where the earlier time is censored, and pairs of two events at the same time, are not
# comparable. Among comparable pairs, count 1 when $i$ has the higher risk score, 1/2 when the
# two scores are tied, and 0 otherwise. C is that count divided by the number of comparable
# pairs. (This is dx05's formula with the tie convention of lifelines' `concordance_index`.
# Remember that `concordance_index` expects a score where higher means *longer* survival.) If
# there is no comparable pair, return `math.nan`.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def concordance(durations, risk_scores, events):
    """Harrell's C: share of comparable pairs in which the earlier event had the higher risk."""
    ### BEGIN SOLUTION
    times = np.asarray(durations, dtype=float)
    risk = np.asarray(risk_scores, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    earlier = (times[:, None] < times[None, :]) | (
        (times[:, None] == times[None, :]) & ~observed[None, :]
    )
    comparable = observed[:, None] & earlier  # row i had the event first, column j outlived it
    n_pairs = comparable.sum()
    if n_pairs == 0:
        return math.nan
    higher = (risk[:, None] > risk[None, :]) & comparable
    tied = (risk[:, None] == risk[None, :]) & comparable
    return float((higher.sum() + 0.5 * tied.sum()) / n_pairs)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Public tests. Five patients; patients 2 and 4 (times 3 and 6) are censored.
toy_times = [1, 3, 4, 6, 7]
toy_events = [1, 0, 1, 0, 1]
toy_risk = [0.8, 0.9, 0.3, 0.6, 0.1]
c_toy = concordance(toy_times, toy_risk, toy_events)
assert not math.isclose(c_toy, 1 / 3), (
    "1/3 is the complement of the right answer: a HIGHER risk score should go with a SHORTER "
    "time. Did you reverse the sign?"
)
assert not math.isclose(c_toy, 0.8), (
    "0.8 means you counted pairs in which the earlier time is censored: we do not know who "
    "had the event first in those pairs"
)
assert not math.isclose(c_toy, 1.0), (
    "1.0 means you used only pairs in which both patients had an event: a patient censored "
    "after an event time is known to have outlived it"
)
assert math.isclose(c_toy, 2 / 3), (
    f"expected 2/3 (4 of the 6 comparable pairs are ordered correctly); got {c_toy}"
)
assert math.isclose(concordance([1, 2, 3], [3, 2, 1], [1, 1, 1]), 1.0), (
    "perfect ranking gives C = 1"
)
c_nodes = concordance(design["years"], design["log nodes"], design["event"])
assert 0.6 < c_nodes < 0.7, (
    f"ranking GBSG2 women by their number of nodes should give C near 0.65; got {c_nodes:.3f}. "
    "Many women share a node count: a value near 0.59 means tied scores were not counted as 1/2."
)
print(f"Harrell's C of log nodes on all GBSG2 women: {c_nodes:.3f}")
### BEGIN HIDDEN TESTS
from lifelines.utils import concordance_index as _cindex
from medai import datasets as _datasets

# ties in the risk score count one half
assert math.isclose(concordance([1, 2, 3, 4], [2, 2, 1, 1], [1, 1, 1, 0]), 5 / 6), (
    "pairs with tied risk scores must count one half"
)
# an event and a censoring at the same time form a comparable pair; two tied events do not
assert math.isclose(concordance([2, 2, 2, 5], [0.9, 0.1, 0.5, 0.7], [1, 0, 1, 1]), 3 / 4), (
    "wrong pairs counted at tied times: an event and a censoring at the same time are "
    "comparable, two events at the same time are not"
)
assert math.isnan(concordance([1, 2, 3], [0.1, 0.2, 0.3], [0, 0, 0])), (
    "with no comparable pair, return math.nan"
)
assert math.isclose(concordance(pd.Series([5, 1, 3], index=[2, 0, 1]), pd.Series([0.1, 0.9, 0.5]),
                                pd.Series([True, True, False], index=[9, 8, 7])), 1.0), (
    "Series must be matched by position; boolean events must work"
)
_g = _datasets.load("gbsg2").frame
_risk = np.log(_g["pnodes"]).to_numpy() - 0.4 * (_g["horTh"] == "yes").to_numpy()
assert math.isclose(concordance(_g["days"].to_numpy(), _risk, _g["recurrence"].to_numpy()),
                    _cindex(_g["days"], -_risk, _g["recurrence"]), rel_tol=1e-9), (
    "does not match Harrell's C on GBSG2 (tied times and tied scores)"
)
_l = _datasets.load("lung_ncctg").frame.dropna(subset=["ph.ecog"])
assert math.isclose(concordance(_l["days"], _l["ph.ecog"], _l["death"]),
                    _cindex(_l["days"], -_l["ph.ecog"], _l["death"]), rel_tol=1e-9), (
    "does not match Harrell's C on the lung cancer data"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · What the hazard ratio means (2 points, graded by hand)
#
# The tumour board asks what your Question 3 result means for their patients. In at most
# 150 words, using your numbers:
#
# 1. state what the adjusted tamoxifen hazard ratio and its 95% confidence interval mean, in
#    words a clinician would use;
# 2. explain why it does **not** mean that a given percentage fewer women relapse by 5 years,
#    and what you would show instead;
# 3. give one reason why it may not be the causal effect of tamoxifen, and one assumption of
#    the Cox model that should be checked before reporting a single HR.
#
# **Rubric** (2 points)
#
# | points | the answer |
# |---|---|
# | 1 | reads the adjusted HR and its 95% CI correctly, with your numbers: a relative rate of recurrence or death at any time during follow-up, among women alike in the other covariates, and what the interval says (including whether it excludes 1) |
# | 1 | explains why a ratio of rates is not a difference in 5-year risk and what to show instead (survival at 5 years per group or patient profile, or an absolute difference), and gives one valid reason why the HR may not be causal and one Cox-model assumption to check, with how to check it |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q5_interpretation", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer: HR 0.68 (95% CI 0.53 to 0.88). Among women alike in age, menopausal status,
# tumour size, grade, nodes and receptor levels, those given tamoxifen had a rate of
# recurrence or death about one third lower at any time during follow-up. The data are
# compatible with reductions from about 12% to 47%, and the interval excludes 1 (no effect).
# The HR is a ratio of instantaneous rates, not of probabilities: the absolute benefit
# depends on the woman's baseline risk and on the time horizon, so show Kaplan-Meier or
# Cox-predicted survival at 5 years for each group or patient profile (about 44% vs 58% in
# dx05), or the number of women per 100 spared a recurrence. Tamoxifen was not randomised for
# premenopausal women, so the adjusted HR can still be confounded by unrecorded reasons for
# treating. The model assumes proportional hazards (check Schoenfeld residuals) and
# non-informative censoring; the data reflect 1980s treatment.
# ### END SOLUTION
