# %% [markdown]
# # Assignment 9 · Triage of brain haemorrhage on CT
#
# **Module:** Medical imaging and AI medical devices · **Lesson:** im06 Brain haemorrhage on CT ·
# **Points:** 15
#
# Day and night the emergency department of a regional hospital sends a head CT to the radiology
# worklist every few minutes: falls, headaches, confusion, strokes. One on-call radiologist reads
# them in order of arrival. A patient with an **acute intracranial haemorrhage** who waits at the
# bottom of that list waits for the neurosurgeon, for the reversal of an anticoagulant, for the
# blood-pressure target. The hospital is considering software that reads every head CT as it
# arrives and **moves the studies with a suspected bleed to the top of the worklist**: in US terms
# a *radiological computer-aided triage and notification* device (CADt, 21 CFR 892.2080).
#
# You will build the parts of such a device that decide whether it helps: the CT windows its model
# sees, the **operating point** fixed on validation data before anyone looks at the test set, its
# sensitivity and specificity on the test set **with confidence intervals**, a simulation of the
# worklist **with and without** the flag, and finally a written judgement of what such a device
# may claim and what the hospital must watch once it runs. A wrong answer here costs in two
# directions: a threshold tuned on the test set promises a sensitivity the device will not have,
# and a flag that fires on too many normal studies delays everyone else and stops being trusted.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. NumPy, pandas and SciPy are allowed everywhere; do not use
# `sklearn.metrics` or `statsmodels` inside your functions (you may use them in a scratch cell to
# check your answers). Do not change the locked cells: the data, the model and the simulated
# worklist are fixed so that everyone's numbers are comparable. Run every cell top to bottom before
# you submit; the whole notebook runs in well under a minute. The cells with `assert` are the
# public tests; more (hidden) tests run when your work is graded, on other arrays, other scores and
# other worklists, so test edge cases yourself.
#
# **Conventions.** CT values are in Hounsfield units (HU). Image stacks are NumPy arrays
# `(N, H, W)`; a model input is **channel-first**, `(N, C, H, W)`. Labels are **1 = any acute
# haemorrhage (positive)** and **0 = no haemorrhage**. A study is **flagged** when its score is
# **greater than or equal to** the threshold. Times are in minutes.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math

import numpy as np
import pandas as pd
from pydicom.pixels import apply_modality_lut
from scipy import ndimage
from sklearn.linear_model import LogisticRegression

from medai import datasets

ANY = 0  # column 0 of the phantoms' labels: any haemorrhage (columns 1-4: the four types)
WINDOWS = {"brain": (40, 80), "subdural": (80, 200), "bone": (600, 2800)}  # (level, width), HU

# Three independent sets of synthetic head CT slices (64 x 64 pixels, 3.3 mm, in HU).
# Training is balanced; validation and test have 20% bleeds (more than a typical emergency
# worklist, so that the test set holds enough of them to estimate a sensitivity).
train = datasets.load("head_ct_phantoms", n_images=400, prevalence=0.5, seed=11)
validation = datasets.load("head_ct_phantoms", n_images=300, prevalence=0.2, seed=12)
test = datasets.load("head_ct_phantoms", n_images=300, prevalence=0.2, seed=13)
hu_train, hu_val, hu_test = train.images, validation.images, test.images
y_val = validation.labels[:, ANY].astype(int)
y_test = test.labels[:, ANY].astype(int)

# One real head CT slice (CQ500 case CQ500-CT-310, CC BY-NC-SA 4.0), converted to HU.
head_dicom = datasets.load("dicom_ct_512").read()
real_hu = apply_modality_lut(head_dicom.pixel_array, head_dicom)  # float64, 512 x 512

print(f"training {hu_train.shape} {hu_train.dtype}, {int(train.labels[:, ANY].sum())} with a bleed")
print(f"validation {len(hu_val)} slices, {int(y_val.sum())} with a bleed; "
      f"test {len(hu_test)} slices, {int(y_test.sum())} with a bleed")
print(f"real CQ500 slice: {real_hu.shape}, {real_hu.dtype}, "
      f"HU from {real_hu.min():.0f} to {real_hu.max():.0f}")

# %% [markdown]
# ## Question 1 · A CT window (2 points)
#
# A screen shows about 256 grey levels; CT spans 4000 HU. A **window** with centre (level) $L$ and
# width $W$ maps the HU range $[L - W/2,\ L + W/2]$ linearly onto $[0, 1]$ and clips everything
# outside it:
#
# $$ x = \operatorname{clip}\!\left(\frac{\text{HU} - (L - W/2)}{W},\ 0,\ 1\right). $$
#
# Write `apply_window(hu, level, width)`. `hu` is a NumPy array of any shape and any integer or
# float dtype. Return a **float32** NumPy array of the same shape. With the brain window (level 40,
# width 80), 0 HU and below become 0, 80 HU and above become 1, and 40 HU becomes 0.5. Do not
# modify the input array: the same HU are windowed three times in the next question.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def apply_window(hu, level, width):
    """HU -> [0, 1] for display or a model: linear inside [level - width/2, level + width/2]."""
    ### BEGIN SOLUTION
    low = level - width / 2
    values = np.asarray(hu, dtype=np.float32)  # a float32 copy; the caller's array is untouched
    return np.clip((values - low) / width, 0.0, 1.0).astype(np.float32)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
example_hu = np.array([[-1000, 0, 20], [40, 80, 1500]], dtype=np.int16)
example = apply_window(example_hu, 40, 80)
assert isinstance(example, np.ndarray), "return a NumPy array"
assert example.dtype == np.float32, f"return float32 (what a network expects), got {example.dtype}"
assert example.shape == example_hu.shape, f"same shape as the input, got {example.shape}"
assert np.allclose(example, [[0.0, 0.0, 0.25], [0.5, 1.0, 1.0]]), (
    "brain window L40/W80: expected [[0, 0, 0.25], [0.5, 1, 1]], "
    f"got {np.round(example, 3).tolist()}. "
    "0.375 for 20 HU means you used the width as the half-width (40 +- 80 instead of 40 +- 40); "
    "values above 1 or below 0 mean you did not clip; 20 or 80 instead of fractions means you "
    "clipped the HU but did not rescale to [0, 1]."
)
before = real_hu.copy()
real_brain = apply_window(real_hu, 40, 80)
assert np.array_equal(real_hu, before), (
    "apply_window changed its input: clip a new array (np.clip without out=, or a copy), "
    "never the caller's HU"
)
assert real_brain.dtype == np.float32, (
    f"the real slice's HU are float64; the window must still be float32, got {real_brain.dtype}"
)
print(f"real slice, brain window: {np.mean(real_brain == 0):.0%} of pixels black, "
      f"{np.mean(real_brain == 1):.0%} white, {np.mean((real_brain > 0) & (real_brain < 1)):.0%} "
      "in between (brain and other soft tissue)")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(909)
_hu = _rng.integers(-1024, 3071, size=(4, 6, 5)).astype(np.int16)
_copy = _hu.copy()
_bone = apply_window(_hu, 600, 2800)
assert np.array_equal(_hu, _copy), "apply_window must not modify an int16 input"
assert _bone.dtype == np.float32 and _bone.shape == (4, 6, 5)
assert np.allclose(_bone, np.clip((_hu.astype(np.float64) + 800) / 2800, 0, 1), atol=1e-6), (
    "bone window L600/W2800 wrong: the window runs from level - width/2 to level + width/2"
)
_sub = apply_window(np.array([-20.0, 30.0, 180.0, 250.5]), 80, 200)
assert _sub.dtype == np.float32, "float64 HU must give float32"
assert np.allclose(_sub, [0.0, 0.25, 1.0, 1.0], atol=1e-6), "subdural window L80/W200 wrong"
_real = apply_window(real_hu, 40, 80)
assert np.allclose(_real, np.clip(real_hu / 80, 0, 1), atol=1e-6), "wrong on the real slice"
_u = apply_window(np.array([[1000, 1064, 1104]], dtype=np.uint16), 40, 80)  # unsigned input
assert np.allclose(_u, [[1.0, 1.0, 1.0]]) and _u.shape == (1, 3)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · Three windows as three channels (1 point)
#
# A radiologist looking for blood flips between windows; a network can see them all at once if each
# window is one **input channel**, as many teams in the RSNA 2019 haemorrhage challenge did. Write
# `three_windows(hu)`: `hu` is a stack of slices `(N, H, W)` in HU (any dtype); return a **float32**
# array of shape `(N, 3, H, W)` (channel-first: the channel axis is axis 1) whose channels are, **in
# this order**:
#
# | channel | window | level (HU) | width (HU) | shows |
# |---|---|---|---|---|
# | 0 | brain | 40 | 80 | grey and white matter, fresh blood (50-90 HU) |
# | 1 | subdural | 80 | 200 | blood against the bright inner table of the skull |
# | 2 | bone | 600 | 2800 | skull, sutures, fractures |
#
# Use your `apply_window`; the setup cell keeps the three (level, width) pairs, in this order, in
# `WINDOWS`. Do not modify the input.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def three_windows(hu):
    """(N, H, W) HU -> (N, 3, H, W) float32: brain, subdural and bone windows as channels."""
    ### BEGIN SOLUTION
    channels = [apply_window(hu, level, width) for level, width in WINDOWS.values()]
    return np.stack(channels, axis=1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
example_stack = np.array([[[0, 60], [180, 2000]]], dtype=np.int16)  # one 2 x 2 slice
x = three_windows(example_stack)
assert isinstance(x, np.ndarray) and x.dtype == np.float32, "return a float32 NumPy array"
assert x.shape == (1, 3, 2, 2), (
    f"expected (N, 3, H, W) = (1, 3, 2, 2), got {x.shape}: stack the windows on axis 1 "
    "(channel-first), not at the end and not in front of the images"
)
assert np.allclose(x[0, 0], [[0.0, 0.75], [1.0, 1.0]]), (
    "channel 0 must be the brain window (L40/W80). If it looks like the bone window, your "
    "channels are in the wrong order."
)
assert np.allclose(x[0, 1], [[0.1, 0.4], [1.0, 1.0]]), (
    "channel 1 must be the subdural window (L80/W200)"
)
assert np.allclose(x[0, 2], [[800 / 2800, 860 / 2800], [980 / 2800, 1.0]]), (
    "channel 2 must be the bone window (L600/W2800)"
)
x_train = three_windows(hu_train)
assert x_train.shape == (len(hu_train), 3, 64, 64)
print("windowed training stack:", x_train.shape, x_train.dtype)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(910)
_hu = _rng.integers(-1024, 2500, size=(3, 3, 4)).astype(np.int16)  # N = 3 = number of windows
_copy = _hu.copy()
_x = three_windows(_hu)
assert np.array_equal(_hu, _copy), "three_windows must not modify its input"
assert _x.shape == (3, 3, 3, 4) and _x.dtype == np.float32
for _c, (_level, _width) in enumerate([(40, 80), (80, 200), (600, 2800)]):
    _expected = np.clip((_hu.astype(np.float64) - (_level - _width / 2)) / _width, 0, 1)
    assert np.allclose(_x[:, _c], _expected, atol=1e-6), (
        f"channel {_c} is wrong when N = 3: the channel axis is axis 1 (N, 3, H, W), in the order "
        "brain, subdural, bone"
    )
_one = three_windows(real_hu[None, 200:210, 250:262])
assert _one.shape == (1, 3, 10, 12)
assert np.allclose(_one[0, 0], np.clip(real_hu[200:210, 250:262] / 80, 0, 1), atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## The model (locked, nothing to write)
#
# The device's model is deliberately simple and fast: a **pixel classifier**. For every pixel it
# takes your three windowed values, their averages over the 3 × 3 neighbourhood, the 7 × 7 averages
# of the brain and subdural windows, the brightest bone value within two pixels (is the skull next
# to it?) and the darkest subdural value nearby, and a logistic regression trained on the
# radiologists' **blood outlines** (the phantoms' masks) turns them into a probability of blood.
# A study's **score** is the highest blood probability, averaged over 3 × 3 pixels, anywhere in the
# slice. It is fitted on the training slices only; the validation and test slices are only scored.
# It takes a few seconds.

# %% nbgrader={"grade": false, "grade_id": "model", "locked": true, "schema_version": 3, "solution": false, "task": false}
def pixel_features(x):
    """Per-pixel features (N, 13, H, W) from the three windows (N, 3, H, W)."""
    local = ndimage.uniform_filter(x, size=(1, 1, 3, 3))
    wide = ndimage.uniform_filter(x[:, :2], size=(1, 1, 7, 7))
    near_bone = ndimage.maximum_filter(x[:, 2], size=(1, 5, 5))[:, None]
    darkest = ndimage.minimum_filter(x[:, 1], size=(1, 3, 3))[:, None]
    return np.concatenate([x, local, wide, near_bone, darkest], axis=1)


def as_rows(features):
    """(N, F, H, W) -> (N * H * W, F): one row per pixel."""
    return features.transpose(0, 2, 3, 1).reshape(-1, features.shape[1])


def study_scores(model, hu):
    """Score of each slice: the highest 3 x 3-averaged pixel probability of blood."""
    features = pixel_features(three_windows(hu))
    n, _, height, width = features.shape
    blood = model.predict_proba(as_rows(features))[:, 1].reshape(n, height, width)
    return ndimage.uniform_filter(blood, size=(1, 3, 3)).reshape(n, -1).max(axis=1)


pixel_rng = np.random.default_rng(0)
rows = as_rows(pixel_features(three_windows(hu_train)))
is_blood = (train.masks > 0).reshape(-1)
keep = is_blood | (pixel_rng.random(len(is_blood)) < 0.1)  # every blood pixel, 10% of the rest
model = LogisticRegression(max_iter=1000).fit(rows[keep], is_blood[keep])
val_scores = study_scores(model, hu_val)
test_scores = study_scores(model, hu_test)
print(f"fitted on {int(keep.sum())} pixels ({int(is_blood.sum())} blood); scores in "
      f"[{val_scores.min():.3f}, {val_scores.max():.3f}] (validation)")

# %% [markdown]
# ## Question 3 · An operating point chosen on the validation set (3 points)
#
# A triage device ships with **one fixed threshold**. The radiologists ask that the flag stay
# specific enough to be trusted: a **specificity of at least 0.90**, so that at most one in ten
# studies without a bleed is flagged. Among the thresholds that achieve it, the smallest one flags
# the most bleeds.
#
# Write `threshold_for_specificity(y_true, scores, target)`. `y_true` (0/1) and `scores` (floats)
# are arrays, lists or pandas Series of the same length, matched by position. Return, as a Python
# `float`, the **smallest threshold among the observed scores** (of all studies, with or without a
# bleed) whose specificity is **at least** `target`. The specificity of a threshold $t$ is the
# share of the studies **without** a bleed whose score is **below** $t$ (they are not flagged; a
# study with score exactly $t$ is flagged). Several studies can share a score: they are flagged
# together. If no observed score reaches the target, return `math.inf` (a device that flags
# nothing). (In im06 the threshold was the 90th percentile of the validation scores without a
# bleed, `np.quantile`, which interpolates between two scores and can land a little off the
# target; here you find the exact one.)

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def threshold_for_specificity(y_true, scores, target):
    """Smallest observed score t with specificity (negatives scored below t) >= target."""
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    values = np.asarray(scores, dtype=float)
    negatives = np.sort(values[truth == 0])
    candidates = np.unique(values)  # sorted, each distinct score once
    # number of negatives strictly below each candidate, hence not flagged at that threshold
    cleared = np.searchsorted(negatives, candidates, side="left")
    reached = cleared / len(negatives) >= target
    return float(candidates[np.argmax(reached)]) if reached.any() else math.inf
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Ten studies without a bleed (scores 0.05 to 0.9) and three with one (0.3, 0.85, 0.95).
toy_true = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
toy_scores = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.3, 0.85, 0.95]
t = threshold_for_specificity(toy_true, toy_scores, 0.9)
assert isinstance(t, float), f"return a Python float, not {type(t).__name__}"
assert t in toy_scores, (
    f"return one of the observed scores, not an interpolated value (you returned {t}): "
    "np.quantile interpolates between scores"
)
assert t == 0.85, (
    f"expected 0.85, got {t}. At 0.85 nine of the ten studies without a bleed score below it: "
    "specificity 0.90, which is 'at least 0.90'. 0.8 flags the study scored 0.8 (score >= "
    "threshold is flagged): specificity 0.80. 0.9 means you only tried the scores of studies "
    "without a bleed. 0.95 means you asked for a specificity strictly above 0.90, or divided by "
    "all studies instead of those without a bleed."
)
assert threshold_for_specificity(toy_true, toy_scores, 0.5) == 0.5, (
    "target 0.5: five of ten below 0.5, so 0.5 is the smallest threshold with specificity 0.5"
)
val_threshold = threshold_for_specificity(y_val, val_scores, 0.90)
achieved = np.mean(val_scores[y_val == 0] < val_threshold)
assert achieved >= 0.90, (
    f"at your threshold {val_threshold:.4f} only {achieved:.1%} of the validation studies without "
    "a bleed are below it"
)
print(f"threshold for specificity >= 0.90 on validation: {val_threshold:.4f} "
      f"(validation specificity {achieved:.3f})")
print("Public tests passed. Hidden tests add ties, unreachable targets and pandas Series.")
### BEGIN HIDDEN TESTS
def _reference_threshold(_y, _s, _target):
    _y, _s = np.asarray(_y).astype(int), np.asarray(_s, dtype=float)
    _neg = _s[_y == 0]
    for _t in np.unique(_s):
        if np.mean(_neg < _t) >= _target:
            return float(_t)
    return math.inf


assert threshold_for_specificity(y_val, val_scores, 0.90) == _reference_threshold(
    y_val, val_scores, 0.90), "wrong threshold on the validation scores"
# ties: three studies without a bleed share the score 0.8, so a threshold of 0.8 flags all three
_y = [0] * 10 + [1] * 3
_s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.8, 0.8, 0.75, 0.85, 0.95]
assert threshold_for_specificity(_y, _s, 0.8) == 0.85, (
    "tied scores are flagged together: at 0.8 all three studies scored 0.8 are flagged "
    "(specificity 0.7), so the smallest threshold with specificity >= 0.8 is 0.85"
)
assert threshold_for_specificity(_y, _s, 0.7) == 0.75, (
    "0.75 (a study with a bleed) clears 7 of 10 studies without one: try every observed score"
)
assert threshold_for_specificity(_y, _s, 0.5) == 0.6
# unreachable: the highest score belongs to a study without a bleed
_t = threshold_for_specificity([1, 0, 0, 1, 0], [0.2, 0.9, 0.1, 0.5, 0.3], 1.0)
assert _t == math.inf, "when no observed score reaches the target, return math.inf"
assert threshold_for_specificity([1, 0, 0, 1, 0], [0.2, 0.9, 0.1, 0.5, 0.3], 0.0) == 0.1
# pandas Series with scrambled indexes are matched by position
_rng = np.random.default_rng(911)
_yy = _rng.integers(0, 2, 200)
_ss = np.round(_rng.random(200) + 0.4 * _yy, 2)  # rounded: many ties
_t = threshold_for_specificity(pd.Series(_yy, index=_rng.permutation(200)),
                               pd.Series(_ss, index=np.arange(200, 0, -1)), 0.85)
assert _t == _reference_threshold(_yy, _ss, 0.85), "Series must be matched by position"
for _target in (0.7, 0.9, 0.95, 0.99):
    assert threshold_for_specificity(_yy, _ss, _target) == _reference_threshold(_yy, _ss, _target)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · The test set at the fixed operating point (3 points)
#
# **(a)** Write `operating_point(y_true, scores, threshold)`: flag every study with
# `score >= threshold` and return a dict with four keys:
#
# * `"sensitivity"`: flagged bleeds / all bleeds; `"specificity"`: unflagged non-bleeds / all
#   non-bleeds (floats);
# * `"sensitivity_ci"` and `"specificity_ci"`: their 95% **Wilson score intervals**, each a tuple
#   `(low, high)` of floats. For $k$ successes out of $n$, $\hat p = k / n$ and $z = 1.96$:
#
# $$ \frac{\hat p + \frac{z^2}{2n}}{1 + \frac{z^2}{n}} \ \pm\ \frac{z}{1 + \frac{z^2}{n}}
#    \sqrt{\frac{\hat p(1 - \hat p)}{n} + \frac{z^2}{4n^2}} $$
#
# Unlike the textbook $\hat p \pm z\sqrt{\hat p(1-\hat p)/n}$ (the Wald interval), it stays inside
# [0, 1] and keeps its coverage when $\hat p$ is near 1, which is where a device's specificity lives.
#
# **(b)** Then set `threshold` to your `threshold_for_specificity` of the **validation** scores
# (`y_val`, `val_scores`) with target 0.90, and `test_point` to `operating_point` of the **test**
# set (`y_test`, `test_scores`) at that threshold. The threshold is part of the device: it is fixed
# before the test set is opened and **never re-tuned on the test set**.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
Z95 = 1.96


def operating_point(y_true, scores, threshold):
    """Sensitivity and specificity of the flag score >= threshold, with Wilson 95% intervals."""
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    flagged = np.asarray(scores, dtype=float) >= threshold
    tp = int(np.sum(flagged & (truth == 1)))
    tn = int(np.sum(~flagged & (truth == 0)))
    n_pos, n_neg = int(np.sum(truth == 1)), int(np.sum(truth == 0))

    def wilson(k, n):
        p = k / n
        denominator = 1 + Z95**2 / n
        centre = (p + Z95**2 / (2 * n)) / denominator
        half = Z95 / denominator * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2))
        return (centre - half, centre + half)

    return {"sensitivity": tp / n_pos, "specificity": tn / n_neg,
            "sensitivity_ci": wilson(tp, n_pos), "specificity_ci": wilson(tn, n_neg)}
    ### END SOLUTION


### BEGIN SOLUTION
threshold = threshold_for_specificity(y_val, val_scores, 0.90)
test_point = operating_point(y_test, test_scores, threshold)
### END SOLUTION
print(f"threshold (fixed on validation): {threshold:.4f}")
low, high = test_point["sensitivity_ci"]
print(f"test sensitivity: {test_point['sensitivity']:.3f} (95% CI {low:.3f} to {high:.3f})")
low, high = test_point["specificity_ci"]
print(f"test specificity: {test_point['specificity']:.3f} (95% CI {low:.3f} to {high:.3f})")

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# 10 bleeds (8 flagged), 20 non-bleeds (17 not flagged) at threshold 0.5
toy_true = [1] * 10 + [0] * 20
toy_scores = [0.9] * 8 + [0.1] * 2 + [0.7] * 3 + [0.2] * 17
point = operating_point(toy_true, toy_scores, 0.5)
assert isinstance(point, dict) and set(point) == {
    "sensitivity", "specificity", "sensitivity_ci", "specificity_ci"}, (
    "return a dict with the keys sensitivity, specificity, sensitivity_ci, specificity_ci"
)
assert math.isclose(point["sensitivity"], 0.8) and math.isclose(point["specificity"], 0.85), (
    "expected sensitivity 8/10 = 0.8 and specificity 17/20 = 0.85, got "
    f"{point['sensitivity']:.3f} and {point['specificity']:.3f}. Sensitivity counts the flagged "
    "studies among the bleeds only; 0.727 = 8/11 is the share of bleeds among the flagged "
    "studies (the PPV)."
)
low, high = point["sensitivity_ci"]
assert np.allclose([low, high], [0.4902, 0.9433], atol=1e-3), (
    f"Wilson interval for 8/10: expected (0.490, 0.943), got ({low:.3f}, {high:.3f}). "
    "(0.552, 1.048) is the Wald interval p +- 1.96 sqrt(p(1-p)/n); use the Wilson formula."
)
low, high = point["specificity_ci"]
assert np.allclose([low, high], [0.6396, 0.9476], atol=1e-3), (
    f"Wilson interval for 17/20: expected (0.640, 0.948), got ({low:.3f}, {high:.3f})"
)
at_boundary = operating_point([1, 1, 0, 0], [0.5, 0.4, 0.5, 0.1], 0.5)
assert at_boundary["sensitivity"] == 0.5 and at_boundary["specificity"] == 0.5, (
    "a score equal to the threshold is flagged (score >= threshold)"
)
assert math.isclose(threshold, threshold_for_specificity(y_val, val_scores, 0.90)), (
    "threshold must come from the VALIDATION set (y_val, val_scores) with target 0.90"
)
assert test_point["sensitivity"] > 0.5, (
    f"test sensitivity {test_point['sensitivity']:.3f} is implausibly low for this model"
)
print("Public tests passed. Hidden tests check test_point and other operating points.")
### BEGIN HIDDEN TESTS
_thr = threshold_for_specificity(y_val, val_scores, 0.90)
_flag = test_scores >= _thr
_sens = np.mean(_flag[y_test == 1])
_spec = np.mean(~_flag[y_test == 0])
assert math.isclose(test_point["sensitivity"], _sens) and math.isclose(
    test_point["specificity"], _spec), (
    "test_point must be the TEST set (y_test, test_scores) at the threshold fixed on validation: "
    "a threshold re-tuned on the test set, or metrics of the validation set, do not estimate "
    "how the device will perform"
)


def _wilson(_k, _n, _z=1.96):
    _p = _k / _n
    _d = 1 + _z**2 / _n
    _h = _z / _d * math.sqrt(_p * (1 - _p) / _n + _z**2 / (4 * _n**2))
    return ((_p + _z**2 / (2 * _n)) / _d - _h, (_p + _z**2 / (2 * _n)) / _d + _h)


_k_pos, _n_pos = int(_flag[y_test == 1].sum()), int((y_test == 1).sum())
_k_neg, _n_neg = int((~_flag[y_test == 0]).sum()), int((y_test == 0).sum())
assert np.allclose(test_point["sensitivity_ci"], _wilson(_k_pos, _n_pos), atol=1e-4)
assert np.allclose(test_point["specificity_ci"], _wilson(_k_neg, _n_neg), atol=1e-4)
# perfect specificity: the Wilson interval stays below 1 and is not of zero width
_perfect = operating_point([1, 1, 1, 0, 0, 0, 0, 0], [0.9, 0.8, 0.2, 0.1, 0.1, 0.3, 0.2, 0.0], 0.5)
assert _perfect["specificity"] == 1.0
assert np.allclose(_perfect["specificity_ci"], _wilson(5, 5), atol=1e-4), (
    "specificity 5/5: the Wilson interval is (0.566, 1.0), not (1, 1) as the Wald interval says"
)
assert np.allclose(_perfect["sensitivity_ci"], _wilson(2, 3), atol=1e-4)
_series = operating_point(pd.Series([0, 1, 1, 0], index=[9, 8, 7, 6]),
                          pd.Series([0.6, 0.6, 0.2, 0.1], index=[1, 2, 3, 4]), 0.6)
assert _series["sensitivity"] == 0.5 and _series["specificity"] == 0.5, "match by position"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · Does the flag shorten the wait for the patients who bleed? (3 points)
#
# One radiologist reads the worklist, one study at a time, and never interrupts a reading. Write
# `time_to_report(arrival_min, read_min, flagged, prioritise)`:
#
# * `arrival_min`: the minute each study arrives in the worklist (not necessarily sorted);
# * `read_min`: how many minutes each study takes to read;
# * `flagged`: the device's flag for each study (booleans);
# * `prioritise`: if `False`, **first in, first out** (FIFO): whenever the radiologist is free,
#   they start the waiting study that arrived first. If `True`, a **flagged** study that is waiting
#   goes first (the earliest-arrived flagged one); unflagged studies are read FIFO when no flagged
#   study is waiting.
#
# The radiologist is free from minute 0. A study cannot be read before it arrives: when nothing is
# waiting, the radiologist waits for the next arrival. A study that arrives at the very minute the
# radiologist becomes free is waiting. When two studies arrive at the same minute, the one that
# comes first in the input goes first. Return a NumPy array with, **for each study in the input
# order**, its **time to report**: the minutes from its **arrival** until the radiologist
# **finishes** reading it.

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def time_to_report(arrival_min, read_min, flagged, prioritise):
    """Minutes from arrival to finished report of each study, for one non-interrupting reader."""
    ### BEGIN SOLUTION
    arrival = np.asarray(arrival_min, dtype=float)
    reading = np.asarray(read_min, dtype=float)
    flag = np.asarray(flagged, dtype=bool)
    order = list(np.argsort(arrival, kind="stable"))  # arrival order, ties by input position
    finished = np.empty(len(arrival))
    waiting, clock = [], 0.0
    while order or waiting:
        if not waiting:  # idle: jump to the next arrival
            clock = max(clock, arrival[order[0]])
        while order and arrival[order[0]] <= clock:
            waiting.append(order.pop(0))
        urgent = [i for i in waiting if flag[i]] if prioritise else []
        study = urgent[0] if urgent else waiting[0]  # waiting is in arrival order
        waiting.remove(study)
        clock += reading[study]
        finished[study] = clock
    return finished - arrival
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Four studies: A at 0, B at 1, C at 2 (flagged), D at 10 (flagged); each takes 5 min except D (1).
arrive, read, flag = [0, 1, 2, 10], [5, 5, 5, 1], [False, False, True, True]
fifo = time_to_report(arrive, read, flag, prioritise=False)
assert isinstance(fifo, np.ndarray) and fifo.shape == (4,), "return one time per study"
assert np.allclose(fifo, [5, 9, 13, 6]), (
    f"FIFO: expected [5, 9, 13, 6], got {np.round(fifo, 2).tolist()}. A is read 0-5, B 5-10, "
    "C 10-15, D 15-16. [5, 10, 15, 16] means you measured from minute 0 instead of from each "
    "study's arrival; [0, 4, 8, 5] means you stopped the clock when reading starts, not when it "
    "ends."
)
first = time_to_report(arrive, read, flag, prioritise=True)
assert np.allclose(first, [5, 15, 8, 1]), (
    f"prioritised: expected [5, 15, 8, 1], got {np.round(first, 2).tolist()}. A is read 0-5 "
    "(nothing else has arrived at 0); at 5, C is flagged and goes before B: 5-10; at 10, D has "
    "just arrived and is flagged: 10-11; then B 11-16. A flagged study cannot be read before it "
    "arrives."
)
idle = time_to_report([30, 0], [4, 6], [True, False], prioritise=False)
assert np.allclose(idle, [4, 6]), (
    f"expected [4, 6], got {np.round(idle, 2).tolist()}: the study arriving at 0 is read 0-6, the "
    "radiologist is idle from 6 to 30 and reads the other 30-34. Return the times in the order of "
    "the input, not in the order of arrival."
)
print("Public tests passed. Hidden tests compare with a reference simulation on random worklists.")
### BEGIN HIDDEN TESTS
def _reference_times(_arrival, _read, _flag, _prioritise):
    _arrival, _read = np.asarray(_arrival, float), np.asarray(_read, float)
    _flag = np.asarray(_flag, bool)
    _done = np.zeros(len(_arrival), dtype=bool)
    _finish = np.empty(len(_arrival))
    _clock = 0.0
    for _ in range(len(_arrival)):
        _ready = np.flatnonzero(~_done & (_arrival <= _clock))
        if len(_ready) == 0:
            _clock = _arrival[~_done].min()
            _ready = np.flatnonzero(~_done & (_arrival <= _clock))
        if _prioritise and _flag[_ready].any():
            _ready = _ready[_flag[_ready]]
        _next = _ready[np.lexsort((_ready, _arrival[_ready]))[0]]
        _clock += _read[_next]
        _finish[_next] = _clock
        _done[_next] = True
    return _finish - _arrival


_rng = np.random.default_rng(912)
for _trial in range(6):
    _n = int(_rng.integers(5, 60))
    # whole minutes: ties in arrival, and arrivals at the very minute a reading ends, are common
    _arr = np.floor(np.cumsum(_rng.exponential(4.0, _n)))[_rng.permutation(_n)]  # unsorted
    _rd = _rng.integers(1, 9, _n).astype(float)
    _fl = _rng.random(_n) < 0.3
    for _p in (False, True):
        _mine = np.asarray(time_to_report(_arr, _rd, _fl, _p), dtype=float)
        assert _mine.shape == (_n,), "one time per study, in the input order"
        assert np.allclose(_mine, _reference_times(_arr, _rd, _fl, _p)), (
            f"differs from a correct simulation (prioritise={_p}) on a random worklist whose "
            "arrival times are not sorted: return the times in the input order, measure from "
            "arrival to the end of reading, and never read a study before it arrives"
        )
# a burst: everything arrives at minute 0 (ties keep the input order)
_mine = time_to_report([0, 0, 0, 0], [2, 3, 1, 4], [False, True, False, True], True)
assert np.allclose(_mine, [9, 3, 10, 7]), "ties in arrival: flagged first, then the input order"
_mine = time_to_report([0, 0, 0, 0], [2, 3, 1, 4], [False, True, False, True], False)
assert np.allclose(_mine, [2, 5, 6, 10])
# the same flagged study is read once: the reader's total work equals the sum of reading times
_arr = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
_mine = time_to_report(_arr, [3, 3, 3, 3, 3], [True, True, False, True, False], True)
assert math.isclose(float(np.max(_mine + _arr)), 15.0), (
    "the last report must be done at minute 15 (five readings of 3 min): is a flagged study read "
    "twice, once from the priority list and once from the normal list?"
)
### END HIDDEN TESTS

# %% [markdown]
# ## The emergency worklist, simulated (locked, nothing to write)
#
# The 300 test studies arrive one by one in random order, on average every 5.5 minutes (a Poisson
# stream, a little over a day of work), and each takes the radiologist 2 to 12 minutes to read
# (about 5.4 minutes on average), so the radiologist is almost never idle and a queue builds up at
# busy times. Your flag at the validation threshold decides who goes first. The table compares
# first-in-first-out with prioritisation, for the patients with a bleed (flagged or missed by the
# device) and for everyone else.

# %% nbgrader={"grade": false, "grade_id": "worklist", "locked": true, "schema_version": 3, "solution": false, "task": false}
shift = np.random.default_rng(2027)
shift_arrival = np.cumsum(shift.exponential(5.5, len(y_test)))[shift.permutation(len(y_test))]
shift_read = shift.gamma(shape=4.0, scale=1.35, size=len(y_test)).clip(2.0, 12.0)
shift_flag = test_scores >= threshold
waits = {
    "first in, first out": time_to_report(shift_arrival, shift_read, shift_flag, False),
    "flagged first": time_to_report(shift_arrival, shift_read, shift_flag, True),
}
groups = {
    "bleed, flagged (true positive)": (y_test == 1) & shift_flag,
    "bleed, not flagged (false negative)": (y_test == 1) & ~shift_flag,
    "no bleed, flagged (false positive)": (y_test == 0) & shift_flag,
    "no bleed, not flagged (true negative)": (y_test == 0) & ~shift_flag,
    "all bleeds": y_test == 1,
    "all studies": np.ones(len(y_test), dtype=bool),
}
worklist = pd.DataFrame({order: {group: float(times[members].mean())
                                 for group, members in groups.items()}
                         for order, times in waits.items()})
worklist.insert(0, "studies", [int(members.sum()) for members in groups.values()])
print("Mean time to report (minutes):")
print(worklist.round(1).to_string())

# %% [markdown]
# ## Question 6 · Claims, errors and monitoring (3 points, graded by hand)
#
# The hospital's radiology committee asks for your opinion before it buys a haemorrhage triage
# device that works like yours. In **at most 250 words**, answer three questions, using your own
# numbers from Questions 4 and 5 where they help:
#
# 1. **Claims.** What does a CADt device cleared under 21 CFR 892.2080 do, and what may its
#    labelling *not* claim? What must the radiologists still do?
# 2. **Errors.** Why is a **false negative** of a triage device not the same harm as a **missed
#    diagnosis**, and what harm does it do? What do the false positives cost? When could a false
#    negative become a missed diagnosis after all?
# 3. **After deployment.** Name at least **three** things the hospital should monitor once the
#    device runs, where the reference (truth) for each comes from, and what should trigger action.
#
# **Rubric** (3 points)
#
# | points | the answer |
# |---|---|
# | 1 | states that a CADt device only notifies and prioritises, in parallel with the standard of care: it does not diagnose, does not mark findings on the diagnostic images, does not remove studies from the worklist, and every study is still read in full by a radiologist; claims are limited to triage (e.g. flag performance, time to notification), not to detection or diagnosis of haemorrhage |
# | 1 | explains that a false negative stays in the normal queue and is still read, so its harm is delay (quantified with the worklist numbers: its wait is like FIFO or slightly longer), not omission; false positives delay other patients and erode trust (alarm fatigue); a false negative can become a miss through automation bias if readers treat "no flag" as "normal" or the flag replaces reading |
# | 1 | names at least three concrete monitored quantities with their reference and a trigger, e.g. flag rate and input drift (scanner, protocol, population), PPV against the radiologists' reports, sensitivity from audits of reported bleeds that were not flagged, time to report of flagged vs unflagged bleeds, subgroup performance (bleed type, scanner, age), downtime/failures; with a threshold or review that leads to action (recalibration within a change-control plan, vendor report, stop) |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_triage_judgement", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer (about 250 words):
#
# **Claims.** A CADt device (21 CFR 892.2080, class II, created by the De Novo for Viz.ai's
# ContaCT in 2018; Aidoc's BriefCase for ICH was cleared under it through 510(k) K180647) analyses
# the images and **notifies** clinicians of time-sensitive studies so that they can be **read
# first**. It works in parallel with the standard of care: it does not mark or highlight findings
# on the diagnostic images, does not remove any study from the worklist, and its previews are not
# for diagnosis. It may claim triage performance (sensitivity and specificity of the flag, time to
# notification), not that it detects or rules out haemorrhage. Every study is still read in full.
#
# **Errors.** A false negative is **not dropped**: it waits in the normal FIFO queue, as it would
# without the device, and is read and reported. The harm is **delay** (in the worklist table the
# missed bleeds wait about as long as under FIFO, even a little longer, while flagged bleeds are
# reported within minutes). False positives push normal studies ahead, delay everybody else and
# teach readers to ignore the flag. A false negative becomes a missed diagnosis only through
# **automation bias**: readers reading unflagged studies faster or less carefully, or the flag
# being used to decide who is read at all.
#
# **Monitoring.** (1) flag rate per week and input drift (scanner, protocol, slice thickness,
# patient mix); (2) PPV of the flag against the final reports; (3) sensitivity by auditing every
# reported bleed that was not flagged, by type and scanner; (4) time to report of flagged and
# unflagged bleeds; (5) failures and downtime. Pre-set limits (e.g. PPV or audited sensitivity
# below the validated lower confidence bound) trigger review with the vendor, a change under its
# change-control plan, or switching the device off.
# ### END SOLUTION
