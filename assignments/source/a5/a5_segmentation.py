# %% [markdown]
# # Assignment 5 · Train and evaluate a segmentation model
#
# **Module:** Medical imaging and AI medical devices · **Lesson:** im04 Segmentation with MONAI ·
# **Points:** 15
#
# A hospital's oncology service wants body composition measured automatically on every staging
# CT: the area of **skeletal muscle** at the third lumbar vertebra (L3), with subcutaneous and
# visceral fat, to screen for sarcopenia. You will train a small MONAI U-Net on abdominal CT
# phantoms and evaluate it the way a device validation would: on **patients it has never seen**,
# with a Dice coefficient per tissue that leaves out the background, and finally as the clinical
# measurement itself, in cm².
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. Do not change the locked cells (the data, the network and
# the training schedule are fixed so that everyone's model is comparable). Run every cell top to
# bottom before you submit; the whole notebook runs in well under a minute on a laptop. The cells
# with `assert` are the public tests; more (hidden) tests run when your work is graded, on other
# phantoms and on hand-made tensors, so test edge cases yourself.
#
# **Conventions (MONAI's, as in im04).** Tensors are **channel-first**: a batch of 2D images is
# `(N, C, H, W)`. The CT input has one channel; the network outputs **4 logits per pixel**, one
# per class: **0 = background** (air and every organ we do not measure), **1 = subcutaneous fat**,
# **2 = skeletal muscle**, **3 = visceral fat**. A label map is an integer tensor `(N, 1, H, W)`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math

import numpy as np
import pandas as pd
import torch
from monai.inferers import sliding_window_inference
from monai.losses import DiceCELoss
from monai.networks.nets import UNet
from monai.networks.utils import one_hot

from medai import datasets

torch.set_num_threads(1)
torch.manual_seed(0)

CLASS_NAMES = ["background", "subcutaneous fat", "skeletal muscle", "visceral fat"]
N_CLASSES = len(CLASS_NAMES)
PHANTOM_TO_CLASS = np.zeros(11, dtype=np.int64)  # phantom label -> our class; the rest is 0
PHANTOM_TO_CLASS[[1, 2, 3]] = [1, 2, 3]
PATCH = 64  # training patches and inference windows are 64 x 64 pixels

TRAIN_SEEDS = [0, 1, 2, 3]  # four training patients
TEST_SEEDS = [10, 11]  # two held-out patients
train_phantoms = [datasets.load("ct_phantom", seed=s) for s in TRAIN_SEEDS]
test_phantoms = [datasets.load("ct_phantom", seed=s) for s in TEST_SEEDS]
SPACING = train_phantoms[0].spacing_mm  # (z, y, x) in mm

# every axial slice is one 2D image: HU as (N, H, W), labels as (N, 1, H, W)
hu_train = np.concatenate([p.volume for p in train_phantoms])
y_train = torch.from_numpy(np.concatenate([PHANTOM_TO_CLASS[p.labels] for p in train_phantoms]))[:, None]
hu_test = np.concatenate([p.volume for p in test_phantoms])
y_test = torch.from_numpy(np.concatenate([PHANTOM_TO_CLASS[p.labels] for p in test_phantoms]))[:, None]


def predict_logits(model, images):
    """Logits (N, C, H, W) of preprocessed images (N, 1, H, W), by sliding 64 x 64 windows."""
    model.eval()
    with torch.no_grad():
        return sliding_window_inference(images, roi_size=(PATCH, PATCH), sw_batch_size=32,
                                        predictor=model, overlap=0.5, mode="gaussian")


print(f"training: {len(hu_train)} slices from patients {TRAIN_SEEDS}; "
      f"held-out: {len(hu_test)} slices from patients {TEST_SEEDS}; spacing {SPACING} mm")
print("HU range of the training data:", int(hu_train.min()), "to", int(hu_train.max()))

# %% [markdown]
# ## Question 1 · Window the Hounsfield units (2 points)
#
# Write `preprocess(hu)`. It takes a NumPy array of CT slices in Hounsfield units, shape
# `(N, H, W)` (any integer or float dtype), and returns a **`torch.float32` tensor of shape
# `(N, 1, H, W)`** (add the channel axis) with the **abdominal window**, centre 40 HU and width
# 400 HU, mapped to [0, 1]:
#
# $$ x = \operatorname{clip}\!\left(\frac{\text{HU} - (40 - 400/2)}{400},\ 0,\ 1\right). $$
#
# So −160 HU and below become 0, +240 HU and above become 1, and 40 HU becomes 0.5. Do not modify
# the input array.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def preprocess(hu):
    """CT slices in HU (N, H, W) -> float32 tensor (N, 1, H, W) in [0, 1], abdominal window."""
    ### BEGIN SOLUTION
    centre, width = 40.0, 400.0
    low = centre - width / 2
    windowed = np.clip((np.asarray(hu, dtype=np.float32) - low) / width, 0.0, 1.0)
    return torch.from_numpy(windowed)[:, None]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
example_hu = np.array([[[-1000, -160, -100], [40, 240, 1500]]], dtype=np.int16)  # (1, 2, 3)
example_x = preprocess(example_hu)
assert isinstance(example_x, torch.Tensor), "return a torch tensor (torch.from_numpy helps)"
assert example_x.dtype == torch.float32, f"the network expects float32, got {example_x.dtype}"
assert tuple(example_x.shape) == (1, 1, 2, 3), (
    f"expected shape (N, 1, H, W) = (1, 1, 2, 3), got {tuple(example_x.shape)}: add the channel "
    "axis at position 1 (channel-first), not at the end"
)
assert np.allclose(example_x[0, 0].numpy(), [[0.0, 0.0, 0.15], [0.5, 1.0, 1.0]]), (
    "expected [[0, 0, 0.15], [0.5, 1, 1]]: subtract (40 - 200) = -160 HU, divide by 400 and clip "
    "to [0, 1]. Values outside [0, 1] mean you did not clip; 40 HU must give 0.5."
)
x_train = preprocess(hu_train)
assert tuple(x_train.shape) == (len(hu_train), 1, 96, 96)
print(f"windowed training images: {tuple(x_train.shape)}, range {x_train.min():.2f} to {x_train.max():.2f}")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(55)
_hu = _rng.integers(-1024, 3071, size=(3, 5, 7)).astype(np.int16)
_copy = _hu.copy()
_x = preprocess(_hu)
assert np.array_equal(_hu, _copy), "preprocess must not modify its input"
assert tuple(_x.shape) == (3, 1, 5, 7) and _x.dtype == torch.float32
assert np.allclose(_x[:, 0].numpy(), np.clip((_hu.astype(np.float64) + 160) / 400, 0, 1), atol=1e-6)
_xf = preprocess(np.array([[[-160.5, 0.0, 239.9]]]))  # float64 HU
assert np.allclose(_xf.numpy().ravel(), [0.0, 0.4, 0.99975], atol=1e-5), "float HU input"
assert _xf.dtype == torch.float32, f"float64 HU must still give a float32 tensor, got {_xf.dtype}"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · One epoch of training (3 points)
#
# Write `train_one_epoch(model, batches, loss_function, optimizer)`. `batches` is a list of
# `(images, labels)` pairs, images `(B, 1, H, W)` float and labels `(B, 1, H, W)` integer. Put the
# model in training mode, then for **each** batch:
#
# 1. clear the gradients left by the previous batch (the optimiser's `zero_grad()`);
# 2. forward pass: the model turns the images into logits `(B, C, H, W)`;
# 3. the loss of the logits against the labels, with `loss_function`;
# 4. backward pass (the loss's `backward()`), then one optimiser `step()`.
#
# Return the **mean of the batch losses** as a Python `float` (each batch counts once; use
# `loss.item()` so that you store a number, not the graph).

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_one_epoch(model, batches, loss_function, optimizer):
    """One pass over the batches: zero_grad, forward, loss, backward, step. Mean batch loss."""
    ### BEGIN SOLUTION
    model.train()
    losses = []
    for images, labels in batches:
        optimizer.zero_grad()
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return float(np.mean(losses))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Public tests on a toy problem: the class of a pixel is given by its grey level.
toy_generator = torch.Generator().manual_seed(1)
toy_images = [torch.rand(4, 1, 8, 8, generator=toy_generator) for _ in range(3)]
toy_batches = [(im, (im * 4).long().clamp(max=3)) for im in toy_images]
torch.manual_seed(1)
toy_model = torch.nn.Conv2d(1, 4, kernel_size=1)
toy_loss = DiceCELoss(to_onehot_y=True, softmax=True)
toy_optimizer = torch.optim.Adam(toy_model.parameters(), lr=0.1)
toy_before = toy_model.weight.detach().clone()
first = train_one_epoch(toy_model, toy_batches, toy_loss, toy_optimizer)
assert isinstance(first, float), (
    f"return a Python float (the mean of loss.item() over batches), not {type(first).__name__}"
)
assert not torch.equal(toy_before, toy_model.weight.detach()), (
    "the weights did not change: call backward() on the loss, then step() on the optimiser, "
    "for each batch"
)
for _ in range(30):
    last = train_one_epoch(toy_model, toy_batches, toy_loss, toy_optimizer)
assert last < 0.8 * first, f"the toy loss should fall clearly: {first:.3f} -> {last:.3f}"
print(f"toy loss: {first:.3f} -> {last:.3f}")
print("Public tests passed. Hidden tests compare your weights, step by step, with a correct loop, "
      "also for batches of different sizes and for a model handed to you in evaluation mode.")
### BEGIN HIDDEN TESTS
_gen = torch.Generator().manual_seed(7)
_images = [torch.rand(2, 1, 6, 6, generator=_gen) for _ in range(4)]
_batches = [(_im, (_im * 3).long().clamp(max=2)) for _im in _images]


def _fresh():
    torch.manual_seed(3)
    _m = torch.nn.Conv2d(1, 3, kernel_size=3, padding=1)
    return _m, torch.optim.SGD(_m.parameters(), lr=0.5)


_criterion = DiceCELoss(to_onehot_y=True, softmax=True)
_ref_model, _ref_opt = _fresh()
_ref_losses = []
for _x, _y in _batches:
    _ref_opt.zero_grad()
    _l = _criterion(_ref_model(_x), _y)
    _l.backward()
    _ref_opt.step()
    _ref_losses.append(_l.item())
_model, _opt = _fresh()
_mean = train_one_epoch(_model, _batches, _criterion, _opt)
for _p, _q in zip(_model.parameters(), _ref_model.parameters()):
    assert torch.allclose(_p, _q, atol=1e-6), (
        "after one epoch the weights differ from a correct loop: zero the gradients before each "
        "backward pass (otherwise they accumulate over batches), and step after backward"
    )
assert math.isclose(_mean, float(np.mean(_ref_losses)), rel_tol=1e-5), (
    "return the mean of the batch losses computed before each optimiser step"
)
# a model with batch normalisation handed over in evaluation mode, batches of 3, 1 and 2 images
_sized = [torch.rand(_n, 1, 6, 6, generator=_gen) for _n in (3, 1, 2)]
_sized = [(_im, (_im * 3).long().clamp(max=2)) for _im in _sized]


def _fresh_bn():
    torch.manual_seed(4)
    _m = torch.nn.Sequential(torch.nn.Conv2d(1, 3, kernel_size=3, padding=1),
                             torch.nn.BatchNorm2d(3))
    return _m, torch.optim.SGD(_m.parameters(), lr=0.5)


_ref_bn, _ref_bn_opt = _fresh_bn()
_ref_bn.train()
_ref_bn_losses = []
for _x, _y in _sized:
    _ref_bn_opt.zero_grad()
    _l = _criterion(_ref_bn(_x), _y)
    _l.backward()
    _ref_bn_opt.step()
    _ref_bn_losses.append(_l.item())
_bn, _bn_opt = _fresh_bn()
_bn.eval()  # as predict_logits leaves a model
_bn_mean = train_one_epoch(_bn, _sized, _criterion, _bn_opt)
for _p, _q in zip(list(_bn.parameters()) + list(_bn.buffers()),
                  list(_ref_bn.parameters()) + list(_ref_bn.buffers())):
    assert torch.allclose(_p.float(), _q.float(), atol=1e-6), (
        "put the model in training mode (model.train()) before the batches: in evaluation mode "
        "batch normalisation uses its running statistics and does not update them"
    )
assert math.isclose(_bn_mean, float(np.mean(_ref_bn_losses)), rel_tol=1e-5), (
    "each batch counts once: the plain mean of the batch losses, not weighted by batch size"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Training (locked, nothing to write)
#
# This cell trains the U-Net with **your** `preprocess` and **your** `train_one_epoch`: 20 epochs
# of random 64 × 64 patches, Dice + cross-entropy loss on softmax probabilities, Adam. It takes
# about 10–20 seconds. If your functions are right the loss falls from above 1 to about 0.1.

# %% nbgrader={"grade": false, "grade_id": "training", "locked": true, "schema_version": 3, "solution": false, "task": false}
EPOCHS, BATCH = 20, 8
torch.manual_seed(0)
model = UNet(spatial_dims=2, in_channels=1, out_channels=N_CLASSES, channels=(8, 16, 32, 64),
             strides=(2, 2, 2), num_res_units=1)
loss_function = DiceCELoss(to_onehot_y=True, softmax=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
patch_generator = torch.Generator().manual_seed(0)
x_train = preprocess(hu_train)
epoch_losses = []
for epoch in range(EPOCHS):
    order = torch.randperm(len(x_train), generator=patch_generator)
    batches = []
    for start in range(0, len(order), BATCH):
        rows = order[start:start + BATCH]
        top, left = torch.randint(0, 96 - PATCH + 1, (2,), generator=patch_generator).tolist()
        batches.append((x_train[rows, :, top:top + PATCH, left:left + PATCH],
                        y_train[rows, :, top:top + PATCH, left:left + PATCH]))
    epoch_losses.append(train_one_epoch(model, batches, loss_function, optimizer))
print("loss per epoch:", np.round(epoch_losses, 3))

# %% [markdown]
# ## Question 3 · Dice per class, the MONAI way (3 points)
#
# Write `dice_per_class(logits, labels)`:
#
# * `logits`: float tensor `(N, C, H, W)`, the network's output for N images and C classes;
# * `labels`: integer tensor `(N, 1, H, W)`, the reference class of each pixel.
#
# The predicted class of a pixel is the **argmax over the class axis** (axis 1 in MONAI's
# channel-first layout). Turn predictions and labels into one-hot tensors `(N, C, H, W)`
# (`monai.networks.utils.one_hot(x, num_classes=C, dim=1)` does it, or compare with each class
# yourself). For each class $c$, count over **all N images together** (not image by image):
#
# $$ \text{Dice}_c = \frac{2\,|P_c \cap G_c|}{|P_c| + |G_c|}. $$
#
# Return a NumPy array with the Dice of classes **1 to C − 1**: leave out class 0, the background,
# so the result has **C − 1** values. If a class does not occur in `labels` at all, its Dice is
# undefined: return `nan` for it (MONAI's `ignore_empty` convention). Your function must work for
# any number of classes and images.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dice_per_class(logits, labels):
    """Dice of each foreground class (1 .. C-1) over all images; nan where a class is absent."""
    ### BEGIN SOLUTION
    n_classes = logits.shape[1]
    predicted = one_hot(logits.argmax(dim=1, keepdim=True), num_classes=n_classes, dim=1)
    truth = one_hot(labels.long(), num_classes=n_classes, dim=1)
    axes = (0, 2, 3)  # sum over images and pixels, keep the class axis
    overlap = (predicted * truth).sum(dim=axes)
    size_truth = truth.sum(dim=axes)
    dice = 2 * overlap / (predicted.sum(dim=axes) + size_truth)
    dice[size_truth == 0] = math.nan
    return dice[1:].double().numpy()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Two 3 x 3 images, 4 classes. Logits are +2 for the predicted class and -1 elsewhere.
example_labels = torch.tensor([[[[0, 1, 1], [2, 2, 0], [3, 3, 3]]],
                               [[[1, 1, 1], [0, 2, 0], [0, 3, 0]]]])
example_pred = torch.tensor([[[[0, 1, 1], [2, 1, 0], [3, 3, 0]]],
                             [[[1, 2, 1], [0, 2, 0], [0, 3, 3]]]])
example_logits = one_hot(example_pred, num_classes=4, dim=1) * 3.0 - 1.0  # (2, 4, 3, 3)
result = dice_per_class(example_logits, example_labels)
assert isinstance(result, np.ndarray), (
    f"return a NumPy array, not a {type(result).__name__} (a tensor's .numpy() converts it)"
)
assert result.shape == (3,), (
    f"expected 3 values (classes 1, 2, 3) for 4 classes, got shape {result.shape}. 4 values means "
    "you kept the background class 0: leave it out."
)
assert np.allclose(result, [0.8, 2 / 3, 0.75]), (
    f"expected [0.8, 0.667, 0.75], got {np.round(result, 3)}. 0.733 for class 3 means you averaged "
    "per-image Dice instead of counting over all images together."
)
assert np.all(np.isfinite(np.asarray(dice_per_class(predict_logits(model, x_train[:32]),
                                                    y_train[:32]), dtype=float)))
print("Public tests passed. Hidden tests use other shapes, including N equal to C.")
### BEGIN HIDDEN TESTS
def _reference_dice(_logits, _labels):
    _c = _logits.shape[1]
    _p = torch.nn.functional.one_hot(_logits.argmax(dim=1), _c).permute(0, 3, 1, 2).double()
    _t = torch.nn.functional.one_hot(_labels[:, 0].long(), _c).permute(0, 3, 1, 2).double()
    _num = 2 * (_p * _t).sum(dim=(0, 2, 3))
    _den = _p.sum(dim=(0, 2, 3)) + _t.sum(dim=(0, 2, 3))
    _d = (_num / _den).numpy()
    _d[_t.sum(dim=(0, 2, 3)).numpy() == 0] = np.nan
    return _d[1:]


_g = torch.Generator().manual_seed(11)
# N == C == 4: an argmax over the wrong axis still "works" and gives other numbers
_logits = torch.randn(4, 4, 10, 10, generator=_g)
_labels = torch.randint(0, 4, (4, 1, 10, 10), generator=_g)
_mine = np.asarray(dice_per_class(_logits, _labels), dtype=float)
assert _mine.shape == (3,), "C - 1 values: the background class 0 is left out"
assert np.allclose(_mine, _reference_dice(_logits, _labels)), (
    "wrong Dice when N = C: take the argmax over the class axis (dim=1), with class 0 excluded"
)
# 6 classes, 3 images, logits all negative (softmax argmax still picks one class per pixel)
_logits = -torch.rand(3, 6, 12, 9, generator=_g) - 1.0
_labels = torch.randint(0, 6, (3, 1, 12, 9), generator=_g)
_mine = np.asarray(dice_per_class(_logits, _labels), dtype=float)
assert _mine.shape == (5,)
assert np.allclose(_mine, _reference_dice(_logits, _labels)), (
    "one class per pixel: the argmax of the logits, not a threshold on sigmoid or softmax"
)
# a class absent from the reference gives nan, the others are unaffected
_labels = torch.randint(0, 3, (5, 1, 8, 8), generator=_g)  # class 3 never occurs
_logits = torch.randn(5, 4, 8, 8, generator=_g)
_mine = np.asarray(dice_per_class(_logits, _labels), dtype=float)
assert np.isnan(_mine[2]), "a class absent from labels must give nan"
assert np.allclose(_mine[:2], _reference_dice(_logits, _labels)[:2])
# real logits from the trained network
_real = predict_logits(model, x_train[40:72])
assert np.allclose(np.asarray(dice_per_class(_real, y_train[40:72]), dtype=float),
                   _reference_dice(_real, y_train[40:72]), equal_nan=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · Held-out Dice (3 points)
#
# Compute `heldout_dice`, the NumPy array of the three foreground Dice values (subcutaneous fat,
# skeletal muscle, visceral fat) of the trained `model` on the **held-out patients**
# (`hu_test`, `y_test`), with your `preprocess`, the given `predict_logits` and your
# `dice_per_class`. This is the number a validation report would quote as the model's
# performance on new patients. The hidden tests also segment other, unseen phantoms with your
# trained model and require a mean foreground Dice of at least 0.90.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
test_logits = predict_logits(model, preprocess(hu_test))
heldout_dice = dice_per_class(test_logits, y_test)
### END SOLUTION
print(pd.Series(np.asarray(heldout_dice, dtype=float), index=CLASS_NAMES[1:], name="held-out Dice"))

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
heldout_dice = np.asarray(heldout_dice, dtype=float)
assert heldout_dice.ndim == 1, "heldout_dice should be the 1-D array that dice_per_class returns"
assert np.nanmean(heldout_dice) > 0.85, (
    f"held-out Dice {np.round(heldout_dice, 3)} is low: check that the training loss fell, that "
    "preprocess windows the HU, and that train_one_epoch zeroes the gradients before each step"
)
print(f"mean held-out Dice over the 3 tissues: {np.nanmean(heldout_dice):.3f}")
### BEGIN HIDDEN TESTS
def _pooled_dice(_logits, _labels):
    _c = _logits.shape[1]
    _p = torch.nn.functional.one_hot(_logits.argmax(dim=1), _c).permute(0, 3, 1, 2).double()
    _t = torch.nn.functional.one_hot(_labels[:, 0].long(), _c).permute(0, 3, 1, 2).double()
    return (2 * (_p * _t).sum(dim=(0, 2, 3)) / (_p.sum(dim=(0, 2, 3)) + _t.sum(dim=(0, 2, 3))))[1:]


_on_test = np.asarray(dice_per_class(predict_logits(model, preprocess(hu_test)), y_test), dtype=float)
assert np.allclose(heldout_dice, _on_test, atol=1e-6), (
    "heldout_dice is not the Dice on the held-out patients (hu_test, y_test): a Dice measured on "
    "the training images says nothing about new patients"
)
_hidden = [datasets.load("ct_phantom", seed=_s) for _s in (901, 902, 903)]
_x = preprocess(np.concatenate([_p.volume for _p in _hidden]))
_y = torch.from_numpy(np.concatenate([PHANTOM_TO_CLASS[_p.labels] for _p in _hidden]))[:, None]
_hidden_dice = _pooled_dice(predict_logits(model, _x), _y).numpy()
assert _hidden_dice.mean() >= 0.90, "the trained model's mean Dice on unseen phantoms is below 0.90"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · From mask to measurement: muscle area at L3 (2 points)
#
# Body-composition software reports areas in cm². Write `area_cm2(class_map, class_index,
# spacing_mm)`: `class_map` is **one axial slice** of classes, shape `(H, W)` (NumPy array or
# tensor), `class_index` the class to measure, and `spacing_mm` the voxel spacing `(z, y, x)` in
# millimetres as the phantoms give it. Return the area of that class on the slice in **cm²**
# (a float). Think about which two of the three spacings make up a pixel's area, and how many
# mm² make a cm².

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def area_cm2(class_map, class_index, spacing_mm):
    """Area (cm2) of one class on one axial slice (H, W), given the (z, y, x) spacing in mm."""
    ### BEGIN SOLUTION
    n_pixels = int((np.asarray(class_map) == class_index).sum())
    pixel_mm2 = spacing_mm[1] * spacing_mm[2]  # in-plane: y by x; z is the slice thickness
    return n_pixels * pixel_mm2 / 100.0  # 1 cm2 = 100 mm2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert math.isclose(area_cm2(np.array([[2, 2], [0, 2]]), 2, (5.0, 4.0, 4.0)), 0.48), (
    "3 pixels of 4 mm x 4 mm = 48 mm2 = 0.48 cm2. 0.6 means you used the slice thickness (z); "
    "48 means you forgot that 1 cm2 = 100 mm2."
)
rows = []
for seed, phantom in zip(TEST_SEEDS, test_phantoms):
    l3 = phantom.ground_truth["l3"]["slice_index"]
    x = preprocess(phantom.volume[l3:l3 + 1])
    predicted = predict_logits(model, x).argmax(dim=1)[0]
    reference = PHANTOM_TO_CLASS[phantom.labels[l3]]
    rows.append({"patient": seed,
                 "reference (cm2)": area_cm2(reference, 2, phantom.spacing_mm),
                 "ground truth (cm2)": phantom.ground_truth["l3"]["muscle_area_cm2"],
                 "predicted (cm2)": area_cm2(predicted, 2, phantom.spacing_mm)})
l3_muscle = pd.DataFrame(rows).set_index("patient")
print(l3_muscle.round(2))
assert np.allclose(l3_muscle["reference (cm2)"], l3_muscle["ground truth (cm2)"]), (
    "your area of the reference muscle mask differs from the phantom's ground truth"
)
assert isinstance(area_cm2(predicted, 2, phantom.spacing_mm), float), (
    "return a float: `predicted` is a tensor, and a count of its pixels is a tensor until you "
    "convert it (int(...) or .item())"
)
### BEGIN HIDDEN TESTS
_medium = datasets.load("ct_phantom", shape="medium", seed=5)
_l3 = _medium.ground_truth["l3"]
_classes = PHANTOM_TO_CLASS[_medium.labels[_l3["slice_index"]]]
assert math.isclose(area_cm2(_classes, 2, _medium.spacing_mm), _l3["muscle_area_cm2"]), (
    "wrong area with another spacing (2.5 x 3 x 3 mm): a pixel's area is the y spacing times the "
    "x spacing"
)
assert math.isclose(area_cm2(torch.from_numpy(_classes), 1, _medium.spacing_mm),
                    _l3["subcutaneous_fat_area_cm2"]), "must accept a tensor and any class_index"
assert math.isclose(area_cm2(np.zeros((4, 4), dtype=np.int64), 3, (1.0, 2.0, 3.0)), 0.0)
assert math.isclose(area_cm2(np.full((10, 10), 3), 3, (7.0, 1.0, 2.0)), 2.0)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6 · When would this model fail? (2 points, graded by hand)
#
# Your model scores a high Dice on held-out phantoms. In at most 200 words, describe **three
# concrete situations** in which it would fail, or give a misleading muscle area, on real
# abdominal CT in a hospital. For each: why it fails, how the failure would (or would not) show up
# in a Dice over the tissues, in a 95th-percentile Hausdorff distance, and in the reported L3
# muscle area or SMI, and one check or change you would make before clinical use. At least one of
# your three should be about the data or the acquisition, and at least one about the evaluation
# itself.
#
# **Rubric** (2 points)
#
# | points | the answer |
# |---|---|
# | 1 | three concrete, distinct and plausible failure situations, each with a reason, at least one about the data or the acquisition and one about the evaluation |
# | 1 | relates each correctly to Dice, HD95 and the cm² measurement (a good Dice does not guarantee an unbiased area) and proposes a sensible check or change for each |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_failure_cases", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer names three of, for example:
#
# * **Acquisition shift.** Contrast-enhanced scans (organs and muscle brighter), thin 1 mm slices
#   with more noise, low-dose protocols, another reconstruction kernel, or metal streaks from a hip
#   prosthesis or spinal hardware change the HU the window was tuned on. Tissue Dice and HD95
#   drop, and streaks mislabelled as muscle inflate the L3 area. Check: validate per protocol and
#   scanner; add augmentation; reject scans outside the intended use.
# * **Anatomy the phantom lacks.** Real muscle has intramuscular fat (myosteatosis), obese or
#   cachectic patients have extreme fat layers, ascites, hernias, scoliosis, amputations, bowel
#   gas, oedema, and the arms may lie in the field of view. Boundaries blur (partial volume). The
#   muscle area can be biased while Dice over big tissues still looks high. Check: a test set
#   spanning BMI, age, sex and disease, with Bland-Altman agreement of the cm² value.
# * **The L3 slice itself.** The phantom gives L3; real software must find it. One slice too high
#   or low changes muscle area by several cm² with perfect segmentation, which Dice never sees.
# * **Evaluation blind spots.** Dice with background included or averaged over tissues hides a
#   failing small class; slices of the same patient in train and test inflate it; HD95 forgets a
#   few stray blobs; six phantoms are too few for a confidence interval. What matters clinically
#   is the error of the SMI near the sarcopenia threshold (38.5 / 52.4 cm²/m²), so report bias and
#   limits of agreement of the measurement, per subgroup, not only Dice.
# ### END SOLUTION
