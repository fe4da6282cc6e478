# %% [markdown]
# # im08 · Bone age from hand radiographs
#
# *Module: Medical imaging and AI medical devices · Expected time: about 110 minutes for the core
# path, plus about 20 minutes of optional deep dives · Prerequisites: im03 (a small CNN in
# PyTorch, training curves, selection on validation data); dx03 helps for the calibration part
# but is not required.*

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# By the end you can ...
#
# - ... explain how **skeletal maturity** is read from a left-hand radiograph (the order in which
#   the carpal bones ossify, and how epiphyses appear, widen and fuse), how the
#   **Greulich–Pyle atlas** and the **Tanner–Whitehouse (TW3)** RUS and carpal scores turn it into a
#   bone age, and which clinical decisions a bone age informs;
# - ... train a small **CNN regressor** in PyTorch that reads the image *and the child's sex* and
#   predicts bone age in months, and explain why the sex has to be an input;
# - ... judge a **mean absolute error** (MAE) against the right baselines (predicting the average,
#   "bone age = chronological age", a second human reader), against the true bone age and against
#   readers' labels, and explain how the readers' own error enters each number;
# - ... check the **calibration of a regressor across ages** (residuals against the reference,
#   bias at the extremes, a calibration plot by age band), recalibrate it linearly on validation
#   data, and report errors **by sex and age group**;
# - ... explain why a low MAE can hide exactly the **delayed and advanced** children a bone age is
#   requested for, and name the other pitfalls: an old reference population, labels from one
#   reader, and leakage between images of one child.
#
# The core path covers all five. The deep dives (readers who know the child's age; a second kind of
# regression calibration) deepen them; nothing in the core depends on them.

# %% [markdown]
# ## Clinical question
# *Core · 7 min*
#
# A nine-year-old girl is brought to a paediatric endocrinology clinic because she has started to
# develop breasts. A boy of thirteen is referred because he is the shortest in his class and shows
# no sign of puberty. In both cases, one of the first tests is a single **posteroanterior (PA)
# radiograph of the left hand and wrist**, from which a radiologist reads the **bone age**: the age
# at which an average healthy child of the same sex has a skeleton as mature as this one. The
# decision rests on the gap between bone age and **chronological age**:
#
# - a bone age **advanced** by more than about two standard deviations supports true (central)
#   precocious puberty, or another source of sex hormones such as congenital adrenal hyperplasia,
#   and leads to hormone tests (a GnRH stimulation test), brain MRI and possibly treatment that
#   pauses puberty;
# - a bone age **delayed** beyond two standard deviations points to constitutional delay of growth
#   and puberty, growth-hormone deficiency, hypothyroidism or chronic illness, and leads to
#   thyroid tests, growth-hormone stimulation tests or watchful waiting; a short child whose bone
#   age matches the calendar (familial short stature) usually needs none of this;
# - the same bone age is used to **predict adult height** and to time orthopaedic treatment, and
#   it is repeated during treatment to see whether maturation slows down or catches up.
#
# What an error costs: a delay or an advance that is read as normal postpones a diagnosis (and
# treatment that only works while the growth plates are open); a normal child read as abnormal is
# sent for stimulation tests that mean fasting, several blood samples and worry. Errors in the
# *middle* of the range, where children are normal, matter far less than errors for the children
# at the extremes.
#
# **How radiologists read it.** The **Greulich–Pyle (GP) atlas** (1959) is a book of reference
# radiographs, one series for boys and one for girls, from radiographs taken in the 1930s and
# early 1940s of white, mostly well-off children in Cleveland, Ohio (the Brush Foundation study).
# The reader finds the plate that matches best, or interpolates between two, and reports its age.
# It takes a minute or two. The **Tanner–Whitehouse** method (TW3, 2001) instead rates 20 bones
# one by one against written stage descriptions (stages A or B to I, from "not yet ossified"
# through "epiphysis as wide as the metaphysis" and "capping" to "fused"): the **RUS** score uses
# the radius, the ulna and 11 short bones of the thumb, middle and little fingers, the **carpal**
# score uses seven carpal bones (the pisiform is left out). Each stage carries a sex-specific
# number of points; the sum (0 to 1000) is converted into a bone age with a reference table. TW3 is
# slower but more reproducible. Both depend on the same biology, which our data imitate (after the
# stages of Gilsanz and Ratib's digital atlas):
#
# | age (boys; girls about 1 to 2 years earlier) | what changes on the radiograph |
# |---|---|
# | first year | capitate and hamate ossify, then the distal radial epiphysis |
# | 1 to 3 years | the epiphyses of the phalanges and metacarpals appear (proximal phalanges first, middle finger first, little finger last); triquetrum |
# | 3 to 8 years | lunate, trapezium, trapezoid, scaphoid; distal ulnar epiphysis; epiphyses widen |
# | 8 to 13 years | epiphyses reach the width of their metaphyses; the pisiform ossifies last of the carpals; the sesamoid of the thumb appears at the start of puberty |
# | 13 to 19 years | the growth plates close: distal phalanges first, the radius last |
#
# **Reading is variable.** Two radiologists reading the same film with the atlas typically differ by
# about half a year (for example Alcina et al. 2015), and their reads shift towards "normal" when
# they know the child's age (Berst et al. 2001).
# This is why bone age was one of the first targets of automated reading: BoneXpert, which
# reconstructs the outlines of 15 bones and rates 13 of them (radius, ulna and 11 short bones)
# to report a GP or TW bone age, has been in clinical use in Europe for years (Thodberg et al.
# 2009), and in Korea **VUNO Med-BoneAge** was approved by the Ministry of Food
# and Drug Safety (MFDS) on 16 May 2018, the first AI-based medical device developed in Korea to be
# approved.
# It analyses the left-hand radiograph, shows the GP reference images of the child's sex that match
# best with their probabilities, and leaves the bone age and the diagnosis to the physician; the
# MFDS press release reports an average difference of 0.9 months from physicians' reads in the
# clinical trial, without saying how that average was computed. In 2017 the Radiological Society of
# North America (RSNA) ran the **Pediatric Bone Age Machine Learning Challenge** on 14,236 hand
# radiographs from two US children's hospitals; the mean absolute difference from the reference
# reads that the best of 105 submissions reached on the 200 test images is printed beside our own
# result in the key-results table (Halabi et al. 2019). The challenge data give sex and bone age but no chronological age, so a delay
# cannot even be computed from them. In a Korean validation of a deep-learning model that combines
# GP and TW ideas, the mean absolute difference from a three-expert reference on 102 radiographs
# was 0.39 years (Lee et al. 2021).
#
# Our question:
#
# > From a child's left-hand radiograph and sex, what is the bone age in months, and would the
# > model's answer put the delayed and the advanced children on the right side of the two-SD line?

# %% [markdown]
# ## Data card
# *Core · 7 min*
#
# | Item | Description |
# |---|---|
# | **What** | `hand_xray_phantoms`: **synthetic** radiograph-like PA images of a child's left hand and distal forearm, 96 × 96 pixels in [0, 1] (bright = bone), generated by the course package. Each image has the **true bone age** in months (`labels`), and a metadata row with the sex, the chronological age, the child's category (typical, delayed, advanced), the reference SD of bone age at that age, three **simulated radiologists' reads**, and the acquisition settings. |
# | **Who** | Children referred for a bone age: chronological age from 6 months to 18 years (most between 5 and 15), half girls. Bone age = chronological age + a normal deviation whose SD grows from about 3 months in infancy to 10 to 12 months in adolescence. 10% of the children are **delayed** or **advanced** by 2.5 to 4 SD. |
# | **Anatomy** | Metacarpals and phalanges as tubes with a marrow canal, carpal bones and epiphyses as ellipsoids, soft tissue around them. With maturity the hand grows, the carpal bones ossify in the order capitate, hamate, triquetrum, lunate, trapezium, trapezoid, scaphoid, pisiform, epiphyses appear, widen and fuse (the lucent growth plate closes), the thumb's sesamoid appears at puberty and bone density rises. A girl's skeleton is drawn as that of a boy 1 to 2 years older in puberty: the same image means a different bone age for a girl and for a boy. |
# | **Acquisition** | Per image: position (shift, rotation up to 8°, how tightly the field is collimated), exposure (gain, offset, gamma), detector blur and quantum noise. |
# | **Readers** | Each read = true bone age + the reader's own bias (reader 1 reads 2 months old, reader 2 3 months young, reader 3 1 month old; the same three people read every set) + 15% of the way towards the chronological age (the readers see it) + random error with an SD of 6 months from school age on (less in infancy), rounded to whole months. |
# | **Sizes used here** | 1200 training, 400 validation and 600 test images, one per child; every set has its own seed, so no child is in two sets. |
# | **Licence / PHI** | Generated by the course's code (licence in the catalog); no patient data of any kind. |
# | **Limitations** | A cartoon: no real bone shapes, growth plates drawn wider than life so that they show at 96 pixels, one maturity tempo for all bones of a child (real children can have carpal and phalangeal ages that disagree), no fractures, deformities or syndromes. Numbers reached here say nothing about clinical performance. |
#
# We load the three sets and look at who is in them.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.nn import functional as F

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 0
torch.manual_seed(SEED)
# One thread: for images this small, a second thread mostly adds synchronisation cost.
torch.set_num_threads(1)
pd.set_option("display.precision", 1)

N_TRAIN, N_VAL, N_TEST = 1200, 400, 600
train_set = datasets.load("hand_xray_phantoms", n_images=N_TRAIN, seed=1)
val_set = datasets.load("hand_xray_phantoms", n_images=N_VAL, seed=2)
test_set = datasets.load("hand_xray_phantoms", n_images=N_TEST, seed=3)
info = datasets.info("hand_xray_phantoms")
print(info["kind"], "|", info["licence"], "|", info["phi"])
print("image array:", test_set.images.shape, test_set.images.dtype,
      "| mean pixel spacing (mm):", round(test_set.spacing_mm[0], 2))


def composition(data):
    """One row per data set: size, sex, ages and the children who matter most."""
    meta = data.metadata
    return {shown("images"): len(meta), shown("girls"): int((meta["sex"] == "F").sum()),
            shown("median age (years)"): meta["chronological_age_months"].median() / 12,
            shown("bone age range (years)"): f"{meta['bone_age_months'].min() / 12:.1f}–"
                                              f"{meta['bone_age_months'].max() / 12:.1f}",
            shown("delayed"): int((meta["category"] == "delayed").sum()),
            shown("advanced"): int((meta["category"] == "advanced").sum())}


pd.DataFrame({name: composition(d) for name, d in
              [(shown("train"), train_set), (shown("validation"), val_set),
               (shown("test"), test_set)]}).T

# %% [markdown]
# First the phantoms themselves, arranged like a small atlas: typical boys (top) and typical girls
# (bottom) of about the same bone ages. Within a row, watch the carpus fill with bones and the dark
# growth plates across the fingers disappear in the oldest. Between the rows, compare the oldest
# columns: at the *same* bone age the girls' skeletons are further on. That is what "bone age is
# read against sex-specific standards" means.

# %%
ATLAS_AGES_MONTHS = [6, 24, 60, 108, 156, 192]
train_meta = train_set.metadata
SEX_NAMES = {"M": shown("boy"), "F": shown("girl")}
fig, axes = plt.subplots(2, len(ATLAS_AGES_MONTHS), figsize=(13, 5.4), layout="constrained")
for row, sex in enumerate(["M", "F"]):
    pool = train_meta[(train_meta["sex"] == sex) & (train_meta["category"] == "typical")]
    for ax, months in zip(axes[row], ATLAS_AGES_MONTHS, strict=True):
        i = (pool["bone_age_months"] - months).abs().idxmin()
        ax.imshow(train_set.images[i], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{SEX_NAMES[sex]}, {train_meta.loc[i, 'bone_age_months'] / 12:.1f} y\n"
                     f"{train_meta.loc[i, 'carpals_ossified']} carpals", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
fig.suptitle("Hand phantoms by true bone age (years) and sex; left hand, thumb on the right")
plt.show()

# %% [markdown]
# Now the labels. Left: bone age against chronological age. Typical children scatter around the
# diagonal within the band of ±2 reference SD; delayed and advanced children sit outside it. Right:
# how far a single reader's read is from the truth, which we can know only because the data are
# simulated.

# %%
CATEGORY_NAMES = {"typical": shown("typical"), "delayed": shown("delayed"),
                  "advanced": shown("advanced")}
CATEGORY_COLOURS = {"typical": "tab:grey", "delayed": "tab:blue", "advanced": "tab:red"}
ages = np.linspace(0, 216, 100)
sd_band = np.interp(ages, *zip(*train_set.ground_truth["reference_sd_knots"], strict=True))
fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
for category, colour in CATEGORY_COLOURS.items():
    part = train_meta[train_meta["category"] == category]
    axes[0].scatter(part["chronological_age_months"] / 12, part["bone_age_months"] / 12, s=8,
                    color=colour, alpha=0.6, label=CATEGORY_NAMES[category])
axes[0].plot(ages / 12, ages / 12, color="black", linewidth=1)
axes[0].fill_between(ages / 12, (ages - 2 * sd_band) / 12, (ages + 2 * sd_band) / 12,
                     color="tab:green", alpha=0.15, label="±2 reference SD")
axes[0].set_xlabel("Chronological age (years)")
axes[0].set_ylabel("True bone age (years)")
axes[0].set_title("Who is in the training set")
axes[0].legend(fontsize=8)
reader_error = train_meta["reader_1_months"] - train_meta["bone_age_months"]
axes[1].scatter(train_meta["bone_age_months"] / 12, reader_error, s=6, alpha=0.5)
axes[1].axhline(0, color="black", linewidth=1)
axes[1].set_xlabel("True bone age (years)")
axes[1].set_ylabel("Reader 1 minus true bone age (months)")
axes[1].set_title("The training label is one reader's read")
fig.tight_layout()
plt.show()
print(f"reader 1 against the truth (training set): mean {reader_error.mean():+.1f} months, "
      f"mean absolute error {reader_error.abs().mean():.1f} months")

# %% [markdown]
# Reader 1 reads a little old and misses by several months on a typical film, less in infancy,
# where the atlas plates are only months apart. This reader's reads are our **training labels**,
# as in real life, where the label is the bone age written in one clinical report.

# %% [markdown]
# ## Method
# *Core · 2 min*
#
# Six short pieces, in the order the Results use them: the inputs and the output, the network, the
# loss and the training loop, the baselines, calibration of a regressor, and what a clinician reads
# from the prediction.

# %% [markdown]
# ### 1. Inputs and output: the image, the sex, and months
# *Core · 3 min*
#
# The model reads one 96 × 96 image and one number, **female = 1 or 0**, and returns the bone age
# in months. Why the sex? Because bone age is defined against sex-specific standards: a skeleton
# that is "13 years" on the girls' plates is about "14.5 years" on the boys' plates. An image alone
# does not determine the bone age; the image and the sex do. Real products ask for the sex for the
# same reason (and a wrong sex in the request is a classic source of a wrong answer).
#
# The **chronological age is not an input**. It is tempting (it predicts bone age well), but the
# clinical question is how far the skeleton is from the calendar; a model that leans on the
# calendar pulls every child towards "normal". We compare against that shortcut as a baseline.

# %% [markdown]
# ### 2. The network
# *Core · 3 min*
#
# A small convolutional network, as in im03, with two changes for regression. A first convolution
# with **stride 2** halves the image to 48 × 48 while it still sees every pixel, which keeps the
# fine lines of the growth plates and costs a quarter of a full-resolution layer. Four convolution
# blocks (convolution, batch normalisation, ReLU) with max pooling follow, and **global average
# pooling** turns the last 32 feature maps into 32 numbers that describe how mature the hand looks.
# The sex is appended as a 33rd number, and a two-layer head turns the 33 into **two outputs, one
# per sex**, like the atlas's two series of plates; the one that matches the child is used. The
# output is in **years**, centred at 10 (so that the untrained network starts near the middle of
# the range), and converted to months for every table. Each image is standardised (its own mean and
# SD) first, so that exposure differences cannot act as features. About 25,000 weights.

# %% [markdown]
# ### 3. Loss, training and model selection
# *Core · 4 min*
#
# - **Loss**: the Huber loss on years (squared error below one year, absolute error above), which
#   is gentler than the squared error with the few labels that are far off.
# - **Labels**: reader 1's reads. The true bone age is used *only to evaluate*, never to train or
#   to choose; in real data it does not exist.
# - **Optimiser**: Adam with a one-cycle learning-rate schedule, 10 epochs in mini-batches of 32,
#   each mini-batch shifted by up to 2 pixels (the generator already varies position, exposure and
#   noise per image).
# - **Batch-normalisation statistics**: batch-normalisation layers keep running averages of their
#   inputs for use at prediction time. With a fast-moving network those averages lag behind the
#   weights, and the predictions of the evaluation-mode network wander by months from epoch to
#   epoch. After each epoch we therefore recompute them with the current weights from 600 training
#   images (what `torch.optim.swa_utils.update_bn` does).
# - **Selection**: we keep the epoch with the lowest validation MAE **against reader 1**, the only
#   label a developer would have.

# %% [markdown]
# ### 4. Error measures and baselines
# *Core · 3 min*
#
# The **mean absolute error**, MAE = mean |prediction − reference| in months, is the measure of the
# RSNA challenge and of most products. Its value depends on the reference, so we compute three:
#
# - against the **true bone age** (only a simulation has it);
# - against **reader 1**, the kind of label the model was trained on;
# - against the **mean of the three reads**, a better reference, like the multi-reader reference
#   standard of a challenge test set.
#
# If a model had an error $e$ and a reader an independent error $r$, the model-minus-reader
# difference would be $e - r$, whose spread is larger than either: an MAE against a reader cannot
# go much below the reader's own error even for a perfect model. Averaging $k$ readers with
# independent errors shrinks $r$ by about $\sqrt{k}$ (the readers' shared biases do not shrink).
#
# Three **baselines** say whether the model is worth anything:
#
# - the **training mean**: always predict the mean label of the training set (no image needed);
# - **bone age = chronological age**: needs no image either, and is *right on average* for typical
#   children; by construction it never finds a delayed or an advanced child;
# - a **second human reader** (reader 2) against the same references.

# %% [markdown]
# ### 5. Calibration of a regressor
# *Core · 4 min*
#
# A regressor is calibrated if, among children for whom it says 120 months, the true bone ages
# average 120 months: $E[y \mid \hat y] = \hat y$. Models trained to minimise a squared or
# absolute error on noisy inputs tend to **regress to the mean** (Barnett et al. 2005 explain the
# phenomenon in general): when the image is ambiguous they hedge towards the middle of the training
# range. This shows up as:
#
# - a negative slope of the **residual** $\hat y - y$ against the **true** value $y$: the youngest
#   are overestimated and the oldest underestimated;
# - in a **calibration plot by age band**, mean prediction against mean truth per band, points that
#   lie off the diagonal at the ends.
#
# Some of that slope is unavoidable (a prediction that is uncertain *should* lean towards the
# likely values); some is an untrained or over-regularised model, and that part can be removed. A
# **linear recalibration** fits $y \approx a + b\,\hat y$ on the validation set (with reader 1's
# reads, the label we have) and applies $a + b\,\hat y$ to every later prediction. It needs data the
# model was not trained on, exactly as for the probabilities in dx03. A deep dive shows a second
# recalibration that removes the slope against $y$ itself, and what it costs.

# %% [markdown]
# ### 6. What a clinician reads: the delay in SD units
# *Core · 3 min*
#
# A bone-age report becomes a decision through $z = (\text{bone age} - \text{chronological age}) /
# \text{SD}$, with the SD of bone age at that chronological age in the reference population. A child
# with $z < -2$ counts as **delayed**, with $z > 2$ as **advanced** (the convention used, for
# example, by Berst et al. 2001). We compute $z$ from the true bone age, from a reader's read and
# from the model's prediction, and ask how many of the truly delayed and advanced children each
# puts beyond the line, and how many typical children it flags by mistake.

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# First the network and its training, then its errors against the baselines, then its calibration
# and subgroups, and finally the children who matter most.

# %% [markdown]
# ### The network and the training loop
# *Core · 5 min*
#
# The images, the sex and the labels become tensors once. Predictions always come back in months.

# %%
AGE_CENTRE_YEARS = 10.0


def as_tensors(data, label_column="reader_1_months"):
    """Images (n, 1, 96, 96), female (n,) as 0/1, and the label in years."""
    meta = data.metadata
    images = torch.from_numpy(np.ascontiguousarray(data.images[:, None]))
    female = torch.from_numpy((meta["sex"] == "F").to_numpy(dtype=np.float32))
    years = torch.from_numpy(meta[label_column].to_numpy(dtype=np.float32) / 12.0)
    return images, female, years


class BoneAgeCNN(nn.Module):
    """A stride-2 stem, four conv blocks, global average pooling, then the sex and a small head."""

    def __init__(self):
        super().__init__()

        def block(c_in, c_out):
            return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out),
                    nn.ReLU()]

        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
            *block(8, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
            *block(32, 32), nn.MaxPool2d(2), *block(32, 32))
        # two read-outs, one per sex, like the atlas's two series of plates
        self.head = nn.Sequential(nn.Linear(32 + 1, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, images, female):
        # per-image standardisation: exposure, gain and offset carry no information
        x = (images - images.mean(dim=(1, 2, 3), keepdim=True)) / images.std(
            dim=(1, 2, 3), keepdim=True)
        pooled = self.features(x).mean(dim=(2, 3))  # (batch, 32)
        boy, girl = self.head(torch.cat([pooled, female[:, None]], dim=1)).unbind(dim=1)
        return torch.where(female > 0.5, girl, boy) + AGE_CENTRE_YEARS


def predict_months(model, images, female, batch_size=50):
    """Predicted bone age in months, in evaluation mode."""
    model.eval()
    with torch.no_grad():
        years = torch.cat([model(images[i:i + batch_size], female[i:i + batch_size])
                           for i in range(0, len(images), batch_size)])
    return 12.0 * years.numpy()


def refresh_batchnorm(model, images, female, batch_size=50):
    """Recompute the batch-norm running statistics with the current weights."""
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # a plain average over the batches below
    model.train()
    with torch.no_grad():
        for i in range(0, len(images), batch_size):
            model(images[i:i + batch_size], female[i:i + batch_size])
    for norm in norms:
        norm.momentum = 0.1


print(f"BoneAgeCNN: {sum(p.numel() for p in BoneAgeCNN().parameters()):,} trainable weights")

# %% [markdown]
# The training function records, after every epoch, the mean training loss and the validation MAE
# against reader 1 (the number we select on) and, for teaching only, against the true bone age.

# %%
# the columns of the training history, shown in its table
EPOCH, TRAIN_LOSS = shown("epoch"), shown("train loss (Huber, years)")
VAL_MAE_READER, VAL_MAE_TRUE = shown("val MAE vs label"), shown("val MAE vs truth")


def train_model(train_data, val_data, epochs=10, lr=3e-3, seed=SEED, use_sex=True,
                label_column="reader_1_months"):
    """Train BoneAgeCNN on one column of reads; keep the epoch with the best validation MAE
    against the same column."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = BoneAgeCNN()
    images, female, years = as_tensors(train_data, label_column)
    val_images, val_female, _ = as_tensors(val_data, label_column)
    if not use_sex:  # for Exercise 1: the model never learns who is a girl
        female, val_female = torch.zeros_like(female), torch.zeros_like(val_female)
    val_meta = val_data.metadata
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    steps_per_epoch = (len(years) + 31) // 32
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr,
                                                   total_steps=epochs * steps_per_epoch)
    history, best_mae, best_state = [], float("inf"), None
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(years), generator=generator)
        losses = []
        for start in range(0, len(years), 32):
            batch = order[start:start + 32]
            shift = torch.randint(-2, 3, (2,), generator=generator).tolist()
            x = torch.roll(images[batch], shifts=shift, dims=(2, 3))
            loss = F.huber_loss(model(x, female[batch]), years[batch], delta=1.0)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
        refresh_batchnorm(model, images[:600], female[:600])
        val_pred = predict_months(model, val_images, val_female)
        mae_reader = np.abs(val_pred - val_meta[label_column]).mean()
        history.append({EPOCH: epoch, TRAIN_LOSS: np.mean(losses), VAL_MAE_READER: mae_reader,
                        VAL_MAE_TRUE: np.abs(val_pred - val_meta["bone_age_months"]).mean()})
        if mae_reader < best_mae:
            best_mae = mae_reader
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model.eval()
    return model, pd.DataFrame(history).set_index(EPOCH)


# %% [markdown]
# ### Training
# *Core · 5 min*
#
# Ten epochs over 1200 images. This is the slowest cell of the lesson (about half a minute on a
# free laptop core; longer on a shared machine).

# %%
model, history = train_model(train_set, val_set)
best_epoch = int(history[VAL_MAE_READER].idxmin())
print(f"kept epoch {best_epoch}: validation MAE {history[VAL_MAE_READER].min():.1f} months "
      f"against reader 1")
history

# %% [markdown]
# Both validation curves fall together, and the one against reader 1 stays *above* the one against
# the truth: part of every disagreement with reader 1 is reader 1's own error. A developer sees only
# the upper curve.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
axes[0].plot(history.index, history[TRAIN_LOSS], "o-")
axes[0].set_title("Training loss per epoch")
axes[0].set_ylabel("Huber loss (years)")
axes[1].plot(history.index, history[VAL_MAE_READER], "o-", label="against reader 1 (selection)")
axes[1].plot(history.index, history[VAL_MAE_TRUE], "s--",
             label="against the true bone age (simulation only)")
axes[1].axvline(best_epoch, color="grey", linestyle=":", label=f"kept: epoch {best_epoch}")
axes[1].set_title("Validation MAE per epoch")
axes[1].set_ylabel("MAE (months)")
axes[1].set_ylim(0, None)
for ax in axes:
    ax.set_xlabel("Epoch")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Test errors against three references and three baselines
# *Core · 7 min*
#
# The frozen model meets the 600 test images. The table compares it with the baselines of Method 4
# on the same images. Before you read it: which baseline do you expect to be hardest to beat?

# %%
test_meta = test_set.metadata
test_images, test_female, _ = as_tensors(test_set)
y_true = test_meta["bone_age_months"].to_numpy()
chrono = test_meta["chronological_age_months"].to_numpy()
reads = test_meta[["reader_1_months", "reader_2_months", "reader_3_months"]].to_numpy()
pred = predict_months(model, test_images, test_female)

CNN = shown("CNN (image + sex)")
READER_2 = shown("reader 2 (a second radiologist)")
CHRONO = shown("bone age = chronological age")
MEAN_LABEL = shown("training mean")
estimates = {
    CNN: pred,
    READER_2: reads[:, 1],
    CHRONO: chrono,
    MEAN_LABEL: np.full_like(y_true, train_meta["reader_1_months"].mean()),
}
TRUTH_COL, READER_1_COL = shown("MAE vs true bone age"), shown("MAE vs reader 1")
MEAN3_COL = shown("MAE vs mean of 3 reads")


def mae_table(estimates):
    """MAE (months) of each estimate against the three references."""
    return pd.DataFrame({name: {TRUTH_COL: np.abs(e - y_true).mean(),
                                READER_1_COL: np.abs(e - reads[:, 0]).mean(),
                                MEAN3_COL: np.abs(e - reads.mean(axis=1)).mean()}
                         for name, e in estimates.items()}).T


scores = mae_table(estimates)
scores

# %% [markdown]
# Read the table column by column.
#
# - **Against the truth**, the CNN is far better than the training mean and better than
#   "bone age = chronological age", but it does not reach a second radiologist.
# - **Against reader 1**, every estimate looks worse, the CNN included: its training label is noisy,
#   and the noise of the reference is added to every error. Reader 2 against reader 1 is the classic
#   **inter-observer difference**: a little over half a year here, close to what studies of the
#   atlas report (Alcina et al. 2015).
# - **Against the mean of three reads**, errors shrink again; reader 2 is part of that mean, which
#   flatters reader 2 (a fair comparison would leave the reader out of the reference).
#
# The second baseline deserves a long look: it needs no radiograph, and its MAE is only a few months
# worse than the model's. Its errors are *all* in the children who are not on schedule, the very
# children the examination is for. A single MAE cannot show that; the sections below can.

# %% [markdown]
# ### Predictions against the truth: regression to the mean
# *Core · 6 min*
#
# Left: predicted against true bone age, one point per test child. Right: the residual (prediction
# minus truth) against the truth, with a straight-line fit. A slope of zero would mean no
# age-dependent bias.

# %%
residual = pred - y_true
slope, intercept = np.polyfit(y_true, residual, 1)
fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
for category, colour in CATEGORY_COLOURS.items():
    part = (test_meta["category"] == category).to_numpy()
    axes[0].scatter(y_true[part] / 12, pred[part] / 12, s=9, color=colour, alpha=0.6,
                    label=CATEGORY_NAMES[category])
    axes[1].scatter(y_true[part] / 12, residual[part], s=9, color=colour, alpha=0.6)
axes[0].plot([0, 19], [0, 19], color="black", linewidth=1)
axes[0].set_xlabel("True bone age (years)")
axes[0].set_ylabel("Predicted bone age (years)")
axes[0].set_title("CNN on the test set")
axes[0].legend(fontsize=8)
line = np.array([0, 228])
axes[1].plot(line / 12, intercept + slope * line, color="black",
             label=f"fit: slope {slope:+.3f} months per month")
axes[1].axhline(0, color="grey", linestyle=":")
axes[1].set_xlabel("True bone age (years)")
axes[1].set_ylabel("Prediction − truth (months)")
axes[1].set_title("Residuals against the truth")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# The cloud follows the diagonal, and the residual line tilts downwards: the youngest children are
# overestimated and the oldest underestimated, by the amounts the fitted line gives at its ends.
# Two mechanisms add up at the ends. The image carries less information there (an infant's hand has
# few ossified bones; after fusion nothing changes any more), and the network has seen few training
# children there. Where information is thin, a network trained on an average error hedges towards
# the crowded middle.

# %% [markdown]
# ### Calibration by age band, and a linear recalibration
# *Core · 7 min*
#
# First the linear recalibration of Method 5: fit $a + b\,\hat y$ on the **validation** set,
# against reader 1, and apply it to the test predictions unchanged. Then the calibration plot, in
# its two forms. Grouped by **predicted** bone age (what a clinician sees): is the mean truth equal
# to the mean prediction in each band? Grouped by **true** bone age: is the mean prediction equal to
# the mean truth, or are the children at the ends pulled inwards?

# %%
val_images, val_female, _ = as_tensors(val_set)
val_pred = predict_months(model, val_images, val_female)
b, a = np.polyfit(val_pred, val_set.metadata["reader_1_months"], 1)
pred_recal = a + b * pred
print(f"recalibration fitted on validation data: bone age ≈ {a:+.1f} + {b:.3f} × prediction")

BANDS = [0, 36, 72, 120, 156, 192, 240]
BAND_NAMES = [shown("0–3 yr"), shown("3–6 yr"), shown("6–10 yr"), shown("10–13 yr"),
              shown("13–16 yr"), shown("16+ yr")]


def by_band(values, band_of, column_name):
    """Mean of `values` per band of `band_of` (months), as a Series indexed by band name."""
    band = pd.cut(band_of, BANDS, labels=BAND_NAMES, right=False)
    return pd.Series(values).groupby(band, observed=False).mean().rename(column_name)


AS_TRAINED, RECALIBRATED = shown("CNN as trained"), shown("after linear recalibration")
SLOPE = shown("residual slope (months per year)")


def band_errors(error, band_of):
    """Mean error and the half-width of its 95% interval per band of `band_of` (months)."""
    band = pd.cut(band_of, BANDS, labels=BAND_NAMES, right=False)
    groups = pd.Series(error).groupby(band, observed=False)
    return groups.mean(), 1.96 * groups.sem()


fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), sharey=True)
x = np.arange(len(BAND_NAMES))
for k, (name, p) in enumerate([(AS_TRAINED, pred), (RECALIBRATED, pred_recal)]):
    mean_left, ci_left = band_errors(y_true - p, p)  # truth minus prediction, by prediction
    mean_right, ci_right = band_errors(p - y_true, y_true)  # prediction minus truth, by truth
    for ax, mean, ci in [(axes[0], mean_left, ci_left), (axes[1], mean_right, ci_right)]:
        ax.errorbar(x + (k - 0.5) * 0.2, mean, yerr=ci, fmt="os"[k], capsize=3, label=name)
for ax in axes:
    ax.axhline(0, color="black", linewidth=1)
    ax.set_xticks(x, BAND_NAMES)
    ax.legend(fontsize=8)
axes[0].set_title("By predicted bone age: truth − prediction")
axes[0].set_xlabel("Band of predicted bone age")
axes[0].set_ylabel("Mean error in the band (months, 95% CI)")
axes[1].set_title("By true bone age: prediction − truth")
axes[1].set_xlabel("Band of true bone age")
fig.suptitle("Calibration by age band on the test set (0 = calibrated)")
fig.tight_layout()
plt.show()

slope_recal = np.polyfit(y_true, pred_recal - y_true, 1)[0]
pd.DataFrame({
    shown("MAE vs true bone age"): [np.abs(residual).mean(), np.abs(pred_recal - y_true).mean()],
    shown("mean error (bias)"): [residual.mean(), (pred_recal - y_true).mean()],
    SLOPE: [12 * slope, 12 * slope_recal],
}, index=[AS_TRAINED, RECALIBRATED])

# %% [markdown]
# The fitted recalibration is close to "no change" (a slope near 1, an offset of months at most),
# and the table agrees: it moves the predictions a little and leaves the MAE and the residual slope
# (here per year of true bone age) almost where they were. Notice the direction of the move: the
# recalibration is fitted against reader 1, so it pulls the model towards that reader, bias
# included, and against the truth the mean error can grow. The left panel says why there is
# little to fix: grouped by what the model *says*, the errors are small in most bands. The right
# panel shows what remains: grouped by the *truth*, the youngest band is predicted too old, and
# the model is also off at the top. Both panels are true at once. A prediction that is uncertain is
# right on average for the children who receive it, and still too central for the children at the
# ends; linear recalibration repairs a scale that is too narrow or too wide, not information the
# image does not carry. (The deep dive "Two meanings of calibrated" tries to remove the right-hand
# pattern, and shows what that costs.)

# %% [markdown]
# ### Errors by sex and age group
# *Core · 5 min*
#
# Subgroup errors on the test set, with the number of children in each cell: a mean over five
# children is not a finding.

# %%
bands = pd.cut(y_true, BANDS, labels=BAND_NAMES, right=False)
sub = pd.DataFrame({"abs_error": np.abs(residual), "error": residual,
                    "sex": test_meta["sex"].map(SEX_NAMES).to_numpy(), "band": bands})
MAE, BIAS, COUNT = shown("MAE (months)"), shown("bias (months)"), shown("children")
subgroups = sub.groupby(["band", "sex"], observed=False).agg(
    **{MAE: ("abs_error", "mean"), BIAS: ("error", "mean"), COUNT: ("abs_error", "size")})
by_sex = sub.groupby("sex").agg(**{MAE: ("abs_error", "mean"), BIAS: ("error", "mean"),
                                   COUNT: ("abs_error", "size")})
print(by_sex.round(1).to_string())

fig, ax = plt.subplots(figsize=(10, 3.8))
table = subgroups[MAE].unstack("sex")
x = np.arange(len(table))
for k, sex_name in enumerate(table.columns):
    ax.bar(x + (k - 0.5) * 0.38, table[sex_name], width=0.38, label=sex_name)
    for xi, n in zip(x, subgroups[COUNT].unstack("sex")[sex_name], strict=True):
        ax.annotate(f"n={n}", (xi + (k - 0.5) * 0.38, 0.3), ha="center", fontsize=7,
                    rotation=90, color="white")
ax.set_xticks(x, table.index)
ax.set_xlabel("True bone age")
ax.set_ylabel("MAE (months)")
ax.set_title("Test MAE by age band and sex")
ax.legend(fontsize=8)
plt.show()
subgroups

# %% [markdown]
# Errors are not flat across ages. The youngest and the oldest bands hold few children and the
# largest errors: the youngest are read too old, and at the top end the girls too young, the
# regression to the mean again. For the oldest band there is a second reason: after fusion
# nothing changes on a hand radiograph, and a girl's skeleton reaches that look at a lower bone
# age than a boy's. In the middle bands, compare the
# bias of girls and boys: a model that had learned only part of the sex difference would
# overestimate one sex and underestimate the other in the same band. The next section measures how
# much of it the model learned.

# %% [markdown]
# ### The children who matter: delayed and advanced
# *Core · 8 min*
#
# Now the clinical read-out of Method 6: $z$ = (bone age − chronological age) / reference SD, from
# the truth, from reader 1, from the CNN (as trained and recalibrated) and from the
# chronological-age baseline. Left: the model's $z$ against the true $z$. Right: how many of the
# truly delayed and advanced children each estimate puts beyond ±2, and how many typical children
# it flags by mistake.

# %%
sd_ref = test_meta["reference_sd_months"].to_numpy()
category = test_meta["category"].to_numpy()
z_true = (y_true - chrono) / sd_ref


DELAYED_FOUND, ADVANCED_FOUND = shown("delayed found (%)"), shown("advanced found (%)")
TYPICAL_FLAGGED = shown("typical flagged (%)")


def flag_rates(estimate):
    """% of delayed (advanced) children with z < -2 (> 2), and % of typical children flagged."""
    z = (estimate - chrono) / sd_ref
    return {DELAYED_FOUND: 100 * (z[category == "delayed"] < -2).mean(),
            ADVANCED_FOUND: 100 * (z[category == "advanced"] > 2).mean(),
            TYPICAL_FLAGGED: 100 * (np.abs(z[category == "typical"]) > 2).mean()}


CNN_RECAL = shown("CNN, recalibrated")
READER_1 = shown("reader 1")
flags = pd.DataFrame({
    shown("true bone age"): flag_rates(y_true),
    READER_1: flag_rates(reads[:, 0]),
    CNN: flag_rates(pred),
    CNN_RECAL: flag_rates(pred_recal),
    CHRONO: flag_rates(chrono),
}).T

fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [1, 1.2]})
z_cnn = (pred - chrono) / sd_ref
for cat, colour in CATEGORY_COLOURS.items():
    part = category == cat
    axes[0].scatter(z_true[part], z_cnn[part], s=10, color=colour, alpha=0.6,
                    label=CATEGORY_NAMES[cat])
for value in (-2, 2):
    axes[0].axhline(value, color="grey", linestyle=":")
    axes[0].axvline(value, color="grey", linestyle=":")
axes[0].plot([-5, 5], [-5, 5], color="black", linewidth=1)
axes[0].set_xlabel("True z (true bone age − age) / SD")
axes[0].set_ylabel("CNN z")
axes[0].set_title("Delay in SD units: truth against CNN")
axes[0].legend(fontsize=8)
flags.plot.barh(ax=axes[1], width=0.75)
axes[1].invert_yaxis()
axes[1].set_xlim(0, 100)
axes[1].set_xlabel("Children (%)")
axes[1].set_title("Who ends up beyond ±2 SD")
axes[1].legend(fontsize=8, loc="lower right")
fig.tight_layout()
plt.show()
flags

# %% [markdown]
# The chronological-age baseline, whose MAE looked respectable, finds **none** of the delayed or
# advanced children: it says every child is on schedule. The CNN finds most of them, but not all.
# In the scatter, the delayed children (blue) sit *above* the diagonal and the advanced (red)
# *below* it: the model pulls them towards normal, the regression to the mean of the previous
# sections, now aimed at exactly the cases the examination exists for. Reader 1 misses some delayed
# children too, for two reasons: this reader reads a little old, and sees the child's age and
# leans towards it (the deep dive measures the second). In infancy the reference SD is only a few
# months, so an error of a year is many SDs: the far-off grey points are infants. A typical child
# can also cross the line, through the model's error or because some healthy children really are
# beyond 2 SD (the first row).

# %% [markdown]
# ### Does the model use the sex?
# *Core · 4 min*
#
# A cheap counterfactual: give every test image the *other* sex and predict again. A model that
# ignored the sex would not move. The generator knows the right answer: the same skeleton read on
# the other sex's standards (for a girl, her maturity on the boys' scale; for a boy, the girls' bone
# age with his maturity).

# %%
flipped = predict_months(model, test_images, 1.0 - test_female)
shift = flipped - pred  # months: prediction as the other sex minus prediction as the real sex
girls = test_female.numpy() == 1
maturity = test_meta["maturity_months_boys_scale"].to_numpy()
girl_knots, boy_knots = zip(*test_set.ground_truth["girl_to_boy_maturity_knots"], strict=True)
true_shift = np.where(girls, maturity - y_true, np.interp(y_true, boy_knots, girl_knots) - y_true)
moves = pd.DataFrame({
    shown("girls read as boys: CNN"): by_band(shift[girls], y_true[girls], "a"),
    shown("girls read as boys: truth"): by_band(true_shift[girls], y_true[girls], "b"),
    shown("boys read as girls: CNN"): by_band(shift[~girls], y_true[~girls], "c"),
    shown("boys read as girls: truth"): by_band(true_shift[~girls], y_true[~girls], "d"),
})
moves

# %% [markdown]
# Read as a boy, a girl's skeleton gets an *older* bone age, and a boy's gets a younger one as a
# girl, by amounts that grow towards puberty, where the girls' standards run furthest ahead. The
# model has learned the direction and much of the size of what the atlas encodes in its two series
# of plates; where its shift falls short of the truth, one sex is read too old and the other too
# young, which is the sex pattern in the subgroup table. The same table is the size of the error a
# wrong sex in the request would cause.

# %% [markdown]
# ### Key results
# *Core · 3 min*
#
# The headline numbers. The published figure beside the first row is the best MAE of the RSNA 2017
# challenge, measured on **real** radiographs of two US hospitals with a reference built from
# radiologists' reads, with networks far larger than ours trained on 12,611 images. It is shown as
# the real-world figure our experiment echoes; **it is not comparable**: our phantoms are a cartoon
# with known truth and simulated readers, and a number on them says nothing about a real device.

# %%
key_results.show({
    "CNN, test MAE vs mean of 3 reads (months)": float(scores.loc[CNN, MEAN3_COL]),
    "CNN, test MAE vs true bone age (months)": float(scores.loc[CNN, TRUTH_COL]),
    "reader 2, test MAE vs true bone age (months)": float(scores.loc[READER_2, TRUTH_COL]),
    "bone age = chronological age, test MAE (months)": float(scores.loc[CHRONO, TRUTH_COL]),
    "training-mean baseline, test MAE (months)": float(scores.loc[MEAN_LABEL, TRUTH_COL]),
    "CNN, residual slope vs true bone age": float(slope),
    "CNN, delayed children found (%)": float(flags.loc[CNN, DELAYED_FOUND]),
}, published={
    "CNN, test MAE vs mean of 3 reads (months)":
        "4.2 (RSNA 2017 best entry, real radiographs; not comparable)",
}, caption="Key results on synthetic hand phantoms (600 test children)")

# %% [markdown] tags=["deep-dive"]
# ### Readers who know the age
# *Deep dive · 6 min · optional: how the label itself hides delay*
#
# Our simulated readers see the chronological age and move 15% of the way towards it. The data set
# can be generated again with readers who do not see the age; with the same seed, everything else
# (children, images, the readers' random errors) is identical, so the difference is the effect of
# knowing the age alone. Berst et al. (2001) did this with four radiologists and 107 radiographs:
# knowing the age did not change how well readers agreed, but the share of films they called
# normal rose from 48% to 58%.

# %% tags=["deep-dive"]
blind_meta = datasets.load("hand_xray_phantoms", n_images=N_TEST, seed=3,
                           readers_know_age=False).metadata
told = flag_rates(test_meta["reader_1_months"].to_numpy())
blind = flag_rates(blind_meta["reader_1_months"].to_numpy())
normal_told = 100 * np.mean(np.abs((test_meta["reader_1_months"] - chrono) / sd_ref) <= 2)
normal_blind = 100 * np.mean(np.abs((blind_meta["reader_1_months"] - chrono) / sd_ref) <= 2)
READ_NORMAL = shown("all children read as normal (%)")
pd.DataFrame({shown("reader 1 sees the age"): {**told, READ_NORMAL: normal_told},
              shown("reader 1 blinded"): {**blind, READ_NORMAL: normal_blind}}).T

# %% [markdown] tags=["deep-dive"]
# The blinded reads find more of the delayed children, and call fewer films normal. It matters
# twice over for a model. First, the model learns from such reads, so the pull is in its labels.
# Second, when a model is *validated* against readers who saw the age, a model that finds a delay
# the readers softened is counted as wrong. Whoever builds the reference standard for a validation
# study should decide, and report, whether the readers saw the age.

# %% [markdown] tags=["deep-dive"]
# ### Two meanings of "calibrated" for a regressor
# *Deep dive · 8 min · optional: removing the slope, and what it costs*
#
# The linear recalibration of the core aims at $E[y \mid \hat y] = \hat y$: *given what the model
# says*, the truth is right on average. That is what a clinician reading one number wants. The
# residual slope measures something else: $E[\hat y \mid y] = y$, *given the truth*, the model is
# right on average; children at the extremes are not systematically pulled inwards. When
# predictions are noisy, the two cannot both hold. The brain-age literature knows this well: the
# "brain age gap" of a regressor correlates with age for exactly this reason, and the usual fix
# regresses it out (Smith et al. 2019).
#
# The second kind of correction fits the prediction *on* the label, $\hat y \approx c + d\,y$, on
# validation data, and inverts it: $\tilde y = (\hat y - c) / d$. It stretches the predictions away
# from the middle.

# %% tags=["deep-dive"]
d, c = np.polyfit(val_set.metadata["reader_1_months"], val_pred, 1)
pred_stretch = (pred - c) / d
rows = {}
for name, p in [(CNN, pred), (CNN_RECAL, pred_recal), (shown("CNN, inverse-regression"),
                                                          pred_stretch)]:
    rows[name] = {shown("MAE vs true bone age"): np.abs(p - y_true).mean(),
                  SLOPE: 12 * np.polyfit(y_true, p - y_true, 1)[0], **flag_rates(p)}
print(f"inverse-regression fit on validation data: prediction ≈ {c:+.1f} + {d:.3f} × reader 1")
pd.DataFrame(rows).T

# %% [markdown] tags=["deep-dive"]
# Stretching removes most of the residual slope (its fit on validation data uses reader 1's noisy
# reads, so it can overshoot or fall short) and finds more of the extreme children, but it also
# stretches the noise: the MAE gets worse, and more typical children are flagged. There is no free
# lunch: the choice between the two corrections is a choice between a number that is right *on
# average for the reading in hand* and one that does not systematically understate how extreme a
# child is. A device should say which one it reports, and
# validation data must never include the test children. Note also what "correcting for age" with
# the *true* age at test time would be: a correction that needs the answer, which no device can
# apply (de Lange and colleagues show how such corrections make any model look accurate).

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# - **Regression to the mean hides the cases that matter.** A model trained on an average error
#   hedges towards the middle exactly where it is least sure, and its errors concentrate in the
#   delayed and advanced children. *How to see it:* plot residuals against the reference and report
#   the slope; report errors and flag rates separately for children beyond ±2 SD; never accept an
#   overall MAE alone.
# - **A good MAE can be had without an image.** "Bone age = chronological age" scores well on a
#   referral population in which most children are normal. *How to see it:* always print that
#   baseline beside the model, and the share of abnormal children each one finds.
# - **The reference population.** The GP atlas describes white, mostly well-off children in Ohio
#   radiographed in the 1930s and early 1940s; TW3's tables come from European and North American
#   children. A meta-analysis found GP bone ages of Asian boys delayed by about a year at ages 6 to
#   9 and advanced at 17 relative to the atlas (Alshamrani et al. 2019), and Korean studies report
#   their own offsets. A model trained on GP-labelled reads inherits the atlas's standards; a delay
#   of "2 SD" against a 1940s American standard is not automatically a delay for a Korean child
#   today. *How to see it:* compare bone age minus chronological age in healthy local children by
#   age and sex before using the ±2 SD rule.
# - **The label is one reader's read.** The model copies that reader's bias and some of the
#   reader's pull towards the calendar, and an MAE against one reader cannot fall below the
#   reader's own error. *How to see it:* validate against several readers (and say whether they saw
#   the age), or against a device-independent reference.
# - **Leakage between images of one child.** Children on treatment are radiographed every 6 to 12
#   months; an archive has several images per child, with strongly related labels. A split by image
#   lets the network recognise a child's hand in the test set. *How to see it:* split by child
#   (`child_id`), never by image, and check that no child appears in two sets.
# - **The wrong sex, or no sex.** The same image means different bone ages for a girl and a boy; a
#   request with the wrong sex gives an answer off by up to the shift in the sex counterfactual
#   above. *How to see it:* make the sex a required, checked input, and test the model with the
#   sex flipped.
# - **Saturation.** Above about 18 years (girls) or 19 years (boys) nothing changes on a hand
#   radiograph, so "adult" is a floor, not a measurement; using such predictions to estimate a
#   person's chronological age (for example in asylum or sports procedures) is a different and far
#   less precise task.

# %% [markdown]
# ## Exercises
# *Core · 15 min · in the lab: exercise 1 or 2, and 4; the rest at home*
#
# Worked answers are with your instructor and discussed in the seminar.
#
# 1. **(Core) A model without the sex.** Train with `train_model(train_set, val_set,
#    use_sex=False)` and predict with the sex set to zero. Compare the MAE by sex and by age band
#    with the lesson's model. Where does the missing input cost most, and why there?
# 2. **(Core) A better label.** Add a column `mean_of_reads` (the mean of the three reads) to
#    `train_set.metadata` and `val_set.metadata`, train with `train_model(train_set, val_set,
#    label_column="mean_of_reads")`, and compare the test MAE against the truth, against reader 1
#    and against the mean of three reads with the lesson's model. Which reader's bias does each
#    model inherit? How much of the gain would a hospital see if it could only ever validate
#    against single reads?
# 3. **(Core) Leakage between visits.** Load `hand_xray_phantoms` with `images_per_child=3`
#    (1200 images, 400 children, visits 6 to 18 months apart). Split once by image and once by
#    `child_id` (80/20 each), train on each training part and report the MAE on each test part.
#    Is the image split optimistic here? Which property of these data decides how large the
#    leakage is, and when would it be larger in a real archive?
# 4. **(Core) Choosing the flag.** Using `pred`, `pred_recal`, `chrono` and `sd_ref`, draw the
#    share of delayed children found and of typical children flagged as the threshold on $z$ moves
#    from −1 to −3. Which threshold and which version of the prediction would you choose for a
#    screening clinic that sends flagged children for a growth-hormone stimulation test? Justify it
#    with the costs in the clinical question.
# 5. **(Challenge) Another reference population.** Suppose a local population of healthy boys aged
#    6 to 9 has true bone ages 12 months behind the atlas on average, as some studies report for
#    Asian boys. Without retraining, subtract 12 months from the true bone age of typical boys aged
#    6 to 9 in the test set (imagine their images changed accordingly, so the model's prediction
#    moves by the same amount) and count how many of them the ±2 SD rule now flags as delayed. What
#    would you need before deploying the model in that population?
# 6. **(Challenge) Where does the network look?** Adapt the occlusion sensitivity of im03 to this
#    regressor (the change of the predicted months when a patch is blurred) and average the maps
#    for children under 3 years and over 12 years of bone age. Do they point to the carpus in
#    infants and to the finger joints in adolescents, as the atlas would?

# %% [markdown]
# ## References
#
# 1. Greulich WW, Pyle SI. *Radiographic Atlas of Skeletal Development of the Hand and Wrist*.
#    2nd ed. Stanford, CA: Stanford University Press; 1959.
# 2. Tanner JM, Healy MJR, Goldstein H, Cameron N. *Assessment of Skeletal Maturity and Prediction
#    of Adult Height (TW3 Method)*. 3rd ed. London: W.B. Saunders; 2001.
# 3. Gilsanz V, Ratib O. *Hand Bone Age: A Digital Atlas of Skeletal Maturity*. 2nd ed. Berlin:
#    Springer; 2012. doi:10.1007/978-3-642-23762-1
# 4. Halabi SS, Prevedello LM, Kalpathy-Cramer J, et al. The RSNA Pediatric Bone Age Machine
#    Learning Challenge. *Radiology*. 2019;290(2):498–503. doi:10.1148/radiol.2018180736
# 5. Berst MJ, Dolan L, Bogdanowicz MM, Stevens MA, Chow S, Brandser EA. Effect of knowledge of
#    chronologic age on the variability of pediatric bone age determined using the Greulich and
#    Pyle standards. *AJR Am J Roentgenol*. 2001;176(2):507–510. doi:10.2214/ajr.176.2.1760507
# 6. Thodberg HH, Kreiborg S, Juul A, Pedersen KD. The BoneXpert method for automated
#    determination of skeletal maturity. *IEEE Trans Med Imaging*. 2009;28(1):52–66.
#    doi:10.1109/TMI.2008.926067
# 7. Alshamrani K, Messina F, Offiah AC. Is the Greulich and Pyle atlas applicable to all
#    ethnicities? A systematic review and meta-analysis. *Eur Radiol*. 2019;29(6):2910–2923.
#    doi:10.1007/s00330-018-5792-5
# 8. Ministry of Food and Drug Safety (식품의약품안전처). 국내에서 개발한 인공지능(AI) 기반
#    의료기기 첫 허가 [First approval of a domestically developed AI-based medical device; press
#    release on VUNOmed-BoneAge]. 16 May 2018.
# 9. Lee K-C, Lee K-H, Kang CH, et al. Clinical validation of a deep learning-based hybrid
#    (Greulich-Pyle and modified Tanner-Whitehouse) method for bone age assessment. *Korean J
#    Radiol*. 2021;22(12):2017–2025. doi:10.3348/kjr.2020.1468
# 10. Barnett AG, van der Pols JC, Dobson AJ. Regression to the mean: what it is and how to deal
#     with it. *Int J Epidemiol*. 2005;34(1):215–220. doi:10.1093/ije/dyh299
# 11. Smith SM, Vidaurre D, Alfaro-Almagro F, Nichols TE, Miller KL. Estimation of brain age delta
#     from brain imaging. *NeuroImage*. 2019;200:528–539. doi:10.1016/j.neuroimage.2019.06.017
# 12. de Lange A-MG, Anatürk M, Rokicki J, et al. Mind the gap: performance metric evaluation in
#     brain-age prediction. *Hum Brain Mapp*. 2022.
# 13. Alcina M, Lucea A, Salicrú M, Turbón D. Reliability of the Greulich & Pyle method for bone
#     age estimation in a Spanish sample. *J Forensic Leg Investig Sci*. 2015.
