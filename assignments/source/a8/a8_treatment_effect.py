# %% [markdown]
# # Assignment 8 · Estimating a treatment effect
#
# **Module:** AI drug discovery and treatment development · **Lesson:** dd06 Treatment effects
# and trials · **Points:** 15
#
# Drug X is a (fictional) antihypertensive. You have two data sets from dd06: a randomised,
# placebo-controlled **trial** of 1000 patients and a routine-care **cohort** of 5000 patients
# in whom doctors chose who got the drug. The outcome is the systolic blood pressure (SBP) after
# 12 weeks, in mmHg; **lower is better**, so a negative effect means the drug lowers blood
# pressure. Because the data are synthetic, the true effects are known, and the tests use them.
#
# You will estimate the average effect in the trial with a confidence interval, the effect of
# each trial patient with a T-learner, the propensity score in the cohort, and the effect in the
# cohort by inverse-probability weighting. Then you will explain your numbers to the team.
#
# **Your data.** The trial and the cohort are drawn for you: the setup cell prints your
# variant, and your work is graded on the same data. Your classmates have other patients and
# so other numbers (a few tenths of a mmHg apart): compare methods with them, not results.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. Your functions receive their data as arguments: do not use
# the global variables of the setup cell inside them, and do not read `ground_truth` there. Inputs
# may be NumPy arrays, lists or pandas objects (match them by position) and the treatment may be
# given as 0/1 integers or as booleans. Run every cell top to bottom before you submit. The cells
# with `assert` are the public tests; more (hidden) tests run when your work is graded, on other
# data as well.
#
# Notation as in dd06: $T_i = 1$ if patient $i$ got drug X (0 = placebo or untreated), $Y_i$ the
# observed outcome, $X_i$ the baseline covariates, $e(x) = P(T = 1 \mid X = x)$ the propensity
# score.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets
from medai.teach import variant

COVARIATES = ["age", "female", "weight_kg", "diabetes", "smoker", "egfr", "baseline_sbp"]


def covariates(patients):
    """The baseline covariates as a float array, one row per patient (sex coded female = 1)."""
    table = patients.assign(female=(patients["sex"] == "F").astype(int))
    return table[COVARIATES].to_numpy(dtype=float)


my_seed = variant.show("a8")
trial = datasets.load("trial", n_patients=1000, seed=my_seed)
rct = trial["patients"]
X_rct, t_rct, y_rct = covariates(rct), rct["treated"].to_numpy(), rct["sbp_12w"].to_numpy()

cohort = datasets.load("observational_cohort", n_patients=5000, seed=my_seed)
obs = cohort["patients"]
X_obs, t_obs, y_obs = covariates(obs), obs["treated"].to_numpy(), obs["sbp_12w"].to_numpy()

print(f"trial: {len(rct)} patients, {t_rct.sum()} on drug X")
print(f"cohort: {len(obs)} patients, {t_obs.sum()} on drug X")
obs.head()

# %% [markdown]
# ## Question 1 · The average effect in the trial, with a 95% CI (3 points)
#
# Write `difference_in_means(y, t)` that returns the tuple `(estimate, ci_low, ci_high)`:
#
# * `estimate` $= \bar Y_1 - \bar Y_0$, the mean outcome of the **treated** minus the mean outcome
#   of the **controls**;
# * its standard error $\text{SE} = \sqrt{s_1^2/n_1 + s_0^2/n_0}$, where $s_k^2$ is the sample
#   variance of the outcome in arm $k$ (denominator $n_k - 1$) and $n_k$ the number of patients
#   in that arm;
# * the 95% confidence interval `estimate - 1.96 * SE`, `estimate + 1.96 * SE`, where 1.96 is the
#   97.5% quantile of the standard normal distribution (`scipy.stats.norm.ppf(0.975)` =
#   1.95996 is fine too; a Student t quantile is not what is asked).
#
# Return three floats (Python `float` or NumPy `float64`), not arrays.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def difference_in_means(y, t):
    """Treated minus control mean outcome, with a 95% confidence interval."""
    ### BEGIN SOLUTION
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    y1, y0 = y[t == 1], y[t == 0]
    estimate = y1.mean() - y0.mean()
    se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Public tests. Three controls (1, 2, 3) and three treated (4, 5, 6): both arms have variance 1.
toy = difference_in_means([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1])
assert len(toy) == 3, (
    f"return (estimate, ci_low, ci_high), three numbers; got {len(toy)} (no standard error)"
)
assert all(isinstance(value, (float, np.floating)) for value in toy), (
    f"return three floats, not arrays; got {[type(value).__name__ for value in toy]}. "
    "float(x) turns a one-element array into a number."
)
assert not np.isclose(toy[0], -3), (
    "-3 is control minus treated: the effect is the TREATED mean minus the CONTROL mean"
)
assert np.isclose(toy[0], 3), f"the treated mean is 5 and the control mean 2; got {toy[0]}"
half_width = (toy[2] - toy[1]) / 2
assert not np.isclose(half_width, 1.96), (
    "a half-width of 1.96 means you used the standard DEVIATION as the standard error: the "
    "SE of a difference in means needs the 1/n factors, sqrt(s1^2/n1 + s0^2/n0)"
)
assert not np.isclose(half_width, 2.267, atol=1e-3), (
    "a half-width of 2.267 is the Student t quantile with 4 degrees of freedom (2.776) times the "
    "SE: the interval uses the normal quantile 1.96"
)
assert np.isclose(half_width, 1.96 * np.sqrt(1 / 3 + 1 / 3), atol=1e-3), (
    f"the half-width is 1.96 * SE = 1.600, with SE = sqrt(1/3 + 1/3) = 0.816 (sample variances "
    f"with n - 1); got {half_width:.4f}. 1.31 (= 1.96 * sqrt(4/9)) would mean variances with "
    "denominator n (ddof=0)."
)
estimate, ci_low, ci_high = difference_in_means(y_rct, t_rct)
assert abs(estimate - trial.ground_truth["ate"]) < 2.5, (
    f"your trial's true average effect is {trial.ground_truth['ate']:.2f} mmHg; got {estimate:.2f}"
)
assert ci_low < estimate < ci_high and ci_high - ci_low < 4, "the CI should be about 2.6 mmHg wide"
print(f"Trial: {estimate:.2f} mmHg (95% CI {ci_low:.2f} to {ci_high:.2f})")
### BEGIN HIDDEN TESTS
from medai import datasets as _datasets

_d = _datasets.load("trial", n_patients=400, p_treated=0.3, seed=3)["patients"]
_y, _t = _d["sbp_12w"].to_numpy(), _d["treated"].to_numpy()
_y1, _y0 = _y[_t == 1], _y[_t == 0]
_est = _y1.mean() - _y0.mean()
_se = np.sqrt(_y1.var(ddof=1) / len(_y1) + _y0.var(ddof=1) / len(_y0))
# a Series whose index runs backwards and a boolean array: matched by position
_mine = difference_in_means(pd.Series(_y, index=np.arange(len(_y))[::-1]), _t.astype(bool))
assert np.allclose(_mine, [_est, _est - 1.96 * _se, _est + 1.96 * _se], atol=1e-3), (
    "wrong on unequal arms (30% treated), a boolean treatment or a Series with another index "
    "(matched by position): each arm has its own n and its own sample variance"
)
# the interval covers the true sample effect about 95% of the time
_covered = 0
for _seed in range(1, 21):
    _data = _datasets.load("trial", n_patients=600, seed=_seed)
    _p = _data["patients"]
    _, _lo, _hi = difference_in_means(_p["sbp_12w"].to_numpy(), _p["treated"].to_numpy())
    assert _hi - _lo < 5, "the confidence interval is far too wide on other trials"
    _covered += _lo <= _data.ground_truth["ate"] <= _hi
assert _covered >= 16, "the interval does not cover the true effect often enough on other trials"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · A T-learner for individual effects (3 points)
#
# Write `t_learner_cate(X, t, y)` that returns a NumPy array with one conditional effect estimate
# per row of `X`:
#
# 1. fit a scikit-learn `LinearRegression()` (default settings) on the **treated** rows only, to
#    predict `y` from `X`;
# 2. fit another `LinearRegression()` on the **control** rows only;
# 3. return, for every row of `X` (treated and controls alike), the prediction of the treated
#    model minus the prediction of the control model.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def t_learner_cate(X, t, y):
    """CATE estimates from two linear regressions, one per arm."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    y = np.asarray(y, dtype=float)
    treated = LinearRegression().fit(X[t == 1], y[t == 1])
    control = LinearRegression().fit(X[t == 0], y[t == 0])
    return treated.predict(X) - control.predict(X)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
cate = t_learner_cate(X_rct, t_rct, y_rct)
assert isinstance(cate, np.ndarray), (
    f"return a NumPy array, not a {type(cate).__name__}: the difference of two predict() calls "
    "already is one"
)
assert cate.shape == (len(y_rct),), (
    f"return one estimate per patient (row of X), shape ({len(y_rct)},); got {cate.shape}"
)
assert not np.allclose(cate, 0), (
    "all estimates are 0: the two models must be fitted on different arms (treated rows and "
    "control rows), not on the pooled data"
)
assert cate.std() > 0.5, (
    "every patient gets (almost) the same effect: a single model with the treatment as a column "
    "is an S-learner; fit one model per arm"
)
assert abs(cate.mean() - trial.ground_truth["ate"]) < 2.5, (
    f"the mean CATE should be near your trial's average effect "
    f"({trial.ground_truth['ate']:.2f}); got {cate.mean():.2f}"
)
true_cate = trial.ground_truth["cate"].to_numpy()
pehe = np.sqrt(np.mean((cate - true_cate) ** 2))
assert pehe < 2.6, f"PEHE {pehe:.2f} mmHg; dd06's linear T-learner reached about 1.65"
print(f"T-learner: mean CATE {cate.mean():.2f} mmHg, PEHE {pehe:.2f} mmHg")
### BEGIN HIDDEN TESTS
from medai import datasets as _datasets


def _reference(_X, _t, _y):
    _m1 = LinearRegression().fit(_X[_t == 1], _y[_t == 1])
    _m0 = LinearRegression().fit(_X[_t == 0], _y[_t == 0])
    return _m1.predict(_X) - _m0.predict(_X)


_data = _datasets.load("trial", n_patients=4000, seed=2)
_p = _data["patients"]
_X = covariates(_p)
_t, _y = _p["treated"].to_numpy(), _p["sbp_12w"].to_numpy()
# a DataFrame, a boolean Series whose index runs backwards, and a list: matched by position
_mine = np.asarray(t_learner_cate(pd.DataFrame(_X, columns=COVARIATES),
                                  pd.Series(_t.astype(bool), index=np.arange(len(_t))[::-1]),
                                  list(_y)))
assert _mine.shape == (len(_y),), "one estimate per row of X"
assert np.allclose(_mine, _reference(_X, _t, _y), atol=1e-6), (
    "does not match two LinearRegression models, one per arm (booleans, a DataFrame, a Series "
    "with another index and a list must work, matched by position)"
)
assert np.sqrt(np.mean((_mine - _data.ground_truth["cate"].to_numpy()) ** 2)) < 1.2, (
    "the CATE estimates are far from the true effects on a larger trial"
)
_c = _datasets.load("observational_cohort", n_patients=3000, seed=4)
_pc = _c["patients"]
_Xc = covariates(_pc)
_tc, _yc = _pc["treated"].to_numpy(), _pc["sbp_12w"].to_numpy()
assert np.allclose(t_learner_cate(_Xc, _tc, _yc), _reference(_Xc, _tc, _yc), atol=1e-6), (
    "wrong on the observational cohort"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · Propensity scores in the cohort (3 points)
#
# In the cohort, doctors decided who got drug X. Write `propensity_scores(X, t)` that returns a
# NumPy array with the estimated probability **of receiving drug X**, $\hat e(x_i) =
# \hat P(T = 1 \mid X = x_i)$, for every row of `X`. Use the model of dd06: standardise the
# covariates and fit a logistic regression,
# `make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))`, on all rows, then
# predict on the same rows. Return the probabilities as the model gives them: no clipping or
# trimming here (Question 4 uses them unchanged).
#
# The tests compare your scores with that model's and accept a difference of up to 0.01 on every
# patient, so a logistic regression on the same covariates fitted another way (without
# scikit-learn's mild default penalty, for example) passes too.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def propensity_scores(X, t):
    """Estimated P(T = 1 | X) for every row, from a standardised logistic regression."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, t)
    return model.predict_proba(X)[:, 1]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
ps = propensity_scores(X_obs, t_obs)
assert isinstance(ps, np.ndarray), (
    f"return a NumPy array, not a {type(ps).__name__}: predict_proba(X)[:, 1] already is one"
)
assert ps.shape == (len(t_obs),), f"one propensity score per patient; got shape {ps.shape}"
assert len(np.unique(ps)) > 100, (
    "the scores take only a few values: return probabilities (predict_proba), not 0/1 labels"
)
assert np.all((ps > 0) & (ps < 1)), "propensity scores are probabilities strictly between 0 and 1"
assert ps[t_obs == 1].mean() > ps[t_obs == 0].mean(), (
    "treated patients have LOWER scores than untreated ones: you returned P(T = 0 | X). "
    "Column 1 of predict_proba is the probability of class 1 (treated)."
)
assert abs(ps.mean() - t_obs.mean()) < 0.01, (
    "a logistic regression with an intercept reproduces the share treated on average"
)
true_ps = cohort.ground_truth["propensity"].to_numpy()
gap = np.abs(ps - true_ps).mean()
assert gap < 0.08, f"mean distance to the true propensity {gap:.3f}; dd06's model reached 0.055"
print(f"propensity scores from {ps.min():.3f} to {ps.max():.3f}; mean |e_hat - e| = {gap:.3f}")
### BEGIN HIDDEN TESTS
from medai import datasets as _datasets

_c = _datasets.load("observational_cohort", n_patients=3000, confounding=2.0, seed=6)
_p = _c["patients"]
_X, _t = covariates(_p), _p["treated"].to_numpy()
_ref = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(_X, _t)
_expected = _ref.predict_proba(_X)[:, 1]
_mine = np.asarray(propensity_scores(pd.DataFrame(_X, columns=COVARIATES),
                                     pd.Series(_t.astype(bool))), dtype=float)
assert _mine.shape == _expected.shape, "one score per row"
assert np.max(np.abs(_mine - _expected)) < 0.01, (
    "on other data (stronger confounding, boolean treatment, DataFrame input) some scores are "
    "more than 0.01 from a standardised logistic regression's P(T = 1 | X) fitted on all rows: "
    "no clipping, no cross-fitting, no class weights"
)
assert np.corrcoef(_mine, _c.ground_truth["propensity"].to_numpy())[0, 1] > 0.9, (
    "far from the true propensity on other data"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · Inverse-probability weighting (3 points)
#
# Write `ipw_ate(y, t, e)` that returns the **normalised (Hájek)** inverse-probability-weighted
# estimate of the average treatment effect, as a float (Python `float` or NumPy `float64`):
#
# $$ \hat\tau = \frac{\sum_i T_i Y_i / e_i}{\sum_i T_i / e_i}
#    - \frac{\sum_i (1 - T_i) Y_i / (1 - e_i)}{\sum_i (1 - T_i) / (1 - e_i)} $$
#
# Each treated patient is weighted by the inverse of the probability of being treated, each
# control by the inverse of the probability of **not** being treated, and each arm's weighted
# mean is divided by the sum of that arm's weights. `e` are propensity scores (for example your
# Question 3 output, or the true ones). Use every patient and every score as given: no trimming
# and no clipping (dd06's trimming to $[0.05, 0.95]$ is a different estimand, the effect in the
# patients it keeps).
#
# Then, in the cell below your function, set `cohort_effect` to the IPW estimate of the effect
# in **your** cohort, weighted with **your** Question 3 scores `ps`.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def ipw_ate(y, t, e):
    """Hajek (normalised) inverse-probability-weighted average treatment effect."""
    ### BEGIN SOLUTION
    y = np.asarray(y, dtype=float)
    t = np.asarray(t).astype(int)
    e = np.asarray(e, dtype=float)
    w1 = t / e
    w0 = (1 - t) / (1 - e)
    return float((w1 * y).sum() / w1.sum() - (w0 * y).sum() / w0.sum())
    ### END SOLUTION


# %% nbgrader={"grade": false, "grade_id": "q4_value", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
cohort_effect = ipw_ate(y_obs, t_obs, ps)
### END SOLUTION
print(f"IPW estimate in your cohort, with your propensity scores: {cohort_effect:.2f} mmHg")


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Public tests. Two treated patients (e = 0.8 and 0.2) and two controls (e = 0.5 and 0.6).
toy = ipw_ate([10, 20, 30, 40], [1, 1, 0, 0], [0.8, 0.2, 0.5, 0.6])
assert isinstance(toy, (float, np.floating)), (
    f"return one float, not a {type(toy).__name__}: float(x) turns a one-element array into a "
    "number"
)
assert not np.isclose(toy, -20), (
    "-20 is the unweighted (naive) difference in means: weight each patient by 1/e (treated) "
    "or 1/(1 - e) (controls)"
)
assert not np.isclose(toy, 18 - (60 + 40 / 0.6) / (2 + 1 / 0.6)), (
    "controls must be weighted by 1/(1 - e), the inverse probability of NOT being treated, "
    "not by 1/e"
)
assert not np.isclose(toy, -11.875), (
    "-11.875 is the Horvitz-Thompson form (sums divided by n); divide each arm by the sum of "
    "its weights"
)
assert np.isclose(toy, 18 - 160 / 4.5), (
    f"treated mean (1.25 * 10 + 5 * 20) / 6.25 = 18, control mean (2 * 30 + 2.5 * 40) / 4.5 "
    f"= 35.56, effect -17.56; got {toy}"
)
effect = ipw_ate(y_obs, t_obs, cohort.ground_truth["propensity"].to_numpy())
naive = y_obs[t_obs == 1].mean() - y_obs[t_obs == 0].mean()
true_ate = cohort.ground_truth["ate"]
assert abs(effect - true_ate) < 2.5, (
    f"with the true propensity, IPW should be near the true ATE {true_ate:.2f}; got {effect:.2f}"
)
print(f"naive {naive:.2f} mmHg; IPW with the true propensity {effect:.2f}; "
      f"true ATE {true_ate:.2f}")
assert isinstance(cohort_effect, (float, np.floating)), (
    "set cohort_effect to one number: ipw_ate(...) of your cohort with your scores ps"
)
assert not np.isclose(cohort_effect, effect), (
    "cohort_effect used the TRUE propensity (the test's own check above): weight with your "
    "Question 3 scores, ps"
)
assert np.isclose(cohort_effect, ipw_ate(y_obs, t_obs, ps)), (
    "cohort_effect is not ipw_ate(y_obs, t_obs, ps): the outcome, treatment and your "
    "Question 3 scores of your cohort"
)
### BEGIN HIDDEN TESTS
from medai import datasets as _datasets

# cohort_effect belongs to this student's variant: computed again from their seed, with
# their own functions, whatever the notebook's globals hold now
_mine_c = _datasets.load("observational_cohort", n_patients=5000, seed=variant.seed("a8"))
_mp = _mine_c["patients"]
_mx, _mt = covariates(_mp), _mp["treated"].to_numpy()
_own = ipw_ate(_mp["sbp_12w"].to_numpy(), _mt, propensity_scores(_mx, _mt))
assert np.isclose(cohort_effect, _own, atol=1e-6), (
    "cohort_effect is not the estimate of YOUR variant's cohort (was it typed in, or computed "
    "on other data?)"
)

for _seed, _conf in [(3, 1.0), (8, 0.5)]:
    _c = _datasets.load("observational_cohort", n_patients=6000, confounding=_conf, seed=_seed)
    _p = _c["patients"]
    _y, _t = _p["sbp_12w"].to_numpy(), _p["treated"].to_numpy()
    _e = _c.ground_truth["propensity"].to_numpy()
    _w1, _w0 = _t / _e, (1 - _t) / (1 - _e)
    _expected = (_w1 * _y).sum() / _w1.sum() - (_w0 * _y).sum() / _w0.sum()
    # a Series whose index runs backwards, a boolean array and a list: matched by position
    _mine = ipw_ate(pd.Series(_y, index=np.arange(len(_y))[::-1]), _t.astype(bool), list(_e))
    assert np.isclose(_mine, _expected, atol=1e-6), (
        "does not match the Hajek estimator on other data (boolean treatment, a Series with "
        "another index and a list, matched by position; no trimming)"
    )
    assert abs(_mine - _c.ground_truth["ate"]) < 1.5, "far from the true effect on other data"
# Extreme scores (0.03 and 0.97) stay in: every patient counts, with weight 1/e or 1/(1 - e).
_y = np.array([12.0, 20.0, 31.0, 40.0, 25.0, 33.0])
_t = np.array([1, 1, 0, 0, 1, 0])
_e = np.array([0.03, 0.5, 0.4, 0.97, 0.6, 0.5])
_w1, _w0 = _t / _e, (1 - _t) / (1 - _e)
_expected = (_w1 * _y).sum() / _w1.sum() - (_w0 * _y).sum() / _w0.sum()
assert np.isclose(ipw_ate(_y, _t, _e), _expected), (
    "patients with e below 0.05 or above 0.95 must be kept (no trimming or clipping)"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · What the numbers say (3 points, graded by hand)
#
# The medical director has seen a slide with the cohort's naive difference and asks whether
# drug X works in routine care and for whom. In at most 200 words, using **your** numbers:
#
# 1. compare the naive difference in the cohort with your IPW estimate and with the trial
#    estimate, and explain the **direction** of the naive bias from what you know about who was
#    prescribed the drug (look at the baseline SBP of the treated and untreated patients);
# 2. name the assumptions the IPW estimate relies on that the trial estimate does not, and say
#    which one no analysis of these data can check;
# 3. say whether the trial's average effect applies to patients with eGFR below 45, and what
#    you would look at to find out.
#
# **Rubric** (3 points)
#
# | points | the answer |
# |---|---|
# | 1 | compares the naive, IPW and trial estimates, quoting the numbers, and gives the correct direction of the naive bias with its reason (who was prescribed drug X, from the baseline SBP of the two groups) |
# | 1 | names no unmeasured confounding (exchangeability) and positivity (overlap), optionally a correctly specified propensity model, and says which of them the data cannot check |
# | 1 | answers from the trial's eligibility criteria whether its average applies below eGFR 45, and names a concrete analysis (the effect by eGFR, as a subgroup or CATE, in the cohort with an overlap check, or a dedicated trial) |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q5_interpretation", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer (numbers from one variant; each student's differ by a few tenths, so
# read them against the student's own printed results): in the cohort the naive difference
# is about -5.0 mmHg, IPW gives about -8.9
# mmHg (true propensity; about -9.2 with the fitted scores) and the trial about -9.1 mmHg (95%
# CI -10.4 to -7.8). Doctors prescribed drug X to patients with higher baseline SBP (about 160
# vs 152 mmHg); much of a high baseline persists at 12 weeks, so the treated would have had
# higher SBP anyway, and the naive comparison understates the fall by about 40% (true ATE about
# -8.5 mmHg): bias towards no effect. IPW relies on no unmeasured confounding (every reason for
# prescribing that also affects blood pressure is among the covariates), positivity (each kind
# of patient could get either option; propensities near 0 or 1 give unstable weights) and a
# correctly specified propensity model; randomisation guarantees the first two. Unmeasured
# confounding cannot be checked from the data. The trial excluded eGFR < 45, so its average need
# not apply there; the effect may differ (the drug acts through the kidney). I would estimate
# the CATE or a subgroup effect by eGFR in the cohort (IPW or T-learner within eGFR < 45,
# checking overlap) and ideally run a dedicated trial.
# ### END SOLUTION
