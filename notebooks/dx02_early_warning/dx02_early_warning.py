# %% [markdown]
# # dx02 · Early warning from the EHR
#
# *Module: AI diagnosis and prediction · Core path: about 115 minutes, plus about 20 minutes of
# optional deep dives · Prerequisites: dx01 (confusion matrix, ROC and precision–recall curves,
# pipelines), pandas `groupby` and `merge`.*
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
# - ... set up an early-warning problem with an explicit **prediction time** and **horizon**, and
#   say which patients are eligible and what the label means;
# - ... build features from hourly vitals and labs (last value, minimum, maximum, trend, number of
#   measurements) using only data recorded *before* the prediction time;
# - ... describe how much EHR data is missing and why the missingness is informative, and handle it
#   with imputation and missingness indicators *inside* a pipeline, or natively with gradient
#   boosting;
# - ... split by patient rather than by row, and demonstrate how a row-level split, label
#   leakage and temporal leakage inflate AUROC;
# - ... compare a gradient-boosting model and a logistic regression with a qSOFA bedside baseline
#   using AUROC, AUPRC and the alarm burden at a fixed alert rate.

# %% [markdown]
# ## Clinical question
# *Core · 5 min*
#
# A 72-year-old man with COPD was admitted to a medical ward this morning with a urinary tract
# infection. Six hours later, his heart rate has crept from 92 to 104 beats/min, his respiratory
# rate is 21 breaths/min and nobody has repeated his blood tests. He is not obviously unwell, and
# the nurse looks after seven other patients.
#
# **Sepsis** is life-threatening organ dysfunction caused by a dysregulated host response to
# infection. Under the Sepsis-3 definition, organ dysfunction is an acute increase of the SOFA
# (Sequential Organ Failure Assessment) score by 2 points or more (Singer et al. 2016). Every hour
# of delay in recognition and treatment matters, so hospitals want to flag patients *before*
# sepsis is obvious. At the bedside, the Sepsis-3 task force proposed **qSOFA**
# (quick SOFA): one point each for respiratory rate ≥ 22/min, altered mentation (here: Glasgow Coma
# Scale < 15) and systolic blood pressure ≤ 100 mmHg; a score ≥ 2 flags a patient with suspected
# infection who is at high risk of a poor outcome (Seymour et al. 2016). qSOFA needs no computer,
# but it was validated to predict *death* in patients already suspected of infection, not to
# predict sepsis hours ahead.
#
# > At **hour 6** after admission, using only what is in the electronic health record (EHR) by
# > then, can a model tell which ward patients will develop sepsis in the **next 12 hours**, better
# > than qSOFA? And how many alarms would it raise per sepsis case it catches?
#
# The second half of the question matters as much as the first. Each alert asks a nurse or doctor
# to stop, assess the patient and perhaps take blood cultures. If most alerts are false, staff learn
# to ignore them: this is **alarm fatigue**. Research models built from EHR data have reported
# impressive lead times: in retrospective ICU data, TREWScore flagged 85% of patients who later
# developed septic shock (at a specificity of 0.67), a median of about 28 hours before onset
# (Henry et al. 2015). Deployed models have not always lived up to their development results. A
# widely used commercial sepsis model, when validated externally, alerted on about 18% of all
# hospitalised patients while missing two thirds of sepsis cases (Wong et al. 2021). Most of this
# lesson is about measuring honestly how well such a model works, because the easiest way to get
# an impressive early-warning model is to let it cheat.

# %% [markdown]
# ## Data card
# *Core · 6 min*
#
# | Item | Description |
# |---|---|
# | **What** | `ehr_cohort`: a **synthetic** multi-site EHR cohort built for this course. Three tables: `patients` (one row per patient: site, admission time, age, sex, five comorbidities, outcomes), `vitals` and `labs` (one row per patient-hour, hours 0–23 after admission, in long format). |
# | **Who** | Simulated adult inpatients at 4 hospital sites (`site_A` … `site_D`). Sites A–C share the same parameters; `site_D` is deliberately **shifted** (older patients, more comorbidity, higher baseline risk, a lactate assay reading 0.5 mmol/L high, twice as many routine lab draws). |
# | **How generated** | Seeded Python code (`medai.datasets`). A latent acute severity moves all admission physiology together; each vital and lab follows a patient-specific mean plus autocorrelated (AR(1)) noise. Sepsis is drawn from a **known logistic model** of the admission data (age, sex, comorbidities, hour-0 vitals and lactate, site). Onset hour is uniform over hours 3–23. In septic patients, physiology drifts linearly towards abnormal values from **6 hours before onset** (e.g. heart rate +22 beats/min, lactate +1.8 mmol/L at onset) and keeps worsening for 3 hours after. Temperature, GCS and labs are **measured more often as a patient deteriorates**. |
# | **Size** | Adjustable. We use `n_patients=8000` (about 6000 at the regular sites) and the default 24 hours and seed 0, giving 192,000 patient-hours in each hourly table. |
# | **Outcome** | `sepsis` (1 = onset during the 24-hour window) and `onset_hour` (NaN if no sepsis). We derive our own label from `onset_hour` (see Method). `antibiotics_started_hour` and `mortality_30d` are recorded *after* the outcome: they are **not** features. |
# | **Licence** | MIT (generated by the course's own code). |
# | **PHI status** | None. No real patient contributed any value; identifiers (`P000001`, `site_A`) and dates are synthetic. |
# | **Known limitations** | The label is drawn from a logistic model, not derived from suspected infection plus a SOFA increase as Sepsis-3 requires. Physiology is a linear-Gaussian caricature: no treatments that change vitals, no circadian rhythm, no deaths, discharges or transfers within the 24 hours, no charting errors. Sepsis occurs in about 12% of patients at the regular sites, far more than on a typical ward. Results here show *methods*; they say nothing about real hospitals (real hourly data of this kind: MIMIC-IV, eICU-CRD). |
#
# The data card of the course (`datasets.info("ehr_cohort")`) documents every parameter of the
# generator, including the traps we will walk into on purpose.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from sklearn.model_selection import GroupKFold, GroupShuffleSplit, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 0  # one seed for the generator, the splits and the models
pd.set_option("display.precision", 3)
# Gradient boosting uses one core: on a shared, busy machine its multi-threading is much
# slower, not faster, for data sets this small. Results are the same either way.
_single_thread = threadpool_limits(limits=1, user_api="openmp")

# %%
info = datasets.info("ehr_cohort")
print("Kind:    ", info["kind"])
print("Licence: ", info["licence"])
print("PHI:     ", info["phi"])

data = datasets.load("ehr_cohort", n_patients=8000, hours=24, seed=SEED)
patients, vitals, labs = data["patients"], data["vitals"], data["labs"]
for name, table in [("patients", patients), ("vitals", vitals), ("labs", labs)]:
    print(f"{name:>8}: {table.shape[0]:>6} rows x {table.shape[1]} columns")

# %%
vitals.head(4)

# %%
labs.head(4)

# %% [markdown]
# Both hourly tables have one row per patient-hour; a value that was not charted in that hour is
# NaN. Hour 0 is a complete admission set. Note how quickly the labs go blank after admission.

# %% [markdown]
# ### Who develops sepsis, and when?
# *Core · 4 min*

# %%
by_site = patients.groupby("site").agg(
    patients=("patient_id", "size"),
    sepsis=("sepsis", "mean"),
    mean_age=("age", "mean"),
    antibiotics=("antibiotics_started_hour", lambda s: s.notna().mean()),
)
by_site

# %%
SHIFTED = data.ground_truth["shifted_site"]  # "site_D": kept aside, see the teaser at the end
septic = patients[patients["sepsis"] == 1]
print("Onset hour of sepsis, 25th/50th/75th percentile:",
      septic["onset_hour"].quantile([0.25, 0.5, 0.75]).tolist())
delay = septic["antibiotics_started_hour"] - septic["onset_hour"]
print("Antibiotics started this many hours after onset:",
      delay.value_counts(normalize=True).sort_index().round(2).to_dict())

# %% [markdown]
# At the regular sites about 12% of patients develop sepsis within 24 hours; at `site_D` it is
# about 20%, and `site_D` patients are older. Onsets are spread across the day. Every septic patient
# receives antibiotics at or shortly *after* onset (a few do so after hour 23, outside our window),
# which is exactly why the antibiotic time must never become a feature: it is a consequence of
# the diagnosis, not a predictor of it.

# %% [markdown]
# ### What happens to physiology before onset?
# *Core · 5 min*
#
# We line up septic patients on their onset hour (time 0 = onset) and average their heart rate,
# respiratory rate and lactate at each hour relative to onset. The dashed line is the average in
# patients who never develop sepsis.

# %%
hourly = vitals.merge(labs, on=["patient_id", "hour"])  # one wide row per patient-hour
hourly = hourly.merge(patients[["patient_id", "site", "onset_hour"]], on="patient_id")
regular = hourly[hourly["site"] != SHIFTED]
rel = (regular["hour"] - regular["onset_hour"]).rename("hours_from_onset")

fig, axes = plt.subplots(1, 3, figsize=(12, 3.5))
panels = [("heart_rate", shown("Heart rate"), "beats/min"),
          ("resp_rate", shown("Respiratory rate"), "breaths/min"),
          ("lactate", shown("Lactate (measured values)"), "mmol/L")]
for ax, (var, title, unit) in zip(axes, panels, strict=True):
    curve = regular[var].groupby(rel).mean().loc[-12:6]
    ax.plot(curve.index, curve.values, "o-", color="tab:red", ms=3, label="septic patients")
    ax.axhline(regular.loc[regular["onset_hour"].isna(), var].mean(), color="grey",
               linestyle="--", label="never septic")
    ax.axvspan(-6, 0, color="tab:orange", alpha=0.15, label="6 h before onset")
    ax.set_title(f"{title} around sepsis onset")
    ax.set_xlabel("Hours from sepsis onset")
    ax.set_ylabel(f"{title.split(' (')[0]} ({unit})")
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Physiology is flat until about 6 hours before onset, then heart rate, respiratory rate and
# lactate rise steadily, and keep rising for a few hours after onset. Before the drift, septic
# patients are already a little sicker than never-septic ones (their admission risk factors differ).
# Two consequences shape the whole lesson:
#
# 1. the 6-hour pre-onset drift is the **legitimate early-warning signal**: a model that looks at
#    hour 6 can see it only in patients whose onset falls within the next few hours;
# 2. measurements *after* onset are far more abnormal. A model allowed to see them is no longer
#    predicting sepsis, it is **recognising** it. This is temporal leakage.

# %% [markdown]
# ## Method
# *Core · 1 min*

# %% [markdown]
# ### 1. A prediction-time design
# *Core · 4 min*
#
# An early-warning model is used at a particular moment: the **prediction time** $t_p$. It may
# only use data recorded at or before $t_p$. It predicts an event within a **horizon** $h$ after
# $t_p$. For patient $i$ with sepsis onset hour $o_i$ (undefined if no sepsis), we take
# $t_p = 6$ h and $h = 12$ h:
#
# $$
# \text{eligible}_i = \big[\, o_i > t_p \text{ or no sepsis} \,\big], \qquad
# y_i = \big[\, t_p < o_i \le t_p + h \,\big].
# $$
#
# - Patients with onset at or before hour 6 are **excluded**: they are already septic when the
#   model runs, so "predicting" their sepsis is meaningless (and their data would contain the
#   post-onset signal).
# - Patients with onset after hour 18 are kept as **negatives**: for the question "sepsis within the
#   next 12 hours?" the correct answer for them is *no*, even though they become septic later.
#
# One row per eligible patient, one label per row. Later we contrast this with an *hourly* design
# that scores every patient at every hour, as bedside systems do (and as the PhysioNet 2019
# challenge did; Reyna et al. 2020).

# %% [markdown]
# ### 2. Features from a time window
# *Core · 3 min*
#
# For each vital sign $v$ with values $x_{i,t}$ charted at hours $t \in \mathcal T_{iv} \subseteq
# \{0, \dots, t_p\}$, we summarise the observation window by
#
# - the **last** charted value (what the nurse sees now), the **minimum** and the **maximum**;
# - the **trend**: the least-squares slope of the value against time,
#
# $$
# \hat b_{iv} = \frac{\sum_{t \in \mathcal T_{iv}} (t - \bar t)(x_{i,t} - \bar x_{iv})}
#                    {\sum_{t \in \mathcal T_{iv}} (t - \bar t)^2},
# $$
#
#   in units per hour (undefined, i.e. missing, with fewer than two values).
#
# For each lab we keep the **admission value** (hour 0, always present), the **most recent repeat
# value** from hours 1–6 (missing if the lab was not repeated) and the **number of repeat draws**.
# For temperature and GCS, which are charted irregularly, we also count how often they were
# charted in hours 1–6. Age, sex and the five comorbidities complete the feature set.

# %% [markdown]
# ### 3. Missing data that carries information
# *Core · 3 min*
#
# In the EHR a value is missing because *nobody measured it*, and clinicians measure what worries
# them. When a patient deteriorates, temperature and GCS are charted more often and labs are sent.
# So whether a value is missing depends on the patient's state. It is *not* "missing completely at
# random" (Agniel et al. 2018). For a **prediction** model this is not a bias to remove but a
# signal to use, as long as the ordering practice will be the same where the model is deployed
# (Sperrin et al. 2020). We handle missing values in two ways:
#
# - **Logistic regression** cannot take NaN. Inside a `Pipeline` we (i) replace each missing value
#   by the training-set **median**, and (ii) add a **missingness indicator** $m_{ij} = [x_{ij}
#   \text{ missing}]$ for every feature that had missing values, so the model can learn "no
#   repeat lactate" as information in itself. Because the imputer sits in the pipeline, its
#   medians are learned from training patients only.
# - **Gradient boosting** (`HistGradientBoostingClassifier`) accepts NaN directly. At each split it
#   learns whether the patients with a missing value should go left or right, whichever reduces the
#   loss more. Missingness is used as information without any explicit imputation.

# %% [markdown]
# ### 4. Splitting by patient
# *Core · 2 min*
#
# In the prediction-time design each patient is one row, so any split of rows is a split of
# patients. In the hourly design each patient contributes up to 12 rows that are strongly
# correlated: age and comorbidities are identical, labs are carried forward unchanged for hours,
# and vitals are autocorrelated. If rows are split at random, most test patients also have rows
# in the training set. The model can then *recognise the patient* instead of learning what
# predicts sepsis. The test set must contain **new patients**: `GroupShuffleSplit` (one
# train/test split) and `GroupKFold` (cross-validation) take a `groups` argument, here the
# `patient_id`, and keep all rows of a patient on the same side.

# %% [markdown]
# ### 5. Three ways to cheat without noticing
# *Core · 2 min*
#
# Leakage is information in the training data that would not be available when the model is used
# (Kaufman et al. 2012). We will trigger three kinds on purpose and measure how much each inflates
# the AUROC:
#
# | leak | what goes wrong | here |
# |---|---|---|
# | **label leakage** | a feature is recorded *because of* the outcome | antibiotic start hour |
# | **temporal leakage** | features use data from after $t_p$ | windows ending after hour 6 |
# | **row-level split** | one patient in training and test data | hourly rows split at random |

# %% [markdown] tags=["deep-dive"]
# ### 6. Two models
# *Deep dive · 5 min · optional: how logistic regression and gradient boosting build the log-odds*
#
# **Logistic regression** models the log-odds of sepsis as a weighted sum of the (standardised,
# imputed) features $z_{ij}$ and indicators $m_{ij}$:
#
# $$
# \log \frac{P(y_i = 1)}{1 - P(y_i = 1)} = \beta_0 + \sum_j \beta_j z_{ij} + \sum_j \gamma_j m_{ij}.
# $$
#
# It is additive: it cannot learn, by itself, that a fast heart rate matters more when the
# blood pressure is low. We use a moderate L2 penalty ($C = 0.1$) because there are about 50
# correlated inputs plus the indicators.
#
# **Gradient boosting** (Friedman 2001) builds the log-odds as a sum of $M$ small regression
# trees, each fitted to correct the errors of the sum so far:
#
# $$
# F_M(\mathbf x) = F_0 + \sum_{m=1}^{M} \eta\, f_m(\mathbf x), \qquad
# \hat p(\mathbf x) = \frac{1}{1 + e^{-F_M(\mathbf x)}},
# $$
#
# with learning rate $\eta$. The histogram variant bins each feature into at most 255 bins (as in
# LightGBM), which makes it fast. Shallow trees (depth 3) let it capture interactions and
# thresholds, at the price of more variance. With a few thousand patients it is not guaranteed to
# beat the simpler model.

# %% [markdown]
# ### 7. Baseline and metrics
# *Core · 3 min*
#
# - **qSOFA at hour 6**, from the most recent respiratory rate, systolic pressure and GCS, gives a
#   score from 0 to 3. Used as a ranking score it has an AUROC; used as a rule ("qSOFA ≥ 2") it is
#   one operating point.
# - **AUROC**: probability that a patient who develops sepsis in the horizon is ranked above one
#   who does not. It ignores prevalence.
# - **AUPRC** (average precision): the precision (PPV) averaged over recall levels. A useless
#   model scores about the prevalence, here about 7%. It reflects the alarm burden far better than
#   AUROC when events are rare (dx01).
# - **Alarm burden at a fixed alert rate.** A fair comparison gives the model the *same number of
#   alerts* as qSOFA and asks how many true cases it catches. For an alert rule we report the
#   sensitivity, the PPV, and the number of alerts per true case, $1/\text{PPV}$. This is how many
#   patients a nurse must assess to find one who is developing sepsis.
#
# The threshold that reproduces qSOFA's alert rate is chosen on **out-of-fold** predictions of the
# training patients (5-fold `GroupKFold`), so the test set is used only once, for the final numbers.

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# The Method's steps in order: the cohort, the features, the split and the two models, then the
# three leaks on purpose.

# %% [markdown]
# ### The prediction-time cohort
# *Core · 5 min*
#
# We develop the model at the three regular sites and leave `site_D` untouched.

# %%
T_PRED, HORIZON = 6, 12  # predict at hour 6 for onset in hours 7..18

dev = patients[patients["site"] != SHIFTED].copy()
dev = dev[~(dev["onset_hour"] <= T_PRED)]  # exclude patients already septic by hour 6
onset = dev["onset_hour"]
dev["y"] = ((onset > T_PRED) & (onset <= T_PRED + HORIZON)).astype(int)
dev = dev.set_index("patient_id")

n_excluded = (patients["site"] != SHIFTED).sum() - len(dev)
print(f"Excluded (onset at or before hour {T_PRED}): {n_excluded} patients")
print(f"Eligible at hour {T_PRED}: {len(dev)} patients, "
      f"{dev['y'].sum()} with onset in hours {T_PRED + 1}-{T_PRED + HORIZON} "
      f"({dev['y'].mean():.1%})")
print(f"Septic later than hour {T_PRED + HORIZON}, labelled 0: {(onset > T_PRED + HORIZON).sum()}")

# %% [markdown]
# About 7% of eligible patients develop sepsis in the 12-hour horizon: lower than the 12% who
# become septic at some point, because early onsets are excluded and late onsets count as negative
# for this question. The figure below shows the design on four patients from the data.

# %%
examples = {  # one patient of each kind, with the role it plays in the design
    shown("never septic: y = 0"): dev.index[dev["onset_hour"].isna()][0],
    shown("onset in horizon: y = 1"): dev.index[dev["onset_hour"].between(8, 10)][0],
    shown("onset after hour 18: y = 0"): dev.index[dev["onset_hour"] > T_PRED + HORIZON][0],
    shown("onset by hour 6: excluded"):
        patients.loc[patients["onset_hour"] <= 5, "patient_id"].iloc[0],
}
fig, ax = plt.subplots(figsize=(8, 4.5))
for k, (role, pid) in enumerate(examples.items()):
    traj = hourly[hourly["patient_id"] == pid]
    onset_k = traj["onset_hour"].iloc[0]
    ax.plot(traj["hour"], traj["heart_rate"], "-", lw=1.2, color=f"C{k}",
            label=f"{pid}, {role}" + ("" if np.isnan(onset_k) else f" (onset {onset_k:.0f} h)"))
    if not np.isnan(onset_k):
        ax.axvline(onset_k, color=f"C{k}", linestyle=":")
ax.axvspan(0, T_PRED, color="tab:blue", alpha=0.1, label="observation window (hours 0-6)")
ax.axvspan(T_PRED, T_PRED + HORIZON, color="tab:orange", alpha=0.1, label="horizon (hours 7-18)")
ax.set_title("Prediction-time design: heart rate of four patients")
ax.set_xlabel("Hours since admission")
ax.set_ylabel("Heart rate (beats/min)")
ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
plt.show()

# %% [markdown]
# The blue band is all the model may see; the orange band is where an onset makes the label 1.
# Dotted lines mark onsets: the patient with onset in the horizon is labelled 1, the one with onset
# after hour 18 is labelled 0, and the one with onset before hour 6 is not in the cohort. Heart rate
# wanders a lot in every patient. The pre-onset rise is visible, but it is not dramatic against
# this hour-to-hour noise.

# %% [markdown]
# ### Features from the observation window
# *Core · 6 min*
#
# The function below turns the hourly table into one row of features per patient, using hours
# `0 .. end_hour` only. With `end_hour = 6` it is the honest design; later we will call it with a
# later `end_hour` to show temporal leakage.

# %%
VITALS = ["heart_rate", "resp_rate", "temperature", "sbp", "spo2", "gcs"]
LABS = ["lactate", "wbc", "creatinine", "platelets", "bilirubin"]


def window_features(hourly_rows, end_hour):
    """One feature row per patient from the hours 0..end_hour of `hourly_rows`."""
    obs = hourly_rows[hourly_rows["hour"] <= end_hour]
    g = obs.groupby("patient_id")
    parts = [g[VITALS].last().add_suffix("_last"),  # last() skips NaN: last charted value
             g[VITALS].min().add_suffix("_min"), g[VITALS].max().add_suffix("_max")]
    for v in VITALS:  # least-squares slope per hour, from the charted values only
        d = obs.loc[obs[v].notna(), ["patient_id", "hour", v]].rename(columns={v: "x"})
        d = d.assign(hx=d["hour"] * d["x"], hh=d["hour"] ** 2).groupby("patient_id").mean()
        var_t = (d["hh"] - d["hour"] ** 2).where(lambda s: s > 1e-9)  # NaN if < 2 values
        parts.append(((d["hx"] - d["hour"] * d["x"]) / var_t).rename(f"{v}_slope"))
    later = obs[obs["hour"] >= 1].groupby("patient_id")
    parts += [obs[obs["hour"] == 0].set_index("patient_id")[LABS].add_suffix("_adm"),
              later[LABS].last().add_suffix("_repeat"),  # NaN if never repeated
              later[["temperature", "gcs"] + LABS].count().add_suffix("_n_obs")]
    return pd.concat(parts, axis=1)


# %%
demographics = dev[["age", "diabetes", "ckd", "copd", "heart_failure", "immunosuppressed"]]
demographics = demographics.assign(male=(dev["sex"] == "M").astype(int))
dev_hourly = hourly[hourly["patient_id"].isin(dev.index)]

X = demographics.join(window_features(dev_hourly, T_PRED))
y = dev["y"]
print(f"Feature matrix: {X.shape[0]} patients x {X.shape[1]} features")
X.iloc[:3, 7:15]

# %% [markdown] tags=["deep-dive"]
# ### How much is missing, and why?
# *Deep dive · 6 min · optional: when and why values are missing in the EHR*
#
# First, the raw hourly tables: the share of patient-hours (after admission) without a value.

# %% tags=["deep-dive"]
after_admission = regular[regular["hour"] >= 1]
missing = after_admission[VITALS + LABS].isna().mean().rename(shown("missing share of hours"))
missing.to_frame().T

# %% [markdown] tags=["deep-dive"]
# Heart rate, blood pressure and SpO2 are charted almost every hour. Temperature and GCS are
# missing in most hours, and each lab in the great majority of them (the table above). A
# rectangular "one value per hour" table is mostly holes. Are the holes random? We compute how
# often each measurement is taken, hour by hour, relative to sepsis onset.

# %% tags=["deep-dive"]
measured = after_admission[["temperature", "gcs", "wbc", "lactate"]].notna()
rel_after = after_admission["hour"] - after_admission["onset_hour"]
never = after_admission["onset_hour"].isna()

fig, ax = plt.subplots(figsize=(7, 4))
for k, (var, name) in enumerate([("temperature", shown("temperature")), ("gcs", "GCS"),
                                 ("wbc", shown("lab panel (WBC)")), ("lactate", shown("lactate"))]):
    rate = measured[var].groupby(rel_after).mean().loc[-12:6]
    ax.plot(rate.index, rate.values, "o-", ms=3, color=f"C{k}", label=name)
    ax.axhline(measured.loc[never, var].mean(), color=f"C{k}", linestyle="--", lw=0.8)
ax.axvspan(-6, 0, color="tab:orange", alpha=0.12)
ax.set_title("How often things are measured as sepsis approaches")
ax.set_xlabel("Hours from sepsis onset (septic patients); dashed = never-septic average")
ax.set_ylabel("Share of patient-hours measured")
ax.legend(fontsize=8)
plt.show()

# %% [markdown] tags=["deep-dive"]
# Far from onset, septic patients are measured as often as never-septic ones (the dashed lines,
# which follow the routine ordering rates). In the 6 hours before onset, every curve climbs: by
# onset, temperature and GCS are charted in most hours and a lab panel is drawn several times as
# often as in routine care. **The act of measuring reflects the clinician's worry**, which tracks
# the patient's deterioration. At our prediction time this shows up as more repeat draws in
# patients who will become septic soon:

# %% tags=["deep-dive"]
draws = X[["lactate_n_obs", "wbc_n_obs"]].gt(0)
draws.columns = [shown("repeat lactate by hour 6"), shown("repeat lab panel by hour 6")]
draws.groupby(y.rename(shown("sepsis in horizon"))).mean()

# %% [markdown] tags=["deep-dive"]
# Patients who develop sepsis in the horizon had a repeat lab panel or lactate somewhat more
# often than the others. The difference is modest at hour 6, because only patients with onset in
# hours 7–11 are already drifting. We will measure how much predictive information the
# missingness pattern carries once we have a split.

# %% [markdown]
# ### A patient-level train/test split
# *Core · 2 min*
#
# We hold out 30% of patients as a test set. With one row per patient a plain split would do, but
# we use `GroupShuffleSplit` with `groups = patient_id` from the start, because the same code stays
# correct when a patient has many rows.

# %%
splitter = GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=SEED)
train_idx, test_idx = next(splitter.split(X, y, groups=X.index))
X_train, X_test = X.iloc[train_idx], X.iloc[test_idx]
y_train, y_test = y.iloc[train_idx], y.iloc[test_idx]

assert set(X_train.index).isdisjoint(X_test.index)  # no patient on both sides
print(f"Train: {len(y_train)} patients, {y_train.sum()} events ({y_train.mean():.1%})")
print(f"Test:  {len(y_test)} patients, {y_test.sum()} events ({y_test.mean():.1%})")

# %% [markdown]
# ### Fitting the two models
# *Core · 8 min*
#
# Logistic regression gets imputation and missingness indicators inside its pipeline; the gradient
# boosting model takes the NaNs as they are. First, 5-fold `GroupKFold` cross-validation on the
# training patients compares the two without touching the test set.

# %%
logreg = make_pipeline(
    SimpleImputer(strategy="median", add_indicator=True),  # medians + "was missing" columns
    StandardScaler(),
    LogisticRegression(C=0.1, max_iter=2000),
)
gbm = HistGradientBoostingClassifier(  # handles NaN natively
    learning_rate=0.1, max_iter=100, max_depth=3, min_samples_leaf=50, random_state=SEED,
)
cv = GroupKFold(n_splits=5)
oof = {}
for name, model in [(shown("logistic regression"), logreg), (shown("gradient boosting"), gbm)]:
    oof[name] = cross_val_predict(model, X_train, y_train, groups=X_train.index, cv=cv,
                                  method="predict_proba")[:, 1]
    print(f"{name:>20}: out-of-fold AUROC {roc_auc_score(y_train, oof[name]):.3f}, "
          f"AUPRC {average_precision_score(y_train, oof[name]):.3f}")

# %% [markdown]
# The two models are close in cross-validation. We now fit both on all training patients and
# score the untouched test patients, together with qSOFA computed from the latest respiratory rate,
# systolic pressure and GCS at hour 6.

# %%
p_test = {}
for name, model in [(shown("logistic regression"), logreg), (shown("gradient boosting"), gbm)]:
    p_test[name] = model.fit(X_train, y_train).predict_proba(X_test)[:, 1]

qsofa = ((X["resp_rate_last"] >= 22).astype(int) + (X["sbp_last"] <= 100).astype(int)
         + (X["gcs_last"] < 15).astype(int))
p_test[shown("qSOFA score (0-3)")] = qsofa.loc[X_test.index].to_numpy()

results = pd.DataFrame({
    "AUROC": {k: roc_auc_score(y_test, p) for k, p in p_test.items()},
    "AUPRC": {k: average_precision_score(y_test, p) for k, p in p_test.items()},
})
results

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for k, (name, p) in enumerate(p_test.items()):
    fpr, tpr, _ = roc_curve(y_test, p)
    prec, rec, _ = precision_recall_curve(y_test, p)
    marker = "o" if "qSOFA" in name else None  # qSOFA has only four possible values
    axes[0].plot(fpr, tpr, color=f"C{k}", marker=marker,
                 label=f"{name} ({results.loc[name, 'AUROC']:.2f})")
    axes[1].plot(rec, prec, color=f"C{k}", marker=marker, drawstyle="steps-post",
                 label=f"{name} ({results.loc[name, 'AUPRC']:.2f})")
axes[0].plot([0, 1], [0, 1], "--", color="grey", label="chance (0.50)")
axes[1].axhline(y_test.mean(), linestyle="--", color="grey", label=f"chance ({y_test.mean():.2f})")
axes[0].set(title="ROC: sepsis in the next 12 h, scored at hour 6",
            xlabel="False positive rate (1 − specificity)", ylabel="Sensitivity")
axes[1].set(title="Precision–recall, same test patients",
            xlabel="Recall (sensitivity)", ylabel="Precision (PPV)", ylim=(0, 1.02))
for ax in axes:
    ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Both learned models rank patients clearly better than qSOFA, by AUROC and even more by AUPRC,
# whose chance level is the event rate (the table and the legends above). The regularised
# logistic regression is at least as good as gradient boosting here. The signal in this cohort is
# mostly additive, and about 4000 training patients are not many for a flexible model. With about
# 115 test events, a difference of a few hundredths in AUROC is well within the noise of a single
# split. The precision–recall curves are sobering: precision stays high only for the first small
# fraction of cases found, and falls quickly after that, so catching most cases means accepting
# many false alarms. An honest early-warning model on ward data is *useful, not magic*.

# %% [markdown] tags=["deep-dive"]
# ### Does the missingness pattern carry information?
# *Deep dive · 5 min · optional: a model that sees only how often things were measured*
#
# Three logistic regressions, all with the same split: one sees only *how often* things were
# measured (number of draws), one sees all values with median imputation but no indicators, and
# one is the full model from above.

# %% tags=["deep-dive"]
count_cols = [c for c in X.columns if c.endswith("_n_obs")]
value_cols = [c for c in X.columns if c not in count_cols]
variants = {
    shown("measurement counts only"): (count_cols, False),
    shown("values, median imputation only"): (value_cols, False),
    shown("values + counts + missingness indicators"): (list(X.columns), True),
}
rows = {}
for name, (cols, indicator) in variants.items():
    model = make_pipeline(SimpleImputer(strategy="median", add_indicator=indicator),
                          StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
    p = model.fit(X_train[cols], y_train).predict_proba(X_test[cols])[:, 1]
    rows[name] = {shown("features"): len(cols), "AUROC": roc_auc_score(y_test, p),
                  "AUPRC": average_precision_score(y_test, p)}
pd.DataFrame(rows).T

# %% [markdown] tags=["deep-dive"]
# A model that knows only *how many times* temperature, GCS and labs were measured, without a single
# measured value, ranks patients far better than chance, about as well as qSOFA did above. The
# ordering behaviour of clinicians is itself a predictor. Once the measured values are in the
# model, the counts and indicators add little on this data set: a deteriorating patient both gets
# more tests and has more abnormal results, so the two carry overlapping information. Keeping
# the indicators costs little, and it protects the model when a value is missing *because* the
# patient looked well.

# %% [markdown]
# ### Alarm burden: the model against qSOFA at the same alert rate
# *Core · 8 min*
#
# qSOFA ≥ 2 and qSOFA ≥ 1 define two alert rules. For each, we set the model threshold so that it
# alerts on the same share of patients, using the out-of-fold training predictions, and then count
# on the test set.

# %%
best = shown("logistic regression")  # the better model in cross-validation above
burden = {}
for k in [1, 2]:
    alert_rate = (qsofa.loc[X_train.index] >= k).mean()  # share of training patients alerted
    threshold = np.quantile(oof[best], 1 - alert_rate)
    for rule, alert in [(shown(f"qSOFA >= {k}"), qsofa.loc[X_test.index].to_numpy() >= k),
                        (shown(f"model, same alert rate as qSOFA >= {k}"),
                         p_test[best] >= threshold)]:
        tp = int((alert & (y_test == 1)).sum())
        burden[rule] = {shown("alerts per 100 patients"): 100 * alert.mean(),
                        shown("cases caught"): tp, shown("sensitivity"): tp / y_test.sum(),
                        "PPV": tp / alert.sum(), shown("alerts per true case"): alert.sum() / tp}
pd.DataFrame(burden).T

# %% [markdown]
# Read the table row by row. qSOFA ≥ 2 at hour 6 is a strict rule: it fires for only a few
# patients in 100 and catches a small minority of the coming sepsis cases, and most of its alerts
# are false. The model threshold chosen on the training folds gives somewhat *fewer* alerts on the
# test set (a threshold never transfers exactly), yet it catches more cases, with a much higher
# PPV. At the looser qSOFA ≥ 1 rate (about one patient in five alerted), the model catches a
# clearly larger share of the coming cases than qSOFA, with fewer alerts per true case. Even so, a
# large share of the cases is still missed, and each true alert costs several assessments. The
# numbers of caught cases are small (a few dozen), so treat the exact ratios as rough.
# The clinical lesson: **choose the operating point from the alarm budget the ward can absorb, then
# report sensitivity and alerts per true case at that point**, not only an AUROC.

# %% [markdown]
# ### Leak 1: label leakage through the antibiotics column
# *Core · 5 min*
#
# Suppose someone joins the medication table and adds "hour antibiotics were started" as a
# feature. It is a column of the patient table, it looks clinical, and it is filled in for most
# patients with sepsis.

# %%
abx_hour = dev["antibiotics_started_hour"]  # NaN = no antibiotics during the stay
X_abx = X.assign(antibiotics_started_hour=abx_hour)
X_abx_by6 = X.assign(antibiotics_by_hour_6=(abx_hour <= T_PRED).astype(int))  # time-respecting

leak = {shown("honest (hours 0-6)"):
        roc_auc_score(y_test, p_test[shown("gradient boosting")])}
for name, features in [("+ antibiotics_started_hour", X_abx),
                       (shown("+ antibiotics started by hour 6"), X_abx_by6)]:
    model = clone(gbm)  # same settings, not yet fitted
    p = model.fit(features.iloc[train_idx], y_train).predict_proba(features.iloc[test_idx])[:, 1]
    leak[name] = roc_auc_score(y_test, p)
pd.Series(leak, name=shown("test AUROC (gradient boosting)")).to_frame()

# %% [markdown]
# With the antibiotic start hour, the AUROC jumps to near-perfect: the "model" has learned that
# antibiotics are given around the time sepsis is diagnosed. At 6 hours after admission none of
# these antibiotics have been given yet, so in real use the column would be empty for exactly the
# patients we want to find. The time-respecting version ("were antibiotics started by hour 6?")
# is legitimate and adds nothing. **Every feature needs a timestamp, and the timestamp must be ≤
# the prediction time.**

# %% [markdown]
# ### Leak 2: temporal leakage from data after the prediction time
# *Core · 6 min*
#
# Now we keep the label and the model fixed but let the feature window end later than hour 6:
# as if the features were computed from "the whole admission", a common shortcut when data are
# extracted retrospectively.

# %%
window_ends = [6, 8, 10, 12, 15, 18, 23]
auroc_by_end = {}
for end in window_ends:
    X_end = demographics.join(window_features(dev_hourly, end))
    model = clone(gbm)
    p = model.fit(X_end.iloc[train_idx], y_train).predict_proba(X_end.iloc[test_idx])[:, 1]
    auroc_by_end[end] = roc_auc_score(y_test, p)
pd.Series(auroc_by_end, name=shown("test AUROC")).rename_axis(
    shown("window ends at hour")).to_frame().T

# %%
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(list(auroc_by_end), list(auroc_by_end.values()), "o-", color="tab:red")
ax.axvline(T_PRED, color="tab:blue", linestyle="--", label="prediction time (hour 6)")
ax.axvspan(T_PRED + 1, T_PRED + HORIZON, color="tab:orange", alpha=0.12,
           label="horizon: onsets that define y = 1")
ax.set_title("Temporal leakage: same label, later data")
ax.set_xlabel("Last hour of data used for the features")
ax.set_ylabel("Test AUROC (gradient boosting)")
ax.set_ylim(0.7, 1.01)
ax.legend(fontsize=8, loc="lower right")
plt.show()

# %% [markdown]
# Each extra hour of "future" data raises the AUROC, and once the window covers most of the horizon
# the model is nearly perfect. It is no longer predicting: it sees the onsets that
# define the label. Nothing in the code throws an error, the cross-validation is perfectly
# correct and the split is by patient. The leak is purely in *which rows of the hourly table were
# allowed into the features*. The honest point is the one on the blue line.

# %% [markdown]
# ### Leak 3: row-level splitting in an hourly design
# *Core · 8 min*
#
# Bedside systems score every patient every hour. We build that design: one row per patient-hour for
# hours 1–12, features = the latest charted value of every vital and lab (carried forward), age,
# sex, comorbidities and the hour, label = onset within the next 12 hours. Rows at or after onset
# are dropped (the patient is already septic). Then we split the *same* rows in two ways.

# %%
base = ["age", "diabetes", "ckd", "copd", "heart_failure", "immunosuppressed", "male"]
hrows = dev_hourly.sort_values(["patient_id", "hour"]).copy()
hrows[VITALS + LABS] = hrows.groupby("patient_id")[VITALS + LABS].ffill()  # latest value so far
hrows = hrows.join(demographics, on="patient_id")
hrows = hrows[(hrows["hour"].between(1, 12)) & ~(hrows["hour"] >= hrows["onset_hour"])]
until_onset = hrows["onset_hour"] - hrows["hour"]
hrows["y"] = ((until_onset > 0) & (until_onset <= HORIZON)).astype(int)
H_X, H_y, H_groups = hrows[["hour"] + base + VITALS + LABS], hrows["y"], hrows["patient_id"]
print(f"{len(hrows)} patient-hours from {H_groups.nunique()} patients, "
      f"{H_y.mean():.1%} labelled 1")

# %%
rng = np.random.default_rng(SEED)
row_test = rng.random(len(hrows)) < 0.3  # row-level: each hour independently
g_train, g_test = next(GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=SEED)
                       .split(H_X, H_y, groups=H_groups))
patient_test = np.zeros(len(hrows), dtype=bool)
patient_test[g_test] = True

split_auroc = {}
for name, is_test in [(shown("split by patient"), patient_test),
                      (shown("split by row"), row_test)]:
    shared = H_groups[~is_test].isin(H_groups[is_test]).mean()
    model = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31,
                                           early_stopping=False, random_state=SEED)
    p = model.fit(H_X[~is_test], H_y[~is_test]).predict_proba(H_X[is_test])[:, 1]
    split_auroc[name] = roc_auc_score(H_y[is_test], p)
    print(f"{name:>16}: test AUROC {split_auroc[name]:.3f}, AUPRC "
          f"{average_precision_score(H_y[is_test], p):.3f}; "
          f"training rows whose patient is also in the test set: {shared:.0%}")

# %% [markdown]
# Same rows, same model, same features: only the split differs. With the row-level split, almost
# every training row belongs to a patient who also has rows in the test set, and the AUROC rises
# sharply (the two lines printed above). The model has memorised patients: the combination of age,
# comorbidities and carried-forward lab values is a near-unique fingerprint, and the neighbouring
# hours of the same patient carry the same label. A new patient on the ward has no fingerprint in
# the training data. (The honest hourly AUROC is below that of the hour-6 design because each
# hourly row sees only the latest values, without admission values, ranges or trends. The two
# designs also answer slightly different questions.)

# %% [markdown]
# ### All three leaks side by side
# *Core · 4 min*

# %%
summary = pd.Series({
    shown("honest: hour 6,\npatient split"): auroc_by_end[T_PRED],
    shown("label leak:\n+ antibiotic hour"): leak["+ antibiotics_started_hour"],
    shown("temporal leak:\ndata to hour 23"): auroc_by_end[23],
    shown("hourly rows,\npatient split"): split_auroc[shown("split by patient")],
    shown("hourly rows,\nrow split"): split_auroc[shown("split by row")],
})
colours = ["tab:green", "tab:red", "tab:red", "tab:green", "tab:red"]
fig, ax = plt.subplots(figsize=(9, 4))
bars = ax.bar(summary.index, summary.values, color=colours)
ax.bar_label(bars, fmt="%.2f")
ax.axhline(results.loc[shown("qSOFA score (0-3)"), "AUROC"], color="grey", linestyle="--",
           label="qSOFA at hour 6")
ax.set_ylim(0.5, 1.05)
ax.set_title("Honest (green) and leaky (red) estimates of test AUROC")
ax.set_ylabel("Test AUROC")
ax.legend(fontsize=8, loc="upper left")
plt.show()
gains = {  # each leak against its honest counterpart
    shown("label leak"): leak["+ antibiotics_started_hour"] - auroc_by_end[T_PRED],
    shown("temporal leak"): auroc_by_end[23] - auroc_by_end[T_PRED],
    shown("row-level split"):
        split_auroc[shown("split by row")] - split_auroc[shown("split by patient")],
}
for name, gain in gains.items():
    print(f"{name:>16}: AUROC {gain:+.2f} over the honest estimate")

# %% [markdown]
# The green bars are what a new ward patient can expect; the red bars are what a careless analysis
# would publish. Each leak adds a large amount to the AUROC (the gains printed below the chart)
# and turns a useful model into an apparently near-perfect one. Every leak is invisible in the
# code unless you ask, for each feature and each split: *would this be known, for this patient,
# at the moment of prediction?* When a published early-warning model reports an AUROC above 0.95
# on routine ward data, these three explanations should be checked before any other.
#
# The lesson's headline figures, all on the same held-out test patients:

# %%
key_results.show(
    {
        "test AUROC, logistic regression (hour 6)":
            results.loc[shown("logistic regression"), "AUROC"],
        "test AUPRC, logistic regression (hour 6)":
            results.loc[shown("logistic regression"), "AUPRC"],
        "test AUROC, qSOFA at hour 6": results.loc[shown("qSOFA score (0-3)"), "AUROC"],
        "sensitivity, model at the qSOFA >= 1 alert rate":
            burden[shown("model, same alert rate as qSOFA >= 1")][shown("sensitivity")],
        "test AUROC with data to hour 23 (temporal leak)": auroc_by_end[23],
    },
    caption=f"dx02 · sepsis in the next {HORIZON} h, scored at hour {T_PRED} "
            f"({len(y_test)} test patients, {y_test.sum()} events)",
)

# %% [markdown] tags=["deep-dive"]
# ### Teaser: a different hospital
# *Deep dive · 4 min · optional: a first look at site_D, ahead of dx04*
#
# So far we have used sites A–C only. At `site_D`, routine labs are drawn twice as often *by
# policy*, so "a repeat lab was drawn" no longer means the same thing.

# %% tags=["deep-dive"]
site_rows = hourly[(hourly["hour"].between(1, T_PRED)) & ~(hourly["onset_hour"] <= 12)]
site_rows.groupby("site")[["wbc", "lactate"]].agg(lambda s: s.notna().mean()).rename(
    columns={"wbc": shown("lab panel drawn (share of hours 1-6)"),
             "lactate": shown("lactate drawn")})

# %% [markdown] tags=["deep-dive"]
# Among patients without sepsis in the first 12 hours, `site_D` draws a lab panel about twice as
# often in the early hours as the other sites (its policy, see the data card). A model that learned
# "extra labs mean trouble" at sites A–C will over-read the extra labs at `site_D`. Together with
# its older patients, higher baseline risk and a lactate assay reading high, this makes `site_D` an
# **external validation** problem (lesson dx04). The real-world example is the external validation
# of a widely used proprietary sepsis model, whose AUROC at a new hospital (0.63) was far below what
# its developer had reported (Wong et al. 2021).

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# - **Label leakage.** Antibiotics, blood-culture orders, ICD codes for sepsis, ICU transfer and
#   "sepsis bundle" order sets are all *responses* to the diagnosis. They look like predictors
#   and they make any model look brilliant. Drop outcomes (`onset_hour`, `mortality_30d`) and
#   anything recorded because of them, or use them only with a timestamp before the prediction
#   time.
# - **Temporal leakage.** Features computed over "the whole stay", or with a window that ends at
#   onset for cases but at an arbitrary time for controls, use the future. Fix a prediction time,
#   filter `hour <= t_p` *before* computing any feature, and exclude patients already septic at
#   $t_p$. Beware of timestamps: a lab's *result* time is later than its *sampling* time, and
#   only values resulted by $t_p$ are available.
# - **Row-level splits.** With several rows per patient (hours, admissions, images), split by
#   patient with `GroupShuffleSplit`/`GroupKFold`, and assert that no patient ID is on both sides.
#   The same holds inside cross-validation used for tuning.
# - **Imputing outside the pipeline.** Medians (or any model-based imputation) computed on all
#   patients leak test information; fit them on training data only, inside the pipeline.
# - **Informative missingness is practice-dependent.** A model that relies on ordering patterns
#   can fail when practice changes: a new protocol, a different hospital, or the model's own alerts
#   prompting more tests.
# - **AUROC is not alarm burden.** With a 7% event rate, even the better model here still raises
#   several false alarms per true one (the alarm-burden table). Report sensitivity, PPV and alerts
#   per true case at a threshold set from the ward's alarm budget, chosen without the test set.
# - **Comparing with a straw man.** A bedside rule such as qSOFA was designed for a different
#   question (prognosis in suspected infection). Say so when you use it as a baseline, and compare
#   at equal alert rates, not just by AUROC.

# %% [markdown]
# ## Exercises
# *Core · 15 min · in the lab: exercises 6 and 1; the others after the lab*
#
# Worked answers are with the instructor and are discussed in the seminar.
#
# 1. **(Clinician track) The prediction time.** Change `T_PRED` to 2 and then to 12 (keeping
#    `HORIZON = 12`). How do the number of eligible patients, the event rate and the honest AUROC
#    change? At which hour after admission would you want the alert to run on your ward, and why?
# 2. **(Clinician track) Label leakage hunt.** List five items from a real EHR (orders, notes,
#    codes, locations, devices) that would leak a sepsis label in the same way as the antibiotic
#    start time. For each, state the timestamp that would make it legitimate, if any.
# 3. **(Engineer track) Stale values.** In the hourly design, labs are carried forward
#    indefinitely. Add a feature "hours since the last lactate" and cap carry-forward at 8 hours
#    (older values become NaN). Does the patient-split AUROC change? Does the *gap* between row and
#    patient splits change, and why?
# 4. **(Engineer track) How noisy is one split?** Repeat the honest hour-6 comparison of logistic
#    regression and gradient boosting for `random_state` 0 to 19 of the `GroupShuffleSplit`. Plot
#    the distribution of the AUROC difference. Is either model clearly better?
# 5. **(Both tracks) Late onsets as negatives.** We labelled patients with onset after hour 18 as 0.
#    Refit after *excluding* them instead. How do the AUROC and AUPRC change, and which choice
#    better matches how the alert would be used on a ward?
# 6. **(Both tracks) The alarm budget.** Your ward can assess at most 10 alerts per 100 patients at
#    hour 6. Using the out-of-fold predictions, choose the threshold, then report on the test set
#    how many sepsis cases are caught and how many alerts are false. Write two sentences for the
#    nursing lead explaining what the alert will and will not do.

# %% [markdown]
# ## References
#
# 1. Singer M, Deutschman CS, Seymour CW, et al. The Third International Consensus Definitions for
#    Sepsis and Septic Shock (Sepsis-3). *JAMA*. 2016;315(8):801–810. doi:10.1001/jama.2016.0287
# 2. Seymour CW, Liu VX, Iwashyna TJ, et al. Assessment of clinical criteria for sepsis: for the
#    Third International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3). *JAMA*.
#    2016;315(8):762–774. doi:10.1001/jama.2016.0288
# 3. Wong A, Otles E, Donnelly JP, et al. External validation of a widely implemented proprietary
#    sepsis prediction model in hospitalized patients. *JAMA Intern Med*. 2021;181(8):1065–1070.
#    doi:10.1001/jamainternmed.2021.2626
# 4. Kaufman S, Rosset S, Perlich C, Stitelman O. Leakage in data mining: formulation, detection,
#    and avoidance. *ACM Trans Knowl Discov Data*. 2012;6(4):15. doi:10.1145/2382577.2382579
# 5. Henry KE, Hager DN, Pronovost PJ, Saria S. A targeted real-time early warning score
#    (TREWScore) for septic shock. *Sci Transl Med*. 2015;7(299):299ra122.
#    doi:10.1126/scitranslmed.aab3719
# 6. Reyna MA, Josef CS, Jeter R, et al. Early prediction of sepsis from clinical data: the
#    PhysioNet/Computing in Cardiology Challenge 2019. *Crit Care Med*. 2020;48(2):210–217.
#    doi:10.1097/CCM.0000000000004145
# 7. Agniel D, Kohane IS, Weber GM. Biases in electronic health record data due to processes within
#    the healthcare system: retrospective observational study. *BMJ*. 2018;361:k1479.
#    doi:10.1136/bmj.k1479
# 8. Sperrin M, Martin GP, Sisk R, Peek N. Missing data should be handled differently for
#    prediction than for description or causal explanation. *J Clin Epidemiol*. 2020;125:183–187.
#    doi:10.1016/j.jclinepi.2020.03.028
# 9. Friedman JH. Greedy function approximation: a gradient boosting machine. *Ann Stat*.
#    2001;29(5):1189–1232. doi:10.1214/aos/1013203451
# 10. Ke G, Meng Q, Finley T, et al. LightGBM: a highly efficient gradient boosting decision tree.
#     In: *Advances in Neural Information Processing Systems 30 (NIPS 2017)*; 2017:3146–3154.
# 11. Pedregosa F, Varoquaux G, Gramfort A, et al. Scikit-learn: machine learning in Python.
#     *J Mach Learn Res*. 2011;12:2825–2830. User guide sections "Histogram-based gradient
#     boosting", "Imputation of missing values" and "Cross-validation iterators for grouped data"
#     (https://scikit-learn.org/stable/).
#
# **Further reading.** Johnson AEW, Bulgarelli L, Shen L, et al. MIMIC-IV, a freely accessible
# electronic health record dataset. *Sci Data*. 2023;10:1. doi:10.1038/s41597-022-01899-x
