# %% [markdown]
# # dx01 · Clinical prediction basics
#
# *Module: AI diagnosis and prediction · Core path: about 115 minutes, plus about 30 minutes of
# optional deep dives · Prerequisites: basic Python and pandas, conditional probability; no prior
# machine learning needed.*
#
# Each section says whether it is **core** (taught in the lab) or an optional **deep dive**
# (reading for after the lab), and roughly how long it takes. The core path runs on its own:
# nothing in it needs a deep dive.

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# By the end you can ...
#
# - ... explain why a prediction model must be fitted on training data only, and build a
#   leakage-safe scikit-learn `Pipeline` that standardises features and fits a logistic regression;
# - ... turn predicted probabilities into decisions and read the resulting confusion matrix as
#   missed cancers and unnecessary biopsies;
# - ... compute and interpret sensitivity, specificity, PPV and NPV, and use Bayes' theorem to
#   explain why PPV and NPV change when the same test is used in a population with a different
#   prevalence;
# - ... draw and interpret ROC and precision–recall curves, and say what AUROC does and does not
#   tell a clinician;
# - ... choose an operating threshold from explicit clinical costs, and explain why the default
#   threshold of 0.5 is rarely the right one.

# %% [markdown]
# ## Clinical question
# *Core · 5 min*
#
# A 48-year-old woman is seen in a breast clinic with a palpable lump. As part of the usual
# assessment (examination, imaging, needle sampling), a **fine-needle aspirate (FNA)** is taken
# from the mass. The cells are smeared on a slide, stained and photographed, and software outlines
# the cell nuclei and measures their size, shape and texture: 30 numbers per patient.
#
# > Can a model that reads these 30 nuclear features support the decision to **treat the mass as
# > malignant and refer for definitive biopsy/treatment**, rather than reassure and follow up? And
# > if so, at what **operating point** should the model say "malignant"?
#
# The two possible errors are not equally bad:
#
# - a **false negative** is a *missed cancer*: the patient is reassured, and diagnosis and
#   treatment are delayed;
# - a **false positive** is an *unnecessary biopsy*: discomfort, anxiety, cost and a small
#   complication risk, but the cancer question is then settled by histology.
#
# Keep this asymmetry in mind. Most of this lesson is about turning a model's output into a
# decision that respects it.

# %% [markdown]
# ## Data card
# *Core · 8 min*
#
# | Item | Description |
# |---|---|
# | **What** | Wisconsin Diagnostic Breast Cancer (WDBC) data. For each patient, one digitised image of an FNA slide of a breast mass. Nuclear boundaries were traced with an interactive active-contour ("snake") method, and 10 characteristics were computed for every nucleus: radius, texture, perimeter, area, smoothness, compactness, concavity, concave points, symmetry and fractal dimension. Each is summarised over the nuclei in the image as the **mean**, the **standard error** (`... error`) and the **"worst"** value (mean of the three largest), giving 30 features. |
# | **Who** | A consecutive series of patients with a breast mass sampled by FNA at the University of Wisconsin Hospitals, Madison, USA (Street, Wolberg & Mangasarian 1993; Wolberg, Street & Mangasarian 1994). No age, sex, ethnicity or other demographics are included. |
# | **How collected** | Routine clinical FNA slides, imaged and analysed by the originating group with their own image-analysis software. The nuclear outlines were initialised by an operator, so the features are *semi*-automatic. |
# | **Size** | 569 patients × 30 numeric features; no missing values. 212 malignant, 357 benign. |
# | **Outcome** | Final diagnosis of the mass, benign or malignant, as recorded by the originating group (see the 1994 paper for how diagnoses were confirmed). **Coding in this course: `malignant = 1` (positive class), `benign = 0`.** Note: scikit-learn's raw `load_breast_cancer` uses the opposite coding; the course loader `medai.datasets` recodes it so that "sensitivity" means sensitivity for cancer. |
# | **Licence** | CC BY 4.0, via the UCI Machine Learning Repository (doi:10.24432/C5DW2B). |
# | **PHI status** | De-identified public data: only image-derived measurements and the diagnosis. No names, dates or record numbers (the sample ID in the UCI file is not included here). |
# | **Known limitations** | (1) **Referral population**: every patient already had a mass worth sampling, so the malignancy prevalence is about 37%, far above screening (~0.5%). (2) **Single centre**, one imaging set-up and one software system from the early 1990s: features from another lab or scanner may be distributed differently. (3) No demographics, so performance in subgroups cannot be checked. (4) Small: a 25% test set contains only about 53 cancers. (5) A very widely used benchmark, so published results on it are collectively over-tuned. |
#
# Below we load the data through the course's dataset API and print the facts it carries.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 42  # one seed for every random step, so the lesson is reproducible
np.random.seed(SEED)
pd.set_option("display.precision", 3)

# %%
data = datasets.load("breast_cancer_wisconsin")

print("Description:", data.description)
print("Source:     ", data.source)
print("Licence:    ", data.licence)
print("Outcome coding:", data.target_names)

# %%
X = data.features  # 569 x 30 DataFrame of nuclear features
y = data.target  # Series "malignant": 1 = malignant, 0 = benign
print(f"{X.shape[0]} patients, {X.shape[1]} features, missing values: {X.isna().sum().sum()}")
data.frame.head()

# %% [markdown]
# ### Class balance
# *Core · 3 min*
#
# The first thing to know about any diagnostic data set is how common the disease is in it: the
# **prevalence**, $\pi = P(\text{malignant})$. It sets the baseline that any model must beat and,
# as we will see, it strongly shapes the predictive values.

# %%
counts = y.value_counts().rename(index=data.target_names)
prevalence = y.mean()
print(counts.to_string())
print(f"Prevalence of malignancy in this referral dataset: {prevalence:.1%}")

# %% [markdown]
# About 37% of the aspirated masses are malignant. That is typical of a **diagnostic (referral)
# population**, where patients are selected because something was already found. In a
# **screening** population, fewer than 1 in 100 women examined have breast cancer
# (of the order of 5 per 1000). Hold on to both numbers.

# %% [markdown] tags=["deep-dive"]
# ### A first look at the features
# *Deep dive · 7 min · optional: what separates the classes, one and two features at a time*
#
# The 30 columns are 10 nuclear characteristics × 3 summaries (mean, standard error, worst).
# Pathologists judge malignancy partly from large, irregular nuclei, so we expect size features
# (radius, area) and shape features (concavity, concave points) to separate the classes.

# %% tags=["deep-dive"]
# Two features, side by side: their distribution in benign vs malignant masses
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, feature in zip(axes, ["mean radius", "worst concave points"], strict=True):
    bins = np.linspace(X[feature].min(), X[feature].max(), 30)
    for label, colour in [(0, "tab:blue"), (1, "tab:red")]:
        ax.hist(X.loc[y == label, feature], bins=bins, alpha=0.6, color=colour,
                label=data.target_names[label])
    ax.set_title(f"Distribution of '{feature}'")
    ax.set_xlabel(feature)
    ax.set_ylabel("Number of patients")
    ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown] tags=["deep-dive"]
# Malignant masses tend to have larger nuclei and more concave points on the nuclear outline,
# but both histograms overlap: a single feature cuts the groups apart only imperfectly. The overlap
# region is where diagnostic errors will come from.

# %% tags=["deep-dive"]
# Two features together: does combining them separate the classes better?
fig, ax = plt.subplots(figsize=(5, 4))
for label, colour in [(0, "tab:blue"), (1, "tab:red")]:
    mask = y == label
    ax.scatter(X.loc[mask, "worst area"], X.loc[mask, "worst concave points"],
               s=10, alpha=0.6, color=colour, label=data.target_names[label])
ax.set_title("Nuclear size vs shape irregularity")
ax.set_xlabel("worst area")
ax.set_ylabel("worst concave points")
ax.legend()
plt.show()

# %% [markdown] tags=["deep-dive"]
# In two dimensions the classes separate better than in either histogram alone, though a band of
# mixed cases remains. A model that combines all 30 features weighs this evidence for us; the open
# question is how well, and where to draw the line.

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# The analysis has six steps. Each one is explained here and computed in the Results section.

# %% [markdown]
# ### 1. Hold out a test set (stratified split)
# *Core · 2 min*
#
# We keep 25% of patients aside as a **test set** that the model never sees while it is being
# built; it plays the role of "next year's patients". The split is **stratified** on the outcome,
# so both parts keep the 37% prevalence, and it uses a fixed `random_state`, so everyone in
# the class gets the same split.

# %% [markdown]
# ### 2. Standardise and fit a logistic regression, on training data only
# *Core · 6 min*
#
# The features live on very different scales (area runs into the hundreds and thousands,
# smoothness is around 0.1).
# We **standardise** each feature $j$:
#
# $$ z_j = \frac{x_j - \hat\mu_j}{\hat\sigma_j}, $$
#
# and then fit a **logistic regression**, which models the probability of malignancy as
#
# $$ \hat p(\mathbf{x}) = P(Y = 1 \mid \mathbf{x}) = \frac{1}{1 + \exp\!\big(-(\beta_0 + \sum_{j=1}^{30} \beta_j z_j)\big)} . $$
#
# Each $\beta_j$ is a log odds ratio per one standard deviation of feature $j$. scikit-learn adds
# a mild L2 penalty by default, which shrinks the coefficients and tames, but does not remove, the
# instability caused by correlated features (radius, perimeter and area carry nearly the same
# information).
#
# **Why fit on the training set only?** The means $\hat\mu_j$ and standard deviations
# $\hat\sigma_j$ are themselves learned from data. If we computed them on all 569 patients, a
# little information about the test patients would leak into the model, and the test result would
# no longer be an honest preview of performance on new patients. A scikit-learn `Pipeline` bundles
# the scaler and the model so that `fit` learns both from the training data, and `predict_proba`
# merely *applies* them to the test data. The same holds for any data-dependent step (imputation,
# feature selection, resampling).

# %% [markdown]
# ### 3. From probabilities to decisions: the confusion matrix
# *Core · 6 min*
#
# The model outputs a probability $\hat p$. A decision needs a **threshold** $t$: call the mass
# malignant if $\hat p \ge t$. Comparing decisions to the true diagnoses gives four counts:
#
# | | **truly malignant** | **truly benign** |
# |---|---|---|
# | **model says malignant** | TP (cancer found) | FP (*unnecessary biopsy*) |
# | **model says benign** | FN (*missed cancer*) | TN (correct reassurance) |
#
# Careful: scikit-learn's `confusion_matrix` puts the **truth in rows and the prediction in
# columns**, ordered by label (0 then 1), i.e. `[[TN, FP], [FN, TP]]`. Textbook tables are often
# transposed. From the four counts (Altman & Bland 1994):
#
# $$
# \text{Sensitivity} = \frac{TP}{TP + FN}, \quad
# \text{Specificity} = \frac{TN}{TN + FP}, \quad
# \text{PPV} = \frac{TP}{TP + FP}, \quad
# \text{NPV} = \frac{TN}{TN + FN}.
# $$
#
# In clinical words:
#
# - **sensitivity**: of the women who *have* cancer, the fraction the model flags ($1 -$ sensitivity
#   is the missed-cancer rate);
# - **specificity**: of the women with a *benign* mass, the fraction the model correctly reassures
#   ($1 -$ specificity is the rate of unnecessary biopsies among benign masses);
# - **PPV**: of the women the model flags, the fraction who really have cancer;
# - **NPV**: of the women the model reassures, the fraction who really are cancer-free.
#
# Sensitivity and specificity are properties of the test *given* the disease status. PPV and NPV
# are what the patient in front of you wants to know, and they depend on who is being tested.

# %% [markdown]
# ### 4. Predictive values depend on prevalence (Bayes)
# *Core · 4 min*
#
# By Bayes' theorem, for a population with prevalence $\pi$:
#
# $$
# \text{PPV}(\pi) = \frac{\text{Se}\,\pi}{\text{Se}\,\pi + (1 - \text{Sp})(1 - \pi)}, \qquad
# \text{NPV}(\pi) = \frac{\text{Sp}\,(1 - \pi)}{\text{Sp}\,(1 - \pi) + (1 - \text{Se})\,\pi}.
# $$
#
# The numerator of PPV counts true positives; the denominator adds the false positives, which
# come from the $(1-\pi)$ healthy majority. When $\pi$ is small, even a high specificity leaves
# many false positives compared with the few true positives, and PPV collapses. We will plot
# both curves using the model's own sensitivity and specificity.

# %% [markdown]
# ### 5. Ranking quality: ROC and precision–recall curves
# *Core · 5 min*
#
# Instead of fixing one threshold, we can sweep $t$ from 1 down to 0 and trace every operating
# point.
#
# - The **ROC curve** plots sensitivity (true positive rate) against $1 -$ specificity (false
#   positive rate). Its area, **AUROC**, has a direct meaning (Hanley & McNeil 1982): the
#   probability that a randomly chosen malignant case gets a higher score than a randomly chosen
#   benign case,
#   $\text{AUROC} = P\big(\hat p(X_{\text{malignant}}) > \hat p(X_{\text{benign}})\big)$.
#   0.5 is a coin toss; 1.0 is perfect ranking.
# - The **precision–recall (PR) curve** plots precision (= PPV) against recall (= sensitivity).
#   Its summary, **average precision (AP)**, is the precision averaged over the recall levels,
#   $\text{AP} = \sum_k (R_k - R_{k-1})\, P_k$. A useless model scores AP ≈ prevalence.
#
# Both sensitivity and the false positive rate are computed *within* a class, so the ROC curve
# ignores prevalence. Precision mixes the two classes, so the PR curve changes with prevalence:
# when positives are rare it exposes the flood of false positives that the ROC curve hides
# (Saito & Rehmsmeier 2015).

# %% [markdown]
# ### 6. Choosing an operating point from clinical costs
# *Core · 5 min*
#
# Suppose a missed cancer is judged to be $C_{FN} = 20$ times as harmful as an unnecessary biopsy
# ($C_{FP} = 1$). For each threshold $t$, the **expected cost per patient** is
#
# $$ \text{Cost}(t) = \frac{C_{FN}\, FN(t) + C_{FP}\, FP(t)}{n} , $$
#
# and we choose the $t$ that minimises it. Theory gives a benchmark: if $\hat p$ were a perfectly
# calibrated probability, calling a mass malignant is worth it whenever the expected harm of
# *not* acting exceeds that of acting, $\hat p\, C_{FN} > (1 - \hat p)\, C_{FP}$, i.e.
#
# $$ t^* = \frac{C_{FP}}{C_{FP} + C_{FN}} = \frac{1}{21} \approx 0.048 . $$
#
# The default $t = 0.5$ corresponds to $C_{FN} = C_{FP}$: treating a missed cancer and an
# unnecessary biopsy as equally bad. (Decision curve analysis, Vickers & Elkin 2006, builds on
# this same link between threshold and harm-to-benefit ratio.)
#
# To avoid tuning on the test set, we pick the threshold from **out-of-fold predictions on the
# training set** (5-fold cross-validation), and only then look at the test set.

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# Each step of the Method, in order, on the data.

# %% [markdown]
# ### Split and fit
# *Core · 4 min*

# %%
# Stratified split: both parts keep the ~37% prevalence
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=SEED
)
print(f"Train: {len(y_train)} patients, prevalence {y_train.mean():.1%}")
print(f"Test:  {len(y_test)} patients, prevalence {y_test.mean():.1%}, "
      f"{y_test.sum()} cancers")

# %%
# Scaler + model in one object: fit() learns both from the training data only
model = Pipeline([
    ("scale", StandardScaler()),
    ("logreg", LogisticRegression(max_iter=1000, random_state=SEED)),
])
model.fit(X_train, y_train)

# %% [markdown] tags=["deep-dive"]
# ### Reading the coefficients
# *Deep dive · 6 min · optional: what the fitted coefficients can and cannot say*
#
# The coefficients show which standardised features push the prediction towards malignancy. With
# strongly correlated features, individual coefficients are unstable and should not be read as
# causal or even as unique "importance"; we look at them only as a sanity check.

# %% tags=["deep-dive"]
coefs = pd.Series(model.named_steps["logreg"].coef_[0], index=X.columns)
top = coefs.reindex(coefs.abs().sort_values(ascending=False).index).head(8)
pd.DataFrame({shown("log odds ratio per SD"): top, shown("odds ratio per SD"): np.exp(top)})

# %% [markdown] tags=["deep-dive"]
# Texture, size (radius, area) and shape (concave points, symmetry) features have the largest
# coefficients, in line with what cytopathologists look for. Note the *negative* coefficient on
# `compactness error`: with correlated features, signs of single coefficients are not reliable.

# %% [markdown]
# ### Predicted probabilities on the test set
# *Core · 4 min*

# %%
p_test = model.predict_proba(X_test)[:, 1]  # column 1 = P(malignant)

fig, ax = plt.subplots(figsize=(5, 4))
bins = np.linspace(0, 1, 21)
ax.hist(p_test[y_test == 0], bins=bins, alpha=0.6, color="tab:blue", label="benign")
ax.hist(p_test[y_test == 1], bins=bins, alpha=0.6, color="tab:red", label="malignant")
ax.axvline(0.5, color="k", linestyle="--", label="threshold 0.5")
ax.set_title("Predicted probability of malignancy (test set)")
ax.set_xlabel("Predicted P(malignant)")
ax.set_ylabel("Number of patients")
ax.legend()
plt.show()

# %% [markdown]
# Most patients receive a confident prediction near 0 or 1. The few malignant cases with low
# predicted probability are the ones any threshold near 0.5 will miss.

# %% [markdown]
# ### Confusion matrix at threshold 0.5
# *Core · 6 min*

# %%
y_pred_05 = (p_test >= 0.5).astype(int)
cm = confusion_matrix(y_test, y_pred_05, labels=[0, 1])
pd.DataFrame(cm, index=[shown("truly benign"), shown("truly malignant")],
             columns=[shown("predicted benign"), shown("predicted malignant")])

# %%
tn, fp, fn, tp = cm.ravel()
sens, spec = tp / (tp + fn), tn / (tn + fp)
ppv, npv = tp / (tp + fp), tn / (tn + fn)
print(f"Sensitivity {sens:.3f}: of {tp + fn} cancers, {tp} flagged and {fn} missed")
print(f"Specificity {spec:.3f}: of {tn + fp} benign masses, {fp} sent for an unnecessary biopsy")
print(f"PPV {ppv:.3f}: of {tp + fp} women flagged, {tp} truly have cancer")
print(f"NPV {npv:.3f}: of {tn + fn} women reassured, {fn} actually have cancer")

# %% [markdown]
# At 0.5 the model looks excellent on paper: the printout shows high sensitivity and even higher
# specificity. Read the counts, though: every missed cancer is a woman sent home with a false
# reassurance, and with only 53 cancers in the test set a single extra miss moves sensitivity by
# almost two percentage points. Whether this trade-off is acceptable is a clinical judgement, which
# we make explicit below.

# %% [markdown]
# ### PPV and NPV versus prevalence
# *Core · 7 min*

# %%
prev_grid = np.logspace(-3, np.log10(0.95), 300)  # from 0.1% to 95%
ppv_curve = sens * prev_grid / (sens * prev_grid + (1 - spec) * (1 - prev_grid))
npv_curve = spec * (1 - prev_grid) / (spec * (1 - prev_grid) + (1 - sens) * prev_grid)

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(prev_grid, ppv_curve, color="tab:red", label="PPV")
ax.plot(prev_grid, npv_curve, color="tab:blue", label="NPV")
for pi, name in [(0.005, shown("screening ~0.5%")),
                 (prevalence, shown(f"this dataset {prevalence:.0%}"))]:
    ax.axvline(pi, color="grey", linestyle=":")
    ax.text(pi * 1.1, 0.05, name, rotation=90, va="bottom", fontsize=8)
ax.set_xscale("log")
ax.set_ylim(0, 1.02)
ax.set_title(f"Predictive values for Se={sens:.2f}, Sp={spec:.2f}")
ax.set_xlabel("Prevalence of malignancy (log scale)")
ax.set_ylabel("Predictive value")
ax.legend(loc="center right")
plt.show()

# %%
# The same model, three populations (Bayes' theorem with the model's Se and Sp)
for pi in [0.005, 0.10, prevalence]:
    ppv_pi = sens * pi / (sens * pi + (1 - spec) * (1 - pi))
    npv_pi = spec * (1 - pi) / (spec * (1 - pi) + (1 - sens) * pi)
    print(f"prevalence {pi:6.1%}:  PPV {ppv_pi:.3f}   NPV {npv_pi:.4f}")

# %% [markdown]
# With the *same* sensitivity and specificity, PPV is high in the 37% referral population but
# falls steeply as prevalence drops: at a screening-like 0.5%, most women flagged by the model
# would *not* have cancer. NPV moves the other way and is close to 1 at low prevalence. (FNA is not
# a screening test; the 0.5% scenario shows what happens if a model built on referral data is
# pushed upstream to a lower-risk population.)

# %% [markdown]
# ### ROC curve and AUROC
# *Core · 5 min*

# %%
fpr, tpr, roc_thr = roc_curve(y_test, p_test)
auroc = roc_auc_score(y_test, p_test)

fig, ax = plt.subplots(figsize=(5, 4))
ax.plot(fpr, tpr, color="tab:purple", label=f"logistic regression (AUROC = {auroc:.3f})")
ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="chance (AUROC = 0.5)")
ax.plot(1 - spec, sens, "ko", label="threshold 0.5")
ax.set_title("ROC curve (test set)")
ax.set_xlabel("False positive rate (1 − specificity)")
ax.set_ylabel("True positive rate (sensitivity)")
ax.legend(loc="lower right", fontsize=8)
plt.show()

# %% [markdown]
# The curve hugs the top-left corner and the AUROC is close to 1: a randomly chosen cancer almost
# always gets a higher score than a randomly chosen benign mass. The black dot is the single
# operating point we would actually use at 0.5; the AUROC by itself does not tell us where on the
# curve we are, or whether that point is clinically acceptable.

# %% [markdown] tags=["deep-dive"]
# ### Precision–recall curve and average precision
# *Deep dive · 15 min · optional: the same model in a simulated low-prevalence population*
#
# To see why PR curves matter at low prevalence, we evaluate the same test-set predictions twice:
# as they are (37% prevalence), and **re-weighted** so that benign cases count as if the
# prevalence were 0.5%. Weighting each benign case by $w = \frac{n_{+}}{n_{-}} \cdot \frac{1-\pi}{\pi}$
# mimics a population with prevalence $\pi$ without changing the model or its scores.

# %% tags=["deep-dive"]
target_prev = 0.005
n_pos, n_neg = int(y_test.sum()), int((y_test == 0).sum())
w_benign = (n_pos / n_neg) * (1 - target_prev) / target_prev
weights = np.where(y_test == 1, 1.0, w_benign)  # each benign case stands for many
print(f"Weight per benign case: {w_benign:.0f}")

ap_ref = average_precision_score(y_test, p_test)
ap_screen = average_precision_score(y_test, p_test, sample_weight=weights)
auroc_screen = roc_auc_score(y_test, p_test, sample_weight=weights)
print(f"AUROC: {auroc:.3f} at {prevalence:.0%} prevalence, {auroc_screen:.3f} at 0.5%")
print(f"AP:    {ap_ref:.3f} at {prevalence:.0%} prevalence, {ap_screen:.3f} at 0.5%")

# %% tags=["deep-dive"]
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
settings = [(None, prevalence, ap_ref, shown("referral population")),
            (weights, target_prev, ap_screen, shown("re-weighted to 0.5% prevalence"))]
for ax, (w, pi, ap, name) in zip(axes, settings, strict=True):
    precision, recall, _ = precision_recall_curve(y_test, p_test, sample_weight=w)
    ax.plot(recall, precision, color="tab:green", label=f"model (AP = {ap:.3f})")
    ax.axhline(pi, color="grey", linestyle="--", label=f"chance (= prevalence {pi:.1%})")
    ax.set_title(f"Precision–recall, {name}")
    ax.set_xlabel("Recall (sensitivity)")
    ax.legend(loc="lower left", fontsize=8)
axes[0].set_ylabel("Precision (PPV)")
axes[0].set_ylim(0, 1.02)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["deep-dive"]
# The AUROC is *identical* after re-weighting, because the ROC curve never mixes the two classes.
# The PR curve tells a different story. In the referral population, precision stays high until
# recall is almost 1. At 0.5% prevalence, precision is still 1 for the most confident cases, but
# it collapses as soon as we push recall towards its highest values, which is exactly the
# high-sensitivity region a cancer pathway needs; AP falls with it. (Re-weighting a small test set
# is only a rough simulation: a real low-risk population would contain many more, and more varied,
# benign cases.)
# If a model is meant for a low-prevalence setting, the PR curve and the PPV at the chosen
# threshold show the burden of false positives that the AUROC conceals.

# %% [markdown]
# ### Choosing the threshold from clinical costs
# *Core · 14 min*
#
# First we obtain honest probabilities for the *training* patients: 5-fold cross-validation fits
# the pipeline on four folds and predicts the fifth, so every training patient is scored by a
# model that has not seen them.

# %%
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
p_oof = cross_val_predict(model, X_train, y_train, cv=cv, method="predict_proba")[:, 1]
print(f"Out-of-fold AUROC on the training set: {roc_auc_score(y_train, p_oof):.3f}")

# %%
COST_FN, COST_FP = 20.0, 1.0  # a missed cancer judged 20x worse than an unnecessary biopsy
thresholds = np.round(np.arange(0.01, 1.00, 0.01), 2)

cost_per_patient = []
for t in thresholds:
    tn_t, fp_t, fn_t, tp_t = confusion_matrix(y_train, p_oof >= t, labels=[0, 1]).ravel()
    cost_per_patient.append((COST_FN * fn_t + COST_FP * fp_t) / len(y_train))
cost_per_patient = np.array(cost_per_patient)

best_t = thresholds[np.argmin(cost_per_patient)]  # first threshold with the minimum cost
print(f"Cost-minimising threshold (out-of-fold, training set): {best_t:.2f}")
print(f"Theoretical threshold for calibrated probabilities: {COST_FP / (COST_FP + COST_FN):.3f}")

# %%
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(thresholds, cost_per_patient, color="tab:orange")
ax.plot(best_t, cost_per_patient.min(), "ko", label=f"minimum at t = {best_t:.2f}")
ax.axvline(0.5, color="grey", linestyle="--", label="default t = 0.5")
ax.axvline(COST_FP / (COST_FP + COST_FN), color="grey", linestyle=":", label="theory t* = 1/21")
ax.set_title(f"Expected cost per patient (C_FN = {COST_FN:.0f}, C_FP = {COST_FP:.0f})")
ax.set_xlabel("Threshold on predicted P(malignant)")
ax.set_ylabel("Cost per patient (biopsy units)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The cost curve rises steeply for high thresholds, where missed cancers dominate, and is
# fairly flat at low thresholds, where each extra biopsy costs only one unit. The minimum lies
# far below 0.5, in the same low region as the theoretical $t^* = 1/21$. Because the curve is
# computed from only 159 training cancers, its exact minimum is noisy; the shape matters more than
# the second decimal.
#
# Now we freeze the threshold and compare it with 0.5 on the untouched test set.

# %%
for name, t in [(shown("default 0.5"), 0.5), (shown(f"cost-based {best_t:.2f}"), best_t)]:
    tn_t, fp_t, fn_t, tp_t = confusion_matrix(y_test, p_test >= t, labels=[0, 1]).ravel()
    cost_t = (COST_FN * fn_t + COST_FP * fp_t) / len(y_test)
    print(f"{name:>16}: missed cancers {fn_t:2d}, unnecessary biopsies {fp_t:2d}, "
          f"Se {tp_t / (tp_t + fn_t):.3f}, Sp {tn_t / (tn_t + fp_t):.3f}, "
          f"cost/patient {cost_t:.3f}")

# %% [markdown]
# Moving from 0.5 to the cost-based threshold trades a few extra unnecessary biopsies for fewer
# missed cancers, and under a 20:1 cost ratio this lowers the expected cost per patient. The
# model is the same; only the decision rule changed. Remember that the cost ratio is a value
# judgement that should be agreed with clinicians and patients, not a technical parameter,
# and that the numbers come from a small test set with wide uncertainty.
#
# The lesson's headline figures, all on the held-out test set except the threshold, which was
# chosen on the training set:

# %%
tn_c, fp_c, fn_c, tp_c = confusion_matrix(y_test, p_test >= best_t, labels=[0, 1]).ravel()
key_results.show(
    {
        "test AUROC": auroc,
        "sensitivity at t = 0.5": sens,
        "specificity at t = 0.5": spec,
        "cost-based threshold (C_FN:C_FP = 20:1)": best_t,
        "sensitivity at the cost-based threshold": tp_c / (tp_c + fn_c),
    },
    caption="dx01 · logistic regression on the WDBC test set (143 patients, 53 cancers)",
)

# %% [markdown]
# ## Pitfalls
# *Core · 6 min*
#
# - **Leakage from preprocessing before the split.** Fitting the scaler (or an imputer, or a
#   feature-selection step) on all data before splitting lets test information shape the model.
#   With standard scaling on this dataset the effect is small; with feature selection it can be
#   large. Put every data-dependent step inside a `Pipeline` and fit it on training data only.
# - **Threshold 0.5 is not a clinical decision.** It is a software default that silently assumes a
#   missed cancer and an unnecessary biopsy are equally bad. State the costs and choose the
#   threshold on training or validation data, never on the test set.
# - **Prevalence shift.** PPV and NPV (and the meaning of a predicted probability) do not transfer
#   from a 37% referral clinic to a 0.5% screening population. Report sensitivity and specificity,
#   and recompute predictive values for the intended setting; recalibrate the model if probabilities
#   will be read literally.
# - **AUROC hides the operating point.** Two models with the same AUROC can differ exactly in the
#   high-sensitivity region that matters here. Report sensitivity, specificity, PPV and NPV at the
#   threshold you will actually use, and with their uncertainty.
# - **Accuracy is misleading at low prevalence.** At 0.5% prevalence, a "model" that calls every
#   mass benign is 99.5% accurate and misses every cancer.
# - **Spectrum bias.** Test performance depends on the mix of cases (Ransohoff & Feinstein 1978).
#   A referral series contains many clear-cut cases; performance can be worse on small, early or
#   atypical lesions, and on images from another lab or scanner.
# - **Small test sets.** With about 53 test cancers, each missed cancer moves sensitivity by almost
#   two percentage points. A single split gives one draw from a wide distribution.

# %% [markdown]
# ## Exercises
# *Core · 20 min · in the lab: exercises 1, 2 and 6; the others after the lab*
#
# Worked answers are with the instructor and are discussed in the seminar.
#
# 1. **(Clinician track) Explaining a negative result.** Using the PPV/NPV plot and table, write
#    three or four sentences, in plain language, for a woman whose aspirate the model scores as
#    benign, first in a clinic where 37% of sampled masses are malignant and then in one where
#    10% are. What further steps would you still recommend in each case?
# 2. **(Clinician track) Setting the cost ratio.** List the harms you would count in $C_{FN}$ and in
#    $C_{FP}$. Pick the ratio you consider defensible (for example 5, 20 or 50), change `COST_FN`,
#    and re-run the cost section. How do the threshold, the missed cancers and the unnecessary
#    biopsies change? Which cost ratio would make 0.5 the theoretically optimal threshold?
# 3. **(Engineer track) Measuring leakage.** Fit a `StandardScaler` on all 569 patients *before*
#    splitting, then fit the logistic regression on the training part and compare the test AUROC
#    with the pipeline. Repeat with a leakier step: choose the 5 features most correlated with the
#    outcome using all patients. Which step leaks more, and why?
# 4. **(Engineer track) How stable is one split?** Repeat split, fit and evaluation for
#    `random_state` 0 to 49. Plot the distribution of test AUROC and of the number of missed cancers
#    at the cost-based threshold. What does the spread tell you about a report based on a single
#    143-patient test set?
# 5. **(Both tracks) A simpler model.** Refit using only the 10 "mean" features, and then using only
#    `worst area` and `worst concave points`. Compare AUROC, AP and the cost-optimal numbers of missed
#    cancers and unnecessary biopsies. Would you accept a small loss in performance for a model that
#    is easier to explain and audit?
# 6. **(Both tracks) Tuning on the test set.** Redo the cost curve using the *test-set*
#    probabilities instead of the out-of-fold ones. Compare the resulting threshold and cost with
#    those above, and explain why the test-set version gives an optimistic estimate of performance.

# %% [markdown]
# ## References
#
# 1. Street WN, Wolberg WH, Mangasarian OL. Nuclear feature extraction for breast tumor
#    diagnosis. In: *Biomedical Image Processing and Biomedical Visualization*. Proc SPIE 1905.
#    San Jose, CA; 1993:861–870. doi:10.1117/12.148698
# 2. Wolberg WH, Street WN, Mangasarian OL. Machine learning techniques to diagnose breast cancer
#    from image-processed nuclear features of fine needle aspirates. *Cancer Lett*.
#    1994;77(2–3):163–171. doi:10.1016/0304-3835(94)90099-X
# 3. Wolberg WH, Mangasarian OL, Street N, Street WN. Breast Cancer Wisconsin (Diagnostic)
#    [dataset]. UCI Machine Learning Repository; 1995. doi:10.24432/C5DW2B
# 4. Altman DG, Bland JM. Diagnostic tests 1: sensitivity and specificity. *BMJ*.
#    1994;308(6943):1552. doi:10.1136/bmj.308.6943.1552
# 5. Altman DG, Bland JM. Diagnostic tests 2: predictive values. *BMJ*. 1994;309(6947):102.
#    doi:10.1136/bmj.309.6947.102
# 6. Hanley JA, McNeil BJ. The meaning and use of the area under a receiver operating
#    characteristic (ROC) curve. *Radiology*. 1982;143(1):29–36. doi:10.1148/radiology.143.1.7063747
# 7. Saito T, Rehmsmeier M. The precision-recall plot is more informative than the ROC plot when
#    evaluating binary classifiers on imbalanced datasets. *PLoS ONE*. 2015;10(3):e0118432.
#    doi:10.1371/journal.pone.0118432
# 8. Ransohoff DF, Feinstein AR. Problems of spectrum and bias in evaluating the efficacy of
#    diagnostic tests. *N Engl J Med*. 1978;299(17):926–930. doi:10.1056/NEJM197810262991705
# 9. Pedregosa F, Varoquaux G, Gramfort A, et al. Scikit-learn: machine learning in Python.
#    *J Mach Learn Res*. 2011;12:2825–2830.
# 10. scikit-learn user guide: "Metrics and scoring" (https://scikit-learn.org/stable/modules/model_evaluation.html),
#     "Pipelines and composite estimators" (https://scikit-learn.org/stable/modules/compose.html) and
#     "Common pitfalls and recommended practices" (https://scikit-learn.org/stable/common_pitfalls.html).
#
# **Further reading.** Vickers AJ, Elkin EB. Decision curve analysis: a novel method for evaluating
# prediction models. *Med Decis Making*. 2006;26(6):565–574. doi:10.1177/0272989X06295361
