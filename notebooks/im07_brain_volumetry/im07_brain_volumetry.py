# %% [markdown]
# # im07 · Brain MRI volumetry for dementia
#
# *Module: Medical imaging and AI medical devices · Core path: about 115 minutes, plus about
# 15 minutes of optional deep dives · Prerequisites: im01 (voxels, spacing, NIfTI orientation),
# im04 (Dice, from a mask to a measurement), dx01 (sensitivity, specificity, AUROC), linear
# regression.*
#
# Each section says whether it is **core** (taught in the lab) or an optional **deep dive**
# (reading for after the lab), and roughly how long it takes. The core path runs on its own:
# nothing in it needs a deep dive.

# %% [markdown]
# ## Learning objectives
# *Core · 2 min*
#
# By the end you can ...
#
# - ... segment a T1-weighted brain MRI into CSF, grey matter and white matter with a
#   **Gaussian mixture model fitted by expectation–maximisation**, with a simple **bias-field
#   correction**, and check the result against reference tissue maps with the **Dice
#   coefficient**;
# - ... turn a segmentation into **volumes in mL** (voxel count × voxel volume, or partial-volume
#   fractions × voxel volume), and explain how partial-volume voxels and a change of **scanner or
#   protocol** bias those volumes;
# - ... adjust a regional volume for head size with the **proportion** and the **residual**
#   method, and show how that choice changes who is flagged;
# - ... build a **normative model** of hippocampal volume from cognitively normal controls
#   (regression on age), and express a patient's volume as a **z-score and percentile**;
# - ... evaluate normalised volumes for telling **Alzheimer's dementia from normal ageing**
#   (AUROC on controls not used for the norms, at a second site, and as yearly atrophy rates),
#   and write the **one-page report** of a volumetry product with its limits.

# %% [markdown]
# ## Clinical question
# *Core · 6 min*
#
# A woman in her seventies comes to a memory clinic with her daughter: for two years she has been
# forgetting appointments and repeating questions. Her neuropsychological tests show an amnestic
# **mild cognitive impairment** (MCI). The neurologist orders a brain MRI, first to exclude a
# tumour, a subdural haematoma, normal-pressure hydrocephalus or extensive vascular disease, and
# second to answer a question that decides the next steps:
#
# > Is her **hippocampus** (and the rest of the medial temporal lobe) smaller than expected for a
# > woman of her age and head size, as it would be in Alzheimer's disease?
#
# Atrophy of the medial temporal lobe is one of the earliest and best-documented imaging signs of
# Alzheimer's disease (AD), and it is part of the diagnostic criteria as a biomarker of
# neurodegeneration (McKhann et al. 2011; the "N" of the NIA-AA research framework, Jack et al.
# 2018). Radiologists usually grade it by eye on coronal slices with the **MTA scale** (0-4;
# Scheltens et al. 1992). A visual grade is quick but coarse and reader-dependent, and it has to
# be mentally corrected for age. **Volumetry software** measures it instead: it segments the
# brain, computes structure volumes in mL, corrects them for head size and compares them with a
# **normative database** of healthy people of the same age and sex, and prints a report of
# volumes, percentiles and flags ("hippocampus below the 5th percentile").
#
# Such products are regulated medical devices. In the USA they are cleared through 510(k) as
# medical image processing software under 21 CFR 892.2050 (class II); examples are icobrain
# (icometrix, K181939 in 2018, with earlier MR versions), Neurophet AQUA (K220437, 2023) and
# CorTechs Labs' NeuroQuant. In Korea, VUNO Med-DeepBrain and Neurophet AQUA are approved by the
# Ministry of Food and Drug Safety (MFDS) as class 2 software that measures and compares volumes;
# VUNO Med-DeepBrain AD, which goes one step further and outputs a likelihood of Alzheimer's
# disease, was approved as class 3. Where the software stops at a measurement or goes on to a
# diagnosis changes its risk class.
#
# **What a wrong answer costs.** A false "atrophy" flag in a worried, cognitively normal person
# leads to anxiety, a label that is hard to remove, and further tests (amyloid PET, lumbar
# puncture). A missed atrophy delays the diagnosis, the planning, and access to treatments that
# are given early. And atrophy is **not specific**: it also comes with other dementias, vascular
# disease, alcohol, and plain ageing. The report supports a clinician's judgement; it is not a
# diagnosis. About one in ten Koreans aged 65 or over lives with dementia (estimates of the
# National Institute of Dementia), so this question is asked many thousands of times a year.
#
# In this lesson we build such a pipeline end to end on a synthetic two-hospital cohort, and we
# break it in the ways real ones break.

# %% [markdown]
# ## Data card
# *Core · 5 min*
#
# | Item | Description |
# |---|---|
# | **What** | Two linked datasets. `brain_atrophy_cohort`: one row per subject of a synthetic memory-clinic study (age, sex, diagnosis CN / MCI / AD, scanning site A or B). `brain_atrophy_mri`: one subject's **skull-stripped T1-weighted MRI** at 3 mm isotropic resolution (53 × 63 × 51 voxels), with the **atlas regions** (left and right hippocampal region, ventricles, rest of the intracranial volume) a volumetry pipeline would have registered to it, and the **true tissue fractions** in `ground_truth`. |
# | **What is real** | The anatomy: the grey-matter, white-matter and intracranial maps of the **MNI152 ICBM 2009 template** (an average of 152 young adults; Fonov et al. 2011), shipped with nilearn and read in place. |
# | **What is simulated** | Head size (intracranial volume by sex), atrophy (cortical thinning with age and disease, stronger in the medial temporal lobe, ventricular enlargement), calibrated to published hippocampal atrophy rates (Barnes et al. 2009) and group differences (Shi et al. 2009); the scanner: T1 intensities, a smooth **bias field**, Rician noise, a random gain per scan. **Site B** has lower grey/white contrast, brighter CSF, more noise and a stronger bias field. |
# | **Who** | 400 subjects aged 55-90: about 50% cognitively normal (CN), 25% MCI, 25% Alzheimer's dementia (AD); 55% women; 30% scanned at site B. Every subject can be scanned again years later (`years=`) or at the other site (`scanner=`). |
# | **Ground truth** | True volumes (mL) of every tissue and region, each subject's atrophy parameters, each scan's bias field and tissue intensities. |
# | **Licence / PHI** | Catalog licence below (template: free use with attribution); no patient data. |
# | **Limitations** | One template brain deformed by simple rules, not 400 real brains; 3 mm voxels (products use 1 mm 3D T1); the "hippocampal region" is the template's grey matter inside an ellipsoid placed on each hippocampus, smaller than a hand-traced hippocampus; no vascular lesions, no motion, no other diseases. The numbers test a **method**, not a product. |

# %% [markdown]
# We import what we need and fix every seed. `datasets.info` prints what the catalog records.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.colors import ListedColormap
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition
SEED = 0
pd.set_option("display.precision", 2)
CPU_START = time.process_time()

for name in ["brain_atrophy_cohort", "brain_atrophy_mri"]:
    info = datasets.info(name)
    print(f"{name}: {info['kind']} | {info['licence']} | {info['phi']}")

cohort = datasets.load("brain_atrophy_cohort", seed=SEED)
subjects = cohort.tables["subjects"]
print(cohort.description)
display(pd.crosstab(subjects["diagnosis"], subjects["site"], margins=True))
display(subjects.groupby("diagnosis", observed=True)["age"].describe()[["mean", "std", "min",
                                                                       "max"]])

# %% [markdown]
# The groups are not perfectly age-matched (AD patients are older on average), as in a real memory
# clinic. Every comparison below therefore goes through a model of age.

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Eight pieces, in the order the Results use them: the image model, the Gaussian mixture, the bias
# field, from labels to millilitres, the regions, head size, the normative model, and the design
# of the evaluation.

# %% [markdown]
# ### 1. What a T1-weighted image measures
# *Core · 3 min*
#
# On a T1-weighted scan (such as a 3D MPRAGE), white matter is bright, grey matter darker and CSF
# nearly black. The intensity is in **arbitrary units**: it depends on the scanner, the coil, the
# receiver gain and the sequence, so "GM = 600" means nothing from one scan to the next. A useful
# model of a voxel $i$ is
#
# $$ y_i = b_i \sum_{k \in \{\text{CSF, GM, WM}\}} f_{ik}\, \mu_k + \varepsilon_i , $$
#
# where $f_{ik}$ is the fraction of the voxel filled by tissue $k$ (the fractions sum to 1),
# $\mu_k$ the intensity of pure tissue $k$, $b_i$ a smooth multiplicative **bias field** (the coil
# is more sensitive in some places than others) and $\varepsilon_i$ noise. At 1 mm most voxels
# are nearly pure; at our 3 mm, many voxels on a boundary are mixtures: the **partial-volume
# effect**. This is exactly how the synthetic scans are made, so we know what a correct method
# should recover.

# %% [markdown]
# ### 2. Tissue classes as a Gaussian mixture, fitted by EM
# *Core · 5 min*
#
# Ignore the bias field and the mixtures for a moment. If every voxel were one pure tissue, the
# histogram of intensities inside the brain would be a sum of three bell curves, one per tissue:
# a **Gaussian mixture model** (GMM),
#
# $$ p(y) = \sum_{k=1}^{3} \pi_k\, \mathcal{N}(y \mid \mu_k, \sigma_k^2) , $$
#
# with mixing weights $\pi_k$ (the share of the brain that is tissue $k$), means $\mu_k$ and
# standard deviations $\sigma_k$. We do not know these parameters, nor which voxel is which tissue.
# The **expectation–maximisation** algorithm (EM; Dempster et al. 1977) alternates two easy steps:
#
# - **E-step.** With the current parameters, compute for each voxel the posterior probability
#   that it belongs to each class (its **responsibility**),
#   $r_{ik} = \pi_k \mathcal{N}(y_i \mid \mu_k, \sigma_k^2) / \sum_j \pi_j \mathcal{N}(y_i \mid
#   \mu_j, \sigma_j^2)$.
# - **M-step.** Re-estimate each class from the voxels, weighted by their responsibilities:
#   $\pi_k = \frac1n\sum_i r_{ik}$, $\mu_k = \sum_i r_{ik} y_i / \sum_i r_{ik}$, and $\sigma_k^2$
#   the weighted variance.
#
# Each round cannot decrease the likelihood; a few dozen rounds converge. The label of a voxel is
# its most probable class. Because every voxel in the same **histogram bin** has (almost) the same
# intensity, we run EM on the 128-bin histogram, weighting each bin by its count: practically the
# same answer as on 70,000 voxels, hundreds of times cheaper. Since classes are ordered by
# intensity on T1 (CSF < GM < WM), we start EM from the 5th, 50th and 95th percentiles, which keeps
# that order.
# This is the core of classic tools: SPM's unified segmentation (Ashburner & Friston 2005) adds
# spatial tissue priors from a template, FSL FAST (Zhang et al. 2001) a Markov random field that
# makes neighbours agree.

# %% [markdown]
# ### 3. The bias field
# *Core · 3 min*
#
# A bias field of ±10% moves white matter in one corner to where grey matter sits in another, and
# no threshold or mixture on raw intensities can fix that. The classic remedy estimates the field
# and the tissue classes together (Wells et al. 1996; Van Leemput et al. 1999): after a GMM fit,
# the ratio of each voxel's intensity to the mean of its class is an estimate of the field there.
# Because the field is smooth, we fit a **quadratic polynomial of the coordinates to the log of
# that ratio** (10 coefficients), using only voxels confidently classified as GM or WM; divide it
# out; fit the GMM again; and repeat twice. Products use the more flexible N4 algorithm (Tustison
# et al. 2010); the idea is the same.

# %% [markdown]
# ### 4. From labels to millilitres
# *Core · 3 min*
#
# The volume of a structure is the number of voxels times the voxel volume:
# $3 \times 3 \times 3\ \text{mm}^3 = 27\ \text{mm}^3 = 0.027\ \text{mL}$. With hard labels every
# boundary voxel counts fully for its majority tissue, and the errors need not cancel: a thin
# ribbon of cortex between CSF and white matter is mostly mixed voxels. A **partial-volume
# estimate** uses the image model instead: a voxel whose corrected intensity lies between the CSF
# and GM means is read as a CSF/GM mixture, $f_\text{GM} = (y - \mu_\text{CSF}) / (\mu_\text{GM} -
# \mu_\text{CSF})$, and one between GM and WM as a GM/WM mixture; the volume is the **sum of the
# fractions** times the voxel volume (Tohka et al. 2004 describe full statistical versions). Its
# blind spot: a voxel mixing CSF and WM has the intensity of grey matter.
#
# For the agreement of two segmentations we use the **Dice coefficient**
# $2|P \cap G| / (|P| + |G|)$ (im04), per tissue, against the true majority tissue of each voxel.

# %% [markdown]
# ### 5. Regions: where the hippocampus is
# *Core · 2 min*
#
# A tissue map says "grey matter", not "hippocampus". Products register an atlas (or run a
# network trained on labelled scans) to name structures. Our scans come with the atlas already
# registered: `labels` holds a left and a right **hippocampal region** and a **ventricle region**.
# The hippocampal volume is the grey matter inside the hippocampal region, the approach of
# Firbank et al. (2008) with SPM; the ventricular volume is the CSF inside the ventricle region.
# The **intracranial volume** (ICV) is the volume of the skull-stripped mask.

# %% [markdown]
# ### 6. Head size: proportion or residual
# *Core · 3 min*
#
# Bigger heads have bigger hippocampi, and men have bigger heads than women on average. Comparing
# raw volumes would flag small-headed people (often women) as "atrophic". Two common corrections:
#
# - **Proportion:** $V / \text{ICV}$. Simple, but it assumes the volume is proportional to head
#   size. Many structures grow **less than proportionally** with head size (allometry), so dividing
#   over-corrects: large heads look atrophic.
# - **Residual:** $V_\text{adj} = V - b\,(\text{ICV} - \overline{\text{ICV}})$, with the slope $b$
#   of $V$ on ICV estimated in healthy controls. It removes the linear dependence seen in
#   controls, whatever the exponent of the real relation.
#
# The choice is not cosmetic: it changes group differences, sex differences and who is flagged
# (Sanfilipo et al. 2004; Voevodskaya et al. 2014; Pintzka et al. 2015). In a normative database of
# 5,059 scans, Opfer et al. (2022) found the two methods' z-scores differing by more than one
# point in 5% of people.

# %% [markdown]
# ### 7. The normative model, z-scores and percentiles
# *Core · 4 min*
#
# In the **reference controls** we regress the adjusted volume on age:
# $\hat V(\text{age}) = \beta_0 + \beta_1 a$ with $a = (\text{age} - 70)/10$, and take the
# residual standard deviation $s$. A new person's
#
# $$ z = \frac{V_\text{adj} - \hat V(\text{age})}{s}, \qquad
#    \text{percentile} = 100\,\Phi(z) $$
#
# (Φ the standard normal distribution function, which assumes normal residuals with the same
# spread at every age). A **flag** is a percentile below 5: by construction about 5% of healthy
# people of every age are flagged. A straight line is all a few dozen controls can support: a
# curve fitted to them bends wherever their noise happens to lie, worst at the ends of the age
# range. Products build their norms the same way, usually for age and sex, with flexible curves
# (NeuroQuant's white paper describes generalised additive models) on thousands of controls.

# %% [markdown]
# ### 8. Design of the evaluation
# *Core · 3 min*
#
# - The **reference** for the norms is a random half of the site A controls; nothing else is
#   fitted on them.
# - The **test set** is everyone else at site A: the other half of the controls (how many does the
#   5% flag catch?), and the MCI and AD patients.
# - **Site B** is an external site: same kind of patients, another scanner, norms from site A.
# - **Travelling subjects**: some site A subjects are scanned at site B too, so a scanner effect
#   can be measured on the same brains.
# - **Follow-up scans** two years later measure yearly atrophy rates, as in longitudinal studies.
#
# Discrimination is the AUROC for AD against CN of the **negative** z-score (a smaller volume is
# more suspicious).

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# We look at one scan, segment it, measure 400 scans, adjust for head size, build the norms,
# evaluate, follow patients over time, and print the report.

# %% [markdown]
# ### One scan
# *Core · 5 min*
#
# The first subject of the cohort scanned at site A. The volume is stored (z, y, x) with the voxel
# size in `spacing_mm`; `labels` are the atlas regions.

# %%
FIRST = int(subjects.index[subjects["site"] == "A"][0])  # the first subject scanned at site A
first = datasets.load("brain_atrophy_mri", subject=FIRST, seed=SEED)
VOXEL_ML = float(np.prod(first.spacing_mm)) / 1000.0  # mm^3 -> mL
print("volume", first.volume.shape, first.volume.dtype, "| spacing (z, y, x) mm:",
      first.spacing_mm, f"| voxel = {VOXEL_ML} mL")
print("regions:", first.label_names)
print(first.description)

# %%
REGION_COLOURS = {2: "#d1495b", 3: "#f2a541", 4: "#00a6fb"}


def show_slices(axes, volume, labels=None, z=None, y=None, title=""):
    """An axial and a coronal slice with the region outlines (neurological convention: the
    patient's right on the image right, as the RAS axes run)."""
    z = volume.shape[0] // 2 + 2 if z is None else z
    y = volume.shape[1] // 2 - 4 if y is None else y
    for ax, image, region, name in [(axes[0], volume[z], None if labels is None else labels[z],
                                     shown("axial")),
                                    (axes[1], volume[:, y], None if labels is None
                                     else labels[:, y], shown("coronal"))]:
        ax.imshow(image, cmap="gray", origin="lower")
        if region is not None:
            for value, colour in REGION_COLOURS.items():
                if (region == value).any():
                    ax.contour(region == value, levels=[0.5], colors=colour, linewidths=1.2)
        ax.set_title(f"{title} {name}".strip())
        ax.set_axis_off()


fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
show_slices(axes[:2], first.volume, first.labels, title=first.ground_truth["subject"]
            ["subject_id"])
inside = first.labels > 0
axes[2].hist(first.volume[inside], bins=120, color="grey")
axes[2].set_xlabel("T1 intensity (arbitrary units)")
axes[2].set_ylabel("voxels")
axes[2].set_title("intensities inside the intracranial mask")
fig.suptitle("Figure 1 · A synthetic T1-weighted scan: hippocampal regions (red, orange) and "
             "ventricle region (blue)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Three peaks (CSF, grey matter, white matter), but no clean gaps between them: at 3 mm a large
# share of voxels mix two tissues, and their intensities fill the space between the peaks.

# %% [markdown]
# ### Segmenting one scan
# *Core · 8 min*
#
# The whole method in four functions: the E-step, EM on the histogram, the polynomial basis for
# the bias field, and the segmentation that alternates them.

# %%
TISSUES = [shown("CSF"), shown("grey matter"), shown("white matter")]


def responsibilities(x, means, sds, weights):
    """E-step: posterior probability of each class (columns) for each intensity (rows)."""
    log_p = np.log(weights) - np.log(sds) - 0.5 * ((x[:, None] - means) / sds) ** 2
    log_p -= log_p.max(axis=1, keepdims=True)  # avoid underflow before exponentiating
    p = np.exp(log_p)
    return p / p.sum(axis=1, keepdims=True)


def fit_gmm(values, means, n_bins=128, n_iter=100, tol=1e-4):
    """EM for a 3-class 1-D Gaussian mixture, run on the histogram of the values."""
    counts, edges = np.histogram(values, bins=n_bins)
    centres = (edges[:-1] + edges[1:]) / 2
    means = np.asarray(means, dtype=float)
    sds = np.full(3, (centres[-1] - centres[0]) / 10)
    weights = np.full(3, 1 / 3)
    for _ in range(n_iter):
        r = responsibilities(centres, means, sds, weights) * counts[:, None]  # E-step
        n_k = r.sum(axis=0)
        old = means
        weights = n_k / n_k.sum()  # M-step
        means = centres @ r / n_k
        sds = np.sqrt(((centres[:, None] - means) ** 2 * r).sum(axis=0) / n_k)
        if np.abs(means - old).max() < tol * means.max():
            break
    return means, sds, weights


def polynomial_basis(shape, index):
    """1, x, y, z and their squares and products, in coordinates scaled to [-1, 1]."""
    z, y, x = (2.0 * i / (n - 1) - 1.0 for i, n in zip(index, shape))
    return np.stack([np.ones_like(x), x, y, z, x * x, y * y, z * z, x * y, x * z, y * z], axis=1)


def segment(scan, bias_rounds=2):
    """GMM tissue classes inside the intracranial mask, alternating with a bias-field fit."""
    index = np.nonzero(scan.labels > 0)
    values = scan.volume[index].astype(np.float64)
    basis = polynomial_basis(scan.volume.shape, index)
    log_field = np.zeros(len(values))
    means = np.percentile(values, [5, 50, 95])
    every = slice(None, None, 4)  # a quarter of the voxels is plenty for 10 coefficients
    for _ in range(bias_rounds):
        corrected = values * np.exp(-log_field)
        means, sds, weights = fit_gmm(corrected, means)
        resp = responsibilities(corrected[every], means, sds, weights)
        confident = resp[:, 1:].max(axis=1) > 0.9  # surely GM or surely WM
        residual = np.log(values[every]) - np.log(resp @ means)  # log(observed / class mean)
        log_field = basis @ np.linalg.lstsq(basis[every][confident], residual[confident],
                                            rcond=None)[0]
    corrected = values * np.exp(-log_field)
    means, sds, weights = fit_gmm(corrected, means)
    resp = responsibilities(corrected, means, sds, weights)
    return {"index": index, "corrected": corrected, "means": means, "sds": sds,
            "weights": weights, "labels": 1 + resp.argmax(axis=1), "log_field": log_field}


def label_map(scan, seg):
    """The segmentation as a (z, y, x) map: 0 outside, 1 CSF, 2 GM, 3 WM."""
    out = np.zeros(scan.volume.shape, dtype=np.uint8)
    out[seg["index"]] = seg["labels"]
    return out


def dice(a, b):
    """Dice coefficient of two boolean masks."""
    return 2.0 * np.count_nonzero(a & b) / (np.count_nonzero(a) + np.count_nonzero(b))


cpu = time.process_time()
seg_first = segment(first)
print(f"segmented in {time.process_time() - cpu:.3f} s CPU; GMM means (corrected scale): "
      + ", ".join(f"{t} {m:.0f}" for t, m in zip(TISSUES, seg_first["means"])))
truth_first = first.ground_truth["tissue_labels"]
seg_map = label_map(first, seg_first)
print("Dice per tissue: " + ", ".join(
    f"{t} {dice(seg_map == k, truth_first == k):.3f}" for k, t in enumerate(TISSUES, start=1)))

# %% [markdown]
# Figure 2 shows the fitted mixture on the histogram of corrected intensities, and the
# segmentation against the truth on one slice.

# %%
TISSUE_COLOURS = ["#4a6fa5", "#b0b0b0", "#f4f1de"]
fig, axes = plt.subplots(1, 4, figsize=(17, 4.2))
values = seg_first["corrected"]
counts, edges, _ = axes[0].hist(values, bins=128, color="lightgrey", label=shown("voxels"))
grid = np.linspace(edges[0], edges[-1], 400)
width = edges[1] - edges[0]
for k, (mean, sd, weight) in enumerate(zip(seg_first["means"], seg_first["sds"],
                                           seg_first["weights"])):
    axes[0].plot(grid, weight * len(values) * width * stats.norm.pdf(grid, mean, sd),
                 color=TISSUE_COLOURS[k] if k < 2 else "#e07a5f", lw=2, label=TISSUES[k])
axes[0].set_xlabel("bias-corrected intensity")
axes[0].set_ylabel("voxels")
axes[0].set_title("Gaussian mixture fitted by EM")
axes[0].legend(fontsize=8)
tissue_cmap = ListedColormap(["black"] + TISSUE_COLOURS)
z = first.volume.shape[0] // 2 + 2
axes[1].imshow(first.volume[z], cmap="gray", origin="lower")
axes[1].set_title("T1 (axial)")
axes[2].imshow(truth_first[z], cmap=tissue_cmap, vmin=0, vmax=3, origin="lower",
               interpolation="nearest")
axes[2].set_title("true majority tissue")
axes[3].imshow(seg_map[z], cmap=tissue_cmap, vmin=0, vmax=3, origin="lower",
               interpolation="nearest")
wrong = np.ma.masked_where(seg_map[z] == truth_first[z], np.ones_like(seg_map[z]))
axes[3].imshow(wrong, cmap=ListedColormap(["#ff00ff"]), origin="lower",
               alpha=0.6, interpolation="nearest")
axes[3].set_title("GMM labels, disagreements magenta")
for ax in axes[1:]:
    ax.set_axis_off()
fig.suptitle("Figure 2 · Tissue classification of one scan")
fig.tight_layout()
plt.show()

# %% [markdown]
# The disagreements sit on tissue boundaries: the majority tissue of a mixed voxel is a close
# call. The fitted grey-matter Gaussian is also wider than the white-matter one: it absorbs the
# mixed voxels on both of its sides.

# %% [markdown]
# ### Site B and the bias field
# *Core · 5 min*
#
# The same subject, scanned at site B (the `scanner` option): another contrast, more noise and a
# stronger bias field. We segment it once without and once with the bias-field correction, and
# compare the estimated field with the true one (which only a simulation knows).

# %%
first_b = datasets.load("brain_atrophy_mri", subject=FIRST, seed=SEED, scanner="B")
rows = {}
for name, scan, rounds in [(shown("site A, bias correction"), first, 2),
                           (shown("site B, no bias correction"), first_b, 0),
                           (shown("site B, bias correction"), first_b, 2)]:
    result = segment(scan, bias_rounds=rounds)
    labels_here = label_map(scan, result)
    rows[name] = {t: dice(labels_here == k, scan.ground_truth["tissue_labels"] == k)
                  for k, t in enumerate(TISSUES, start=1)}
display(pd.DataFrame(rows).T.rename_axis(shown("Dice")))

seg_b = segment(first_b)
true_field = first_b.ground_truth["bias_field"][seg_b["index"]]
estimated = np.exp(seg_b["log_field"])
# a bias field is only defined up to a constant (the gain): compare shapes
estimated *= np.median(true_field / estimated)
print(f"true bias field at site B spans {true_field.min():.2f} to {true_field.max():.2f}; "
      f"after correction the remaining field spans {np.percentile(true_field / estimated, 1):.2f}"
      f" to {np.percentile(true_field / estimated, 99):.2f} (1st-99th percentile)")

# %%
fig, axes = plt.subplots(1, 4, figsize=(17, 4.2))
y = first_b.volume.shape[1] // 2 - 4
field_map = np.full(first_b.volume.shape, np.nan)
field_map[seg_b["index"]] = estimated
axes[0].imshow(first.volume[:, y], cmap="gray", origin="lower")
axes[0].set_title("site A (coronal)")
axes[1].imshow(first_b.volume[:, y], cmap="gray", origin="lower")
axes[1].set_title("site B, same brain")
shown_field = np.where(first_b.labels[:, y] > 0, first_b.ground_truth["bias_field"][:, y],
                       np.nan)
low, high = np.nanmin(shown_field), np.nanmax(shown_field)
axes[2].imshow(shown_field, cmap="coolwarm", vmin=low, vmax=high, origin="lower")
axes[2].set_title("true bias field at site B")
image = axes[3].imshow(field_map[:, y], cmap="coolwarm", vmin=low, vmax=high, origin="lower")
axes[3].set_title("estimated (quadratic fit)")
fig.colorbar(image, ax=axes[2:], shrink=0.8, label="multiplicative field")
for ax in axes:
    ax.set_axis_off()
fig.suptitle("Figure 3 · The same subject at two sites, and the bias field at site B")
plt.show()

# %% [markdown]
# Without correction site B loses a lot of white-matter Dice (bright white matter in a dark corner
# is called grey matter); the quadratic fit recovers most of the field's shape and most of the
# Dice. It does not bring site B up to site A: lower contrast and more noise remain.

# %% [markdown]
# ### From labels to millilitres, for the whole cohort
# *Core · 6 min*
#
# `measure` turns one segmentation into volumes: hard counts and partial-volume (PV) fractions for
# grey matter, PV fractions for everything else. Then we scan all 400 subjects at their enrolled
# site, one at a time, as a product would, and keep the truth next to each measurement.

# %%
def partial_volumes(corrected, means):
    """Fractions (n, 3) of CSF, GM, WM: each voxel as a mixture of its two nearest tissues."""
    to_grey = np.clip((corrected - means[0]) / (means[1] - means[0]), 0.0, 1.0)
    to_white = np.clip((corrected - means[1]) / (means[2] - means[1]), 0.0, 1.0)
    below = corrected < means[1]
    grey = np.where(below, to_grey, 1.0 - to_white)
    csf = np.where(below, 1.0 - to_grey, 0.0)
    return np.column_stack([csf, grey, to_white])


def measure(scan, seg):
    """Volumes in mL from one segmentation (PV fractions unless the name says 'hard')."""
    fractions = partial_volumes(seg["corrected"], seg["means"])
    region = scan.labels[seg["index"]]
    hippocampal = np.isin(region, [2, 3])
    return {"icv": region.size * VOXEL_ML,
            "gm": fractions[:, 1].sum() * VOXEL_ML,
            "gm_hard": np.count_nonzero(seg["labels"] == 2) * VOXEL_ML,
            "wm": fractions[:, 2].sum() * VOXEL_ML,
            "csf": fractions[:, 0].sum() * VOXEL_ML,
            "hippocampus": fractions[hippocampal, 1].sum() * VOXEL_ML,
            "hippocampus_hard": np.count_nonzero(seg["labels"][hippocampal] == 2) * VOXEL_ML,
            "ventricles": fractions[region == 4, 0].sum() * VOXEL_ML}


def true_volumes(scan):
    """The scan's true volumes (mL) from its ground truth, with the same names."""
    v = scan.ground_truth["volumes_ml"]
    return {"true_icv": v["icv_ml"], "true_gm": v["gm_ml"], "true_wm": v["wm_ml"],
            "true_csf": v["csf_ml"],
            "true_hippocampus": v["hippocampus_left_ml"] + v["hippocampus_right_ml"],
            "true_ventricles": v["ventricles_ml"]}


def scan_and_measure(subject, **options):
    """Load one scan, segment it, measure it; also the grey-matter Dice against the truth."""
    scan = datasets.load("brain_atrophy_mri", subject=subject, seed=SEED, **options)
    seg = segment(scan)
    gm_dice = dice(label_map(scan, seg) == 2, scan.ground_truth["tissue_labels"] == 2)
    return {**measure(scan, seg), **true_volumes(scan), "gm_dice": gm_dice}


cpu = time.process_time()
measured = pd.DataFrame([scan_and_measure(i) for i in range(len(subjects))])
volumes = pd.concat([subjects, measured], axis=1)
print(f"{len(volumes)} scans segmented and measured in {time.process_time() - cpu:.0f} s CPU")
display(volumes.head())

# %% [markdown]
# How close are the measurements to the truth? The table gives the mean and spread of the
# relative error of each volume, per site, and the grey-matter Dice.

# %%
ERROR_OF = {shown("ICV"): ("icv", "true_icv"),
            shown("grey matter, hard labels"): ("gm_hard", "true_gm"),
            shown("grey matter, PV"): ("gm", "true_gm"),
            shown("hippocampus, hard labels"): ("hippocampus_hard", "true_hippocampus"),
            shown("hippocampus, PV"): ("hippocampus", "true_hippocampus"),
            shown("ventricles, PV"): ("ventricles", "true_ventricles")}
errors = pd.DataFrame({name: 100 * (volumes[m] / volumes[t] - 1)
                       for name, (m, t) in ERROR_OF.items()})
error_table = errors.groupby(volumes["site"], observed=True).agg(["mean", "std"]).T
error_table.index.names = [shown("volume"), shown("error (%)")]
display(error_table)
gm_dice_by_site = volumes.groupby("site", observed=True)["gm_dice"].mean()
print("mean grey-matter Dice: " + ", ".join(f"site {s} {d:.3f}"
                                            for s, d in gm_dice_by_site.items()))

# %%
fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
SITE_COLOURS = {"A": "#2a9d8f", "B": "#e76f51"}
for site, colour in SITE_COLOURS.items():
    d = volumes[volumes["site"] == site]
    axes[0].scatter(d["true_hippocampus"], d["hippocampus"], s=10, alpha=0.6, color=colour,
                    label=f"site {site}")
    axes[1].scatter(d["true_gm"], d["gm"], s=10, alpha=0.6, color=colour,
                    label=f"site {site}")
for ax, column in [(axes[0], "true_hippocampus"), (axes[1], "true_gm")]:
    lims = [volumes[column].min() * 0.95, volumes[column].max() * 1.05]
    ax.plot(lims, lims, color="black", lw=1, label=shown("identity"))
    ax.legend()
axes[0].set_xlabel("true hippocampal volume (mL)")
axes[0].set_ylabel("measured (PV) (mL)")
axes[0].set_title("Hippocampal region")
axes[1].set_xlabel("true grey-matter volume (mL)")
axes[1].set_ylabel("measured (PV) (mL)")
axes[1].set_title("Grey matter")
box_data = [errors.loc[volumes["site"] == s, name] for name in ERROR_OF for s in "AB"]
positions = [i * 3 + j for i in range(len(ERROR_OF)) for j in (0, 1)]
parts = axes[2].boxplot(box_data, positions=positions, widths=0.8, patch_artist=True,
                        showfliers=False)
for patch, position in zip(parts["boxes"], positions):
    patch.set_facecolor(SITE_COLOURS["A" if position % 3 == 0 else "B"])
axes[2].set_xticks([i * 3 + 0.5 for i in range(len(ERROR_OF))], list(ERROR_OF), rotation=30,
                   ha="right", fontsize=8)
axes[2].axhline(0, color="black", lw=1)
axes[2].set_ylabel("measured / true − 1 (%)")
axes[2].set_title("Relative error by site (A green, B orange)")
fig.suptitle("Figure 4 · Measured against true volumes, 400 scans")
fig.tight_layout()
plt.show()

# %% [markdown]
# Four lessons in Figure 4 and the table:
#
# - **Hard labels are biased.** Counting whole voxels over-states grey matter by a large margin:
#   the mixed voxels of the cortical ribbon fall to grey matter. PV fractions are much closer.
# - **The hippocampus is a handful of voxels** at 3 mm. Its error spread is several per cent
#   even with PV fractions, and part of it grows with atrophy (CSF next to white matter has the
#   intensity of grey matter), which compresses differences between people. This is one reason
#   products require a 1 mm 3D T1.
# - **Each site has its own bias.** The same method over-states the hippocampus at site A and
#   under-states it at site B. A bias that is constant within a site cancels if the norms come from
#   the same site and scanner; across sites it does not.
# - **Some scans fail.** A few points lie far below the identity line, mostly at site B: the
#   mixture's CSF class swallowed the CSF/GM mixtures of a low-contrast scan. Nothing in the
#   pipeline notices. Products run automated quality control (contrast checks, fitted class means
#   against expected ranges, a human look at the overlay) before any number reaches a report.

# %% [markdown]
# ### Travelling subjects: the same brains at both sites
# *Core · 4 min*
#
# Differences between site A and site B patients mix scanner and population. Scanning the same
# people at both sites isolates the scanner. We take 24 site A subjects and scan them at site B
# too.

# %%
travellers = subjects.index[subjects["site"] == "A"][:24]
paired = pd.DataFrame([{**{f"B_{k}": v for k, v in scan_and_measure(i, scanner="B").items()},
                        **volumes.loc[i, ["gm", "hippocampus", "ventricles", "icv"]]}
                       for i in travellers])
STRUCTURES = {shown("grey matter"): "gm", shown("hippocampus"): "hippocampus",
              shown("ventricles"): "ventricles", shown("ICV"): "icv"}
shift = pd.DataFrame({name: 100 * (paired[f"B_{col}"] / paired[col] - 1)
                      for name, col in STRUCTURES.items()})
shift_table = shift.agg(["mean", "std"]).T
shift_table.columns = [shown("mean B − A (%)"), shown("sd (%)")]
display(shift_table)

# %% [markdown]
# The ICV does not move (a mask volume), but tissue volumes do, systematically. Compare the
# hippocampal shift with the spread of hippocampal volume between healthy people of the same age
# (about a tenth of the volume): a scanner change moves a patient a good part of a standard
# deviation on the normative chart. The scan-to-scan spread (the sd column) is the
# repeatability of the whole chain on one brain.

# %% [markdown]
# ### Head size: proportion or residual
# *Core · 6 min*
#
# Now the statistics. We split the site A controls into the reference half and a held-out half,
# and estimate the ICV slope of hippocampal volume in the reference.

# %%
ROLE_REFERENCE, ROLE_TEST, ROLE_SITE_B = shown("reference"), shown("test, site A"), shown(
    "site B")
controls_a = volumes.index[(volumes["site"] == "A") & (volumes["diagnosis"] == "CN")]
reference_index = np.random.default_rng(SEED).choice(controls_a, size=len(controls_a) // 2,
                                                     replace=False)
volumes["role"] = np.where(volumes.index.isin(reference_index), ROLE_REFERENCE,
                           np.where(volumes["site"] == "A", ROLE_TEST, ROLE_SITE_B))
reference = volumes[volumes["role"] == ROLE_REFERENCE]
display(volumes.groupby(["role", "diagnosis"], observed=True).size().unstack(fill_value=0))

icv_slope, _ = np.polyfit(reference["icv"], reference["hippocampus"], 1)
icv_mean = reference["icv"].mean()
exponent = np.polyfit(np.log(reference["icv"]), np.log(reference["hippocampus"]), 1)[0]
print(f"reference controls: hippocampus rises {icv_slope * 100:.3f} mL per 100 mL of ICV; "
      f"log-log slope {exponent:.2f} (1 would be proportional)")

volumes["hippo_raw"] = volumes["hippocampus"]
volumes["hippo_proportion"] = 1000 * volumes["hippocampus"] / volumes["icv"]  # mL per L ICV
volumes["hippo_residual"] = volumes["hippocampus"] - icv_slope * (volumes["icv"] - icv_mean)
reference = volumes[volumes["role"] == ROLE_REFERENCE]

# %% [markdown]
# A log-log slope below 1 means the hippocampus grows less than proportionally with head size.
# Next, the whole normative model of Method 7 in three functions. Our norms use **age only**: head
# size, the main reason men's and women's volumes differ, is handled by the ICV adjustment, and
# with no sex term the effect of that adjustment shows (exercise 1 adds sex). We fit the norms to
# each version of the volume, and check two things: among all site A controls a correct adjustment
# leaves **no trend of the z-score with head size**; and the list of flagged test subjects.

# %%
def design(frame):
    """Normative-model columns: 1 and age (centred at 70 years, in decades)."""
    a = (frame["age"].to_numpy() - 70.0) / 10.0
    return np.column_stack([np.ones(len(frame)), a])


def fit_norms(reference_frame, column):
    """Least-squares fit in the reference; returns coefficients and residual sd."""
    X = design(reference_frame)
    beta, *_ = np.linalg.lstsq(X, reference_frame[column].to_numpy(), rcond=None)
    residual = reference_frame[column].to_numpy() - X @ beta
    return beta, residual.std(ddof=X.shape[1])


def z_scores(frame, column, norms):
    """(volume − expected for age) / residual sd of the reference."""
    beta, sd = norms
    return (frame[column].to_numpy() - design(frame) @ beta) / sd


METHODS = {shown("raw volume"): "hippo_raw", shown("proportion of ICV"): "hippo_proportion",
           shown("residual (regression)"): "hippo_residual"}
norms = {col: fit_norms(reference, col) for col in METHODS.values()}
for col in METHODS.values():
    volumes["z_" + col] = z_scores(volumes, col, norms[col])

all_controls_a = volumes.loc[controls_a]
test_a = volumes[volumes["role"] == ROLE_TEST]
rows = {}
for name, col in METHODS.items():
    trend = np.polyfit(all_controls_a["icv"], all_controls_a["z_" + col], 1)[0] * 100
    flagged = stats.norm.cdf(test_a["z_" + col]) < 0.05
    rows[name] = {shown("z change per 100 mL of ICV (controls)"): trend,
                  shown("test subjects flagged"): int(flagged.sum()),
                  shown("flagged: mean ICV (mL)"): test_a.loc[flagged, "icv"].mean(),
                  shown("flagged: % men"): 100 * (test_a.loc[flagged, "sex"] == "M").mean()}
head_size_table = pd.DataFrame(rows).T
display(head_size_table)
flag_resid = stats.norm.cdf(test_a["z_hippo_residual"]) < 0.05
for name, col in list(METHODS.items())[:2]:
    flag_other = stats.norm.cdf(test_a["z_" + col]) < 0.05
    changed = flag_other != flag_resid
    print(f"{name}: {int(changed.sum())} of {len(test_a)} test subjects flagged differently from "
          f"the residual method; their mean ICV {test_a.loc[changed, 'icv'].mean():.0f} mL "
          f"(all test subjects {test_a['icv'].mean():.0f} mL)")

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
for sex, colour in [("F", "#9b5de5"), ("M", "#00bbf9")]:
    d = reference[reference["sex"] == sex]
    axes[0].scatter(d["icv"], d["hippocampus"], color=colour, s=18, label=f"sex {sex}")
icv_grid = np.linspace(volumes["icv"].min(), volumes["icv"].max(), 50)
axes[0].plot(icv_grid, reference["hippocampus"].mean() + icv_slope * (icv_grid - icv_mean),
             color="black", label=shown("regression (residual method)"))
axes[0].plot(icv_grid, reference["hippocampus"].mean() * icv_grid / icv_mean, color="black",
             ls="--", label=shown("proportional (proportion method)"))
axes[0].set_xlabel("intracranial volume (mL)")
axes[0].set_ylabel("hippocampal volume (mL)")
axes[0].set_title("Reference controls")
axes[0].legend(fontsize=8)
for name, col in METHODS.items():
    slope, intercept = np.polyfit(all_controls_a["icv"], all_controls_a["z_" + col], 1)
    axes[1].plot(icv_grid, intercept + slope * icv_grid, lw=2, label=name)
axes[1].scatter(all_controls_a["icv"], all_controls_a["z_hippo_residual"], s=10, color="grey",
                alpha=0.6, label=shown("controls, residual method"))
axes[1].axhline(0, color="black", lw=0.8)
axes[1].set_xlabel("intracranial volume (mL)")
axes[1].set_ylabel("hippocampal z-score")
axes[1].set_title("Site A controls: trend of the z-score with head size")
axes[1].legend(fontsize=8)
fig.suptitle("Figure 5 · Head-size adjustment")
fig.tight_layout()
plt.show()

# %% [markdown]
# The dashed proportional line is steeper than the data, so dividing by ICV over-corrects: the
# z-scores of the proportion method fall with head size (a negative trend in the table and the
# figure), which pushes large heads, mostly men, towards the flag. Raw volumes err the other way:
# their z-scores rise with head size, and their flags go to small heads, mostly women (see the
# flagged subjects' mean ICV and share of men). The residual method leaves the smallest trend.
# Patients far below the norms are flagged whatever the method; those near the threshold are
# flagged or not depending on the arithmetic (the printed counts). Nothing about them changed.
# We use the residual method from here on.

# %% [markdown]
# ### Norms, z-scores and percentiles
# *Core · 6 min*
#
# The normative chart: the reference fit with its percentile bands, and every test subject at
# site A, coloured by diagnosis.

# %%
NORM_COLUMN = "hippo_residual"
beta, norm_sd = norms[NORM_COLUMN]
print("normative model (residual-adjusted hippocampus, mL): {:.3f} at age 70, {:+.3f} per "
      "decade; residual sd {:.3f} mL".format(*beta, norm_sd))
volumes["z"] = volumes["z_" + NORM_COLUMN]
volumes["percentile"] = 100 * stats.norm.cdf(volumes["z"])
volumes["flag"] = volumes["percentile"] < 5
flag_rates = volumes.groupby(["role", "diagnosis"], observed=True)["flag"].mean().unstack() * 100
display(flag_rates.rename_axis(shown("% below the 5th percentile")))

# %%
DX_COLOURS = {"CN": "#2a9d8f", "MCI": "#e9c46a", "AD": "#e76f51"}
ages = np.linspace(55, 90, 100)
centre = design(pd.DataFrame({"age": ages})) @ beta
fig, ax = plt.subplots(figsize=(9, 5.5))
for low_p, high_p, alpha in [(5, 95, 0.15), (25, 75, 0.25)]:
    ax.fill_between(ages, centre + stats.norm.ppf(low_p / 100) * norm_sd,
                    centre + stats.norm.ppf(high_p / 100) * norm_sd, color="grey", alpha=alpha,
                    label=f"{low_p}th-{high_p}th percentile")
ax.plot(ages, centre, color="black", label=shown("50th percentile"))
test_a = volumes[volumes["role"] == ROLE_TEST]
for dx, colour in DX_COLOURS.items():
    d = test_a[test_a["diagnosis"] == dx]
    ax.scatter(d["age"], d[NORM_COLUMN], s=14, color=colour, alpha=0.8, label=dx)
ax.set_xlabel("age (years)")
ax.set_ylabel("hippocampal volume, ICV-adjusted (mL)")
ax.set_title("Figure 6 · Normative chart from the reference controls, test subjects at site A")
ax.legend(fontsize=8, ncol=2)
fig.tight_layout()
plt.show()

# %% [markdown]
# Read the flag table by row. The held-out controls at site A should be flagged about 5% of the
# time: with only a few dozen of them, a count of one or two either way is noise. The flag catches
# a minority of MCI and misses a good part of AD: a 5th-percentile flag is a **specific** sign,
# not a sensitive one. The site B rows are the external site, with norms from site A: its
# controls are flagged far more often than 5%.

# %% [markdown]
# ### Telling Alzheimer's dementia from normal ageing
# *Core · 7 min*
#
# First each single measure, then a logistic regression on three z-scores (hippocampus,
# ventricles, total grey matter) with 5-fold cross-validation. We also compute the AUROC the
# **true** volumes would give: the ceiling a perfect measurement could reach with this norm.

# %%
for col in ["ventricles", "gm"]:
    adjusted = col + "_residual"
    slope, _ = np.polyfit(reference["icv"], reference[col], 1)
    volumes[adjusted] = volumes[col] - slope * (volumes["icv"] - icv_mean)
    volumes["z_" + col] = z_scores(volumes, adjusted, fit_norms(
        volumes[volumes["role"] == ROLE_REFERENCE], adjusted))
true_slope, _ = np.polyfit(reference["true_icv"], reference["true_hippocampus"], 1)
volumes["true_residual"] = volumes["true_hippocampus"] - true_slope * (
    volumes["true_icv"] - reference["true_icv"].mean())
volumes["z_true"] = z_scores(volumes, "true_residual", fit_norms(
    volumes[volumes["role"] == ROLE_REFERENCE], "true_residual"))

SCORES = {shown("hippocampus, raw mL"): -volumes["hippo_raw"],
          shown("hippocampus z (residual)"): -volumes["z"],
          shown("ventricles z"): volumes["z_ventricles"],
          shown("grey matter z"): -volumes["z_gm"],
          shown("hippocampus z, true volumes"): -volumes["z_true"]}
is_test = {ROLE_TEST: volumes["role"] == ROLE_TEST, ROLE_SITE_B: volumes["role"] == ROLE_SITE_B}
cn_or_ad = volumes["diagnosis"].isin(["CN", "AD"])
auroc = pd.DataFrame({role: {name: roc_auc_score(volumes.loc[mask & cn_or_ad, "diagnosis"] == "AD",
                                                 score[mask & cn_or_ad])
                             for name, score in SCORES.items()}
                      for role, mask in is_test.items()})

# the combined model: trained and evaluated by cross-validation at site A, then applied to site B
features = ["z", "z_ventricles", "z_gm"]
site_a = volumes[is_test[ROLE_TEST] & cn_or_ad]
site_b = volumes[is_test[ROLE_SITE_B] & cn_or_ad]
combined = make_pipeline(StandardScaler(), LogisticRegression())
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
cv_probability = cross_val_predict(combined, site_a[features], site_a["diagnosis"] == "AD",
                                   cv=folds, method="predict_proba")[:, 1]
combined.fit(site_a[features], site_a["diagnosis"] == "AD")
b_probability = combined.predict_proba(site_b[features])[:, 1]
COMBINED = shown("logistic regression, 3 z-scores")
auroc.loc[COMBINED] = [roc_auc_score(site_a["diagnosis"] == "AD", cv_probability),
                       roc_auc_score(site_b["diagnosis"] == "AD", b_probability)]
display(auroc.rename_axis(shown("AUROC, AD vs CN")))
print("counts (CN, AD): site A test", (site_a["diagnosis"] == "CN").sum(),
      (site_a["diagnosis"] == "AD").sum(), "| site B", (site_b["diagnosis"] == "CN").sum(),
      (site_b["diagnosis"] == "AD").sum())

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 5))
for ax, role, frame, combined_p in [(axes[0], ROLE_TEST, site_a, cv_probability),
                                    (axes[1], ROLE_SITE_B, site_b, b_probability)]:
    truth_ad = frame["diagnosis"] == "AD"
    for name in [shown("hippocampus z (residual)"), shown("ventricles z"),
                 shown("hippocampus z, true volumes")]:
        fpr, tpr, _ = roc_curve(truth_ad, SCORES[name][frame.index])
        ax.plot(fpr, tpr, label=f"{name} ({auroc.loc[name, role]:.2f})")
    fpr, tpr, _ = roc_curve(truth_ad, combined_p)
    ax.plot(fpr, tpr, color="black", label=f"{COMBINED} ({auroc.loc[COMBINED, role]:.2f})")
    flagged = frame["flag"]
    ax.scatter([flagged[~truth_ad].mean()], [flagged[truth_ad].mean()], color="red", zorder=5,
               s=50, label=shown("hippocampus below 5th percentile"))
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":")
    ax.set_xlabel("1 − specificity (CN flagged)")
    ax.set_ylabel("sensitivity (AD flagged)")
    ax.set_title(role)
    ax.legend(fontsize=8, loc="lower right")
fig.suptitle("Figure 7 · AD against CN: ROC curves and the 5th-percentile flag")
fig.tight_layout()
plt.show()

# %% [markdown]
# The hippocampal z-score separates AD from CN well but not perfectly, and it is below what the
# true volumes would give: measurement error costs discrimination. Ventricles add a little, grey
# matter less. At site B the **ranking** (AUROC) is about as good as at site A, because the scanner
# shift moves everyone by a similar amount, yet the **flag**, a fixed threshold on site A's norms,
# sits at another point of the curve (the red dot): a different specificity for the same
# software. An AUROC says nothing about whether the threshold still means "5% of healthy people".
#
# Two more numbers for the key results: how much smaller the AD patients' hippocampi are than
# expected for their age and head size (the effect size a meta-analysis reports), and how often
# site B's controls are flagged with site A's norms.

# %%
test_ad = volumes[(volumes["role"] == ROLE_TEST) & (volumes["diagnosis"] == "AD")]
expected_ad = design(test_ad) @ beta
ad_smaller = 100 * (1 - np.mean(test_ad[NORM_COLUMN] / expected_ad))
site_b_cn_flagged = 100 * volumes.loc[(volumes["role"] == ROLE_SITE_B)
                                      & (volumes["diagnosis"] == "CN"), "flag"].mean()
print(f"AD at site A: hippocampus {ad_smaller:.1f}% smaller than expected for age and head "
      f"size; site B controls flagged: {site_b_cn_flagged:.1f}% (nominal 5%)")

# %% [markdown]
# ### Atrophy over time
# *Core · 6 min*
#
# Cross-sectional volumes compare a person with others; **atrophy rates** compare a person with
# herself, which removes head size and lifelong differences. We scan 20 controls and 20 AD patients
# of site A again two years later, first on the same scanner, then (as happens when a hospital
# replaces its scanner) at site B, and compute the annualised change
# $100\,[1 - (V_2/V_0)^{1/2}]$ % per year.

# %%
FOLLOW_UP_YEARS = 2.0
followed = pd.concat([volumes[(volumes["role"] == ROLE_TEST)
                              & (volumes["diagnosis"] == dx)].head(20) for dx in ["CN", "AD"]])


def yearly_loss(before, after):
    """Annualised percentage loss between two volumes FOLLOW_UP_YEARS apart."""
    return 100 * (1 - (after / before) ** (1 / FOLLOW_UP_YEARS))


SAME_SCANNER = shown("same scanner (measured)")
NEW_SCANNER = shown("follow-up at site B (measured)")
TRUE_CHANGE = shown("true change")
rates = []
for i, row in followed.iterrows():
    same = scan_and_measure(i, years=FOLLOW_UP_YEARS)
    moved = scan_and_measure(i, years=FOLLOW_UP_YEARS, scanner="B")
    rates.append({"diagnosis": row["diagnosis"],
                  SAME_SCANNER: yearly_loss(row["hippocampus"], same["hippocampus"]),
                  NEW_SCANNER: yearly_loss(row["hippocampus"], moved["hippocampus"]),
                  TRUE_CHANGE: yearly_loss(row["true_hippocampus"], same["true_hippocampus"])})
rates = pd.DataFrame(rates)
rate_table = rates.groupby("diagnosis", observed=True).median().loc[["CN", "AD"]]
display(rate_table.rename_axis(shown("median hippocampal loss (%/year)")))

# %%
fig, ax = plt.subplots(figsize=(9, 4.8))
for k, column in enumerate([TRUE_CHANGE, SAME_SCANNER, NEW_SCANNER]):
    for j, dx in enumerate(["CN", "AD"]):
        values = rates.loc[rates["diagnosis"] == dx, column]
        position = k * 3 + j
        ax.boxplot([values], positions=[position], widths=0.7, patch_artist=True,
                   boxprops={"facecolor": DX_COLOURS[dx]}, showfliers=False)
        ax.scatter(np.full(len(values), position) + np.linspace(-0.2, 0.2, len(values)), values,
                   s=8, color="black", zorder=3)
ax.set_xticks([0.5, 3.5, 6.5], [TRUE_CHANGE, SAME_SCANNER, NEW_SCANNER])
ax.axhline(0, color="black", lw=0.8)
for value, label in [(1.41, shown("Barnes 2009, controls")), (4.66, shown("Barnes 2009, AD"))]:
    ax.axhline(value, color="grey", ls="--", lw=0.8)
    ax.text(8.1, value, label, va="bottom", ha="right", fontsize=8)
ax.set_ylabel("hippocampal loss (% per year)")
ax.set_title("Figure 8 · Two-year atrophy rates, CN (green) and AD (red)")
fig.tight_layout()
plt.show()

# %% [markdown]
# The true two-year change reproduces the published rates the generator was built from. The
# measured change on the same scanner is smaller, especially in AD: partial volume at 3 mm
# compresses change as it compressed differences between people, and measurement noise spreads
# the individual rates (some controls even "grow"). The scanner change is worse than noise: it
# adds a systematic shift to every patient, which the annualisation divides by only two years.
# This is why longitudinal volumetry is specified for **the same scanner and protocol**:
# icobrain's 510(k) (K181939), for example, limits its longitudinal pipeline to two scans acquired
# on the same scanner with the same acquisition protocol.

# %% [markdown]
# The key results, with the published figures the generator was calibrated to. The synthetic
# cohort was built so that the **true** volumes reproduce them (the true-change column above);
# what the measured values test is our pipeline.

# %%
key_results.show(
    {"grey-matter Dice, site A": gm_dice_by_site["A"],
     "AUROC AD vs CN, hippocampal z-score, site A": auroc.loc[shown("hippocampus z (residual)"),
                                                            ROLE_TEST],
     "AUROC AD vs CN, hippocampal z-score, site B": auroc.loc[shown("hippocampus z (residual)"),
                                                            ROLE_SITE_B],
     "hippocampus in AD, % below expected": ad_smaller,
     "site B controls flagged (%)": site_b_cn_flagged,
     "hippocampal atrophy, CN (%/yr)": rate_table.loc["CN", SAME_SCANNER],
     "hippocampal atrophy, AD (%/yr)": rate_table.loc["AD", SAME_SCANNER]},
    published={"hippocampus in AD, % below expected":
                   "24.2 (left), 23.1 (right); meta-analysis, Shi et al. 2009",
               "hippocampal atrophy, CN (%/yr)":
                   "1.41 (95% CI 0.52-2.30); meta-analysis, Barnes et al. 2009",
               "hippocampal atrophy, AD (%/yr)":
                   "4.66 (95% CI 3.92-5.40); meta-analysis, Barnes et al. 2009"},
    caption="Key results (the synthetic cohort is calibrated to the published figures: they "
            "test the measurement, not biology)")

# %% [markdown]
# ### The one-page report
# *Core · 6 min*
#
# Finally, the report for our patient: the MCI woman at site A, not in the reference, aged 70-80,
# whose hippocampal percentile is closest to the 2nd (the kind of case the clinical question
# describes). For each structure: the measured volume, the volume as a share of ICV, the
# normative percentile (ICV-adjusted, for age) and a flag.

# %%
candidates = volumes[(volumes["role"] == ROLE_TEST) & (volumes["diagnosis"] == "MCI")
                     & (volumes["sex"] == "F") & volumes["age"].between(70, 80)]
patient = candidates.loc[(candidates["percentile"] - 2).abs().idxmin()]
REPORTED = {shown("hippocampi (both regions)"): ("hippocampus", "z", False),
            shown("lateral and third ventricles"): ("ventricles", "z_ventricles", True),
            shown("total grey matter"): ("gm", "z_gm", False)}
REPORT_COLUMNS = [shown("structure"), shown("volume (mL)"), shown("% of ICV"),
                  shown("percentile"), shown("flag")]
report = []
for name, (col, z_col, larger_is_worse) in REPORTED.items():
    z = patient[z_col]
    percentile = 100 * stats.norm.cdf(z)
    abnormal = percentile > 95 if larger_is_worse else percentile < 5
    report.append([name, patient[col], 100 * patient[col] / patient["icv"], percentile,
                   shown("abnormal") if abnormal else ""])
report = pd.DataFrame(report, columns=REPORT_COLUMNS)
display(report)

# %%
def percentile_text(p):
    """Percentiles as products print them: whole numbers, '<1' and '>99' at the ends."""
    return "<1" if p < 1 else ">99" if p > 99 else f"{p:.0f}"


fig = plt.figure(figsize=(12, 7.5))
top = fig.add_axes([0.04, 0.55, 0.92, 0.4])
top.set_axis_off()
top.text(0, 0.95, f"Brain volumetry report  ·  {patient['subject_id']}  ·  {patient['sex']}, "
         f"{patient['age']:.0f} years  ·  site {patient['site']}, 3D T1, 3 mm  ·  ICV "
         f"{patient['icv']:.0f} mL", fontsize=12, weight="bold", va="top")
cell_text = [[structure, f"{volume:.2f}", f"{share:.3f}", percentile_text(percentile), flag]
             for structure, volume, share, percentile, flag in report.itertuples(index=False)]
table = top.table(cellText=cell_text,
                  colLabels=REPORT_COLUMNS,
                  loc="upper left", bbox=[0, 0.3, 1, 0.55])
table.auto_set_font_size(False)
table.set_fontsize(10)
top.text(0, 0.2, f"Percentiles against {len(reference)} cognitively normal controls of the same "
         "scanner (site A), adjusted for intracranial volume and age. Flags: below the 5th "
         "(tissue) or above the 95th (ventricles) percentile.", fontsize=9, wrap=True)
top.text(0, 0.05, "Not a diagnosis. Valid only for this scanner and protocol; volumes depend on "
         "the software version; compare follow-ups only on the same scanner.", fontsize=9,
         style="italic", wrap=True)
chart = fig.add_axes([0.07, 0.08, 0.5, 0.4])
for low_p, high_p, alpha in [(5, 95, 0.15), (25, 75, 0.25)]:
    chart.fill_between(ages, centre + stats.norm.ppf(low_p / 100) * norm_sd,
                       centre + stats.norm.ppf(high_p / 100) * norm_sd, color="grey",
                       alpha=alpha)
chart.plot(ages, centre, color="black")
chart.scatter([patient["age"]], [patient[NORM_COLUMN]], color="red", s=60, zorder=5)
chart.set_xlabel("age (years)")
chart.set_ylabel("hippocampus, ICV-adjusted (mL)")
chart.set_title("hippocampus: 5th-95th and 25th-75th percentiles")
slices = [fig.add_axes([0.62, 0.08, 0.17, 0.4]), fig.add_axes([0.8, 0.08, 0.17, 0.4])]
patient_scan = datasets.load("brain_atrophy_mri", subject=int(patient.name), seed=SEED)
show_slices(slices, patient_scan.volume, patient_scan.labels)
fig.suptitle("Figure 9 · A one-page volumetry report", y=0.995)
plt.show()
print(f"patient {patient['subject_id']}: hippocampal percentile {patient['percentile']:.1f}; "
      f"true hippocampal volume {patient['true_hippocampus']:.2f} mL, measured "
      f"{patient['hippocampus']:.2f} mL")

# %% [markdown]
# Everything a clinician needs to weigh the number is on the page: which reference, which
# adjustment, which scanner. The hippocampal flag supports, but does not make, a diagnosis of
# MCI due to Alzheimer's disease; amyloid or tau biomarkers would be the next step. A
# product adds quality checks this page does not show (motion, wrong sequence, failed skull
# stripping), and the device label lists the scanners and protocols it was validated on.

# %% [markdown] tags=["deep-dive"]
# ### A fixed threshold across scans
# *Deep dive · 4 min · optional: why the mixture is refitted on every scan*
#
# Why not simply threshold intensities, as Hounsfield units allow on CT? Take the GMM class
# boundaries of the first scan and apply them, unchanged, to other scans.

# %% tags=["deep-dive"]
grid = np.linspace(seg_first["corrected"].min(), seg_first["corrected"].max(), 2000)
posterior = responsibilities(grid, seg_first["means"], seg_first["sds"], seg_first["weights"])
classes = posterior.argmax(axis=1)
boundaries = grid[np.flatnonzero(np.diff(classes)) + 1][:2]
print(f"fixed thresholds from subject {FIRST}:", np.round(boundaries, 0))
rows = []
for i in range(FIRST, FIRST + 8):
    scan = datasets.load("brain_atrophy_mri", subject=i, seed=SEED)
    values = scan.volume[scan.labels > 0]
    grey_fixed = np.count_nonzero((values >= boundaries[0]) & (values < boundaries[1])) * VOXEL_ML
    rows.append({shown("subject"): i, shown("site"): scan.ground_truth["scanner"]["site"],
                 shown("scanner gain"): scan.ground_truth["scanner"]["gain"],
                 shown("GM, fixed thresholds (mL)"): grey_fixed,
                 shown("GM, GMM refitted (mL)"): measure(scan, segment(scan))["gm_hard"],
                 shown("true GM (mL)"): scan.ground_truth["volumes_ml"]["gm_ml"]})
display(pd.DataFrame(rows).set_index(shown("subject")))

# %% [markdown] tags=["deep-dive"]
# Every scan has its own gain (arbitrary units), so the same number means different tissue in
# each: the fixed thresholds give grey-matter volumes that follow the scanner gain and the site,
# not the brain. The mixture refitted on each scan (hard labels in both columns, so both
# over-count the cortex) adapts to them. MRI products normalise intensities for the same reason,
# and CT volumetry can use fixed HU windows only because Hounsfield units are calibrated to water
# and air.

# %% [markdown] tags=["deep-dive"]
# ### Circularity: testing the norms on their own controls
# *Deep dive · 6 min · optional: in-sample specificity is optimistic*
#
# A common shortcut is to build the norms from all available controls and then report how rarely
# "healthy people" are flagged, on the same controls. With a small reference the in-sample
# residuals are too small and the percentile of a new person too extreme. We draw reference sets
# of 15 and of 60 controls from all site A controls, 300 times each, and compare the flag rate
# inside the reference with the flag rate in the controls left out.

# %% tags=["deep-dive"]
all_controls_a = volumes.loc[controls_a]
draws = np.random.default_rng(SEED + 1)
circular = []
for size in [15, 60]:
    inside_rates, outside_rates = [], []
    for _ in range(300):
        chosen = draws.choice(len(all_controls_a), size=size, replace=False)
        ref_here = all_controls_a.iloc[chosen]
        rest = all_controls_a.drop(index=ref_here.index)
        fit = fit_norms(ref_here, NORM_COLUMN)
        inside_rates.append(np.mean(stats.norm.cdf(z_scores(ref_here, NORM_COLUMN, fit)) < 0.05))
        outside_rates.append(np.mean(stats.norm.cdf(z_scores(rest, NORM_COLUMN, fit)) < 0.05))
    circular.append({shown("reference size"): size,
                     shown("flagged inside the reference (%)"): 100 * np.mean(inside_rates),
                     shown("flagged among new controls (%)"): 100 * np.mean(outside_rates)})
display(pd.DataFrame(circular).set_index(shown("reference size")))

# %% [markdown] tags=["deep-dive"]
# The controls that built the norms are flagged less often than new controls, and the gap is
# largest for a small reference: two coefficients and a standard deviation fitted to 15 people
# follow their noise. The nominal 5% holds only for people outside the reference, and only
# approximately (a t-based prediction interval would widen the bands for a small reference). A
# second circularity is clinical: if the diagnoses in a validation cohort were made by clinicians
# who had seen the MRI volumetry, the volumetry's accuracy is inflated (incorporation bias).

# %% [markdown] tags=["deep-dive"]
# ### Many structures, many flags
# *Deep dive · 4 min · optional: multiple comparisons on one report*
#
# A real report lists dozens of structures, each flagged at its own 5th percentile. How many
# healthy people get at least one flag? We count it for our three structures (hippocampus and
# grey matter low, ventricles high) in the held-out controls, and compare with what independent
# structures would give.

# %% tags=["deep-dive"]
held_out_cn = volumes[(volumes["role"] == ROLE_TEST) & (volumes["diagnosis"] == "CN")]
any_flag = ((stats.norm.cdf(held_out_cn["z"]) < 0.05)
            | (stats.norm.cdf(held_out_cn["z_gm"]) < 0.05)
            | (stats.norm.cdf(held_out_cn["z_ventricles"]) > 0.95))
print(f"held-out controls with at least one of 3 flags: {100 * any_flag.mean():.0f}% "
      f"(independent structures: {100 * (1 - 0.95**3):.0f}%)")
for k in [10, 30, 60]:
    print(f"with {k} independent structures: {100 * (1 - 0.95**k):.0f}% of healthy people "
          "would carry at least one flag")
print(f"CPU time of the whole lesson so far: {time.process_time() - CPU_START:.0f} s")

# %% [markdown] tags=["deep-dive"]
# Structures are correlated, which lowers the count a little, but the lesson holds: the more
# structures a report lists, the less a single flag means. Read the report for the structures
# the clinical question is about, decided before looking.

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# - **Scanner and protocol shift.** Volumes are not physical constants: vendor, field strength,
#   coil, sequence, resolution and software version move them (Jovicich et al. 2009). *See it:*
#   the travelling-subject table, the site B flag rate, the follow-up at site B. *Guard:* norms and
#   follow-ups from the same scanner and protocol; harmonised protocols; quality control.
# - **Normalisation choice changes who is flagged.** Raw, proportion and residual adjustment
#   disagree most for very large and very small heads, hence between men and women. *See it:*
#   Figure 5 and the count of subjects who change flag. *Guard:* state the method, and check that
#   adjusted volumes of controls have no trend with ICV.
# - **Norms that do not match the patient.** A reference of another age range, another scanner
#   or another population (brain size and shape differ between populations: Tang et al. 2010
#   compared Chinese and Caucasian brains) shifts every percentile. A 5% flag calibrated on
#   Western volunteers need not mean 5% among Korean older adults, which is why normative data
#   from Korean older adults matter for products used in Korea. *See it:* exercise 4. *Guard:* ask
#   who is in the normative database (age, sex, ethnicity, scanners, how many), and check the flag
#   rate in local controls.
# - **Circularity.** Norms tested on the controls that built them, thresholds tuned on the test
#   set, diagnoses made with the help of the MRI being evaluated. *See it:* the circularity deep
#   dive. *Guard:* a held-out reference, thresholds fixed in advance, a reference standard blind
#   to the volumetry.
# - **Partial volume and resolution.** At coarse resolution hard labels over-count the cortex and
#   small structures are measured with large relative error; change is compressed. *See it:* the
#   error table and the measured versus true atrophy rates. *Guard:* 1 mm 3D T1, as products
#   require.
# - **Arbitrary intensity units.** Fixed thresholds do not transfer between MRI scans. *See it:*
#   the fixed-threshold deep dive.
# - **Atrophy is not Alzheimer's disease.** Hippocampal atrophy also occurs in other dementias,
#   hippocampal sclerosis, vascular disease and normal ageing; a normal volume does not exclude
#   early AD. The report supports the diagnosis; it does not make it.

# %% [markdown]
# ## Exercises
# *Core · 10 min · in the lab: exercise 1 or 2, then 3 or 4 by track; the rest at home*
#
# 1. **(Both tracks) Reading the report.** For the patient of Figure 9, write the two sentences a
#    radiologist would put in the report's conclusion, with their caveats. Then add a sex term to
#    `design` (a column `(frame["sex"] == "M")`), rerun the norms and the report: which
#    percentiles move, and is the sex coefficient larger than its noise?
# 2. **(Engineer track) Hard or soft.** Replace the PV hippocampal volume by the hard-label one
#    (`hippocampus_hard`) everywhere (norms, z-scores, AUROC). What happens to the AUROC at site A
#    and to the site B shift? Explain with Figure 4.
# 3. **(Engineer track) Without bias correction.** Re-measure the 118 site B scans with
#    `segment(scan, bias_rounds=0)` and recompute the site B controls' flag rate with site A's
#    norms. How much of the scanner effect is the bias field?
# 4. **(Clinician track) Whose norms?** Suppose a vendor's normative database comes from a
#    population whose ICV-adjusted hippocampi are 5% larger than those of your patients. Multiply
#    the reference volumes by 1.05, refit the norms, and count how many of the held-out site A
#    controls are now flagged. What would you ask a vendor before buying?
# 5. **(Both tracks) Site B norms.** Build norms from half of the site B controls and recompute the
#    site B flag rates and AUROC on the rest. What is gained, and what does it cost (how many
#    controls, how wide the percentile bands)?
# 6. **(Engineer track) Finer voxels.** Load a handful of scans with `voxel_mm=2.0`, adapt
#    `VOXEL_ML`, and compare the hippocampal PV error and the measured two-year atrophy rate with
#    the 3 mm results. Is the compression of change smaller?

# %% [markdown]
# ## References
#
# 1. McKhann GM, Knopman DS, Chertkow H, et al. The diagnosis of dementia due to Alzheimer's
#    disease: recommendations from the National Institute on Aging–Alzheimer's Association
#    workgroups on diagnostic guidelines for Alzheimer's disease. *Alzheimers Dement*.
#    2011;7(3):263–269. doi:10.1016/j.jalz.2011.03.005
# 2. Albert MS, DeKosky ST, Dickson D, et al. The diagnosis of mild cognitive impairment due to
#    Alzheimer's disease: recommendations from the National Institute on Aging–Alzheimer's
#    Association workgroups on diagnostic guidelines for Alzheimer's disease. *Alzheimers
#    Dement*. 2011;7(3):270–279. doi:10.1016/j.jalz.2011.03.008
# 3. Jack CR Jr, Bennett DA, Blennow K, et al. NIA-AA Research Framework: toward a biological
#    definition of Alzheimer's disease. *Alzheimers Dement*. 2018;14(4):535–562.
#    doi:10.1016/j.jalz.2018.02.018
# 4. Scheltens P, Leys D, Barkhof F, et al. Atrophy of medial temporal lobes on MRI in "probable"
#    Alzheimer's disease and normal ageing: diagnostic value and neuropsychological correlates.
#    *J Neurol Neurosurg Psychiatry*. 1992;55(10):967–972. doi:10.1136/jnnp.55.10.967
# 5. Barnes J, Bartlett JW, van de Pol LA, et al. A meta-analysis of hippocampal atrophy rates in
#    Alzheimer's disease. *Neurobiol Aging*. 2009;30(11):1711–1723.
#    doi:10.1016/j.neurobiolaging.2008.01.010
# 6. Shi F, Liu B, Zhou Y, Yu C, Jiang T. Hippocampal volume and asymmetry in mild cognitive
#    impairment and Alzheimer's disease: meta-analyses of MRI studies. *Hippocampus*.
#    2009;19(11):1055–1064.
# 7. Fox NC, Schott JM. Imaging cerebral atrophy: normal ageing to Alzheimer's disease. *Lancet*.
#    2004;363(9406):392–394. doi:10.1016/S0140-6736(04)15441-X
# 8. Dempster AP, Laird NM, Rubin DB. Maximum likelihood from incomplete data via the EM
#    algorithm. *J R Stat Soc Series B*. 1977;39(1):1–38.
# 9. Ashburner J, Friston KJ. Unified segmentation. *NeuroImage*. 2005;26(3):839–851.
#    doi:10.1016/j.neuroimage.2005.02.018
# 10. Zhang Y, Brady M, Smith S. Segmentation of brain MR images through a hidden Markov random
#     field model and the expectation-maximization algorithm. *IEEE Trans Med Imaging*.
#     2001;20(1):45–57. doi:10.1109/42.906424
# 11. Wells WM, Grimson WEL, Kikinis R, Jolesz FA. Adaptive segmentation of MRI data. *IEEE Trans
#     Med Imaging*. 1996;15(4):429–442. doi:10.1109/42.511747
# 12. Van Leemput K, Maes F, Vandermeulen D, Suetens P. Automated model-based bias field
#     correction of MR images of the brain. *IEEE Trans Med Imaging*. 1999;18(10):885–896.
#     doi:10.1109/42.811268
# 13. Tustison NJ, Avants BB, Cook PA, et al. N4ITK: improved N3 bias correction. *IEEE Trans Med
#     Imaging*. 2010;29(6):1310–1320. doi:10.1109/TMI.2010.2046908
# 14. Tohka J, Zijdenbos A, Evans A. Fast and robust parameter estimation for statistical partial
#     volume models in brain MRI. *NeuroImage*. 2004;23(1):84–97.
#     doi:10.1016/j.neuroimage.2004.05.007
# 15. Firbank MJ, Barber R, Burton EJ, O'Brien JT. Validation of a fully automated hippocampal
#     segmentation method on patients with dementia. *Hum Brain Mapp*. 2008;29(12):1442–1449.
#     doi:10.1002/hbm.20480
# 16. Sanfilipo MP, Benedict RHB, Zivadinov R, Bakshi R. Correction for intracranial volume in
#     analysis of whole brain atrophy in multiple sclerosis: the proportion vs. residual method.
#     *NeuroImage*. 2004;22(4):1732–1743. doi:10.1016/j.neuroimage.2004.03.037
# 17. Voevodskaya O, Simmons A, Nordenskjöld R, et al. The effects of intracranial volume
#     adjustment approaches on multiple regional MRI volumes in healthy aging and Alzheimer's
#     disease. *Front Aging Neurosci*. 2014;6:264. doi:10.3389/fnagi.2014.00264
# 18. Pintzka CWS, Hansen TI, Evensmoen HR, Håberg AK. Marked effects of intracranial volume
#     correction methods on sex differences in neuroanatomical structures: a HUNT MRI study.
#     *Front Neurosci*. 2015;9:238. doi:10.3389/fnins.2015.00238
# 19. Opfer R, Krüger J, Spies L, Kitzler HH, Schippling S, Buchert R. Single-subject analysis of
#     regional brain volumetric measures can be strongly influenced by the method for head size
#     adjustment. *Neuroradiology*. 2022;64(10):2001–2009. doi:10.1007/s00234-022-02961-6
# 20. Jovicich J, Czanner S, Han X, et al. MRI-derived measurements of human subcortical,
#     ventricular and intracranial brain volumes: reliability effects of scan sessions,
#     acquisition sequences, data analyses, scanner upgrade, scanner vendors and field strengths.
#     *NeuroImage*. 2009;46(1):177–192. doi:10.1016/j.neuroimage.2009.02.010
# 21. Tang Y, Hojatkashani C, Dinov ID, et al. The construction of a Chinese MRI brain atlas: a
#     morphometric comparison study between Chinese and Caucasian cohorts. *NeuroImage*.
#     2010;51(1):33–41.
# 22. Fonov V, Evans AC, Botteron K, Almli CR, McKinstry RC, Collins DL. Unbiased average
#     age-appropriate atlases for pediatric studies. *NeuroImage*. 2011;54(1):313–327.
#     doi:10.1016/j.neuroimage.2010.07.033
# 23. U.S. Food and Drug Administration. 510(k) summaries K181939 (icobrain, 2018) and K220437
#     (Neurophet AQUA, 2023); 21 CFR 892.2050, medical image management and processing system.
#     https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfpmn/pmn.cfm
