# %% [markdown]
# # im05 · From model to device
#
# *Module: Medical imaging and AI medical devices · Expected time: about 100 minutes for the core
# path, plus about 15 minutes of optional deep dives ·
# Prerequisites: im03 (image classification, ROC curves on images) and dx04 (bootstrap intervals,
# external validation, the regulatory map); no deep learning is needed in this lesson.*

# %% [markdown]
# ## Learning objectives
# *Core · 2 min*
#
# By the end you can ...
#
# - ... run a **reader-study-style evaluation**: put a model's ROC curve next to the operating
#   points of several radiologists, compute **reader-averaged sensitivity and specificity** with
#   confidence intervals, and estimate **model-minus-reader differences with a paired bootstrap
#   over cases**; and explain why a multi-reader multi-case (MRMC) analysis also treats the readers
#   as a random sample (Obuchowski–Rockette, Dorfman–Berbaum–Metz);
# - ... do a **failure analysis**: find which cases the device misses (by lesion type, size,
#   contrast, position and site) and turn it into a stated limitation;
# - ... design **post-market monitoring** for a deployed device: control charts and **CUSUM** on
#   input statistics, the **population stability index** (PSI) and the flag rate on outputs, and
#   performance once delayed labels arrive; and tell a change in **prevalence** from a change in
#   **acquisition**;
# - ... say what a marketing submission must show in the USA (510(k), De Novo, special controls for
#   computer-assisted detection, a **predetermined change control plan**), the EU (MDR Rule 11,
#   class IIa) and Korea (MFDS), and how the **Good Machine Learning Practice** principles map onto
#   the analyses of this lesson.
#
# The core path (about 100 minutes with the lab exercises) covers all four. The deep dives (the
# MRMC methods, reader agreement, the missed images, a PCCP change played out) deepen it; nothing
# in the core depends on them.

# %% [markdown]
# ## Clinical question
# *Core · 3 min*
#
# A company has built software that reads frontal chest radiographs and flags those with a
# suspected **lung nodule or opacity**, so that the radiologist looks twice. The model works on the
# developers' test set. Three questions stand between it and a hospital:
#
# > 1. Is it **as accurate as the radiologists** who would otherwise read the images alone, and is
# >    that claim robust to *which* radiologists we happened to ask?
# > 2. **Which patients** does it fail, and what must the label therefore say?
# > 3. Once it is sold, **how will anyone notice** that it has stopped working, for example after
# >    the hospital replaces its X-ray detectors?
#
# Regulators ask exactly these questions. For computer-assisted detection (CADe) in radiology the
# US Food and Drug Administration (FDA) expects standalone performance testing and, usually, a
# **reader study**: several radiologists read the same cases, and their accuracy is compared (with
# and without the device, or against it). GE Healthcare's *Critical Care Suite 2.1* for
# pneumothorax (510(k) K223491, 2023), for example, reports in its submission summary a study with
# 10 readers and 400 images in which the readers' average AUROC rose from about 0.77 unaided to
# 0.91 with the device. After clearance, the manufacturer must keep watching: a device trained on
# one generation of detectors meets new ones every year.
#
# What the errors cost. A **false negative** leaves a lesion unflagged: if the radiologist also
# misses it, a lung cancer may be found months later at a worse stage. A **false positive** costs
# reading time, follow-up CT scans (radiation, cost, anxiety) and, when frequent, the readers'
# trust in the flags.

# %% [markdown]
# ## Data card
# *Core · 4 min*
#
# | Item | Description |
# |---|---|
# | **What** | `chest_xray_phantoms`: **synthetic** radiograph-like chest images (64 × 64 pixels of nominally 2.8 mm, values in [0, 1]) from the course package, with labels, lesion masks and metadata (lesion type, centre, radius, contrast, area, site). Nodules (60% of lesions) are Gaussian blobs of radius 5–12 mm and contrast 0.10–0.25; opacities (40%) are textured ellipses with semi-axes 12–28 mm and contrast 0.08–0.18. |
# | **Sets used** | *Development* 1500 images (30% lesions), *tuning* 600 images (30%) to fix the operating threshold, *reader-study test set* 600 images **enriched to 50% lesions**, and a *deployment stream* of 40 weeks × 80 images generated week by week. Every set has its own seed. |
# | **Site marker** | `shortcut=False` throughout: the "site B" marker is on half of the images of each class. It lets us check performance by site. The device below is designed to ignore the corner where the marker sits; the failure analysis tests whether it does. |
# | **Simulated readers** | Five radiologists are **simulated** (not real readings): a latent-variable model gives each reader a skill and a decision threshold; lesions that are larger and of higher contrast are easier for every reader, and a shared case effect makes readers err on the same cases. The model is written out in the Method section. |
# | **Simulated deployment** | From week 13 the share of studies with a lesion doubles (prevalence 15% → 30%); from week 27 the hospital's new detector and image processing produce slightly softer, lower-contrast images. Labels (the reference standard from follow-up) arrive 6 weeks after each image. |
# | **Licence / PHI** | MIT (generated by the course's code). No patient data of any kind. |
# | **Limitations** | A cartoon with known answers: no anatomy or physics, one lesion at most, readers without fatigue, learning or context, and a drift scenario we wrote ourselves. Real reader studies and real drift are messier. The **methods** transfer; the numbers do not. |

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from scipy.ndimage import binary_erosion, distance_transform_edt, gaussian_filter
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 2024
rng = np.random.default_rng(SEED)  # one generator for every simulated quantity below
pd.set_option("display.precision", 3)

develop = datasets.load("chest_xray_phantoms", n_images=1500, prevalence=0.3, seed=201)
tuning = datasets.load("chest_xray_phantoms", n_images=600, prevalence=0.3, seed=202)
study = datasets.load("chest_xray_phantoms", n_images=600, prevalence=0.5, seed=203)
SPACING = study.spacing_mm[0]
info = datasets.info("chest_xray_phantoms")
print(info["kind"], "|", info["licence"], "|", info["phi"])
pd.DataFrame({name: {shown("images"): len(d.labels), shown("lesions"): int(d.labels.sum()),
                     shown("nodules"): int((d.metadata["lesion_type"] == "nodule").sum()),
                     shown("opacities"): int((d.metadata["lesion_type"] == "opacity").sum()),
                     shown("site B share"): d.metadata["has_token"].mean()}
              for name, d in [(shown("development"), develop), (shown("tuning"), tuning),
                              (shown("reader study"), study)]}).T

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Five parts: the device, the reader study, the failure analysis, post-market monitoring, and what
# regulators ask for. The Results follow the same order.

# %% [markdown]
# ### 1. The device under evaluation
# *Core · 3 min*
#
# To keep the lesson light, the device is not a CNN but a classical **computer-aided detection**
# pipeline of the kind sold in the 2000s: hand-made image features and a logistic regression.
# Everything that follows treats it as a black box that returns a score per image, so the CNN of
# im03 could be plugged in unchanged (Exercise 5).
#
# - **Where to look.** A fixed template of the two lung fields (the average lung shape of the
#   phantoms, minus the heart, eroded by one pixel). Features are read only inside it, so the
#   corner with the site marker is never measured directly: a lesson learnt from im03. (Whether
#   the marker can still influence the score is one of the questions of the failure analysis.)
# - **What to measure.** Lesions are bright blobs. At scale $s$ (pixels) we compute the Hessian
#   $H$ of the Gaussian-smoothed image; at a bright blob both eigenvalues of $-H$ are large and
#   positive, while at a rib (a bright line) only one is. The **blobness** is the smaller
#   eigenvalue of $-H$, multiplied by $s^2$ so that scales are comparable (Lindeberg 1998); at
#   larger scales the Laplacian $-(H_{rr} + H_{cc})\, s^2$ captures faint, wide opacities. For each
#   scale we keep the maximum and a high percentile inside the template, plus how much the
#   brightest part of the smoothed lung exceeds its median: 15 numbers per image.
# - **The model.** Standardised features, logistic regression, trained on the development set.
# - **The operating point** is fixed *before* any test: the score threshold at which 85% of the
#   normal images of the tuning set stay unflagged (specificity 0.85 on tuning data). It travels
#   with the device and is never re-tuned on test data.

# %% [markdown]
# ### 2. A reader study
# *Core · 4 min*
#
# **Design.** 600 cases, enriched to 50% lesions so that the study has enough positives (real
# screening prevalence would need thousands of cases), each read independently by 5 radiologists
# who rate their confidence on a 5-point scale: 1 definitely normal, 2 probably normal, 3 possible
# lesion, 4 probable lesion, 5 definite lesion. A rating of 3 or more counts as a **positive
# call**. The **reference standard** is the phantom's truth (in a real study: CT or follow-up,
# adjudicated by experts who are not readers). Every reader reads every case: a *fully crossed*
# design.
#
# **Simulated readers.** For case $i$ with truth $y_i$ and reader $r$ we draw a latent suspicion
#
# $$ x_{ri} = y_i\,(\mu_r + \beta z_i) + \sigma_c u_i + \sigma_e \varepsilon_{ri}, $$
#
# where $z_i$ is the standardised log **conspicuity** of the lesion (log of contrast × radius;
# small faint lesions are hard for everyone), $u_i \sim N(0,1)$ is a **case effect** shared by all
# readers (a confusing overlap of ribs and vessels fools everybody), and
# $\varepsilon_{ri} \sim N(0,1)$ is reader noise. Reader $r$ has a **skill** $\mu_r$ and a
# **threshold** $t_r$; the rating cut-points are $t_r + (-0.8, 0, 0.8, 1.6)$, so a positive call is
# $x_{ri} > t_r$. This is a *binormal* model with correlated readers, the standard way to simulate
# MRMC studies (Roe & Metz 1997 used the same idea).
#
# **Endpoints.** For each reader: sensitivity and specificity of the positive call, and the AUROC
# of the ratings (empirical, ties counted as half). For the device: the AUROC of its score and
# sensitivity and specificity at its fixed threshold. The **reader-averaged** value of a measure is
# the mean over the 5 readers.
#
# **Uncertainty: cases and readers.** Two sources of randomness matter. The *cases* are a sample
# of patients; the *readers* are a sample of radiologists. We compute percentile bootstrap
# intervals (2000 resamples) in two ways:
#
# - **cases only** (readers fixed): resample the 600 cases with replacement, recompute every
#   reader's and the device's measures on the same resample. This answers "for *these* five
#   readers".
# - **readers and cases**: also resample the 5 readers with replacement. This answers "for
#   radiologists *like these*", which is what a claim about the device needs, and it is wider.
#
# **Paired comparison.** The device and all readers read the same cases, so their errors are
# correlated. The difference *device minus reader average* is computed **within each bootstrap
# resample**, which keeps the pairing; comparing two separate intervals would ignore it and be
# too conservative.

# %% [markdown] tags=["deep-dive"]
# ### MRMC methods in brief
# *Deep dive · 3 min · optional: Dorfman–Berbaum–Metz, Obuchowski–Rockette, iMRMC*
#
# **MRMC methods.** The established analyses model the same two sources of variance explicitly:
# the **Dorfman–Berbaum–Metz** method (1992; jackknife pseudovalues in an ANOVA) and the
# **Obuchowski–Rockette** method (1995; an ANOVA of reader-by-modality AUROCs with correlated
# errors), shown to be closely related by Hillis and colleagues (2008); FDA's iMRMC software
# implements a U-statistic version (Gallas 2006; see Gallas et al. 2012 for how FDA uses reader
# studies). A submission would use one of them with a pre-specified
# hypothesis, for example **non-inferiority** of the device's AUROC to the reader average with a
# margin of −0.05. Our two-way bootstrap is a transparent stand-in, not a replacement.

# %% [markdown]
# ### 3. Failure analysis
# *Core · 1 min*
#
# Pooled sensitivity hides who is missed. We stratify the device's sensitivity (with Wilson 95%
# intervals, Wilson 1927) by lesion type, diameter, contrast, **distance of the lesion centre from
# the edge of the lung template**, and site, and compare with the readers' average detection rate
# in the same stratum. Specificity is stratified by site. Then we look at the missed images.

# %% [markdown]
# ### 4. Post-market monitoring
# *Core · 5 min*
#
# After deployment there are three things one can watch, available at different times:
#
# | what | available | catches | blind to |
# |---|---|---|---|
# | **inputs** (image statistics) | immediately | acquisition changes (detector, processing, protocol) | changes in who is imaged, if images look alike |
# | **outputs** (score distribution, flag rate) | immediately | anything that moves the scores, including prevalence | *why* the scores moved |
# | **performance** (sensitivity, specificity) | after the reference standard arrives | what matters clinically | weeks to months of delay |
#
# **Input statistics.** For every image: the median brightness inside the lung template, and a
# **sharpness** index, the robust standard deviation ($1.4826 \times$ the median absolute
# deviation) of the image minus its Gaussian-smoothed version ($\sigma = 1$ pixel) inside the
# template (fine detail: rib edges, noise). Medians make both statistics largely insensitive to
# the lesions themselves, so that they track the acquisition rather than the disease. We take the
# first 12 weeks of deployment (after local acceptance testing) as the **reference period**, with
# image-level mean $\mu_0$ and standard deviation $\sigma_0$. For week $t$ with $n_t$ images and
# weekly mean $\bar x_t$,
#
# $$ z_t = \frac{\bar x_t - \mu_0}{\sigma_0 / \sqrt{n_t}}, \qquad
# S^+_t = \max(0,\, S^+_{t-1} + z_t - k), \qquad S^-_t = \max(0,\, S^-_{t-1} - z_t - k), $$
#
# the two-sided **CUSUM** of Page (1954), started after the reference period, which raises an
# alarm when $S^+_t$ or $S^-_t$ exceeds $h$. The allowance $k = 0.5$ tunes it to shifts of about
# one standard error. The textbook threshold $h = 5$ gives a false alarm only every few hundred
# weeks per side *if $\mu_0$ and $\sigma_0$ were known* (Montgomery 2012); ours are estimated from
# 12 weeks, and we watch three statistics on two sides each. Both raise the false-alarm rate, so
# we choose the more conservative $h = 8$ in advance (Exercise 3 shows what $h = 5$ does). A
# Shewhart chart (alarm when $|z_t| > 3$) is reported too; it catches large jumps at once but is
# slow for small persistent shifts.
#
# **Outputs.** The weekly **flag rate**, standardised with the binomial standard error
# $\sqrt{p_0(1-p_0)/n_t}$ around the reference rate $p_0$ and fed to the same CUSUM, and the
# **population stability index** of the scores of the last 4 weeks against the reference
# period. With $B = 10$ bins at the deciles of the reference scores, and $q_b$, $p_b$ the
# reference and current fractions in bin $b$,
#
# $$ \text{PSI} = \sum_{b=1}^{B} (p_b - q_b) \ln \frac{p_b}{q_b}. $$
#
# A common rule of thumb (from credit scoring) reads PSI < 0.1 as stable, 0.1–0.25 as a moderate
# shift and > 0.25 as a major one (Yurdakul 2018). PSI is biased upwards in small samples: with no
# change at all its expected value is about $(B - 1)(1/n + 1/n_0)$, which is why we pool 4 weeks.
#
# **Performance.** Sensitivity and specificity at the fixed threshold in 4-week blocks, each
# available only when the labels of its last week have arrived (6 weeks later).

# %% [markdown]
# ### 5. What a regulator asks for
# *Core · 8 min*
#
# **United States (FDA).** A device that marks lung nodules on radiographs for the reader is a
# *medical image analyzer* (21 CFR 892.2070; radiograph lung-nodule CADe was reclassified from
# class III to class II with special controls in 2020), so it reaches the market through a
# **510(k)** premarket notification that shows substantial equivalence to a predicate device. A
# device that only re-orders the worklist is *computer-aided triage and notification* (21 CFR
# 892.2080), a class II device type created in 2018 through the **De Novo** pathway, the route for
# novel low- to moderate-risk devices without a predicate; high-risk (class III) devices need
# premarket approval (PMA). The special controls of 892.2070 require, among other things, a
# description of the algorithm, **pre-specified** performance testing, **standalone** performance,
# evidence that the device **improves reader performance** in the intended-use population, test
# data with enough cases in clinically relevant subsets and in subsets defined by **image
# acquisition** characteristics, and labelling that states the limitations. FDA's two CADe
# guidances (2012, updated 2022) explain how: usually an MRMC reader study with pre-specified
# endpoints and a reference standard established independently of the readers.
#
# AI models change after clearance. Since the Food and Drug Omnibus Reform Act of 2022 (FDORA,
# section 3308, which added section 515C to the FD&C Act), a submission may include a
# **predetermined change control plan** (PCCP). FDA's final guidance for AI-enabled device
# software functions (December 2024; draft April 2023) asks for three parts: a **description of
# modifications** (what will change, e.g. "re-estimate the threshold for new detector models"),
# a **modification protocol** (data management, re-training, performance evaluation with
# acceptance criteria, update and communication procedures) and an **impact assessment** (benefits
# and risks of each change). Changes implemented within an authorised PCCP need no new
# submission; anything outside it (a new finding, a new population such as children) does. FDA's
# January 2025 draft guidance on the lifecycle of AI-enabled devices adds expectations on
# data management, subgroup performance, transparency and post-market performance monitoring.
#
# **Good Machine Learning Practice.** In October 2021 FDA, Health Canada and the UK's MHRA
# published ten guiding principles: (1) multidisciplinary expertise across the total product
# life cycle; (2) good software engineering and security practices; (3) clinical study participants
# and data representative of the intended patient population; (4) training data independent of
# test data; (5) reference datasets based on the best available methods; (6) model design
# tailored to the data and reflecting the intended use; (7) focus on the performance of the
# **human–AI team**; (8) testing under clinically relevant conditions; (9) clear, essential
# information for users; (10) deployed models **monitored** for performance, with re-training
# risks managed. Principles 4, 5, 7, 8 and 10 are what Sections 1–4 above put into practice.
#
# **European Union.** Under the Medical Device Regulation (EU) 2017/745, Annex VIII **Rule 11**,
# software that provides information used to take diagnostic or therapeutic decisions is **class
# IIa**, or IIb if such decisions could cause a serious deterioration of health or a surgical
# intervention, or III if they could cause death or an irreversible deterioration (MDCG 2019-11
# explains the rule). Class IIa needs a **notified body** to assess the quality management system
# and technical documentation, a clinical evaluation (Article 61, Annex XIV) and a post-market
# surveillance system (Articles 83–86), including a periodic safety update report at least every
# two years. The AI Act (Regulation (EU) 2024/1689) adds requirements for **high-risk** AI systems,
# a category that includes AI medical devices needing a notified body. As adopted, those
# obligations applied to them from 2 August 2027 (Art. 113(c)). The "Digital Omnibus" on AI
# (proposed by the Commission in November 2025, agreed by Parliament and Council in 2026)
# postpones them for high-risk AI in products covered by sectoral law such as the MDR, to
# August 2028 in the Commission's proposal. Until the amendment is published in the Official
# Journal, treat the date as moving and check the consolidated text before planning a
# submission; the MDR's own requirements apply throughout.
#
# **Korea (MFDS).** The Ministry of Food and Drug Safety published approval and review guidelines
# for medical devices using big data and AI in 2017 and approved the first AI-based device,
# VUNO Med-BoneAge, in May 2018. The **Digital Medical Products Act** (promulgated January 2024,
# in force since 24 January 2025) now provides a dedicated framework for digital medical devices,
# including AI software, with risk-based classification, approval, quality management and
# post-market safety management, alongside the Medical Devices Act. Market approval is separate
# from health-insurance coverage.
#
# Everywhere, the evidence asked for has the same shape: an intended use; analytical and clinical
# (standalone and reader) performance with confidence intervals in the intended population and its
# subgroups; known limitations; and a plan for monitoring and changing the device after release.
# The last result of this lesson collects our numbers in that shape.

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# We build and freeze the device, compare it with five simulated readers, find whom it misses,
# deploy it for a simulated 40 weeks, and collect the evidence as a submission would.

# %% [markdown]
# ### Building and freezing the device
# *Core · 4 min*
#
# First the lung template and the feature extractor. All Gaussian derivatives are computed for a
# chunk of images at once (`sigma=(0, s, s)` smooths within each image, not across images).

# %%
SIZE = 64
centres = (np.arange(SIZE) + 0.5) / SIZE * 2 - 1  # pixel centres in normalised coordinates
V, U = np.meshgrid(centres, centres, indexing="ij")
LUNG = np.zeros((SIZE, SIZE), dtype=bool)
for u0 in (-0.38, 0.38):  # the two lung ellipses of the phantom model, minus the heart
    LUNG |= ((U - u0) / 0.27) ** 2 + ((V + 0.08) / 0.62) ** 2 <= 1
LUNG &= ((U - 0.12) / 0.26) ** 2 + ((V - 0.28) / 0.24) ** 2 > 1
TEMPLATE = binary_erosion(LUNG)  # one pixel inside, to stay off the lung edges


def hessian(images, s):
    """Second Gaussian derivatives (rows, columns, mixed) at scale s, image by image."""
    return (gaussian_filter(images, (0, s, s), order=(0, 2, 0)),
            gaussian_filter(images, (0, s, s), order=(0, 0, 2)),
            gaussian_filter(images, (0, s, s), order=(0, 1, 1)))


def image_features(images, chunk=250):
    """15 blob and opacity features per image, measured inside the lung template."""
    frames = []
    for start in range(0, len(images), chunk):
        x = images[start:start + chunk]
        f = {}
        for s in (1.0, 1.5, 2.0, 3.0):  # small bright blobs: smaller eigenvalue of -H
            hrr, hcc, hrc = hessian(x, s)
            blob = s**2 * (-(hrr + hcc) / 2 - np.sqrt((hrr - hcc) ** 2 / 4 + hrc**2))
            inside = blob[:, TEMPLATE]
            f[f"blob_max_s{s}"] = inside.max(axis=1)
            f[f"blob_p99_s{s}"] = np.quantile(inside, 0.99, axis=1)
        for s in (3.0, 4.5, 6.0):  # wide, faint opacities: scale-normalised Laplacian
            hrr, hcc, _ = hessian(x, s)
            inside = (-(s**2) * (hrr + hcc))[:, TEMPLATE]
            f[f"log_max_s{s}"] = inside.max(axis=1)
            f[f"log_p95_s{s}"] = np.quantile(inside, 0.95, axis=1)
        smooth = gaussian_filter(x, (0, 3, 3))[:, TEMPLATE]
        f["lung_excess"] = np.quantile(smooth, 0.97, axis=1) - np.median(smooth, axis=1)
        frames.append(pd.DataFrame(f))
    return pd.concat(frames, ignore_index=True)


device = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
device.fit(image_features(develop.images), develop.labels)
tuning_score = device.predict_proba(image_features(tuning.images))[:, 1]
normal_scores = np.sort(tuning_score[tuning.labels == 0])
THRESHOLD = normal_scores[int(np.ceil(0.85 * len(normal_scores))) - 1]  # 85% of normals below
print(f"{len(device[-1].coef_[0])} features; frozen threshold on the predicted probability: "
      f"{THRESHOLD:.3f}")
print(f"tuning set: AUROC {roc_auc_score(tuning.labels, tuning_score):.3f}, specificity "
      f"{(tuning_score[tuning.labels == 0] < THRESHOLD).mean():.3f}, sensitivity "
      f"{(tuning_score[tuning.labels == 1] >= THRESHOLD).mean():.3f}")

# %% [markdown]
# What the device sees: the lung template on one study image, and the blobness map at scale
# 1.5 pixels, which lights up the nodule and, more weakly, rib crossings.

# %%
meta = study.metadata
y = study.labels
example = int(meta.index[(meta["lesion_type"] == "nodule") & (meta["contrast"] > 0.18)][0])
x_example = study.images[example:example + 1]
hrr, hcc, hrc = hessian(x_example, 1.5)
blob_map = 1.5**2 * (-(hrr + hcc) / 2 - np.sqrt((hrr - hcc) ** 2 / 4 + hrc**2))[0]
fig, axes = plt.subplots(1, 2, figsize=(8.5, 4.2), layout="constrained")
axes[0].imshow(x_example[0], cmap="gray", vmin=0, vmax=1)
axes[0].contour(TEMPLATE, levels=[0.5], colors="yellow", linewidths=0.8)
axes[0].contour(study.masks[example], levels=[0.5], colors="red", linewidths=0.8)
axes[0].set_title("Image, lung template (yellow), lesion (red)", fontsize=10)
blob_image = axes[1].imshow(np.where(TEMPLATE, blob_map, np.nan), cmap="magma")
axes[1].contour(study.masks[example], levels=[0.5], colors="cyan", linewidths=0.8)
axes[1].set_title("Blobness at s = 1.5 px inside the template", fontsize=10)
fig.colorbar(blob_image, ax=axes[1], label="scale-normalised smaller eigenvalue of −H (a.u.)")
for ax in axes:
    ax.set_xlabel("column (pixel, 2.8 mm)")
    ax.set_ylabel("row (pixel, 2.8 mm)")
plt.show()

# %% [markdown]
# ### Standalone performance on the reader-study test set
# *Core · 3 min*
#
# The frozen device scores the 600 study cases. Intervals: percentile bootstrap for the AUROC,
# Wilson for the proportions.

# %%
def wilson(successes, n, z=1.96):
    """Wilson score 95% interval for a binomial proportion."""
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def auc_rows(labels, scores):
    """AUROC of every row of (B, n) arrays; average ranks, so ties count one half."""
    ranks = rankdata(scores, axis=1)
    n1 = labels.sum(axis=1)
    n0 = labels.shape[1] - n1
    return ((ranks * labels).sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)


study_score = device.predict_proba(image_features(study.images))[:, 1]
device_call = study_score >= THRESHOLD
B = 2000
case_idx = rng.integers(0, len(y), size=(B, len(y)))  # the same case resamples for everything
yb = y[case_idx]
device_auc_boot = auc_rows(yb, study_score[case_idx])
SENS, SPEC, ESTIMATE = shown("sensitivity"), shown("specificity"), shown("estimate")
standalone = {
    "AUROC": (roc_auc_score(y, study_score), *np.quantile(device_auc_boot, [0.025, 0.975])),
    SENS: (device_call[y == 1].mean(), *wilson(device_call[y == 1].sum(), (y == 1).sum())),
    SPEC: ((~device_call)[y == 0].mean(), *wilson((~device_call)[y == 0].sum(), (y == 0).sum())),
}
pd.DataFrame(standalone, index=[ESTIMATE, shown("95% CI low"), shown("95% CI high")]).T

# %% [markdown]
# ### Five simulated radiologists
# *Core · 3 min*
#
# Each reader has a skill $\mu_r$ and a threshold $t_r$ (Method, Section 2). We simulate their
# ratings of the same 600 cases.

# %%
PROFILE, AUC_RATINGS = shown("profile"), shown("AUROC (ratings)")
READER_AVERAGE, DEVICE = shown("reader average"), shown("device")
readers = pd.DataFrame({
    PROFILE: [shown("thoracic radiologist"), shown("general radiologist"),
              shown("general radiologist, cautious"), shown("emergency radiologist, liberal"),
              shown("radiology resident")],
    shown("skill μ"): [2.6, 2.2, 2.2, 2.0, 1.6],
    shown("threshold t"): [1.2, 1.1, 1.5, 0.7, 1.0],
}, index=pd.Index(["R1", "R2", "R3", "R4", "R5"], name=shown("reader")))
BETA, SIGMA_CASE, SIGMA_READER = 0.8, 0.6, 0.8

log_conspicuity = np.log(meta["contrast"] * meta["radius_mm"])  # NaN for normal images
z = ((log_conspicuity - log_conspicuity.mean()) / log_conspicuity.std()).fillna(0).to_numpy()
case_effect = rng.standard_normal(len(y))  # shared by all readers
ratings = pd.DataFrame(index=meta.index)
for r, row in readers.iterrows():
    latent = (y * (row[shown("skill μ")] + BETA * z) + SIGMA_CASE * case_effect
              + SIGMA_READER * rng.standard_normal(len(y)))
    cuts = row[shown("threshold t")] + np.array([-0.8, 0.0, 0.8, 1.6])
    ratings[r] = 1 + (latent[:, None] > cuts).sum(axis=1)
calls = (ratings >= 3).to_numpy()  # (cases, readers): positive calls

per_reader = pd.DataFrame({
    SENS: calls[y == 1].mean(axis=0), SPEC: 1 - calls[y == 0].mean(axis=0),
    AUC_RATINGS: [roc_auc_score(y, ratings[r]) for r in readers.index],
}, index=readers.index)
per_reader.loc[READER_AVERAGE] = per_reader.mean()
per_reader.loc[DEVICE] = [standalone[SENS][0], standalone[SPEC][0], standalone["AUROC"][0]]
print("rating counts (rows: 1 = definitely normal ... 5 = definite lesion):")
print(ratings.apply(lambda col: col.value_counts().sort_index()).to_string())
readers.join(per_reader, how="right")

# %% [markdown]
# The readers differ as real ones do: the cautious reader R3 is very specific but misses more
# lesions, the liberal reader R4 finds more at the cost of more false calls, the resident R5 is
# the least accurate.

# %% [markdown] tags=["deep-dive"]
# ### How much do the readers agree?
# *Deep dive · 3 min · optional: the correlation a paired analysis uses*
#
# Correlation matters for everything that follows: how often do two readers agree, and how often
# does a reader agree with the device?

# %% tags=["deep-dive"]
agreement = pd.DataFrame(np.corrcoef(np.column_stack([calls, device_call]).T.astype(float)),
                         index=[*readers.index, DEVICE], columns=[*readers.index, DEVICE])
print("correlation of positive calls between raters (phi coefficient), all 600 cases:")
agreement

# %% [markdown] tags=["deep-dive"]
# Readers agree with each other more than with the device (they share the case effect), but the
# device is not independent of them either: it also struggles with faint lesions. A
# **paired** analysis uses this correlation; an unpaired one wastes it.

# %% [markdown]
# ### The device's ROC curve against the readers
# *Core · 3 min*

# %%
fig, ax = plt.subplots(figsize=(6.4, 6))
fpr, tpr, _ = roc_curve(y, study_score)
ax.plot(fpr, tpr, color="black", linewidth=2,
        label=f"device, AUROC {standalone['AUROC'][0]:.3f}")
ax.plot(1 - standalone[SPEC][0], standalone[SENS][0], "s", color="black",
        markersize=10, label="device at its frozen threshold")
colours = plt.cm.tab10(np.arange(len(readers)))
for colour, r in zip(colours, readers.index, strict=True):
    f_r, t_r, _ = roc_curve(y, ratings[r])
    ax.plot(f_r, t_r, "-", color=colour, alpha=0.35, linewidth=1)
    ax.plot(1 - per_reader.loc[r, SPEC], per_reader.loc[r, SENS], "o",
            color=colour, markersize=9,
            label=f"{r} ({readers.loc[r, PROFILE]}), "
                  f"AUROC {per_reader.loc[r, AUC_RATINGS]:.3f}")
ax.plot(1 - per_reader.loc[READER_AVERAGE, SPEC],
        per_reader.loc[READER_AVERAGE, SENS], "*", color="red", markersize=16,
        label="reader average (rating ≥ 3)")
ax.plot([0, 1], [0, 1], ":", color="grey")
ax.set_xlim(-0.01, 0.6)
ax.set_ylim(0.4, 1.01)
ax.set_title("Reader-study test set: 600 cases, 300 lesions")
ax.set_xlabel("1 − specificity (false-positive fraction)")
ax.set_ylabel("Sensitivity (true-positive fraction)")
ax.legend(fontsize=7.5, loc="lower right")
plt.show()

# %% [markdown]
# Each reader's operating point (dots) sits on that reader's own ROC curve (thin lines, built
# from the 5-point ratings). A reader above and to the left of the device's curve is better than
# the device at that specificity. The device's curve runs through the middle of the readers: the
# question is whether the difference from the *average* reader could be chance.

# %% [markdown]
# ### Reader-averaged performance and the paired comparison
# *Core · 6 min*
#
# All measures are recomputed on the same 2000 case resamples; for the random-reader version each
# resample also draws 5 readers with replacement.

# %%
def by_reader_boot(values_fn):
    """(B, readers) array of a per-reader measure on every case resample."""
    return np.column_stack([values_fn(r) for r in range(len(readers))])


rating_arr = ratings.to_numpy()
reader_auc = by_reader_boot(lambda r: auc_rows(yb, rating_arr[case_idx, r]))
reader_sens = by_reader_boot(lambda r: (calls[case_idx, r] & (yb == 1)).sum(1) / (yb == 1).sum(1))
reader_spec = by_reader_boot(lambda r: (~calls[case_idx, r] & (yb == 0)).sum(1) / (yb == 0).sum(1))
device_sens = (device_call[case_idx] & (yb == 1)).sum(1) / (yb == 1).sum(1)
device_spec = (~device_call[case_idx] & (yb == 0)).sum(1) / (yb == 0).sum(1)
reader_draw = rng.integers(0, len(readers), size=(B, len(readers)))  # resampled readers

DEVICE_MINUS = shown("device − reader average")
CI_CASES, CI_READERS = shown("95% CI, cases only"), shown("95% CI, readers and cases")
LOWER_BOUND = shown("lower bound (random readers)")
rows = {}
for measure, per_r, dev in [("AUROC", reader_auc, device_auc_boot),
                            (SENS, reader_sens, device_sens),
                            (SPEC, reader_spec, device_spec)]:
    fixed = per_r.mean(axis=1)  # readers fixed
    resampled = np.take_along_axis(per_r, reader_draw, axis=1).mean(axis=1)  # readers resampled
    point_avg = per_reader.loc[READER_AVERAGE, AUC_RATINGS if measure == "AUROC" else measure]
    point_dev = per_reader.loc[DEVICE, AUC_RATINGS if measure == "AUROC" else measure]
    for label, est, f_boot, r_boot in [
            (READER_AVERAGE, point_avg, fixed, resampled),
            (DEVICE_MINUS, point_dev - point_avg, dev - fixed, dev - resampled)]:
        rows[(measure, label)] = {
            ESTIMATE: est,
            CI_CASES: "{:+.3f} to {:+.3f}".format(*np.quantile(f_boot, [0.025, 0.975])),
            CI_READERS: "{:+.3f} to {:+.3f}".format(*np.quantile(r_boot, [0.025, 0.975])),
            LOWER_BOUND: np.quantile(r_boot, 0.025),
        }
comparison = pd.DataFrame(rows).T
comparison

# %%
diff = comparison.xs(DEVICE_MINUS, level=1)
fig, ax = plt.subplots(figsize=(10, 3.4))
for k, measure in enumerate(diff.index):
    for offset, col, colour in [(-0.12, CI_CASES, "tab:blue"), (0.12, CI_READERS, "tab:orange")]:
        lo, hi = (float(v) for v in diff.loc[measure, col].split(" to "))
        ax.plot([lo, hi], [k + offset] * 2, color=colour, linewidth=3,
                label=col if k == 0 else None)
        ax.plot(diff.loc[measure, ESTIMATE], k + offset, "o", color="black")
ax.axvline(0, color="grey", linestyle=":")
ax.axvline(-0.05, color="red", linestyle="--", label="non-inferiority margin −0.05 (AUROC)")
ax.set_yticks(range(len(diff.index)), diff.index)
ax.set_xlabel("Device minus reader average (difference in proportion or AUROC)")
ax.set_title("Paired bootstrap over 600 cases (2000 resamples)")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
fig.tight_layout()
plt.show()

# %% [markdown]
# Three lessons in one figure. First, the device's AUROC is close to the reader average; whether
# it is *non-inferior* depends on whether the lower bound of the interval stays above the
# pre-specified margin (−0.05), and that should be read from the wider, random-reader interval.
# Second, sensitivity and specificity differences depend as much on the **threshold** as on the
# model: at its frozen threshold the device trades sensitivity and specificity differently from
# the average reader; here its sensitivity is higher and its specificity slightly lower.
# Comparing at a single point needs both numbers (or the AUROC). Third, treating the readers as
# fixed gives narrower intervals: with five readers of different skill, *which* five we asked is
# a large part of the uncertainty. That is why MRMC methods, and FDA, treat readers as a random
# sample and why reader studies recruit many readers.

# %% [markdown]
# ### Failure analysis: who does the device miss?
# *Core · 8 min*

# %%
pos = meta[meta["label"] == 1].copy()
pos["detected by device"] = device_call[pos.index]
pos["readers' detection rate"] = calls[pos.index].mean(axis=1)
pos["diameter (mm)"] = 2 * pos["radius_mm"]
edge_mm = distance_transform_edt(LUNG) * SPACING  # distance inside the lung template, mm
rows_px = np.clip(np.round(pos["centre_row"]).astype(int), 0, SIZE - 1)
cols_px = np.clip(np.round(pos["centre_col"]).astype(int), 0, SIZE - 1)
pos["edge distance (mm)"] = edge_mm[rows_px, cols_px]
# the lesion types of the data, as the figures and tables name them
LESION_NAMES = {"nodule": shown("nodule"), "opacity": shown("opacity")}
strata = {
    shown("lesion type"): pos["lesion_type"].map(LESION_NAMES),
    shown("diameter (mm)"): pd.qcut(pos["diameter (mm)"], 3, precision=0),
    shown("contrast"): pd.qcut(pos["contrast"], 3, precision=2),
    shown("centre to lung edge"): pd.cut(pos["edge distance (mm)"], [-1, 6, 1000],
                                         labels=[shown("≤ 6 mm (edge)"), "> 6 mm"]),
    shown("site"): pos["site"].map({"A": shown("site A"), "B": shown("site B (marker)")}),
}
DEVICE_SENS = shown("device sensitivity")
table = []
for name, groups in strata.items():
    for level, part in pos.groupby(groups, observed=True):
        hits = int(part["detected by device"].sum())
        lo, hi = wilson(hits, len(part))
        table.append({shown("factor"): name, shown("stratum"): str(level),
                      shown("lesions"): len(part), DEVICE_SENS: hits / len(part),
                      shown("95% CI low"): lo, shown("95% CI high"): hi,
                      shown("readers' average"): part["readers' detection rate"].mean()})
failure = pd.DataFrame(table).set_index([shown("factor"), shown("stratum")])
failure

# %%
fig, axes = plt.subplots(1, len(strata), figsize=(15, 3.8), sharey=True)
for ax, name in zip(axes, strata, strict=True):
    part = failure.loc[name]
    x = np.arange(len(part))
    ax.errorbar(x - 0.1, part[DEVICE_SENS],
                yerr=[part[DEVICE_SENS] - part[shown("95% CI low")],
                      part[shown("95% CI high")] - part[DEVICE_SENS]],
                fmt="s", color="black", capsize=3, label="device (95% CI)")
    ax.plot(x + 0.1, part[shown("readers' average")], "o", color="tab:red",
            label="readers' average")
    ax.set_xticks(x, [f"{s}\n(n={n})"
                      for s, n in zip(part.index, part[shown("lesions")], strict=True)],
                  fontsize=8)
    ax.set_title(name, fontsize=10)
    ax.set_ylim(0, 1.05)
axes[0].set_ylabel("Sensitivity (fraction of lesions flagged)")
axes[0].legend(fontsize=8, loc="lower left")
fig.suptitle("Failure analysis on the 300 study lesions", y=1.02)
fig.tight_layout()
plt.show()

# %% [markdown]
# Read the strata as a radiologist would; the intervals are wide (about ±0.08 with 100 lesions
# per stratum), so look for large, consistent gaps.
#
# - **Contrast** matters for the device: faint lesions are flagged less often. (The simulated
#   readers depend on contrast × size by construction.)
# - **Size** matters much more for the readers than for the device: the blob features at 1–2
#   pixels catch small nodules that the simulated readers often miss. Devices and readers can fail
#   on *different* cases, which is the argument for using a device as a second reader.
# - **Position** is the device's own weakness: lesions whose centre lies within about 6 mm of the
#   edge of the lung template are flagged far less often than central ones. This is a **design
#   limitation**, not bad luck: the device looks only inside a fixed, eroded template, so lesions at
#   the lung border or over the heart, where a patient's lungs do not match the template, fall
#   partly outside it. (Our simulated readers ignore position, so a real reader gap would be
#   smaller; the device's own gap is real.)
# - **Site**: sensitivity at site B is a little higher than at site A, with overlapping intervals.
#   The specificity side follows.

# %%
neg_part = meta[meta["label"] == 0]
spec_site = {}
for site, part in neg_part.groupby("site"):
    correct = int((~device_call[part.index]).sum())
    lo, hi = wilson(correct, len(part))
    row_name = shown(f"site {site}")
    spec_site[row_name] = {shown("normal images"): len(part),
                           shown("device specificity"): correct / len(part),
                           shown("95% CI low"): lo, shown("95% CI high"): hi}
pd.DataFrame(spec_site).T

# %% [markdown]
# Specificity is lower at site B. Is that chance (we looked at five factors; one apparent
# difference among them is not surprising), or does the marker reach the device? The template
# excludes the corner, but the largest Gaussian filters (σ = 6 pixels, effectively ±24 pixels)
# do not stop at the template edge. A **counterfactual** settles it, as in im03: stamp the marker
# onto every site-A image and score them again.

# %%
r0, r1 = study.ground_truth["token_rule"]["token_rows"]
c0, c1 = study.ground_truth["token_rule"]["token_cols"]
site_b = meta["has_token"].to_numpy()
marker = study.images[np.flatnonzero(site_b)[0], r0:r1, c0:c1] == np.float32(0.97)
site_a = np.flatnonzero(~site_b)
stamped = study.images[site_a].copy()
stamped[:, r0:r1, c0:c1][:, marker] = np.float32(0.97)  # the same L, same place, same value
score_stamped = device.predict_proba(image_features(stamped))[:, 1]
normal_a = y[site_a] == 0
flag_before = (study_score[site_a][normal_a] >= THRESHOLD).mean()
flag_after = (score_stamped[normal_a] >= THRESHOLD).mean()
print(f"site-A images, marker stamped on: mean change of the score "
      f"{(score_stamped - study_score[site_a]).mean():+.4f}")
print(f"normal site-A images flagged: {flag_before:.3f} before, {flag_after:.3f} after "
      f"(specificity {1 - flag_before:.3f} -> {1 - flag_after:.3f})")

# %% [markdown]
# The marker does leak in: stamping it raises the scores and lowers the specificity of the same
# site-A images by a few points. The effect is real but smaller than the observed gap between the
# sites, so the rest of the gap is chance. Two lessons: "the device never looks at the corner" was
# a belief, not a test; and a subgroup difference needs a *mechanism* check before it becomes a
# claim. The fix (set everything outside the body to air before filtering) is a change to the
# device, to be made and re-validated before submission.
#
# What the failure analysis puts into the device's labelling: "Limitations: sensitivity is lower
# for lesions within about 6 mm of the lung border, including those projecting over the heart or
# diaphragm, and for faint lesions". And into the next version: a lung segmentation per image
# instead of a fixed template. Changing the template is a modification of the device: it would
# need either a new submission or to have been described in a PCCP.

# %% [markdown] tags=["deep-dive"]
# ### The missed images
# *Deep dive · 4 min · optional: the images behind the failure analysis*
#
# Finally, the images behind the numbers: the six missed lesions with the highest contrast
# (the misses that are hardest to excuse), with the lung template in yellow.

# %% tags=["deep-dive"]
missed = pos[~pos["detected by device"]].sort_values("contrast", ascending=False).head(6)
fig, axes = plt.subplots(1, len(missed), figsize=(2.5 * len(missed), 3), layout="constrained")
for ax, (i, row) in zip(axes, missed.iterrows(), strict=True):
    ax.imshow(study.images[i], cmap="gray", vmin=0, vmax=1)
    ax.contour(TEMPLATE, levels=[0.5], colors="yellow", linewidths=0.6)
    ax.contour(study.masks[i], levels=[0.5], colors="red", linewidths=0.8)
    ax.set_title(f"{LESION_NAMES[row['lesion_type']]}, {row['diameter (mm)']:.0f} mm\n"
                 f"contrast {row['contrast']:.2f}, edge {row['edge distance (mm)']:.0f} mm",
                 fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("Missed lesions (red) with the device's lung template (yellow)")
plt.show()

# %% [markdown] tags=["deep-dive"]
# Most of these high-contrast misses sit at the border of the template, straddle it, or lie
# over the heart border where the template and the patient's lung disagree: the images confirm
# the cause that the position stratum pointed to.

# %% [markdown]
# ### Deployment: a simulated year in one hospital
# *Core · 10 min*
#
# Forty weeks of 80 studies each. From week 13 the share of studies with a lesion doubles; from
# week 27 the new detector produces images with a slightly compressed grey scale and a softer
# point-spread function. The device is frozen throughout.

# %%
WEEKS, PER_WEEK, LABEL_DELAY = 40, 80, 6
SEASON_WEEK, DETECTOR_WEEK = 13, 27


def new_detector(images):
    """Different processing (grey scale 0.04 + 0.9 x) and a softer detector (blur, σ = 0.5 px)."""
    return gaussian_filter(np.clip(0.04 + 0.9 * images, 0, 1), (0, 0.5, 0.5))


records = []
for week in range(1, WEEKS + 1):
    batch = datasets.load("chest_xray_phantoms", n_images=PER_WEEK,
                          prevalence=0.15 if week < SEASON_WEEK else 0.30, seed=5000 + week)
    images = batch.images if week < DETECTOR_WEEK else new_detector(batch.images)
    detail = (images - gaussian_filter(images, (0, 1, 1)))[:, TEMPLATE]
    mad = np.median(np.abs(detail - np.median(detail, axis=1, keepdims=True)), axis=1)
    records.append(pd.DataFrame({
        "week": week, "label": batch.labels,
        "score": device.predict_proba(image_features(images))[:, 1],
        "lung brightness": np.median(images[:, TEMPLATE], axis=1),  # robust to the lesions
        "sharpness": 1.4826 * mad,  # robust SD of the fine detail
    }))
stream = pd.concat(records, ignore_index=True)
stream["flagged"] = stream["score"] >= THRESHOLD
weekly = stream.groupby("week").agg(studies=("label", "size"), lesions=("label", "sum"),
                                    flag_rate=("flagged", "mean"),
                                    lung_brightness=("lung brightness", "mean"),
                                    sharpness=("sharpness", "mean"))
weekly.iloc[[0, 11, 12, 25, 26, 39]]

# %% [markdown]
# Now the monitors. The reference period is weeks 1–12. Each function is a few lines, so a
# hospital's physicist or data team could run them on the device's log files.

# %%
REF_WEEKS, K, H = 12, 0.5, 8.0
REF = stream["week"] <= REF_WEEKS


def cusum(z_scores, k=K, h=H):
    """Two-sided CUSUM of standardised weekly values; returns S+, S- and the first alarm week."""
    s_plus, s_minus, up, down = 0.0, 0.0, [], []
    alarm = None
    for week, z_t in z_scores.items():
        s_plus, s_minus = max(0.0, s_plus + z_t - k), max(0.0, s_minus - z_t - k)
        up.append(s_plus)
        down.append(s_minus)
        if alarm is None and max(s_plus, s_minus) > h:
            alarm = int(week)
    return pd.Series(up, z_scores.index), pd.Series(down, z_scores.index), alarm


def psi(reference, current, bins=10):
    """Population stability index with bins at the deciles of the reference scores."""
    edges = np.quantile(reference, np.linspace(0, 1, bins + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    q = np.histogram(reference, edges)[0] / len(reference)
    p = np.clip(np.histogram(current, edges)[0] / len(current), 1e-4, None)  # avoid log(0)
    return float(np.sum((p - q) * np.log(p / q)))


monitor = pd.DataFrame(index=weekly.index)
alarms = {}
n_t = weekly["studies"]
for stat in ["lung brightness", "sharpness"]:
    mu0, sd0 = stream.loc[REF, stat].mean(), stream.loc[REF, stat].std()
    monitor[f"z {stat}"] = (stream.groupby("week")[stat].mean() - mu0) / (sd0 / np.sqrt(n_t))
p0 = stream.loc[REF, "flagged"].mean()
monitor["z flag rate"] = (weekly["flag_rate"] - p0) / np.sqrt(p0 * (1 - p0) / n_t)
for stat in ["lung brightness", "sharpness", "flag rate"]:
    z_t = monitor.loc[monitor.index > REF_WEEKS, f"z {stat}"]
    up, down, alarms[f"CUSUM, {stat}"] = cusum(z_t)
    monitor[f"S+ {stat}"], monitor[f"S− {stat}"] = up, down
    beyond = z_t.index[z_t.abs() > 3]
    alarms[f"Shewhart |z| > 3, {stat}"] = int(beyond[0]) if len(beyond) else None

ref_scores = stream.loc[REF, "score"].to_numpy()
monitor["PSI (last 4 weeks)"] = [
    psi(ref_scores, stream.loc[stream["week"].between(w - 3, w), "score"])
    if w > REF_WEEKS else np.nan for w in weekly.index]
psi_null = 9 * (1 / (4 * PER_WEEK) + 1 / len(ref_scores))
over = monitor.index[monitor["PSI (last 4 weeks)"] > 0.1]
alarms["PSI > 0.1"] = int(over[0]) if len(over) else None
print(f"reference flag rate p0 = {p0:.3f}; PSI expected with no change ≈ {psi_null:.3f}")
pd.Series(alarms, name=shown("first alarm (week)")).to_frame()

# %% [markdown]
# Performance needs labels. For each 4-week block, sensitivity and specificity at the frozen
# threshold become known 6 weeks after the block ends.

# %%
stream["block"] = (stream["week"] - 1) // 4
blocks = []
for _, part in stream.groupby("block"):
    lesion, normal = part["label"] == 1, part["label"] == 0
    tp, tn = int(part.loc[lesion, "flagged"].sum()), int((~part.loc[normal, "flagged"]).sum())
    s_lo, s_hi = wilson(tp, lesion.sum())
    c_lo, c_hi = wilson(tn, normal.sum())
    blocks.append({shown("weeks"): f"{part['week'].min()}–{part['week'].max()}",
                   shown("labels available (week)"): part["week"].max() + LABEL_DELAY,
                   shown("lesions"): int(lesion.sum()), SENS: tp / lesion.sum(),
                   shown("sens low"): s_lo, shown("sens high"): s_hi, SPEC: tn / normal.sum(),
                   shown("spec low"): c_lo, shown("spec high"): c_hi,
                   "AUROC": roc_auc_score(part["label"], part["score"])})
blocks = pd.DataFrame(blocks)
old = stream["week"] < DETECTOR_WEEK
reference_sens = stream.loc[old & (stream["label"] == 1), "flagged"].mean()
worse = blocks[(blocks[shown("sens high")] < reference_sens)
               & (blocks[shown("labels available (week)")] > DETECTOR_WEEK)]
confirmed_week = int(worse[shown("labels available (week)")].min()) if len(worse) else None
print(f"sensitivity before the detector change (weeks 1–26): {reference_sens:.3f}; first block "
      f"whose whole 95% CI lies below it is known at week {confirmed_week}")
blocks

# %%
fig, axes = plt.subplots(4, 1, figsize=(10, 12.5), sharex=True)
events = [(SEASON_WEEK, shown("prevalence 15% → 30%")), (DETECTOR_WEEK, shown("new detector"))]
styles = {"lung brightness": "tab:green", "sharpness": "tab:blue", "flag rate": "black"}
STAT_NAMES = {"lung brightness": shown("lung brightness"), "sharpness": shown("sharpness"),
              "flag rate": shown("flag rate")}  # the monitored statistics, as the legends say
for stat in ["lung brightness", "sharpness"]:
    axes[0].plot(monitor.index, monitor[f"z {stat}"], "o-", color=styles[stat], markersize=4,
                 label=STAT_NAMES[stat])
axes[0].axhspan(-3, 3, color="grey", alpha=0.15, label="Shewhart limits ±3")
axes[0].axvspan(0.5, REF_WEEKS + 0.5, color="gold", alpha=0.15, label="reference period")
axes[0].set_ylabel("Weekly mean, z (standard errors)")
axes[0].set_title("Inputs: weekly mean of two image statistics against weeks 1–12")
for stat, colour in styles.items():
    axes[1].plot(monitor.index, monitor[f"S+ {stat}"], "-", color=colour,
                 label=f"S+ {STAT_NAMES[stat]}")
    axes[1].plot(monitor.index, monitor[f"S− {stat}"], "--", color=colour,
                 label=f"S− {STAT_NAMES[stat]}")
axes[1].axhline(H, color="red", label=f"alarm h = {H:.0f}")
axes[1].set_ylim(0, 30)
axes[1].set_ylabel("CUSUM (clipped at 30)")
axes[1].set_title(f"Two-sided CUSUM (k = {K}) from week {REF_WEEKS + 1}: inputs and flag rate")
axes[2].plot(weekly.index, weekly["flag_rate"], "o-", color="black", markersize=4,
             label="weekly flag rate")
limit = 3 * np.sqrt(p0 * (1 - p0) / n_t)
axes[2].fill_between(weekly.index, p0 - limit, p0 + limit, color="grey", alpha=0.2,
                     label="reference rate ± 3 SE")
ax_psi = axes[2].twinx()
ax_psi.plot(monitor.index, monitor["PSI (last 4 weeks)"], "-", color="tab:purple", linewidth=2,
            label="PSI, last 4 weeks")
ax_psi.axhline(0.1, color="tab:purple", linestyle=":")
ax_psi.axhline(0.25, color="tab:purple", linestyle="--")
ax_psi.set_ylabel("PSI (dotted 0.1, dashed 0.25)", color="tab:purple")
ax_psi.legend(fontsize=8, loc="upper right")
axes[2].set_ylabel("Fraction of studies flagged")
axes[2].set_title("Outputs: flag rate and population stability index of the scores")
for measure, lo, hi, colour in [(SENS, shown("sens low"), shown("sens high"), "tab:red"),
                                (SPEC, shown("spec low"), shown("spec high"), "tab:blue")]:
    axes[3].errorbar(blocks[shown("labels available (week)")], blocks[measure],
                     yerr=[blocks[measure] - blocks[lo], blocks[hi] - blocks[measure]],
                     fmt="o", capsize=3, color=colour, label=f"{measure} (95% CI)")
axes[3].set_ylim(0.3, 1.02)
axes[3].set_ylabel("At the frozen threshold")
axes[3].set_title(f"Performance of each 4-week block, plotted when its labels arrive "
                  f"({LABEL_DELAY} weeks after the block)")
axes[3].set_xlabel("Week of deployment")
for ax in axes:
    for week, _ in events:
        ax.axvline(week, color="grey", linestyle="--", linewidth=1)
    ax.legend(fontsize=7.5, loc="upper left", ncol=2 if ax is axes[1] else 1)
for week, text in events:
    axes[3].text(week + 0.3, 0.33, text, fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# The two changes leave different fingerprints (compare the alarm table with the figure).
#
# - **Prevalence (week 13).** The images of each class look the same, so the input monitors stay
#   quiet (their CUSUMs stay below $h$). The outputs move: more studies contain a lesion, so more
#   are flagged and the score distribution shifts; the PSI crosses 0.1 within a few weeks and
#   the flag-rate CUSUM fires a little later. Sensitivity and specificity, once the labels
#   arrive, are unchanged: the device works as before, it simply sees more disease (and its
#   positive predictive value rises). An output alarm is a reason to *investigate*, not proof that
#   the device is broken.
# - **New detector (week 27).** Both input monitors fire in the very first week: the images have
#   changed, and sharpness moves by tens of standard errors. The scores drop, so the flag rate
#   falls back to about its reference level: an output-only monitor that had been quiet during
#   the reference period would now suggest that all is well. The PSI, in contrast, shows a major
#   shift. The labels confirm the damage only weeks later: the week in which the first block whose
#   whole sensitivity interval lies below the pre-change sensitivity becomes known is printed above
#   the block table, and in that table sensitivity has fallen while specificity rose. Without input
#   monitoring, patients would have been read with a weakened device for all the weeks in between
#   before anyone could prove it.
#
# Is the model broken, or only its threshold? The AUROC per block barely moves after week 27: the
# device still ranks images well; the new images just produce lower scores.

# %% [markdown] tags=["deep-dive"]
# ### A change under a PCCP: re-estimating the threshold
# *Deep dive · 6 min · optional: a PCCP modification played out*
#
# Because the ranking survives, a **modification pre-specified in a PCCP** could be "re-estimate
# the threshold on locally labelled images after a change of detector, to restore a specificity
# of 0.85, with acceptance criteria".
# We play it out: re-estimate the threshold on the labelled normal studies of weeks 27–30 (their
# labels are complete in week 36) and evaluate it on weeks 31–40, which were not used to set it.
# (In practice the new threshold would be switched on from week 36.)

# %% tags=["deep-dive"]
recal = stream[stream["week"].between(DETECTOR_WEEK, DETECTOR_WEEK + 3)]
new_normals = np.sort(recal.loc[recal["label"] == 0, "score"])
new_threshold = new_normals[int(np.ceil(0.85 * len(new_normals))) - 1]
later = stream[stream["week"] > DETECTOR_WEEK + 3]
before_change = stream[stream["week"].between(SEASON_WEEK, DETECTOR_WEEK - 1)]
summary = {}
for name, part, thr in [
        (shown("weeks 13–26, old detector, frozen threshold"), before_change, THRESHOLD),
        (shown("weeks 31–40, new detector, frozen threshold"), later, THRESHOLD),
        (shown("weeks 31–40, new detector, re-estimated threshold"), later, new_threshold)]:
    flag = part["score"] >= thr
    lesion = part["label"] == 1
    summary[name] = {shown("threshold"): thr, SENS: flag[lesion].mean(),
                     SPEC: 1 - flag[~lesion].mean(), shown("flag rate"): flag.mean(),
                     "AUROC": roc_auc_score(part["label"], part["score"])}
pd.DataFrame(summary).T

# %% [markdown] tags=["deep-dive"]
# Re-estimating the threshold brings sensitivity and specificity back near their pre-change
# values, without touching the model. Under a PCCP this is allowed only if it is the modification
# described, done by the protocol described, and it passes the acceptance criteria written in
# advance; re-training the features for the new detector, or changing the template, would be a
# larger change.

# %% [markdown]
# ### The evidence in the shape of a submission
# *Core · 3 min*
#
# Everything above, collected as a reviewer would want to find it. Each number is read from the
# analyses of this notebook.

# %%
device_minus = comparison.xs(DEVICE_MINUS, level=1)
edge = failure.loc[shown("centre to lung edge")]
lower = device_minus.loc["AUROC", LOWER_BOUND]
verdict = shown("shown") if lower > -0.05 else shown("not shown")
evidence = [
    (shown("Intended use"),
     shown("flag frontal chest radiographs of adults with a suspected lung nodule or "
           "opacity for a second look; the radiologist reads every image")),
    (shown("Standalone performance (600 cases, 300 lesions)"),
     shown(f"AUROC {standalone['AUROC'][0]:.3f} (95% CI {standalone['AUROC'][1]:.3f} to "
           f"{standalone['AUROC'][2]:.3f}); sensitivity {standalone[SENS][0]:.2f}, "
           f"specificity {standalone[SPEC][0]:.2f} at the threshold fixed on tuning data")),
    (shown("Reader study (5 readers × 600 cases, fully crossed)"),
     shown(f"device minus reader-average AUROC {device_minus.loc['AUROC', ESTIMATE]:+.3f} "
           f"(95% CI, readers and cases: {device_minus.loc['AUROC', CI_READERS]}); "
           f"non-inferiority at margin −0.05 {verdict}; an MRMC "
           f"analysis (Obuchowski–Rockette) and more readers would be needed for a submission")),
    (shown("Subgroups and limitations"),
     shown(f"sensitivity {edge[DEVICE_SENS].iloc[0]:.2f} for lesions within 6 mm of the lung "
           f"edge vs {edge[DEVICE_SENS].iloc[1]:.2f} elsewhere; lower for faint lesions; the "
           f"site marker leaks into large-scale features (specificity {1 - flag_before:.2f} → "
           f"{1 - flag_after:.2f} when stamped on): to be fixed before submission")),
    (shown("Post-market monitoring plan"),
     shown(f"weekly two-sided CUSUM (k {K}, h {H:.0f}) on lung brightness, sharpness and flag "
           f"rate against the first {REF_WEEKS} weeks; 4-week PSI (investigate above 0.1); "
           f"sensitivity and specificity per 4-week block when labels arrive ({LABEL_DELAY} "
           f"weeks). In the simulation the detector change was flagged in week "
           f"{alarms['CUSUM, sharpness']} and confirmed by labels in week {confirmed_week}")),
    (shown("Predetermined change control plan"),
     shown("after a change of detector: re-estimate the threshold on at least 4 weeks of "
           "locally labelled studies to restore specificity 0.85; acceptance: sensitivity "
           "within 0.05 of the cleared value; users informed of the update")),
]
display(Markdown("| evidence | this device |\n|---|---|\n"
                 + "\n".join(f"| **{item}** | {text} |" for item, text in evidence)))

# %% [markdown]
# ### Key results
# *Core · 3 min*
#
# The headline numbers of this lesson. All of them come from phantoms, simulated readers and a
# simulated deployment, so none has a published counterpart it could be compared with (the
# paragraph after the table explains why the reader study of the clinical question is not set
# beside them).

# %%
key_results.show({name: float(value) for name, value in {
    "device AUROC (reader-study set)": standalone["AUROC"][0],
    "reader-average AUROC": per_reader.loc[READER_AVERAGE, AUC_RATINGS],
    "device − readers AUROC, lower 95% bound (random readers)": lower,
    "device sensitivity, lesions within 6 mm of the lung edge": edge[DEVICE_SENS].iloc[0],
    "weeks from detector change to input alarm": alarms["CUSUM, sharpness"] - DETECTOR_WEEK,
    "weeks from detector change to label confirmation": confirmed_week - DETECTOR_WEEK,
}.items()}, caption="Key results of the simulation: 600 synthetic cases read by 5 simulated "
                     "readers, and a 40-week simulated deployment; no published figure is comparable")

# %% [markdown]
# **Why there is no published column.** The clinical question quoted the reader study in the
# K223491 summary: real radiologists, real radiographs, another finding (pneumothorax), and an
# unaided and an aided reader-average AUROC. Our reader-average AUROC is a property of the
# simulation: it follows from the skills, thresholds and noise we gave the readers in Method 2,
# on phantoms without anatomy, and with other parameters it would be whatever we chose. Set side
# by side, the two numbers would invite conclusions ("our readers are as good as real ones", "our
# device matches real radiologists") that neither supports. The same holds for the device's AUROC
# and for the weeks to an alarm, which depend on the drift we simulated. What the published study
# and this lesson share is the **design**: a fully crossed study, a reader average, a paired
# comparison, and an interval that treats readers as a random sample. That, not the numbers, is
# what transfers.

# %% [markdown]
# ## Pitfalls
# *Core · 3 min*
#
# - **Tuning on the test set.** The threshold, the features and the reader-study protocol must be
#   fixed before the test cases are read. A threshold chosen on the study data turns the reported
#   sensitivity into a best case.
# - **Fixed-reader intervals.** Resampling cases only answers a question about the five readers
#   in the room. A claim about radiologists in general needs readers as a random effect (MRMC:
#   Obuchowski–Rockette, DBM, iMRMC) and more than a handful of them.
# - **Unpaired comparisons.** The device and the readers read the same cases; two separate
#   intervals ignore the correlation and make real differences look like noise.
# - **Enrichment changes predictive values.** A 50% lesion study set is efficient for
#   sensitivity and specificity, but PPV and NPV from it mean nothing for a clinic with 5%
#   prevalence; recompute them with Bayes' rule (dx01).
# - **Comparing at one point.** A device at a different threshold from the readers can look
#   better in sensitivity and worse in specificity at the same time. Compare ROC curves or
#   pre-specify the operating point and both measures.
# - **The reader study is not the clinic.** Readers in a study know they are tested, see an
#   enriched case mix and read without the patient's history. FDA's CADe guidance and GMLP
#   principle 7 ask for the performance of the **human–AI team**, ideally in the intended workflow.
# - **Output drift is not performance drift.** A change in prevalence moves the flag rate and
#   the PSI without any loss of accuracy, and an acquisition change can hurt sensitivity while the
#   flag rate *falls*, which looks like good news. Monitor inputs, outputs and labelled
#   performance, and investigate alarms before acting on them.
# - **Waiting for labels.** Reference standards for lung lesions (CT, follow-up, histology) take
#   weeks to months. Only input and output monitors can react in time.
# - **Silent changes.** A software update of the X-ray system, a new post-processing preset or a
#   new PACS compression setting changes the images as surely as a new detector. Device
#   labelling should state the acquisition conditions that were validated.

# %% [markdown]
# ## Exercises
# *Core · 20 min · in the lab: exercise 2, then 1 or 3 by track; 4 and 5 at home*
#
# 1. **(Clinician track) Write the labelling.** From the failure analysis, write the
#    "Limitations" paragraph of the instructions for use (about 100 words) and one sentence of
#    the intended use. Which finding would you expect a reviewer to ask more data about?
# 2. **(Both tracks) More readers, fewer cases?** Re-simulate the reader study with 10 readers
#    (draw skills from $N(2.1, 0.35^2)$ and thresholds from $N(1.1, 0.25^2)$) and 300 cases.
#    Compare the widths of the two kinds of interval for the AUROC difference with the 5-reader,
#    600-case study. Which resource, readers or cases, narrows the random-reader interval more?
# 3. **(Engineer track) Tuning the monitor.** Run the CUSUM with the textbook $h = 5$ and with
#    $h = 3$, and with a reference period of only weeks 1–8. Do the input charts now alarm before
#    week 27? If so, is that a real change in the images, or the error of the estimated reference
#    mean? Estimate the false-alarm rate of each setting by applying the CUSUM to 1000
#    simulated series of 40 weeks with no change (draw the weekly $z_t$ from a normal
#    distribution, then add the error of a reference mean estimated from 8 or 12 weeks).
# 4. **(Engineer track) A smaller change.** Replace the new detector by a blur of σ = 0.3 pixels
#    and no grey-scale change. Which monitors still fire, and when? How large is the loss of
#    sensitivity, and would a block-wise performance monitor with 4-week blocks detect it at all?
# 5. **(Challenge) Plug in the CNN.** Train the small CNN of im03 (about 30 s) on the
#    development set, fix its threshold on the tuning set, and replace `study_score` with its
#    output. Repeat the reader comparison and the failure analysis. Does the CNN share the
#    template's weakness at the lung edge? How do its scores respond to the new detector?

# %% [markdown]
# ## References
#
# 1. Obuchowski NA, Rockette HE. Hypothesis testing of diagnostic accuracy for multiple readers
#    and multiple tests: an ANOVA approach with dependent observations. *Commun Stat Simul
#    Comput*. 1995;24(2):285–308. doi:10.1080/03610919508813243
# 2. Dorfman DD, Berbaum KS, Metz CE. Receiver operating characteristic rating analysis:
#    generalization to the population of readers and patients with the jackknife method. *Invest
#    Radiol*. 1992;27(9):723–731.
# 3. Hillis SL, Berbaum KS, Metz CE. Recent developments in the Dorfman-Berbaum-Metz procedure for
#    multireader ROC study analysis. *Acad Radiol*. 2008;15(5):647–661.
# 4. Gallas BD. One-shot estimate of MRMC variance: AUC. *Acad Radiol*. 2006;13(3):353–362.
#    And Gallas BD, Chan H-P, D'Orsi CJ, et al. Evaluating imaging and computer-aided detection and
#    diagnosis devices at the FDA. *Acad Radiol*. 2012;19(4):463–477.
# 5. Roe CA, Metz CE. Dorfman-Berbaum-Metz method for statistical analysis of multireader,
#    multimodality receiver operating characteristic data: validation with computer simulation.
#    *Acad Radiol*. 1997;4(4):298–303.
# 6. Wilson EB. Probable inference, the law of succession, and statistical inference. *J Am Stat
#    Assoc*. 1927;22(158):209–212.
# 7. Lindeberg T. Feature detection with automatic scale selection. *Int J Comput Vis*.
#    1998;30(2):79–116.
# 8. Page ES. Continuous inspection schemes. *Biometrika*. 1954;41(1/2):100–115.
# 9. Montgomery DC. *Introduction to Statistical Quality Control*. 7th ed. Hoboken, NJ: Wiley;
#    2012.
# 10. Yurdakul B. *Statistical properties of population stability index*. PhD dissertation,
#     Western Michigan University; 2018.
# 11. Rabanser S, Günnemann S, Lipton ZC. Failing loudly: an empirical study of methods for
#     detecting dataset shift. In: *Advances in Neural Information Processing Systems 32
#     (NeurIPS 2019)*.
# 12. Finlayson SG, Subbaswamy A, Singh K, et al. The clinician and dataset shift in artificial
#     intelligence. *N Engl J Med*. 2021;385(3):283–286. doi:10.1056/NEJMc2104626
# 13. US Food and Drug Administration. 21 CFR 892.2070, Medical image analyzer; Radiology devices:
#     reclassification of medical image analyzers, final order. *Federal Register*
#     85(14):3545–3548, 22 January 2020. And 21 CFR 892.2080, Radiological computer aided triage
#     and notification software, final order, 85 FR 3543, 22 January 2020.
# 14. US Food and Drug Administration. *Computer-Assisted Detection Devices Applied to Radiology
#     Images and Radiology Device Data – Premarket Notification [510(k)] Submissions*, and
#     *Clinical Performance Assessment: Considerations for Computer-Assisted Detection Devices
#     Applied to Radiology Images and Radiology Device Data in Premarket Notification (510(k))
#     Submissions*. Guidance for industry and FDA staff; first issued July 2012, updated
#     September 2022.
# 15. US Food and Drug Administration. *Marketing Submission Recommendations for a Predetermined
#     Change Control Plan for Artificial Intelligence-Enabled Device Software Functions*. Final
#     guidance, December 2024 (draft April 2023).
# 16. US Food and Drug Administration. *Artificial Intelligence-Enabled Device Software Functions:
#     Lifecycle Management and Marketing Submission Recommendations*. Draft guidance, January 2025.
# 17. US FDA, Health Canada, UK MHRA. *Good Machine Learning Practice for Medical Device
#     Development: Guiding Principles*. 27 October 2021.
# 18. US FDA, Health Canada, UK MHRA. *Predetermined Change Control Plans for Machine
#     Learning-Enabled Medical Devices: Guiding Principles*. October 2023.
# 19. US Food and Drug Administration. 510(k) summary K223491, Critical Care Suite with
#     Pneumothorax Detection AI Algorithm (GE Medical Systems), decision 25 May 2023.
# 20. Regulation (EU) 2017/745 on medical devices (MDR), Annex VIII Rule 11, Articles 61 and
#     83–86. And Medical Device Coordination Group. *MDCG 2019-11: Guidance on qualification and
#     classification of software in Regulation (EU) 2017/745 – MDR and Regulation (EU) 2017/746 –
#     IVDR*. October 2019.
# 21. Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence
#     (Artificial Intelligence Act), Article 6(1) and Annex I; Article 113 (dates of application).
# 22. Ministry of Food and Drug Safety (Korea). Press release on the approval of VUNO Med-BoneAge,
#     the first AI-based medical device, 16 May 2018; *Digital Medical Products Act* (Act No.
#     20139, promulgated 23 January 2024, in force 24 January 2025).
# 23. Bossuyt PM, Reitsma JB, Bruns DE, et al. STARD 2015: an updated list of essential items for
#     reporting diagnostic accuracy studies. *BMJ*. 2015;351:h5527. doi:10.1136/bmj.h5527
# 24. Mongan J, Moy L, Kahn CE Jr. Checklist for Artificial Intelligence in Medical Imaging
#     (CLAIM): a guide for authors and reviewers. *Radiol Artif Intell*. 2020;2(2):e200029.
#     doi:10.1148/ryai.2020200029
