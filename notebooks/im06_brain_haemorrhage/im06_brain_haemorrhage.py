# %% [markdown]
# # im06 · Brain haemorrhage on CT
#
# *Module: Medical imaging and AI medical devices · Expected time: about 110 minutes for the core
# path, plus about 15 minutes of optional deep dives · Prerequisites: im01 (Hounsfield units,
# DICOM rescale), im03 (a small CNN, ROC curves, operating points, CADt triage devices).*

# %% [markdown]
# ## Learning objectives
# *Core · 2 min*
#
# By the end you can ...
#
# - ... convert a head CT slice to Hounsfield units and display it with **brain, subdural and bone
#   windows**, and show with numbers how the brain window hides subdural blood against the
#   skull;
# - ... stack the three windows as the channels of a network input and train a small
#   **multi-label CNN** (MONAI transforms, five sigmoid outputs, binary cross-entropy) that scores
#   any bleed and four bleed types;
# - ... evaluate it as a **triage device**: AUROC per type and for any bleed, an operating point
#   fixed at 90% specificity on validation data and then applied once to the test set, and
#   sensitivity by bleed type, thickness and scanner;
# - ... simulate a radiologist's **reading worklist** with and without AI prioritisation, measure
#   the time to report for bleed cases, and explain how the prevalence of bleeds changes the
#   share of correct flags;
# - ... state what an FDA-cleared **computer-aided triage (CADt)** device for haemorrhage
#   (21 CFR 892.2080, product code QAS) claims and does not claim, and recognise the pitfalls of
#   this task: window choice, label noise, prevalence, slices versus scans and data licences.
#
# The core path covers all five. The deep dives (one score or five; from slices to scans) deepen
# objectives 3 and 5; nothing in the core depends on them.

# %% [markdown]
# ## Clinical question
# *Core · 6 min*
#
# It is 3 a.m. in an emergency department. Head CTs arrive every few minutes: falls in older
# patients on anticoagulants, headaches, strokes, confusion, trauma. One radiologist reads them,
# usually in the order they were scanned. A few of them show **acute intracranial
# haemorrhage**: bleeding inside the brain (intraparenchymal), between the brain and its
# membranes (subarachnoid, subdural) or between the dura and the skull (epidural). For these
# patients the next hour matters: anticoagulation is reversed, blood pressure is lowered, an
# epidural or a large subdural haematoma may need a neurosurgeon tonight, and a
# haematoma can grow during the first hours. A bleed that waits at position 12 of the worklist
# waits for the eleven studies before it.
#
# Software can re-order that list. The US Food and Drug Administration (FDA) regulates such
# software as **radiological computer-aided triage and notification software** (CADt;
# 21 CFR 892.2080, class II, product code QAS). The regulation was created by the De Novo
# request for Viz.ai's *ContaCT* (DEN170073, February 2018), which flags suspected large-vessel
# occlusions on CT angiography; haemorrhage devices followed through the 510(k) route, for
# example Aidoc's *BriefCase* for intracranial haemorrhage on non-contrast head CT (K180647,
# cleared 1 August 2018), *Viz ICH* (K193658, 2020) and *Rapid ICH* (K221456, 2022). Their
# cleared indications say what such a device is:
#
# - it **flags and communicates** suspected positive studies **in parallel to** the standard of
#   care; every study is still read by a radiologist on a diagnostic viewer;
# - its preview images are "not intended for diagnostic use beyond notification"; it **does not
#   diagnose**, does not rule out (an unflagged study is simply read in its normal turn) and,
#   unless a product says otherwise, does not measure the bleed;
# - its performance is reported as **standalone sensitivity and specificity** against expert
#   reads, and as **time to notification** compared with the standard of care. A clearance does
#   not show that patients do better.
#
# Whether prioritisation helps depends on how it is used. At Geisinger, a CNN re-prioritised
# "routine" head CTs to "stat" when it suspected haemorrhage; for those studies the median time
# to diagnosis fell from 512 to 19 minutes (Arbabshirani et al. 2018), although the model's AUROC
# was a modest 0.846. In a busy academic neuroradiology practice, a commercial device shown as a
# pop-up or as a mark in the worklist did not shorten waiting; only **re-ordering** the worklist
# did, by a few minutes (about 15 minutes of queue-adjusted wait for negative studies against 12
# for flagged positives; O'Neill et al. 2021).
#
# **Korea.** Ministry of Food and Drug Safety (MFDS) approval is required for AI software
# that analyses medical images, under the Medical Devices Act and, since 24 January 2025, the
# Digital Medical Products Act. Korean companies have MFDS-approved AI software for CT (Coreline
# Soft's AVIEW products for chest CT are one example). We do not list Korean haemorrhage-triage
# products here because we could not verify their approval details for this lesson; MFDS's
# medical device database is where to check.
#
# We build a toy version of such a device and ask three questions:
#
# > 1. Which window settings make a bleed visible, to a reader and to a network?
# > 2. How well can a small network flag bleeds, and which bleeds does it miss?
# > 3. How much sooner are bleeding patients' scans reported when the worklist follows the flags?
#
# What the errors cost: a **false negative** is a delay, not a missed diagnosis (the scan is read
# in its turn), but for an epidural haematoma a delay can be the harm. A **false positive** moves
# a normal scan ahead of others and costs everyone behind it a few minutes; a device that cries
# wolf too often is ignored. A triage device is therefore tuned to a specificity the department
# can live with, and judged by the sensitivity it reaches there and by the minutes it saves.

# %% [markdown]
# ## Data card
# *Core · 6 min*
#
# | Item | Description |
# |---|---|
# | **Real image** | `dicom_ct_512`: one axial slice of a non-contrast head CT (512 × 512 pixels of 0.48 mm, 5 mm slice) from case CQ500-CT-310 of the **CQ500** dataset (qure.ai; Chilamkurthy et al. 2018), shipped as a test file `693_UNCR.dcm` in the `pydicom-data` package. Its licence, printed below from the course catalogue, is Creative Commons BY-NC-SA 4.0 (the CQ500 images): teaching and research are fine, commercial use is not, and derived material must carry the same licence. The readers' labels of CQ500 are not in the file; we use the slice for windowing only and do not diagnose it. |
# | **Synthetic images** | `head_ct_phantoms`: axial head-CT-like slices at the level of the lateral ventricles, 64 × 64 pixels of 3.3 mm, **int16 Hounsfield units**. Scalp, skull (tables and diploe, coronal and lambdoid sutures), CSF, cortex with sulci, white matter, fissures, ventricles, thalami, and in most heads a calcified pineal gland or choroid plexus (bright, but not blood). Painted on a finer grid and averaged, so thin structures suffer **partial volume**; two scanners differ in blur, noise and calibration. |
# | **Bleeds** | Acute blood at 50–90 HU: **intraparenchymal** (irregular clot, radius 4–18 mm, oedema rim), **subdural** (crescent along the inner table, 2.5–14 mm thick, crosses sutures, stops at the midline), **epidural** (biconvex lens, 6–20 mm thick, stops at sutures), **subarachnoid** (blood replacing CSF in sulci or fissures). Half of the scans bleed; a fifth of those have two types. Large bleeds push the midline away. |
# | **Labels** | Five columns per slice, multi-label: `any`, `intraparenchymal`, `subdural`, `epidural`, `subarachnoid`, plus a lesion mask and, in `ground_truth`, every bleed's size, density and position. Labels here are **exact**; real labels come from reports or readers and are not. |
# | **Sizes used here** | Training 900, validation 300 and test 600 slices, each set with its own seed (no head is shared between sets), one slice per scan. A demonstration set of 40 slices at 128 × 128 (1.66 mm) for the windows, and a deep dive with scans of four slices. |
# | **PHI** | The real slice is public test data with identifiers replaced (`PatientID` CQ500-CT-310); the phantoms carry no identifiers. |
# | **Limitations** | One axial level, no posterior fossa or skull base, no intraventricular, chronic or subacute blood, no contusions, infarcts or tumours, one slice per scan in the core. Numbers reached on phantoms say nothing about patients. |

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from scipy.ndimage import binary_dilation
from sklearn.metrics import roc_auc_score, roc_curve
from torch import nn
from torch.utils.data import DataLoader, Dataset

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 0
torch.manual_seed(SEED)
torch.set_num_threads(1)  # convolutions this small gain nothing from a second thread
pd.set_option("display.precision", 3)

real = datasets.load("dicom_ct_512")
real_info = datasets.info("dicom_ct_512")
print("real slice:", real.paths[0].name, "|", real_info["licence"])
print("  provenance:", real_info["provenance"])

train_set = datasets.load("head_ct_phantoms", n_images=900, seed=11)
val_set = datasets.load("head_ct_phantoms", n_images=300, seed=12)
test_set = datasets.load("head_ct_phantoms", n_images=600, seed=13)
phantom_info = datasets.info("head_ct_phantoms")
print("phantoms:", phantom_info["kind"], "|", phantom_info["licence"], "|", phantom_info["phi"])
print("image array:", train_set.images.shape, train_set.images.dtype,
      "| pixel spacing (mm):", tuple(round(s, 2) for s in train_set.spacing_mm))

LABELS = list(train_set.label_names.values())  # column order of labels and model outputs
TYPES = LABELS[1:]
# how tables and figures name the five outputs
NAMES = {"any": shown("any bleed"), "intraparenchymal": shown("intraparenchymal"),
         "subdural": shown("subdural"), "epidural": shown("epidural"),
         "subarachnoid": shown("subarachnoid")}
pd.DataFrame({name: data.labels.sum(axis=0) for name, data in
              [(shown("train"), train_set), (shown("validation"), val_set),
               (shown("test"), test_set)]},
             index=[NAMES[label] for label in LABELS]).T.assign(
    **{shown("slices"): [len(train_set.labels), len(val_set.labels), len(test_set.labels)]})

# %% [markdown]
# Each set is half bleeding slices, and every type is represented; a slice can count in two type
# columns. The split is by seed: each slice is a different synthetic head, so no patient can
# appear on both sides of a split. In real data, where one scan has 30–40 slices and one patient
# may have several scans, the split must be made by patient (the deep dive on scans returns to
# this).

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Six pieces, in the order the Results use them: Hounsfield units and windows; windows as
# channels; a multi-label network and its loss; augmentation that respects Hounsfield units; an
# evaluation built for triage; and a worklist simulation.

# %% [markdown]
# ### 1. Hounsfield units and windows
# *Core · 4 min*
#
# A CT scanner stores integers; the DICOM tags RescaleSlope and RescaleIntercept turn them into
# **Hounsfield units** (HU), a calibrated scale on which water is 0 and air −1000 (im01). In the
# head, CSF is about 0–15 HU, white matter 20–30, grey matter 35–45, acute blood 50–90 (clot
# retraction makes it denser), calcification above 100 and cortical bone above 1000.
#
# A screen shows about 256 grey levels, and the eye distinguishes far fewer, while the head spans
# more than 2000 HU. A **window** with level $L$ and width $W$ maps HU to grey:
#
# $$ g = \operatorname{clip}\!\left(\frac{\text{HU} - (L - W/2)}{W},\ 0,\ 1\right), $$
#
# black below $L - W/2$, white above $L + W/2$, a linear ramp in between. We use three settings
# that radiologists use for head CT:
#
# | window | level / width (HU) | shows | hides |
# |---|---|---|---|
# | brain | 40 / 80 | grey–white contrast, oedema, most blood | everything above 80 HU is white: blood next to bone merges with the skull |
# | subdural | 80 / 200 | blood (mid-grey to light) separated from bone (white) | fine grey–white contrast |
# | bone | 600 / 2800 | skull, sutures, fractures, sinuses | the brain is one uniform grey |
#
# Published presets differ by tens of HU (Radiopaedia's head-CT approach uses 80/40 for brain,
# 175/50 for blood and subdurals and 3000/500 for bone, written as width/level); the brain window
# is nearly universal, and our subdural (200/80) and bone (2800/600) settings are common choices
# within the ranges in use, also in public haemorrhage-detection code.

# %% [markdown]
# ### 2. Three windows as three channels
# *Core · 3 min*
#
# A network could be fed raw HU, but then a few thousand HU of bone dominate the input scale and
# the 20–40 HU that separate blood from brain are a tiny signal. Radiologists solve this by
# looking at several windows; we give the network the same three views as the three **channels**
# of its input (like the red, green and blue of a photograph). This was a common choice in the
# RSNA 2019 intracranial haemorrhage challenge (Flanders et al. 2020), whose training set of more
# than 25,000 head CT examinations was labelled with the same five columns we use. We build the
# windows with MONAI's `ScaleIntensityRange` (`a_min` = $L - W/2$, `a_max` = $L + W/2$, clipped
# to [0, 1]), which is exactly the formula above.

# %% [markdown]
# ### 3. A multi-label network: five sigmoids, one loss
# *Core · 4 min*
#
# A slice can show a subdural **and** a subarachnoid bleed. This is a **multi-label** problem,
# not a multi-class one: instead of a softmax over mutually exclusive classes, the network has
# five outputs, each a logit $z_k$ turned into its own probability $\sigma(z_k)$: any bleed,
# and each of the four types. The loss is the binary cross-entropy averaged over the five
# columns and the images,
#
# $$ L = -\frac{1}{5n}\sum_{i=1}^{n}\sum_{k=1}^{5}\left[y_{ik}\log\sigma(z_{ik}) +
# (1-y_{ik})\log\left(1-\sigma(z_{ik})\right)\right], $$
#
# PyTorch's `BCEWithLogitsLoss`. The "any" output is trained as a column of its own (as in the
# RSNA challenge) rather than computed from the types; a deep dive compares the two.
#
# The network: four 3 × 3 convolution blocks (convolution, batch normalisation, ReLU) with 8,
# 16, 32 and 32 channels and three 2 × 2 max-pooling steps, then **global max pooling** (the
# strongest response anywhere in the slice: a bleed is a local finding, and averaging over the
# whole head would dilute a small one) and a linear layer to the five logits. About 16,000
# weights. Products use far larger 2D or 3D networks pretrained on hundreds of thousands of
# scans (Chilamkurthy et al. trained 2D networks on slices and combined their outputs across the
# scan); MONAI offers such architectures (`monai.networks.nets.DenseNet121`, `ResNet`), which need a
# GPU to train.

# %% [markdown]
# ### 4. Augmentation that respects Hounsfield units
# *Core · 3 min*
#
# Augmentation should imitate variation that does not change the diagnosis:
#
# - **left–right flips**: the head is nearly symmetric and bleeds occur on either side (unlike a
#   chest radiograph, where a flip moves the heart);
# - **small rotations** (up to 10°): heads are tilted in the gantry;
# - **small shifts of the whole HU scale** (a few HU): scanners differ in calibration.
#
# What we do **not** do is change contrast or gamma, as one would for photographs or
# radiographs: HU are a physical measurement, and blood is blood because it is 50–90 HU. An
# augmentation that stretched the scale would teach the network that a 40 HU region can be blood.
# We augment in HU and window afterwards, with MONAI's `RandFlip`, `RandRotate` and
# `RandShiftIntensity`, seeded once.

# %% [markdown]
# ### 5. Evaluation built for triage
# *Core · 4 min*
#
# - **AUROC per output** on the held-out test set: any bleed against no bleed, and each type
#   against all slices without that type, with a 95% bootstrap interval for any bleed.
# - **An operating point fixed in advance.** The department accepts that about one normal scan in
#   ten is flagged: we choose the threshold on the **validation** set as the 90th percentile of
#   the any-bleed score of validation slices without a bleed (90% specificity), freeze it, and
#   report the test sensitivity and specificity it achieves, with Wilson 95% intervals.
# - **Sensitivity by subgroup** at that threshold: by bleed type, by the thickness of subdurals,
#   by the size of intraparenchymal clots, and by scanner. Averages hide the patients a device
#   misses.
# - **Prevalence**: on test data half the slices bleed; in an emergency department perhaps one
#   head CT in fifteen does (6.1% in one Hong Kong cohort of 1372 scans; Abrigo et al. 2023). We
#   recompute the share of flags that are true bleeds at that prevalence.

# %% [markdown]
# ### 6. A worklist simulation
# *Core · 4 min*
#
# A queue of head CTs over many simulated night shifts of 8 hours. Scans arrive at random
# (a Poisson process, 11 per hour); reading one takes a random time (log-normal, median 4
# minutes), so the radiologist is busy most of the time and a queue forms. Each simulated scan
# borrows a test-set slice (a bleed with probability 6.1%, otherwise a normal one) together with
# the model's any-bleed score for it. Two policies read **the same** scans with the same reading
# times:
#
# - **first come, first served** (FIFO): the usual worklist;
# - **AI triage**: flagged scans (score above the frozen threshold) are read before unflagged
#   ones, each group in arrival order; a read in progress is never interrupted.
#
# We measure the **time to report** (arrival to the end of the read) for the bleeding scans, and
# what the normal scans pay for it. A third, hypothetical policy with a perfect flag shows the
# most any triage could gain.

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# First the real slice and the windows; then the phantoms, the network and its evaluation; then
# the worklist.

# %% [markdown]
# ### A real head CT in three windows
# *Core · 6 min*
#
# We read the CQ500 slice, apply the rescale, and show it in the three windows with a histogram of
# its HU values. Pixels outside the scanner's circular field of view carry a padding value far
# below air.

# %%
WINDOWS = {shown("brain"): (40, 80), shown("subdural"): (80, 200), shown("bone"): (600, 2800)}


def window(hu, level, width):
    """Grey value in [0, 1] of a level/width window (black below, white above)."""
    return np.clip((hu - (level - width / 2)) / width, 0.0, 1.0)


ds = real.read()
hu_real = ds.pixel_array.astype(np.float32) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
outside = hu_real < -1024
print(f"{ds.Rows} x {ds.Columns} pixels of {float(ds.PixelSpacing[0]):.2f} mm, slice "
      f"{float(ds.SliceThickness):.0f} mm; rescale HU = {float(ds.RescaleSlope):g} x stored "
      f"{float(ds.RescaleIntercept):+g}")
print(f"window stored in the file: level {ds.WindowCenter}, width {ds.WindowWidth}")
print(f"padding outside the field of view: {outside.mean():.1%} of pixels at "
      f"{hu_real[outside].min():.0f} HU")

fig, axes = plt.subplots(1, 4, figsize=(15, 4.2), layout="constrained")
for ax, (name, (level, width)) in zip(axes, WINDOWS.items()):
    ax.imshow(window(hu_real, level, width), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"{name}: L {level} / W {width}")
    ax.set_xticks([])
    ax.set_yticks([])
inside = hu_real[~outside]
axes[3].hist(inside, bins=np.arange(-1050, 2000, 10), color="grey", log=True)
for (name, (level, width)), colour in zip(WINDOWS.items(), ["tab:blue", "tab:orange",
                                                             "tab:green"]):
    axes[3].axvspan(level - width / 2, level + width / 2, alpha=0.15, color=colour, label=name)
axes[3].set_xlabel("Hounsfield units")
axes[3].set_ylabel("pixels (log scale)")
axes[3].set_title("HU histogram and the three windows")
axes[3].legend(fontsize=8)
fig.suptitle("CQ500-CT-310, one 5 mm axial slice (pydicom-data 693_UNCR.dcm)")
plt.show()

# %% [markdown]
# The histogram explains the windows. Two sharp peaks hold most pixels: air (around −1000) and
# soft tissue and brain (around 0–50); bone forms a low, broad hump from a few hundred to about
# 1500 HU. The brain window spans only the narrow band of brain (blue): tissue differences of 10
# HU become visible shades, and everything denser, including the whole skull, is white. The
# subdural window (orange) is wider and higher, so the skull stays white while blood-range
# values become mid-grey. The bone window (green) covers the hump: the skull's inner and outer
# tables and the diploe between them become visible, and the brain is a flat grey.
#
# This slice is not normal. Over both hemispheres, most visibly over the patient's left (image
# right), there are regions of lower density than brain between the brain and the skull, and the
# midline structures are displaced. Reading it is a radiologist's task, and the CQ500 readers'
# labels are not shipped with the file, so we do not name a diagnosis. One lesson holds anyway:
# **blood is not always bright**. Acute blood is denser than brain; as a haematoma ages it
# becomes iso- and then hypodense. Our phantoms contain only acute blood, and a model trained on
# them would not know about the rest.

# %% [markdown]
# ### The phantoms, and a thin subdural in three windows
# *Core · 6 min*
#
# One slice of each kind in the brain window, with the true blood outlined.

# %%
meta = train_set.metadata
single = train_set.labels[:, 1:].sum(axis=1) == 1
calcified = meta["calcification"].to_numpy()
gallery = [int(np.flatnonzero(~calcified & (train_set.labels[:, 0] == 0))[0]),
           int(np.flatnonzero(calcified & (train_set.labels[:, 0] == 0))[0])]
for column in range(1, 5):
    gallery += list(np.flatnonzero(single & (train_set.labels[:, column] == 1))[:1])
fig, axes = plt.subplots(1, 6, figsize=(15, 3.1), layout="constrained")
brain_level, brain_width = WINDOWS[shown("brain")]
for ax, i in zip(axes, gallery, strict=True):
    ax.imshow(window(train_set.images[i], brain_level, brain_width), cmap="gray")
    if train_set.masks[i].any():
        ax.contour(train_set.masks[i] > 0, levels=[0.5], colors="red", linewidths=0.8)
        kind = NAMES[TYPES[int(np.flatnonzero(train_set.labels[i, 1:])[0])]]
    else:
        kind = (shown("normal, calcification") if meta.loc[i, "calcification"]
                else shown("normal"))
    ax.set_title(f"{kind}\nmidline shift {meta.loc[i, 'midline_shift_mm']:.0f} mm", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("head_ct_phantoms, brain window (L 40 / W 80); red = true blood")
plt.show()

# %% [markdown]
# At 3.3 mm per pixel the phantoms look like a coarse CT; sulci and the interhemispheric
# fissure are one pixel wide, so their CSF is averaged with the cortex beside it (partial volume).
# The intraparenchymal clot and the epidural lens are obvious; the subdural crescent is thin and
# lies against the skull; the subarachnoid blood fills a fissure or a few sulci and is hardest to
# see. The white dots in the midline of most heads are calcifications, denser than any blood.
#
# Now the pitfall in numbers. At 3.3 mm per pixel a thin crescent has hardly a pixel that is
# not averaged with the skull, so for this demonstration we load a few slices at 128 × 128 (1.66
# mm), all with a single bleed. Among their subdurals at most 9 mm thick we take the densest,
# keep the pixels of its mask that do not touch bone (HU above 300, dilated by one pixel), and
# compare, in each window, the grey level of that blood with the skull and with the brain. If two
# grey levels are equal, a reader cannot tell the tissues apart on screen.

# %%
demo = datasets.load("head_ct_phantoms", n_images=40, size=128, prevalence=1.0,
                     multi_fraction=0.0, seed=21)
demo_lesions = demo.ground_truth["lesions"]
candidates = demo_lesions[(demo_lesions["type"] == "subdural")
                          & (demo_lesions["max_thickness_mm"] <= 9)]
thin = candidates.sort_values("hu").iloc[-1]
i_thin = int(thin["image"])
hu_thin = demo.images[i_thin].astype(np.float32)
bone = hu_thin > 300
blood = (demo.masks[i_thin] == 2) & ~binary_dilation(bone, iterations=1)
brain_tissue = (hu_thin > 15) & (hu_thin < 45) & ~binary_dilation(demo.masks[i_thin] > 0,
                                                                   iterations=2)
print(f"slice {i_thin} at {demo.spacing_mm[0]:.2f} mm: subdural up to "
      f"{thin['max_thickness_mm']:.1f} mm thick, true density {thin['hu']:.0f} HU; "
      f"{int(thin['mask_pixels'])} mask pixels, {blood.sum()} of them not touching bone "
      f"(median {np.median(hu_thin[blood]):.0f} HU)")
sdh_train = train_set.masks == 2
free = sdh_train & ~binary_dilation(train_set.images > 300, iterations=1,
                                    structure=np.array([[[0, 0, 0], [0, 1, 0], [0, 0, 0]],
                                                        [[0, 1, 0], [1, 1, 1], [0, 1, 0]],
                                                        [[0, 0, 0], [0, 1, 0], [0, 0, 0]]]))
print(f"training slices at {train_set.spacing_mm[0]:.2f} mm: {free.sum() / sdh_train.sum():.0%} "
      "of subdural mask pixels do not touch bone")
visibility = {}
for name, (level, width) in WINDOWS.items():
    grey = window(hu_thin, level, width)
    visibility[name] = {shown("blood"): np.median(grey[blood]),
                        shown("skull"): np.median(grey[bone]),
                        shown("brain"): np.median(grey[brain_tissue])}
visibility = pd.DataFrame(visibility).T
visibility[shown("skull − blood")] = visibility.iloc[:, 1] - visibility.iloc[:, 0]
visibility[shown("blood − brain")] = visibility.iloc[:, 0] - visibility.iloc[:, 2]
visibility.round(2)

# %%
rows, cols = np.nonzero(demo.masks[i_thin] == 2)
r0, r1 = max(rows.min() - 10, 0), min(rows.max() + 11, hu_thin.shape[0])
c0, c1 = max(cols.min() - 10, 0), min(cols.max() + 11, hu_thin.shape[1])
fig, axes = plt.subplots(1, 4, figsize=(13, 3.8), layout="constrained")
for ax, (name, (level, width)) in zip(axes, WINDOWS.items()):
    ax.imshow(window(hu_thin[r0:r1, c0:c1], level, width), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"{name}: L {level} / W {width}", fontsize=10)
axes[3].imshow(window(hu_thin[r0:r1, c0:c1], *WINDOWS[shown("subdural")]), cmap="gray",
               vmin=0, vmax=1)
axes[3].contour(demo.masks[i_thin][r0:r1, c0:c1] == 2, levels=[0.5], colors="red",
                linewidths=1.0)
axes[3].set_title(shown("subdural window + true blood"), fontsize=10)
for ax in axes:
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("A dense subdural crescent (1.66 mm pixels, cropped): which window shows it?")
plt.show()

# %% [markdown]
# In the brain window the blood and the skull are almost the same grey (the "skull − blood"
# column is close to zero): dense blood is near the top of the 0–80 HU ramp and bone is above it,
# so the crescent thickens the white ring of the skull. In the subdural window the skull stays
# white while the blood drops to a mid grey, still lighter than the brain: the crescent separates
# from the bone. This is why radiologists page through a subdural window, and why we give the
# network more than the brain window. The bone window shows no blood at all (blood and brain are
# the same grey); it exists for fractures. Partial volume makes things worse at coarse
# resolution: the printed share says how few subdural pixels of the 3.3 mm training slices are
# free of bone, so most of a thin crescent is averaged into values between blood and bone.

# %% [markdown]
# ### The data pipeline: MONAI transforms in HU, then three windows
# *Core · 4 min*
#
# The `Dataset` keeps the slices in HU. For training, MONAI's transforms flip, rotate and shift
# the HU scale; then the three `ScaleIntensityRange` windows make the three channels. We switch
# off MONAI's metadata tracking (`set_track_meta(False)`), which 2D arrays do not need.

# %%
from monai.data import set_track_meta
from monai.transforms import (
    Compose,
    RandFlip,
    RandRotate,
    RandShiftIntensity,
    ScaleIntensityRange,
)

set_track_meta(False)
window_channels = [ScaleIntensityRange(a_min=level - width / 2, a_max=level + width / 2,
                                       b_min=0.0, b_max=1.0, clip=True)
                   for level, width in WINDOWS.values()]
augment = Compose([
    RandFlip(prob=0.5, spatial_axis=1),  # left-right: bleeds occur on either side
    RandRotate(range_x=np.deg2rad(10), prob=0.5, padding_mode="border"),  # head tilt
    RandShiftIntensity(offsets=4.0, prob=0.5),  # calibration: a few HU, never a rescaling
])
augment.set_random_state(seed=SEED)


def to_channels(hu):
    """(1, H, W) HU tensor -> (3, H, W) tensor: brain, subdural and bone windows."""
    return torch.cat([to_window(hu) for to_window in window_channels], dim=0)


class HeadSlices(Dataset):
    """HU slices as three-window tensors with five float labels; optional augmentation."""

    def __init__(self, data, train=False):
        self.hu = torch.from_numpy(data.images[:, None].astype(np.float32))
        self.labels = torch.from_numpy(data.labels.astype(np.float32))
        self.train = train

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        hu = self.hu[index]
        if self.train:
            hu = augment(hu)
        return to_channels(hu), self.labels[index]


x, y = HeadSlices(train_set, train=True)[gallery[3]]
print("one training example:", tuple(x.shape), x.dtype, "| labels", y.tolist())

# %% [markdown]
# ### The network and the training loop
# *Core · 5 min*
#
# Training: Adam with a one-cycle learning-rate schedule, mini-batches of 32, 18 epochs. After
# each epoch we score the validation set and keep the weights of the epoch with the best mean
# validation AUROC over the five outputs. The test set stays untouched until the model and the
# threshold are frozen. This is the slowest cell of the lesson (about 20–30 seconds on a laptop
# core).

# %%
class TriageCNN(nn.Module):
    """Four conv blocks, global max pooling, five logits (any bleed and four types)."""

    def __init__(self, n_outputs=5):
        super().__init__()

        def block(c_in, c_out):
            return [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]

        self.features = nn.Sequential(*block(3, 8), nn.MaxPool2d(2), *block(8, 16),
                                      nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                                      *block(32, 32))
        self.head = nn.Linear(32, n_outputs)

    def forward(self, x):
        return self.head(self.features(x).amax(dim=(2, 3)))


def predict(model, data, batch_size=50):
    """Logits (n, 5) for a dataset's HU slices, in evaluation mode, without augmentation."""
    model.eval()
    items = HeadSlices(data)
    with torch.no_grad():
        return torch.cat([
            model(torch.stack([items[i][0] for i in range(start, min(start + batch_size,
                                                                     len(items)))]))
            for start in range(0, len(items), batch_size)]).numpy()


def auroc_per_output(labels, logits):
    """AUROC of each of the five outputs against its own label column."""
    return np.array([roc_auc_score(labels[:, k], logits[:, k]) for k in range(labels.shape[1])])


EPOCH, TRAIN_LOSS = shown("epoch"), shown("train loss")
VAL_LOSS, VAL_MEAN_AUROC = shown("validation loss"), shown("validation mean AUROC")


def train_model(train_data, val_data, epochs=18, lr=3e-3, seed=SEED):
    """Train TriageCNN with BCE on five outputs; keep the epoch with the best validation AUROC."""
    torch.manual_seed(seed)
    model = TriageCNN()
    loader = DataLoader(HeadSlices(train_data, train=True), batch_size=32, shuffle=True,
                        num_workers=0, generator=torch.Generator().manual_seed(seed))
    loss_fn = nn.BCEWithLogitsLoss()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr,
                                                   total_steps=epochs * len(loader))
    y_val = torch.from_numpy(val_data.labels.astype(np.float32))
    history, best, best_state = [], -1.0, None
    for epoch in range(1, epochs + 1):
        model.train()
        losses = []
        for xb, yb in loader:
            optimiser.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
        val_logit = predict(model, val_data)
        aucs = auroc_per_output(val_data.labels, val_logit)
        history.append({EPOCH: epoch, TRAIN_LOSS: np.mean(losses),
                        VAL_LOSS: loss_fn(torch.from_numpy(val_logit), y_val).item(),
                        VAL_MEAN_AUROC: aucs.mean(),
                        **{NAMES[label]: auc for label, auc in zip(LABELS, aucs)}})
        if aucs.mean() > best:
            best, best_state = aucs.mean(), {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model.eval()
    return model, pd.DataFrame(history).set_index(EPOCH)


print(f"TriageCNN: {sum(p.numel() for p in TriageCNN().parameters()):,} trainable weights")
model, history = train_model(train_set, val_set)
best_epoch = int(history[VAL_MEAN_AUROC].idxmax())
print(f"kept epoch {best_epoch}")
history.round(3)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
axes[0].plot(history.index, history[TRAIN_LOSS], "o-", label=shown("training (augmented)"))
axes[0].plot(history.index, history[VAL_LOSS], "s-", label=shown("validation"))
axes[0].set_ylabel("BCE, mean over 5 outputs")
axes[0].set_title("Loss per epoch")
for label in LABELS:
    axes[1].plot(history.index, history[NAMES[label]], "o-", markersize=3, label=NAMES[label])
axes[1].axvline(best_epoch, color="grey", linestyle=":")
axes[1].set_ylim(0.4, 1.0)
axes[1].set_ylabel("validation AUROC")
axes[1].set_title("Validation AUROC per output (dotted: kept epoch)")
for ax in axes:
    ax.set_xlabel("epoch")
    ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# For the first epochs the outputs hover around chance while the network finds the blood at all;
# then the large, bright bleeds (intraparenchymal, epidural) are learned quickly and the "any"
# output follows. The subdural and subarachnoid curves rise later and stay lower: thin crescents
# against the skull and blood in one-pixel sulci are the hard cases, for this network as for
# readers. The validation loss does not rise at the end, so there is no sign of overfitting at
# this length of training.

# %% [markdown]
# ### Test-set evaluation: AUROC per output and the frozen operating point
# *Core · 6 min*
#
# First the threshold, from validation data only: the 90th percentile of the any-bleed logit
# among validation slices without a bleed. Then the 600 test slices meet the frozen model and
# threshold for the first time.

# %%
def bootstrap_auroc(y, score, n_boot=1000, seed=SEED):
    """Percentile 95% interval of the AUROC, resampling slices (Mann-Whitney form)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(y), size=(n_boot, len(y)))
    yb, sb = y[idx], score[idx]
    ranks = sb.argsort(axis=1).argsort(axis=1) + 1
    n1 = yb.sum(axis=1)
    n0 = yb.shape[1] - n1
    return np.quantile(((ranks * yb).sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0),
                       [0.025, 0.975])


def wilson(successes, n, z=1.959964):
    """Wilson score 95% interval of a proportion."""
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


val_logit = predict(model, val_set)
threshold = float(np.quantile(val_logit[val_set.labels[:, 0] == 0, 0], 0.90))
test_logit = predict(model, test_set)
y_test = test_set.labels
aucs_test = auroc_per_output(y_test, test_logit)
flag = test_logit[:, 0] >= threshold
bleed = y_test[:, 0] == 1
sens, spec = flag[bleed].mean(), 1 - flag[~bleed].mean()
lo, hi = bootstrap_auroc(y_test[:, 0], test_logit[:, 0])
print(f"threshold (any-bleed logit), fixed on validation: {threshold:.2f}")
print(f"any bleed: test AUROC {aucs_test[0]:.3f} (95% CI {lo:.3f} to {hi:.3f})")
print("at the threshold: sensitivity {:.3f} ({:.3f} to {:.3f}), specificity {:.3f} "
      "({:.3f} to {:.3f})".format(sens, *wilson(flag[bleed].sum(), bleed.sum()),
                                  spec, *wilson((~flag[~bleed]).sum(), (~bleed).sum())))
pd.DataFrame({shown("test AUROC"): aucs_test,
              shown("positives in test"): y_test.sum(axis=0)},
             index=[NAMES[label] for label in LABELS])

# %%
fig, ax = plt.subplots(figsize=(5.6, 5.2))
for k, label in enumerate(LABELS):
    fpr, tpr, _ = roc_curve(y_test[:, k], test_logit[:, k])
    ax.plot(fpr, tpr, lw=2.2 if k == 0 else 1.2, color="black" if k == 0 else None,
            label=f"{NAMES[label]}: {aucs_test[k]:.3f}")
ax.plot(1 - spec, sens, "o", color="red", markersize=8,
        label=shown("operating point (threshold from validation)"))
ax.plot([0, 1], [0, 1], ":", color="grey")
ax.set_xlabel("1 − specificity")
ax.set_ylabel("sensitivity")
ax.set_title(f"ROC curves on the test set (n = {len(y_test)})")
ax.legend(fontsize=8, loc="lower right", title=shown("output: AUROC"))
plt.show()

# %% [markdown]
# The any-bleed AUROC is high and its interval narrow; the per-type AUROCs spread out in the order
# the training curves predicted, with intraparenchymal and epidural bleeds easiest and subdural
# and subarachnoid blood hardest. At the threshold set on validation data, the test specificity
# lands near the 90% aimed at but not exactly on it (a percentile of 150 validation normals
# carries sampling error), and the sensitivity is what the device offers at that price. A
# manufacturer would set the threshold on a larger tuning set and state both numbers with their
# intervals, as here.

# %% [markdown]
# ### Whom does the device miss?
# *Core · 6 min*
#
# Sensitivity at the frozen threshold, for the bleeding test slices split by type, by the
# thickness of subdurals, by the radius of intraparenchymal clots, and by scanner (a slice with
# two bleeds counts in both of its types).

# %%
test_lesions = test_set.ground_truth["lesions"].copy()
test_lesions["flagged"] = flag[test_lesions["image"].to_numpy()]
groups = {}
for label in TYPES:
    groups[NAMES[label]] = test_lesions.loc[test_lesions["type"] == label, "flagged"]
sdh = test_lesions[test_lesions["type"] == "subdural"]
groups[shown("subdural < 5 mm")] = sdh.loc[sdh["max_thickness_mm"] < 5, "flagged"]
groups[shown("subdural ≥ 5 mm")] = sdh.loc[sdh["max_thickness_mm"] >= 5, "flagged"]
iph = test_lesions[test_lesions["type"] == "intraparenchymal"]
groups[shown("clot radius < 8 mm")] = iph.loc[iph["radius_mm"] < 8, "flagged"]
groups[shown("clot radius ≥ 8 mm")] = iph.loc[iph["radius_mm"] >= 8, "flagged"]
scanner = test_set.metadata["scanner"].to_numpy()
for name in ("A", "B"):
    groups[shown("scanner ") + name] = pd.Series(flag[bleed & (scanner == name)])
subgroups = pd.DataFrame({
    shown("n"): {g: len(v) for g, v in groups.items()},
    shown("sensitivity"): {g: v.mean() for g, v in groups.items()},
    shown("95% CI low"): {g: wilson(v.sum(), len(v))[0] for g, v in groups.items()},
    shown("95% CI high"): {g: wilson(v.sum(), len(v))[1] for g, v in groups.items()},
})
normals_flagged = {name: flag[~bleed & (scanner == name)].mean() for name in ("A", "B")}
print("normal slices flagged, by scanner:",
      ", ".join(f"{name} {share:.1%}" for name, share in normals_flagged.items()))
subgroups

# %%
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
positions = np.arange(len(subgroups))
ax.errorbar(subgroups[shown("sensitivity")], positions,
            xerr=[subgroups[shown("sensitivity")] - subgroups[shown("95% CI low")],
                  subgroups[shown("95% CI high")] - subgroups[shown("sensitivity")]],
            fmt="o", color="black", capsize=3)
ax.axvline(sens, color="red", linestyle=":", label=shown("all bleeding slices"))
ax.set_yticks(positions, [f"{g} (n={n})" for g, n in zip(subgroups.index,
                                                          subgroups[shown("n")])])
ax.invert_yaxis()
ax.set_xlim(0, 1.02)
ax.set_xlabel("sensitivity at the frozen threshold (Wilson 95% CI)")
ax.set_title("Test sensitivity by subgroup")
ax.legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# The overall sensitivity is an average over a case mix. Subdurals thinner than 5 mm are found
# far less often than thick crescents, large clots and epidural lenses, with an interval that
# shows how few test cases the subgroup holds. Clinically this is uncomfortable: a small subdural
# in an anticoagulated patient can grow. Subarachnoid blood is an instructive case: its own output
# had a low AUROC (the network is unsure *which* kind of blood it sees), yet the any-bleed output
# flags most of these slices. A triage device's labelling should state such limits, and a
# department should know that an unflagged scan is not a normal scan.
#
# The scanner rows hold a second lesson. Sensitivity is similar on the two scanners, but the
# printed line above the table shows that the noisier, blurrier scanner B flags several times as
# many **normal** slices as scanner A: noise looks like faint blood. One threshold gives each
# site its own specificity, which is why devices are validated across scanners and sites, and why
# a hospital should measure its own false-alarm rate after installation.

# %% [markdown]
# ### Prevalence: what a flag means in the emergency department
# *Core · 4 min*
#
# Sensitivity and specificity do not depend on prevalence; the **positive predictive value**
# (PPV, the share of flags that are bleeds) does:
#
# $$ \text{PPV} = \frac{\text{sens}\cdot p}{\text{sens}\cdot p + (1-\text{spec})(1-p)}. $$

# %%
ED_PREVALENCE = 0.061  # Abrigo et al. 2023: 84 of 1372 emergency head CTs had a haemorrhage


def ppv(sensitivity, specificity, prevalence):
    """Positive predictive value from sensitivity, specificity and prevalence."""
    true = sensitivity * prevalence
    return true / (true + (1 - specificity) * (1 - prevalence))


pd.DataFrame({
    shown("prevalence"): [bleed.mean(), ED_PREVALENCE],
    shown("share of scans flagged"): [flag.mean(),
                                      sens * ED_PREVALENCE + (1 - spec) * (1 - ED_PREVALENCE)],
    shown("PPV (flags that are bleeds)"): [ppv(sens, spec, bleed.mean()),
                                           ppv(sens, spec, ED_PREVALENCE)],
}, index=[shown("test set"), shown("emergency department")])

# %% [markdown]
# On the balanced test set most flags are bleeds. At the prevalence of an emergency department
# the same device, with the same sensitivity and specificity, produces mostly false alarms: only
# the printed share of flagged scans bleed. The Hong Kong study makes the same point with a real
# model: at 6.1% prevalence its pre-specified threshold had a PPV of 18.6% (Abrigo et al. 2023).
# This is not a defect of the model but arithmetic, and it is why a triage flag moves a scan up
# the list instead of declaring a diagnosis.

# %% [markdown]
# ### The worklist: minutes saved for bleeding patients
# *Core · 8 min*
#
# The simulation of Method 6: 400 night shifts, the same arrivals and reading times for both
# policies.

# %%
ARRIVALS_PER_HOUR, SHIFT_MIN, N_SHIFTS = 11, 8 * 60, 400
READ_MEDIAN_MIN, READ_SIGMA = 4.0, 0.5  # log-normal reading time: median 4 min, mean about 4.5
sim_rng = np.random.default_rng(SEED)
test_score, test_bleed = test_logit[:, 0], bleed


def simulate_shift(rng):
    """One shift's scans: arrival time, reading time, true bleed, AI score."""
    n = rng.poisson(ARRIVALS_PER_HOUR * SHIFT_MIN / 60)
    arrival = np.sort(rng.uniform(0, SHIFT_MIN, n))
    reading = READ_MEDIAN_MIN * np.exp(READ_SIGMA * rng.standard_normal(n))
    truth = rng.random(n) < ED_PREVALENCE
    pool_bleed, pool_normal = np.flatnonzero(test_bleed), np.flatnonzero(~test_bleed)
    borrowed = np.where(truth, rng.choice(pool_bleed, n), rng.choice(pool_normal, n))
    return arrival, reading, truth, test_score[borrowed]


def read_worklist(arrival, reading, priority):
    """Minutes from arrival to report when the reader always takes the highest-priority scan
    that has arrived (earliest first within a priority); reads are never interrupted."""
    done = np.zeros(len(arrival))
    waiting = np.ones(len(arrival), dtype=bool)
    clock = 0.0
    while waiting.any():
        ready = waiting & (arrival <= clock)
        if not ready.any():
            clock = arrival[waiting].min()
            continue
        candidates = np.flatnonzero(ready)
        pick = candidates[np.lexsort((arrival[candidates], -priority[candidates]))[0]]
        clock += reading[pick]
        done[pick] = clock - arrival[pick]
        waiting[pick] = False
    return done


FIFO, AI_TRIAGE, PERFECT = shown("first come, first served"), shown("AI triage"), \
    shown("perfect flag (upper bound)")
times = {FIFO: [], AI_TRIAGE: [], PERFECT: []}
is_bleed = []
for _ in range(N_SHIFTS):
    arrival, reading, truth, score = simulate_shift(sim_rng)
    times[FIFO].append(read_worklist(arrival, reading, np.zeros(len(arrival))))
    times[AI_TRIAGE].append(read_worklist(arrival, reading, (score >= threshold).astype(float)))
    times[PERFECT].append(read_worklist(arrival, reading, truth.astype(float)))
    is_bleed.append(truth)
is_bleed = np.concatenate(is_bleed)
times = {policy: np.concatenate(t) for policy, t in times.items()}
MEDIAN_BLEED, P90_BLEED = shown("bleeds: median min"), shown("bleeds: 90th percentile min")
MEAN_NORMAL = shown("normals: mean min")
worklist = pd.DataFrame({policy: {
    MEDIAN_BLEED: np.median(t[is_bleed]), P90_BLEED: np.quantile(t[is_bleed], 0.9),
    MEAN_NORMAL: np.mean(t[~is_bleed])} for policy, t in times.items()}).T
utilisation = (ARRIVALS_PER_HOUR / 60) * READ_MEDIAN_MIN * np.exp(READ_SIGMA**2 / 2)
print(f"{len(is_bleed)} scans in {N_SHIFTS} shifts, {is_bleed.sum()} bleeds; "
      f"reader busy about {utilisation:.0%} of the time")
worklist

# %%
fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
bins = np.arange(0, 121, 4)
for policy, colour in zip(times, ["grey", "tab:red", "tab:green"]):
    ax.hist(np.clip(times[policy][is_bleed], 0, 120), bins=bins, histtype="step", lw=2,
            color=colour, density=True, label=policy)
ax.set_xlabel("minutes from scan to report, bleeding patients (120 = 120 or more)")
ax.set_ylabel("density")
ax.set_title(f"Time to report for {is_bleed.sum()} simulated bleeds")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# With first come, first served, a bleed waits like every other scan, and in a busy hour that is
# a long time: the 90th percentile is the number to look at, because triage exists for the
# patient who arrives behind a queue. With AI triage the flagged bleeds jump the queue and the
# median and the tail both shrink; the missed bleeds (the false negatives) still wait in the
# normal queue, now slightly longer, because the false positives also jump ahead. The normal scans
# pay for it, but little (the last column, a mean: re-ordering a queue does not change the
# average wait over all scans, it only moves waiting from the flagged to the unflagged, and
# bleeds are few). The perfect flag shows the ceiling: the gap between AI triage and it is what
# better sensitivity and fewer false alarms would buy.
#
# The gain depends on the queue, not only on the model. Exercise 4 lowers the workload: with a
# short queue, there is nothing to jump, and even a perfect device saves almost nothing. This is
# consistent with the published experience: large gains where routine scans wait for hours
# (Arbabshirani et al. 2018), a few minutes in a busy emergency workflow that already reads fast
# (O'Neill et al. 2021), and none at all when the flag is only shown and the order is not changed.

# %% [markdown] tags=["deep-dive"]
# ### One score or five: the any-bleed output against the types
# *Deep dive · 5 min · optional: is a separate "any" output worth having?*
#
# Instead of a trained "any" output, a device could flag a scan when any of the four type outputs
# is high: score = the maximum of the four type probabilities. Does that rank slices as well?

# %% tags=["deep-dive"]
type_prob = 1 / (1 + np.exp(-test_logit[:, 1:]))
max_of_types = type_prob.max(axis=1)
print(f"any-bleed AUROC, trained 'any' output: {aucs_test[0]:.3f}; maximum of the four type "
      f"probabilities: {roc_auc_score(y_test[:, 0], max_of_types):.3f}")
disagree = ((1 / (1 + np.exp(-test_logit[:, 0])) >= 0.5) != (max_of_types >= 0.5)).mean()
print(f"slices where the two disagree at p = 0.5: {disagree:.1%}")

# %% [markdown] tags=["deep-dive"]
# The trained "any" output ranks slices better than the maximum of the type outputs (the printed
# AUROCs), and the two often disagree about single slices. It can add up weak evidence of several
# kinds (a faint crescent and a faint sulcus) that no single type output finds convincing, and
# it is trained on a balanced column while each type column is mostly negative. The RSNA
# challenge scored "any" as its own column, with a higher weight in its log-loss metric.

# %% [markdown] tags=["deep-dive"]
# ### From slices to scans
# *Deep dive · 6 min · optional: what a slice-level operating point does to a scan*
#
# A device decides per **scan**, and a scan has many slices. We load 100 scans of four adjacent
# 5 mm slices each (the same model of the head, bleeds that reach some slices and not others),
# score every slice with the frozen model, and take a scan's score as the maximum over its
# slices.

# %% tags=["deep-dive"]
scans = datasets.load("head_ct_phantoms", n_images=400, slices_per_scan=4, seed=14)
scan_logit = predict(model, scans)[:, 0]
scan_meta = scans.metadata.assign(score=scan_logit)
per_scan = scan_meta.groupby("scan").agg(score=("score", "max"), bleed=("any", "max"))
slice_flags = scan_logit >= threshold
scan_flags = per_scan["score"].to_numpy() >= threshold
scan_bleed = per_scan["bleed"].to_numpy() == 1
slice_bleed = scans.labels[:, 0] == 1
pd.DataFrame({
    shown("AUROC"): [roc_auc_score(slice_bleed, scan_logit),
                     roc_auc_score(scan_bleed, per_scan["score"])],
    shown("sensitivity"): [slice_flags[slice_bleed].mean(), scan_flags[scan_bleed].mean()],
    shown("specificity"): [1 - slice_flags[~slice_bleed].mean(),
                           1 - scan_flags[~scan_bleed].mean()],
    shown("n"): [len(slice_bleed), len(scan_bleed)],
}, index=[shown("per slice"), shown("per scan (max of 4 slices)")])

# %% [markdown] tags=["deep-dive"]
# Everything changes at the scan level. Bleeding scans contain slices that do not show the
# bleed; such slices are labelled negative although they come from a bleeding scan. With the
# maximum over slices, a bleed needs to be caught on only one slice, so the scan-level
# **sensitivity and AUROC rise**. The **specificity falls**: a normal scan is flagged if *any* of
# its slices crosses the threshold. If the four slices were independent, each at about 90%
# specificity, the scan's specificity would be 0.9⁴ ≈ 66%; slices of one head are correlated, so
# the drop is smaller (the printed value), but it is a drop, and a real scan has 30–40 slices. A
# slice threshold must be re-tuned on scan-level validation data before it is used on scans.
# Published results (Chilamkurthy et al. 2018; the FDA summaries) are per scan, which is one more
# reason our slice numbers cannot sit beside them.

# %% [markdown]
# ### Key results
# *Core · 2 min*
#
# The headline numbers of this lesson, with published figures beside them where a published
# study measured the same kind of thing. They are **not comparable**: the published AUROCs are
# per scan on real CT read by three radiologists (CQ500), ours per slice on phantoms, and the
# published times come from real hospitals with their own queues.

# %%
key_results.show({
    "test AUROC, any bleed": float(aucs_test[0]),
    "test AUROC, subdural": float(aucs_test[2]),
    "test AUROC, subarachnoid": float(aucs_test[4]),
    "test sensitivity at validation 90% specificity, any bleed": float(sens),
    "test specificity at that threshold": float(spec),
    "bleeds, median minutes to report, first come first served": float(worklist.loc[FIFO,
                                                                                   MEDIAN_BLEED]),
    "bleeds, median minutes to report, AI triage": float(worklist.loc[AI_TRIAGE, MEDIAN_BLEED]),
}, published={
    "test AUROC, any bleed": "0.94 (CQ500, 491 real scans; Chilamkurthy 2018; not comparable)",
    "test AUROC, subdural": "0.95 (CQ500; not comparable)",
    "test AUROC, subarachnoid": "0.96 (CQ500; not comparable)",
    "bleeds, median minutes to report, first come first served":
        "512 (routine studies, Geisinger; Arbabshirani 2018; not comparable)",
    "bleeds, median minutes to report, AI triage":
        "19 (the same studies re-prioritised; not comparable)",
}, caption="Key results on synthetic head CT phantoms (600 test slices; 400 simulated shifts)")

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# - **A window that hides the finding.** In the brain window a thin subdural merges with the
#   skull; the subdural-window row of the visibility table shows the difference. A model fed only
#   the brain window, or a reader who never changes it, loses these bleeds. *How to see it:*
#   measure the grey of blood and bone in each window, and report sensitivity for thin
#   subdurals separately (the subgroup figure).
# - **Label noise.** Real labels come from reports (Qure25k, the RSNA data) or from a few readers
#   (CQ500), and small bleeds are exactly the ones reports miss. Noisy training labels cost some
#   accuracy; noisy **test** labels make every model look worse, and may penalise a model for a
#   bleed it found that the report missed (the Geisinger over-reader found some such cases among
#   the "false positives"). *How to see it:* compare labels from two sources on a sample, or
#   reload the phantoms with `label_noise` (Exercise 3) and watch the AUROC fall while the model
#   is unchanged.
# - **Prevalence.** A balanced test set flatters the PPV; at 6% prevalence most flags are false
#   (the prevalence table). *How to see it:* always compute PPV and the share of flagged scans
#   at the prevalence of the intended population.
# - **Slices are not scans, and images are not patients.** Metrics per slice, thresholds per
#   slice and splits per slice are all wrong for a device that decides per scan: adjacent slices
#   of one patient in training and test sets leak, and a per-slice threshold flags far more
#   normal scans (the deep dive). *How to see it:* count patients, not images, in every split;
#   report per-scan metrics.
# - **Only acute blood.** Chronic and subacute blood can be as dense as brain or darker; post-
#   operative changes, calcifications and beam-hardening streaks near the skull base look bright.
#   A device's labelling lists what it was validated on; our phantoms contain none of these
#   confounders except calcifications.
# - **The licence of the data.** CQ500 is CC BY-NC-SA 4.0: a commercial product cannot be trained
#   on it, and anything derived from it must carry the same licence; the RSNA 2019 data have
#   their own terms of use. Read the licence before the first line of code, and record it (this
#   course records it in `datasets/catalog.yml`).
# - **A flag is not a read.** Once a flag is shown, readers may look harder at flagged scans and
#   less hard at the others (automation bias). CADt labelling insists that every scan is still
#   read in full; the device changes the order, not the standard.

# %% [markdown]
# ## Exercises
# *Core · 20 min · in the lab: exercises 1 and 4, then 2 or 3; the rest at home*
#
# 1. **(Warm-up) Your own window.** Radiopaedia's head-CT approach lists a "stroke" window of
#    40/40 (width/level) for grey–white differentiation. Add it to the visibility table for the
#    thin subdural and to the real-slice figure. What does it show better, and what worse, than
#    the brain window? Would you add it as a fourth channel?
# 2. **(Core) One window only.** Train the same network on the brain window alone (three copies
#    of the brain channel, so nothing else changes) and compare the test AUROC per type and the
#    sensitivity for subdurals thinner than 5 mm with the three-window model. Which output loses
#    most? Was your prediction from the visibility table right?
# 3. **(Core) Label noise.** Reload the training set with `label_noise=0.1` (same seed: identical
#    images, 10% of the labels wrong) and retrain. Then evaluate the original model against a
#    test set reloaded with `label_noise=0.1`. Which hurts more, noise in the training labels or
#    in the test labels, and why do they hurt differently? `ground_truth["true_labels"]` has the
#    clean labels.
# 4. **(Core) When does triage pay?** Rerun the worklist with 6 and 14 scans per hour instead of
#    11, and with the threshold moved to the validation set's 80th and 97th percentiles. Plot the
#    median and 90th-percentile minutes saved for bleeds against the share of scans flagged. When
#    does triage save almost nothing, and what does a higher false-positive rate cost the normals?
# 5. **(Challenge) Per-scan evaluation.** Using the deep dive's four-slice scans, choose a
#    scan-level threshold on a separate set of validation scans (load one with another seed) to
#    reach 90% scan-level specificity, and report the scan-level sensitivity on the original
#    scans. Compare with the slice threshold. Then split the scans' slices at random into two
#    halves and show what a slice-level split would have leaked.
# 6. **(Discussion) The intended-use statement.** Write the indications for use of your device
#    in the style of a CADt 510(k) summary (what images, which population, what is flagged,
#    what the user does with the flag, what it is not for). Which of this lesson's results would
#    go in its performance section, and which limitations in its labelling?

# %% [markdown]
# ## References
#
# 1. Chilamkurthy S, Ghosh R, Tanamala S, et al. Deep learning algorithms for detection of
#    critical findings in head CT scans: a retrospective study. *Lancet*.
#    2018;392(10162):2388–2396. doi:10.1016/S0140-6736(18)31645-3 (the CQ500 dataset,
#    CC BY-NC-SA 4.0)
# 2. Flanders AE, Prevedello LM, Shih G, et al. Construction of a machine learning dataset
#    through collaboration: the RSNA 2019 brain CT hemorrhage challenge. *Radiol Artif Intell*.
#    2020;2(3):e190211. doi:10.1148/ryai.2020190211
# 3. Arbabshirani MR, Fornwalt BK, Mongelluzzo GJ, et al. Advanced machine learning in action:
#    identification of intracranial hemorrhage on computed tomography scans of the head with
#    clinical workflow integration. *npj Digit Med*. 2018;1:9. doi:10.1038/s41746-017-0015-z
# 4. O'Neill TJ, Xi Y, Stehel E, et al. Active reprioritization of the reading worklist using
#    artificial intelligence has a beneficial effect on the turnaround time for interpretation
#    of head CT with intracranial hemorrhage. *Radiol Artif Intell*. 2021;3(2):e200024.
#    doi:10.1148/ryai.2020200024
# 5. Abrigo JM, Ko KL, Chen Q, et al. Artificial intelligence for detection of intracranial
#    haemorrhage on head computed tomography scans: diagnostic accuracy in Hong Kong. *Hong Kong
#    Med J*. 2023;29(2). hkmj.org/abstracts/v29n2/112.htm
# 6. Heit JJ, Coelho H, Lima FO, et al. Automated cerebral hemorrhage detection using RAPID.
#    *AJNR Am J Neuroradiol*. 2021;42(2):273–278. doi:10.3174/ajnr.A6926
# 7. US Food and Drug Administration. 21 CFR 892.2080, Radiological computer aided triage and
#    notification software (class II, product code QAS); De Novo DEN170073 (Viz.ai ContaCT,
#    February 2018); 510(k) K180647 (Aidoc BriefCase, intracranial hemorrhage, cleared 1 August
#    2018), K193658 (Viz ICH, 2020) and K221456 (Rapid ICH, 2022). FDA device databases,
#    accessdata.fda.gov.
# 8. Parizel PM, Makkat S, Van Miert E, et al. Intracranial hemorrhage: principles of CT and MRI
#    interpretation. *Eur Radiol*. 2001;11(9):1770–1783. doi:10.1007/s003300000800
# 9. Heit JJ, Iv M, Wintermark M. Imaging of intracranial hemorrhage. *J Stroke*.
#    2017;19(1):11–27. doi:10.5853/jos.2016.00563
# 10. Radiopaedia. CT head (an approach); Windowing (CT). radiopaedia.org (accessed for the
#     window presets).
# 11. Ministry of Food and Drug Safety (Korea). *Digital Medical Products Act* (Act No. 20139,
#     promulgated 23 January 2024, in force 24 January 2025); Medical Devices Act.
# 12. Cardoso MJ, Li W, Brown R, et al. MONAI: an open-source framework for deep learning in
#     healthcare. arXiv:2211.02701 (2022).
