# %% [markdown]
# # dx06 · Biosignals
#
# *Module: AI diagnosis and prediction · Core path: about 110 minutes, plus about 30 minutes of
# optional deep dives · Prerequisites: dx01 (confusion matrix, sensitivity, PPV,
# cross-validation), basic numpy; no prior signal processing or cardiology needed.*
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
# - ... name the 12 ECG leads, explain why only 8 of them are independent (Einthoven and
#   Goldberger relations), and point to the P wave, QRS complex and T wave on a tracing;
# - ... explain sampling, the Nyquist frequency and the three classic ECG noise sources
#   (baseline wander, powerline interference, muscle/EMG noise), and remove the first two with
#   zero-phase `scipy.signal` filters, saying why a filter's phase matters clinically;
# - ... build a Pan–Tompkins-style R-peak detector step by step (band-pass, derivative, squaring,
#   moving-window integration, peak picking with a refractory period) and score it against true
#   beat positions with sensitivity and positive predictive value;
# - ... compute heart-rate variability features (mean HR, SDNN, RMSSD, pNN50, coefficient of
#   variation) and read a Poincaré plot;
# - ... train and cross-validate an atrial-fibrillation classifier on RR-interval features, and
#   explain why premature ventricular contractions are its natural false positives;
# - ... read a real 12-lead ECG from a DICOM Waveform object with pydicom (units, sampling rate,
#   lead labels) and run the same pipeline on it.

# %% [markdown]
# ## Clinical question
# *Core · 4 min*
#
# A 67-year-old man comes to the emergency department with two days of palpitations. His
# smartwatch has twice flagged an "irregular rhythm". A standard 10-second 12-lead ECG is
# recorded and the electrocardiograph prints an automatic interpretation on top of it.
#
# > Does this ECG show **atrial fibrillation (AF)**, or sinus rhythm (possibly fast, slow, or
# > interrupted by extra beats)?
#
# The answer matters. AF raises the risk of ischaemic stroke several-fold, and a diagnosis of AF
# opens the discussion about oral anticoagulation. The ESC guidelines (2020, Hindricks et al.
# 2021; kept in the 2024 guidelines, Van Gelder et al. 2024) require the diagnosis to be
# **documented on an ECG**: a 12-lead ECG, or a single-lead tracing of
# at least 30 s, showing *irregularly irregular RR intervals* and *no distinct repeating P waves*.
# A smartwatch alert alone is not enough.
#
# Every automatic interpretation, in the ECG cart or in the watch, rests on the same chain:
#
# 1. **clean the signal** (remove baseline wander and mains interference);
# 2. **find every heartbeat** (the R peaks), because every rhythm measure is built on the
#    intervals between them;
# 3. **summarise the rhythm** (heart rate and its variability);
# 4. **decide** (AF or not).
#
# The errors have different costs. A *missed AF* (false negative) can mean no anticoagulation and
# a preventable stroke. A *false AF* (false positive) can mean anticoagulation with its bleeding
# risk, or at least anxiety and extra monitoring. The commonest mimic is a heart in sinus rhythm
# with **premature ventricular contractions (PVCs)**: the rhythm is irregular, but not in the way
# AF is. In this lesson we build each link of the chain and see where it breaks.

# %% [markdown]
# ## Data card
# *Core · 5 min*
#
# We use two data sets: a synthetic one with known ground truth to *develop and score* the
# methods, and one real ECG to *check* them.
#
# **1. `ecg`: synthetic 12-lead ECGs (this course's generator)**
#
# | Item | Description |
# |---|---|
# | **What** | **Synthetic** (simulated) 10-second, 12-lead ECGs at 250 Hz, in millivolts, with rhythm labels and the exact sample of every R peak. No patient was recorded. |
# | **Generative model** | Each beat is a sum of Gaussian bumps for the P, Q, R, S and T waves: the closed-form waveform of the dynamical ECG model of McSharry et al. (2003). Beat times come from a rhythm model: sinus rhythm with a little respiratory and slow (Mayer-wave) modulation; AF as independent, log-normally scattered RR intervals plus 4–9 Hz fibrillatory "f-waves" instead of P waves; PVCs as early, wide, P-less beats followed by a full compensatory pause. Eight leads (I, II, V1–V6) are projections of the wave components with gains fitted to pydicom's real test ECG (below); III, aVR, aVL and aVF are computed from I and II exactly as an electrocardiograph does. |
# | **Noise** | Added to each record: baseline wander at the breathing frequency (0.15–0.30 Hz, up to 0.3 mV), powerline interference at 50 or 60 Hz (10–50 µV; the frequency is in the metadata) and white noise (5–25 µV). Loading with `noise=False` and the same seed gives exactly the noise-free cardiac signal, our "clean" reference. |
# | **Size** | 200 records × 12 leads × 2500 samples; 40 records per class. |
# | **Outcome** | `label`: 0 normal sinus rhythm, 1 atrial fibrillation, 2 sinus bradycardia (< 60 bpm), 3 sinus tachycardia (> 100 bpm), 4 sinus rhythm with PVCs. For the classifier we code **AF = 1 (positive), everything else = 0**. Ground truth: `ground_truth["r_peaks"]` (true R-peak sample indices per record, where the noise-free lead II peaks) and `ground_truth["beat_types"]` (`"N"` normal or AF beat, `"V"` PVC). |
# | **Licence** | MIT (generated by this project). |
# | **PHI status** | None. No patient data; only the morphology template was fitted to a public test ECG. |
# | **Known limitations** | One morphology template with random gains: no bundle-branch block, ST changes, axis deviation. No muscle (EMG) noise, electrode motion or lead-off artefacts. Sinus heart-rate variability is small and smooth; AF RR intervals are independent draws. Only unifocal PVCs. Classes are balanced (20% AF), unlike any real population. Results on this set are an *upper bound* for real ECGs. |
#
# **2. `dicom_ecg_waveform`: one real 12-lead ECG in DICOM format**
#
# | Item | Description |
# |---|---|
# | **What** | `waveform_ecg.dcm`, a resting 12-lead ECG shipped as a test file with pydicom: a DICOM *12-lead ECG Waveform* object recorded by a Mortara electrocardiograph in 2013. Two multiplex groups: a 10-second **rhythm** strip (12 channels × 10 000 samples at 1000 Hz) and a 1.2-second **median beat** computed by the device. |
# | **Who** | One adult patient; the device's annotations read "sinus rhythm, normal ECG" (in Italian). |
# | **Outcome / reference** | No rhythm label for research use, but the file carries the device's own measurements (RR interval, PR, QRS, QT) and a fiducial point for each detected beat: a *machine* reference, not a cardiologist's. |
# | **Licence** | Public DICOM test data redistributed in pydicom (MIT). |
# | **PHI status** | Public test file; the patient attributes are anonymised or fictitious. It still contains realistic fields (IDs, dates, institution) that would be PHI in a real file. |
# | **Known limitations** | A single, normal ECG: it shows what real data look like, it cannot validate a classifier. |
#
# Real, annotated ECG databases for serious work (for example the MIT-BIH Arrhythmia Database and
# many AF databases) are available on PhysioNet (Goldberger et al. 2000).

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from pydicom.waveforms import multiplex_array
from scipy import signal
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 42  # one seed for every random step, so the lesson is reproducible
np.random.seed(SEED)
pd.set_option("display.precision", 3)

data = datasets.load("ecg", seed=0)  # noisy recordings (what the device measures)
clean = datasets.load("ecg", seed=0, noise=False)  # same hearts, no noise: our reference

fs = data.sampling_rate_hz  # samples per second
ecg = data.signals  # (records, leads, samples), mV
meta = data.metadata
print(data.description)
print(f"Signals {ecg.shape}, units {data.units}, fs = {fs:.0f} Hz, leads {data.channels}")

# %%
meta.groupby("rhythm").agg(records=("label", "size"), label=("label", "first"),
                           hr_min=("heart_rate_bpm", "min"), hr_max=("heart_rate_bpm", "max"),
                           beats=("n_beats", "sum"), pvcs=("n_pvc", "sum"))

# %% [markdown]
# Five balanced rhythm classes of 40 records. Bradycardia and tachycardia are sinus rhythms
# defined purely by rate; AF spans a wide range of rates, so rate alone will not identify it.
# Nearly 2,900 beats in total, 75 of them PVCs, give plenty of material to score a beat detector.
# (`meta` also holds, per record, the breathing frequency, the wander amplitude and the mains
# frequency and amplitude; we use some of these below.)

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Eight steps: the ECG itself, sampling and noise, filters, a beat detector and its scoring, HRV
# features, an AF classifier, and reading a real ECG from DICOM.

# %% [markdown]
# ### 1. The 12-lead ECG for engineers
# *Core · 5 min*
#
# The heart's electrical activity creates a time-varying potential field on the body surface. An
# ECG **lead** is a voltage difference between electrodes. With potentials $\Phi_R$, $\Phi_L$,
# $\Phi_F$ at the right arm, left arm and left leg, Einthoven's **limb leads** are
#
# $$ \text{I} = \Phi_L - \Phi_R, \qquad \text{II} = \Phi_F - \Phi_R, \qquad \text{III} = \Phi_F - \Phi_L
# \quad\Rightarrow\quad \text{III} = \text{II} - \text{I}. $$
#
# Goldberger's **augmented leads** compare one limb with the mean of the other two:
#
# $$ \text{aVR} = \Phi_R - \tfrac{\Phi_L + \Phi_F}{2} = -\tfrac{\text{I} + \text{II}}{2}, \quad
#    \text{aVL} = \text{I} - \tfrac{\text{II}}{2}, \quad
#    \text{aVF} = \text{II} - \tfrac{\text{I}}{2}. $$
#
# So the six limb leads carry only **two** independent signals; with the six chest
# (**precordial**) leads V1–V6, measured against Wilson's central terminal (the mean of the
# three limb electrodes), a 12-lead ECG holds **8 independent signals**. Modern
# electrocardiographs record I and II (and V1–V6) and *compute* the other four. For a model,
# this means the 12 channels are highly redundant: never treat them as 12 independent inputs.
#
# Each heartbeat draws a characteristic sequence of deflections:
#
# | Wave | Physiology | Typical timing |
# |---|---|---|
# | **P** | atrial depolarisation | about 80–100 ms; PR interval 120–200 ms |
# | **QRS** | ventricular depolarisation; the tall **R** peak is the usual beat marker | < 120 ms (normally about 70–100 ms) |
# | **T** | ventricular repolarisation | ends about 350–450 ms after QRS onset (QT interval; rate dependent) |
#
# The time between successive R peaks is the **RR interval**; heart rate in beats per minute is
# $\text{HR} = 60 / \text{RR}$ with RR in seconds. In AF the atria fibrillate: there is no P wave,
# only small, fast, irregular **f-waves** (4–9 Hz in our synthetic data), and the ventricles respond
# at irregular times. A **PVC** is an early beat arising in the ventricle: no P wave, a wide,
# bizarre QRS, and then a pause.

# %% [markdown]
# ### 2. Signal processing for clinicians
# *Core · 5 min*
#
# **Sampling.** A digital ECG is the voltage measured every $1/f_s$ seconds; $f_s$ is the
# sampling frequency (here 250 Hz, so one sample every 4 ms; the real DICOM ECG uses 1000 Hz).
# The sampling theorem says that a sampled signal can only represent frequencies below the
# **Nyquist frequency** $f_N = f_s/2$. Any component above $f_N$ is not lost but **aliased**: it
# reappears at a false, lower frequency ($f_s - f$ for $f_N < f < f_s$). Electrocardiographs
# therefore low-pass filter the analogue signal *before* sampling. The diagnostic ECG needs
# content up to about 150 Hz in adults (Kligfield et al. 2007), whereas the QRS energy used for
# beat detection lies mostly between about 5 and 20 Hz.
#
# **Noise sources.** Three are classic, and each sits in a different frequency band:
#
# | Noise | Cause | Frequencies | Remedy |
# |---|---|---|---|
# | **Baseline wander** | breathing, electrode–skin impedance changes, movement | below about 0.5–1 Hz | high-pass filter |
# | **Powerline interference** | mains electricity coupling into cables and body | exactly 50 Hz (Europe) or 60 Hz (Americas), plus harmonics | narrow notch filter |
# | **Muscle (EMG) noise** | skeletal muscle activity: shivering, tense patient, tremor | broadband, from about 20 Hz to hundreds of Hz | hard: it **overlaps** the QRS band, so filtering also blurs the QRS |
#
# Our synthetic set contains the first two plus white noise, but no EMG (a limitation to
# remember when moving to real data).

# %% [markdown]
# ### 3. Filters, and why phase matters
# *Core · 5 min*
#
# A linear filter is characterised by its **frequency response** $H(f)$: its magnitude $|H(f)|$
# says how much each frequency is kept, its phase $\angle H(f)$ how much it is shifted. We use
# three filters from `scipy.signal`:
#
# - a **Butterworth high-pass** at 0.5 Hz (`butter`), maximally flat in the pass band, to remove
#   baseline wander;
# - an **IIR notch** at the local mains frequency (`iirnotch`) with quality factor
#   $Q = f_0 / \Delta f = 30$, i.e. a stop band only $\Delta f \approx 2$ Hz wide, so that the
#   QRS content around it is barely touched;
# - a **Butterworth band-pass** at 5–20 Hz that keeps the steep QRS and suppresses P and T waves,
#   f-waves and residual wander. This one is *only for detection*: it deforms the ECG and must
#   never be used for a tracing that a clinician will read.
#
# Every causal filter (one that only uses past samples, as a real-time monitor must) **delays**
# the signal, and an IIR filter delays different frequencies by different amounts (its **group
# delay** $\tau(f) = -\frac{1}{2\pi}\frac{d\angle H}{df}$ is not constant). Because the waves of
# the ECG have different frequency content, they are shifted by different amounts and the
# waveform is **distorted**: a causal high-pass can create artificial ST-segment depression, and a
# causal band-pass moves the R peak. Offline we can avoid this with **forward–backward
# filtering** (`filtfilt`): filter, reverse the signal in time, filter again, reverse back. The
# phase shifts of the two passes cancel, so the overall response is
#
# $$ H_{\text{zp}}(f) = H(f)\,\overline{H(f)} = |H(f)|^2 , $$
#
# which is real: **zero phase**, with the magnitude squared (the effective order doubles). This
# is why the AHA recommendations allow a low-frequency cut-off up to 0.67 Hz for zero-phase
# digital filters, but 0.05 Hz for conventional ones (Kligfield et al. 2007).

# %% [markdown]
# ### 4. A Pan–Tompkins-style R-peak detector
# *Core · 4 min*
#
# Pan and Tompkins (1985) designed a real-time QRS detector that is still the reference
# baseline. We implement its core stages on the filtered lead II, $x[n]$:
#
# 1. **Band-pass** 5–20 Hz (the original used roughly 5–15 Hz): $x_b[n]$.
# 2. **Derivative** (five-point, centred), which emphasises the steep slopes of the QRS:
#    $$ d[n] = \frac{f_s}{8}\big(-x_b[n-2] - 2x_b[n-1] + 2x_b[n+1] + x_b[n+2]\big). $$
# 3. **Squaring**, $s[n] = d[n]^2$: all values positive, large slopes amplified non-linearly.
# 4. **Moving-window integration** over $W = 150$ ms (about the width of a wide QRS):
#    $$ m[n] = \frac{1}{N_W}\sum_{k=-N_W/2}^{N_W/2-1} s[n+k], \qquad N_W = W f_s . $$
#    Each QRS becomes one smooth hump.
# 5. **Peak picking** with `scipy.signal.find_peaks`: a hump counts as a beat if it exceeds a
#    threshold $\theta = 0.3 \times P_{99}(m)$ (30% of the record's 99th percentile) and is at
#    least a **refractory period** of 200 ms away from any larger hump; the ventricles cannot
#    depolarise again so soon, so anything closer is a T wave or noise.
# 6. **Location refinement**: the R peak is taken as the maximum of the filtered ECG within
#    ±75 ms of the hump.
#
# The original algorithm also has adaptive running thresholds, a search-back for missed beats and
# a T-wave test; ours is a simplified offline version (it looks at the whole record to set the
# threshold).

# %% [markdown]
# ### 5. Scoring a beat detector
# *Core · 2 min*
#
# A detected peak is a **true positive (TP)** if it lies within a tolerance of $\pm 50$ ms of a
# true R peak; a true beat with no detection inside the tolerance is a **false negative (FN)**
# (missed beat), and a detection far from every true beat is a **false positive (FP)**
# (extra beat). Then
#
# $$ \text{Se} = \frac{TP}{TP + FN}, \qquad \text{PPV} = \frac{TP}{TP + FP}. $$
#
# There are no true negatives (every sample that is not a beat would count), so specificity is
# undefined; beat-detection papers report sensitivity and PPV ("positive predictivity"). Because
# the refractory period (200 ms) is more than twice the tolerance, one detection can never match
# two beats.

# %% [markdown]
# ### 6. Heart-rate variability (HRV)
# *Core · 4 min*
#
# From $K$ R peaks we get $K-1$ RR intervals $RR_1, \dots, RR_{K-1}$ (in ms) and their successive
# differences $\Delta_k = RR_{k+1} - RR_k$. Following the Task Force of the ESC and NASPE (1996):
#
# | Feature | Formula | Meaning |
# |---|---|---|
# | mean HR | $60\,000 / \overline{RR}$ | average rate (bpm) |
# | SDNN | $\operatorname{sd}(RR_k)$ | overall variability (ms) |
# | RMSSD | $\sqrt{\operatorname{mean}(\Delta_k^2)}$ | beat-to-beat (short-term) variability (ms) |
# | pNN50 | $\%\,\{k : \lvert\Delta_k\rvert > 50 \text{ ms}\}$ | share of large beat-to-beat jumps |
# | CV | $\operatorname{SDNN} / \overline{RR}$ | variability relative to rate (unitless) |
#
# The **Poincaré plot** draws each interval against the next, $(RR_k, RR_{k+1})$. Regular rhythm
# gives a tight cluster on the identity line; its width across the line, SD1, equals
# $\operatorname{sd}(\Delta_k)/\sqrt{2}$, closely related to RMSSD (Brennan et al. 2001). AF gives
# a diffuse cloud; PVCs with compensatory pauses give separate off-diagonal clusters
# (normal–short, short–long, long–normal).
#
# The Task Force defines short-term HRV on **5-minute** recordings. Our 10-second records give 5
# to 24 intervals, enough to judge regularity but far too few for physiological HRV claims. Also,
# the "NN" in SDNN means *normal-to-normal*: ectopic beats should be removed first. We
# deliberately do **not** do this, because the irregularity created by PVCs is exactly what will
# confuse an AF classifier.

# %% [markdown]
# ### 7. An AF classifier on RR features
# *Core · 2 min*
#
# The five features above (computed from *our detected* peaks, so detection errors propagate as
# they would in a device) feed a **logistic regression** inside a `Pipeline` with a
# `StandardScaler`, as in dx01. With only 200 records we do not hold out a test set; instead we
# estimate performance with **5-fold stratified cross-validation** (`cross_val_predict`), so that
# every record is predicted by a model that never saw it. We then break the confusion matrix down
# by the *true rhythm*, to see which non-AF rhythms cause false alarms, and compare with a
# random forest.

# %% [markdown] tags=["deep-dive"]
# ### 8. Reading a real ECG from DICOM
# *Deep dive · 3 min · optional: how DICOM stores a waveform*
#
# DICOM stores waveforms in a **Waveform Sequence**; each item is a *multiplex group* of channels
# sampled together, with its `SamplingFrequency`, `NumberOfWaveformSamples` and a
# `ChannelDefinitionSequence` that gives, per channel, the lead (`ChannelSourceSequence`), the
# scaling (`ChannelSensitivity`, in the units of `ChannelSensitivityUnitsSequence`, times
# `ChannelSensitivityCorrectionFactor`, plus `ChannelBaseline`) and the device's filter settings.
# pydicom's `Dataset.waveform_array(i)` returns group $i$ as a (samples × channels) array,
# already scaled to physical units. We will resample it to 250 Hz with
# `scipy.signal.resample_poly`, which applies an anti-aliasing low-pass filter before discarding
# samples, and then run exactly the same pipeline.

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# The numbered subsections follow the Method: from the raw leads to a filtered signal, detected
# beats, rhythm features and an AF classifier, and finally a real ECG.

# %% [markdown]
# ### 1. Looking at the twelve leads
# *Core · 5 min*
#
# First, one normal-sinus-rhythm record as a clinician sees it: the twelve leads, each on its
# own row, with the true R peaks marked on lead II.

# %%
rec = int(meta.index[meta["label"] == 0][0])  # first normal-sinus-rhythm record
t = np.arange(ecg.shape[2]) / fs  # time axis in seconds
r_true = data.ground_truth["r_peaks"]  # list of true R-peak indices per record

fig, axes = plt.subplots(6, 2, figsize=(11, 8), sharex=True)
for i, (ax, lead_name) in enumerate(zip(axes.T.ravel(), data.channels, strict=True)):
    ax.plot(t, ecg[rec, i], lw=0.7, color="k")
    ax.set_ylabel(lead_name, rotation=0, labelpad=15)
    if lead_name == "II":
        ax.plot(t[r_true[rec]], ecg[rec, i, r_true[rec]], "rv", ms=4, label="true R")
        ax.legend(loc="upper right", fontsize=7)
for ax in axes[-1]:
    ax.set_xlabel("Time (s)")
fig.suptitle(f"Record {rec}: {meta.rhythm[rec]}, {meta.heart_rate_bpm[rec]:.0f} bpm (mV per lead)")
fig.tight_layout()
plt.show()

# Einthoven and Goldberger identities, checked on all 200 records at once
lead = {name: ecg[:, i, :].astype(float) for i, name in enumerate(data.channels)}
for name, diff in [("III - (II - I)", lead["III"] - (lead["II"] - lead["I"])),
                   ("aVR + (I + II)/2", lead["aVR"] + (lead["I"] + lead["II"]) / 2),
                   ("aVL - (I - II/2)", lead["aVL"] - (lead["I"] - lead["II"] / 2)),
                   ("aVF - (II - I/2)", lead["aVF"] - (lead["II"] - lead["I"] / 2))]:
    print(f"max |{name}| = {np.abs(diff).max():.1e} mV")

# %% [markdown]
# The familiar picture: regular beats, upright P–QRS–T in I, II and V4–V6, a negative complex in
# aVR, and small r / deep S in V1–V2 (R-wave progression across the chest leads). The slow
# undulation of the baseline is the simulated breathing-related wander, and the faint thickening
# of the line is powerline interference plus white noise.
#
# The printed identity checks give differences at the level of float32 rounding (about
# $10^{-7}$ mV): the four derived leads contain no information beyond I and II. From now on we
# work on **lead II**, the classic rhythm lead, where P waves and R peaks are usually clear.

# %% [markdown]
# ### 2. What the noise looks like, in time and in frequency
# *Core · 7 min*
#
# We pick the record with the largest baseline wander and compare its noisy lead II with the
# noise-free version of the same heart. The power spectral density (Welch's method) shows
# *where in frequency* the noise lives.

# %%
II = data.channels.index("II")
x_raw = ecg[:, II, :].astype(float)  # noisy lead II, all records
x_clean = clean.signals[:, II, :].astype(float)  # the same beats without noise
noisy = int(meta["baseline_wander_mv"].idxmax())
print(f"Record {noisy}: {meta.rhythm[noisy]}, wander {meta.baseline_wander_mv[noisy]:.2f} mV "
      f"at {meta.respiration_hz[noisy]:.2f} Hz, "
      f"powerline {meta.powerline_mv[noisy] * 1000:.0f} µV at {meta.powerline_hz[noisy]:.0f} Hz")

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
axes[0].plot(t, x_raw[noisy], lw=0.7, label="recorded (noisy)")
axes[0].plot(t, x_clean[noisy], lw=0.7, color="k", label="noise-free reference")
axes[0].set_title(f"Lead II, record {noisy}")
axes[0].set_xlabel("Time (s)")
axes[0].set_ylabel("Voltage (mV)")
axes[0].legend(fontsize=8)
for x, name, colour in [(x_clean[noisy], shown("cardiac signal"), "k"),
                        (x_raw[noisy] - x_clean[noisy], shown("noise"), "tab:red")]:
    f, psd = signal.welch(x, fs=fs, nperseg=1024)  # 1024 samples: 0.24 Hz resolution
    axes[1].semilogy(f, psd, color=colour, label=name)
axes[1].set_title("Power spectral density")
axes[1].set_xlabel("Frequency (Hz)")
axes[1].set_ylabel("PSD (mV²/Hz)")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# In the time domain the wander lifts and lowers whole beats, which would fool any fixed
# amplitude threshold and would distort ST-segment measurements. In the frequency domain the noise
# is concentrated in two places: a peak below 0.5 Hz (breathing) and a sharp line at the mains
# frequency (50 Hz here), on top of a flat white-noise floor. The cardiac signal has most of its
# power below about 30 Hz, and its spectrum falls under the white-noise floor above about 45 Hz
# (a real ECG has more high-frequency detail than these smooth Gaussian waves). Because wander and
# mains hum sit *outside* the main cardiac band, a high-pass and a notch filter can remove them
# with little damage; the white noise shares the cardiac band and will largely remain.
#
# A quick illustration of aliasing: mains interference at 60 Hz recorded by a device sampling at
# only 100 Hz (Nyquist 50 Hz) and without an analogue anti-aliasing filter.

# %%
fs_low = 100.0
t_low = np.arange(0, 2, 1 / fs_low)  # 2 s sampled at 100 Hz
hum = np.sin(2 * np.pi * 60.0 * t_low)  # a 60 Hz sine, sampled too slowly
f_low, p_low = signal.periodogram(hum, fs=fs_low)
print(f"True frequency 60 Hz; apparent frequency after sampling at {fs_low:.0f} Hz: "
      f"{f_low[np.argmax(p_low)]:.0f} Hz")

# %% [markdown]
# The 60 Hz hum appears at 40 Hz ($f_s - f = 100 - 60$), inside the diagnostic ECG band, where no
# notch at 60 Hz will ever find it. Aliasing cannot be undone after sampling; it must be prevented
# before.

# %% [markdown]
# ### 3. Designing and applying the filters
# *Core · 7 min*
#
# We design the three filters and look at their magnitude responses before using them.

# %%
b_hp, a_hp = signal.butter(2, 0.5, btype="highpass", fs=fs)  # baseline wander
notch = {f0: signal.iirnotch(f0, Q=30.0, fs=fs) for f0 in (50.0, 60.0)}  # mains, per country
b_bp, a_bp = signal.butter(2, [5.0, 20.0], btype="bandpass", fs=fs)  # QRS detection only

fig, ax = plt.subplots(figsize=(7, 3.8))
for (b, a), name in [((b_hp, a_hp), shown("high-pass 0.5 Hz")),
                     (notch[50.0], shown("notch 50 Hz")), (notch[60.0], shown("notch 60 Hz")),
                     ((b_bp, a_bp), shown("band-pass 5–20 Hz"))]:
    w, h = signal.freqz(b, a, worN=4096, fs=fs)
    ax.plot(w, 20 * np.log10(np.maximum(np.abs(h) ** 2, 1e-8)), label=name)  # |H|² = filtfilt
ax.set_xscale("log")
ax.set_xlim(0.05, fs / 2)
ax.set_ylim(-60, 5)
ax.set_title("Magnitude responses as applied with filtfilt (|H|²)")
ax.set_xlabel("Frequency (Hz, log scale)")
ax.set_ylabel("Gain (dB)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The high-pass lets everything above about 1 Hz through unchanged and attenuates the breathing
# band by about 20 dB at 0.3 Hz and 40 dB at 0.15 Hz. Each notch removes only a narrow slice
# around its mains frequency. The band-pass keeps the 5–20 Hz band where QRS energy dominates
# and strongly attenuates the low frequencies of P and T waves: good for detection, bad for
# diagnosis.
#
# Now we clean lead II of every record: zero-phase high-pass, then a zero-phase notch at the
# record's own mains frequency (in practice, the country's).

# %%
x_hp = signal.filtfilt(b_hp, a_hp, x_raw, axis=-1)  # all 200 records at once
x_filt = np.empty_like(x_hp)
for f0, (b, a) in notch.items():
    rows = (meta["powerline_hz"] == f0).to_numpy()
    x_filt[rows] = signal.filtfilt(b, a, x_hp[rows], axis=-1)

# Error against the noise-free signal, after removing each trace's mean
# (the high-pass also removes the mean, which is not noise)
c_raw, c_filt, c_clean = (x - x.mean(axis=-1, keepdims=True) for x in (x_raw, x_filt, x_clean))
err_before = np.sqrt(np.mean((c_raw - c_clean) ** 2, axis=-1)) * 1000  # µV
err_after = np.sqrt(np.mean((c_filt - c_clean) ** 2, axis=-1)) * 1000
print(f"RMS error vs noise-free signal (µV), median over records: "
      f"before {np.median(err_before):.0f}, after {np.median(err_after):.0f}")
print(f"Records where filtering reduced the error: {np.mean(err_after < err_before):.0%}")

# %%
fig, axes = plt.subplots(2, 1, figsize=(10, 5), sharex=True)
win = (t >= 2) & (t < 5)  # a 3-second window
axes[0].plot(t[win], x_raw[noisy, win], lw=0.8, label="recorded")
axes[0].plot(t[win], c_clean[noisy, win], lw=0.8, color="k", label="noise-free (mean removed)")
axes[0].set_title(f"Record {noisy}, lead II: before filtering")
axes[1].plot(t[win], x_filt[noisy, win], lw=0.8, color="tab:green", label="high-pass + notch")
axes[1].plot(t[win], c_clean[noisy, win], lw=0.8, color="k", ls="--",
             label="noise-free (mean removed)")
axes[1].set_title("After zero-phase filtering")
axes[1].set_xlabel("Time (s)")
for ax in axes:
    ax.set_ylabel("Voltage (mV)")
    ax.legend(fontsize=8, loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown]
# After filtering, the green trace sits on top of the noise-free reference: the baseline is flat
# and the mains hum is gone, while the P, QRS and T waves keep their shape and timing. The
# residual error is mostly the white noise, which shares the cardiac band and cannot be removed
# by these filters, plus a small distortion of the slowest parts of the waveform by the
# high-pass. Over all records, the median RMS error falls to about a third of its value before
# filtering, and filtering helps in the large majority of records (both printed above); in the
# others (records with little wander to begin with) the filters remove less noise than the small
# distortion they add.

# %% [markdown] tags=["deep-dive"]
# ### 4. Why phase matters: causal versus zero-phase filtering
# *Deep dive · 6 min · optional: what a causal filter does to the ST segment*
#
# We filter the *noise-free* signal with the same filters, once causally (`lfilter`, as a
# real-time monitor would) and once zero-phase (`filtfilt`), and overlay one beat. For the
# high-pass, each trace is referenced to its own PR segment (60 ms before the R peak), as a
# clinician measures ST deviation, and we read the ST level 80 ms after the R peak. The band-pass
# output has zero mean and is shown as it is.

# %% tags=["deep-dive"]
beat = int(r_true[rec][4])  # the fifth beat of the normal record
seg = np.arange(beat - 75, beat + 150)  # -300 ms to +600 ms around the R peak
t_ms = (seg - beat) / fs * 1000
pr, st = beat - int(0.060 * fs), beat + int(0.080 * fs)  # PR reference and ST point
x0 = x_clean[rec]

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharex=True)
for ax, (name, (b, a)) in zip(axes, [(shown("high-pass 0.5 Hz"), (b_hp, a_hp)),
                                     (shown("band-pass 5–20 Hz"), (b_bp, a_bp))], strict=True):
    # ST is read against the PR segment; band-pass has mean 0
    is_hp = name == shown("high-pass 0.5 Hz")
    ax.plot(t_ms, x0[seg] - x0[pr], "k", lw=1, label="noise-free")
    for kind, x, style in [(shown("causal"), signal.lfilter(b, a, x0), "-"),
                           (shown("zero-phase"), signal.filtfilt(b, a, x0), "--")]:
        y = x - x[pr] if is_hp else x
        ax.plot(t_ms, y[seg], ls=style, lw=1.2, label=kind)
        info = (shown(f"ST deviation {1000 * y[st]:4.0f} µV") if is_hp
                else shown(f"maximum at {(np.argmax(y[seg]) - 75) / fs * 1000:.0f} ms"))
        print(f"{name}, {kind:>10}: {info}")
    ax.axvline(80, color="grey", lw=0.6, ls=":")
    ax.set_title(f"One beat after the {name} filter")
    ax.set_xlabel("Time from true R peak (ms)")
    ax.legend(fontsize=8)
axes[0].set_ylabel("Voltage (mV)")
fig.tight_layout()
plt.show()

# %% [markdown] tags=["deep-dive"]
# Left (referenced to the PR segment): the zero-phase high-pass reproduces the beat almost
# exactly (its printed ST deviation is close to zero), whereas the causal version of the *same*
# filter pulls the segment after the QRS down by several tens of µV, shrinks the T wave and adds
# an undershoot after it. Ischaemia criteria use ST deviations of the order of 100 µV (1 mm at
# standard gain), so a filter-made shift of a large fraction of that is clinically relevant.
# Right: the band-pass output no longer looks like an ECG (hence "detection only"); the causal
# version is lopsided, with a deep negative lobe after the QRS, and its maximum comes a couple of
# samples late (printed above), while the zero-phase version is symmetric and peaks exactly at the
# R wave. A detector built on a causal filter must correct for
# such delays, which differ between narrow and wide complexes.

# %% [markdown]
# ### 5. R-peak detection, step by step
# *Core · 12 min*
#
# We compute the detector stages for all 200 records at once (arrays of shape 200 × 2500), then
# look at them for one record.

# %%
x_bp = signal.filtfilt(b_bp, a_bp, x_filt, axis=-1)  # 1. band-pass 5-20 Hz
x_der = np.zeros_like(x_bp)  # 2. five-point derivative (edges left at 0)
x_der[:, 2:-2] = (fs / 8) * (-x_bp[:, :-4] - 2 * x_bp[:, 1:-3] + 2 * x_bp[:, 3:-1] + x_bp[:, 4:])
x_sq = x_der ** 2  # 3. squaring
n_win = int(round(0.150 * fs))  # 4. moving-window integration, 150 ms
x_mwi = signal.fftconvolve(x_sq, np.ones((1, n_win)) / n_win, mode="same", axes=-1)

refractory = int(round(0.200 * fs))  # 5. 200 ms refractory period, in samples
half_search = int(round(0.075 * fs))  # 6. refine within +-75 ms
tol = int(round(0.050 * fs))  # scoring tolerance, 50 ms
print(f"In samples: MWI window {n_win}, refractory {refractory}, search ±{half_search}, "
      f"tolerance ±{tol}")

# %%
show = (t >= 1) & (t < 4)
stages = [(x_filt, shown("filtered ECG (mV)")), (x_bp, shown("band-pass 5–20 Hz")),
          (x_der, shown("derivative (mV/s)")), (x_sq, shown("squared")),
          (x_mwi, shown("integrated (MWI)"))]
fig, axes = plt.subplots(5, 1, figsize=(9, 8), sharex=True)
for ax, (x, name) in zip(axes, stages, strict=True):
    ax.plot(t[show], x[rec, show], lw=0.8)
    ax.set_ylabel(name, fontsize=8)
threshold = 0.3 * np.percentile(x_mwi[rec], 99)
axes[-1].axhline(threshold, color="tab:red", ls="--", lw=0.8, label="threshold 0.3 × P99")
axes[-1].legend(fontsize=8, loc="upper right")
for r in r_true[rec][(t[r_true[rec]] >= 1) & (t[r_true[rec]] < 4)]:
    for ax in axes:
        ax.axvline(t[r], color="grey", lw=0.5, ls=":")
axes[0].set_title(f"Pan–Tompkins stages, record {rec} (dotted lines: true R peaks)")
axes[-1].set_xlabel("Time (s)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Each stage makes the QRS stand out more. The band-pass shrinks the P and T waves; the
# derivative turns each QRS into a fast up–down oscillation; squaring makes it positive and makes
# the steep QRS dwarf everything else; integration merges the two lobes into a single
# flat-topped hump per beat, which covers the true R peak. A simple threshold on this last
# trace separates beats from the rest.
#
# Now the peak picking and the scoring, record by record.

# %%
detected, rows = [], []
for r in range(len(meta)):
    humps, _ = signal.find_peaks(x_mwi[r], height=0.3 * np.percentile(x_mwi[r], 99),
                                 distance=refractory)
    starts = np.maximum(humps - half_search, 0)  # refine: max of the filtered ECG nearby
    peaks = np.array([s + np.argmax(x_filt[r, s:h + half_search]) for s, h in zip(starts, humps)],
                     dtype=int)
    detected.append(peaks)
    dist = np.abs(r_true[r][:, None] - peaks[None, :])  # true beats x detections
    hit = dist.min(axis=1) <= tol  # true beat found?
    used = dist.min(axis=0) <= tol  # detection matches a true beat?
    types = data.ground_truth["beat_types"][r]
    rows.append({"record": r, "rhythm": meta.rhythm[r], shown("beats"): len(hit),
                 "TP": hit.sum(), "FN": (~hit).sum(), "FP": (~used).sum(),
                 shown("PVC beats"): (types == "V").sum(),
                 shown("PVC found"): (hit & (types == "V")).sum(),
                 "error_ms": np.abs(dist.min(axis=1)[hit]).mean() / fs * 1000})
score = pd.DataFrame(rows)

by_rhythm = score.groupby("rhythm")[[shown("beats"), "TP", "FN", "FP", shown("PVC beats"),
                                       shown("PVC found")]].sum()
by_rhythm.loc["all records"] = by_rhythm.sum()
by_rhythm["Se"] = by_rhythm["TP"] / by_rhythm[shown("beats")]
by_rhythm["PPV"] = by_rhythm["TP"] / (by_rhythm["TP"] + by_rhythm["FP"])
by_rhythm["mean |error| (ms)"] = [*score.groupby("rhythm")["error_ms"].mean(),
                                  score["error_ms"].mean()]
by_rhythm

# %% [markdown]
# The simplified detector misses only a handful of the 2,895 beats and adds only a handful of
# extra detections (the "all records" row). Almost every matched peak falls on exactly the true
# sample (the mean offset is a small fraction of the 4 ms sampling interval). That is in the range
# Pan and Tompkins reported on real data (99.3% of beats on the MIT-BIH arrhythmia database), but
# ours is a much easier, synthetic task. Nearly all of the 75 PVCs are found despite their
# different shape. Where do the few errors occur?

# %%
errors = []
for r in score.index[(score["FN"] > 0) | (score["FP"] > 0)]:
    dist = np.abs(r_true[r][:, None] - detected[r][None, :])
    for kind, samples in [(shown("missed"), r_true[r][dist.min(axis=1) > tol]),
                          (shown("extra"), detected[r][dist.min(axis=0) > tol])]:
        errors += [{shown("record"): r, "rhythm": meta.rhythm[r], shown("error"): kind,
                    "time_s": s / fs} for s in samples]
errors = pd.DataFrame(errors)
errors["within 0.2 s of an edge"] = (errors["time_s"] < 0.2) | (errors["time_s"] > t[-1] - 0.2)
errors

# %% [markdown]
# All but one of the errors in the table sit in the first or last 0.2 s of a record: beats cut by
# the start or end of the recording, where the filters and the moving window see only part of the
# complex (an R peak at sample 0 cannot even be a local maximum). Several records have an "extra"
# detection at the same instant just after the start: the hump of a beat at (or just before) the
# start was found, but the refinement window, cut short by the edge, ended on the rising T wave
# (in some records this pairs with a "missed" beat at 0 s). This **edge effect** matters for
# 10-second ECGs, where the first and last beats are 10–20% of all beats.
#
# The one error inside a record (the row not flagged as near an edge) is instructive: it is a
# missed PVC. A PVC is
# wide, so its slopes are gentle; after the derivative and squaring its hump is far smaller than
# that of the narrow sinus beats and stays below the threshold. Pan and Tompkins' search-back (if
# no beat is found for 1.66 × the average RR, search again with half the threshold) exists to
# catch exactly such beats. The same issue gets worse with a narrower band (exercise 3).
#
# Detections on the two irregular rhythms, an AF record and a PVC record:

# %%
examples = [int(meta.index[meta["label"] == 1][0]), int(meta.index[meta["label"] == 4][0])]
fig, axes = plt.subplots(2, 1, figsize=(10, 5), sharex=True)
for ax, r in zip(axes, examples, strict=True):
    v = data.ground_truth["beat_types"][r] == "V"
    ax.plot(t, x_filt[r], lw=0.7, color="k")
    ax.plot(t[r_true[r]], x_filt[r, r_true[r]] + 0.25, "v", color="tab:blue", ms=5, label="true R")
    ax.plot(t[detected[r]], x_filt[r, detected[r]], "o", mfc="none", color="tab:red", ms=7,
            label="detected")
    ax.plot(t[r_true[r][v]], x_filt[r, r_true[r][v]] + 0.45, "*", color="tab:orange", ms=9,
            label="PVC")
    ax.set_title(f"Record {r}: {meta.rhythm[r]}")
    ax.set_ylabel("Lead II (mV)")
    ax.legend(fontsize=7, loc="lower right", ncol=3)
axes[-1].set_xlabel("Time (s)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Top: in AF the RR intervals vary unpredictably from beat to beat, and the baseline between beats
# shows small fibrillatory f-waves instead of P waves. (The large swing in the first 0.2 s is a
# filter edge transient, another face of the edge effect.) Bottom: in the PVC record the rhythm is
# regular except around each PVC, which comes early, is taller and wider than the sinus beats, has
# no P wave, and is followed by a long pause. Both rhythms are "irregular", but in different ways;
# the RR features must capture this difference.

# %% [markdown]
# ### 6. Heart-rate variability features
# *Core · 10 min*
#
# We compute the five features of the Method section from the *detected* peaks, and, for
# comparison, from the *true* peaks.

# %%
def rr_features(peaks):
    """HRV features (mean HR, SDNN, RMSSD, pNN50, CV) from R-peak sample indices."""
    rr = np.diff(peaks) / fs * 1000  # RR intervals in ms
    d_rr = np.diff(rr)
    return {"mean_hr": 60000 / rr.mean(), "sdnn": rr.std(ddof=1),
            "rmssd": np.sqrt(np.mean(d_rr ** 2)), "pnn50": 100 * np.mean(np.abs(d_rr) > 50),
            "cv": rr.std(ddof=1) / rr.mean()}


hrv = pd.DataFrame([rr_features(p) for p in detected])
hrv_true = pd.DataFrame([rr_features(p) for p in r_true])
hrv["rhythm"] = meta["rhythm"]
hrv.groupby("rhythm").median()

# %% [markdown]
# The medians already tell the story. The three sinus rhythms (normal, brady, tachy) differ in
# mean HR but all have small SDNN, RMSSD and CV, and almost no pNN50. AF has huge variability on
# every measure. The PVC records sit in between on some measures and as high as AF on others.
# The box plots show the full spread (log scale).

# %%
order = ["normal sinus rhythm", "sinus bradycardia", "sinus tachycardia",
         "sinus rhythm with PVCs", "atrial fibrillation"]
short = ["NSR", shown("brady"), shown("tachy"), "PVC", "AF"]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
for ax, (col, name) in zip(axes, [("mean_hr", shown("Mean heart rate (bpm)")),
                                  ("rmssd", "RMSSD (ms)"),
                                  ("cv", shown("RR coefficient of variation"))], strict=True):
    ax.boxplot([hrv.loc[hrv["rhythm"] == r, col] for r in order], tick_labels=short)
    ax.set_title(name)
    ax.set_xlabel("True rhythm")
    if col != "mean_hr":
        ax.set_yscale("log")
axes[0].set_ylabel("Value per record")
fig.tight_layout()
plt.show()

# %% [markdown]
# Heart rate separates bradycardia and tachycardia from the rest but overlaps completely for AF.
# RMSSD and CV separate the sinus rhythms from AF by an order of magnitude, except for a few
# sinus records with outlying values (the edge-effect detection errors found above), but the PVC
# records overlap heavily with AF. A few PVCs in ten seconds are enough to make a regular rhythm
# look very "variable".
#
# How much do the detection errors change the features? We compare each record's features from
# detected and from true peaks.

# %%
diff_sdnn = (hrv["sdnn"] - hrv_true["sdnn"]).abs()
print(f"SDNN, detected vs true peaks: median |difference| {diff_sdnn.median():.1f} ms; "
      f"records differing by more than 5 ms: {(diff_sdnn > 5).sum()} of {len(hrv)}")
worst = diff_sdnn.sort_values(ascending=False).index[:4]
pd.DataFrame({"rhythm": meta.rhythm[worst], "FN": score["FN"][worst], "FP": score["FP"][worst],
              shown("SDNN true peaks"): hrv_true["sdnn"][worst],
              shown("SDNN detected"): hrv["sdnn"][worst]})

# %% [markdown]
# For almost all records, detected and true peaks give practically the same features (the small
# differences come from peak positions that differ by a sample). But a *single* missed or extra beat
# creates one RR interval of double or partial length, which inflates SDNN several-fold: the missed
# PVC found above nearly doubles its record's SDNN, and the edge errors turn regular sinus records
# into apparently variable ones. HRV features are only as good as the beat detection underneath
# them, which is why the Task Force asks for careful editing of the RR series before HRV analysis.
#
# The Poincaré plot shows the structure of the irregularity. We pool all records of each rhythm
# (true peaks, so that detection errors do not blur the picture).

# %%
fig, axes = plt.subplots(1, 5, figsize=(14, 3.4), sharex=True, sharey=True)
for ax, r_name, s_name in zip(axes, order, short, strict=True):
    for r in meta.index[meta["rhythm"] == r_name]:
        rr = np.diff(r_true[r]) / fs * 1000
        ax.plot(rr[:-1], rr[1:], ".", ms=3, alpha=0.6)
    ax.plot([250, 1700], [250, 1700], color="grey", lw=0.6, ls="--")
    ax.set_title(s_name)
    ax.set_xlabel("$RR_k$ (ms)")
axes[0].set_ylabel("$RR_{k+1}$ (ms)")
fig.suptitle("Poincaré plots (one colour per record)", y=1.02)
fig.tight_layout()
plt.show()

# %% [markdown]
# Sinus rhythms form tight clusters on the identity line (each record a dot cluster, at its own
# rate). AF is a diffuse cloud: each interval tells you almost nothing about the next
# ("irregularly irregular"). PVC records are different again: most points lie on the identity
# line (the sinus beats), plus off-diagonal points forming a pattern: a short interval (the
# early PVC) followed by a long one (the compensatory pause), then back to normal. The rhythm is
# "regularly irregular". A clinician sees this pattern at a glance; SDNN and RMSSD largely miss
# it, because they only measure *how much* the intervals vary, not *how*.

# %% [markdown]
# ### 7. Classifying atrial fibrillation
# *Core · 9 min*
#
# Five HRV features per record, AF as the positive class, logistic regression with
# standardisation, 5-fold stratified cross-validation.

# %%
features = ["mean_hr", "sdnn", "rmssd", "pnn50", "cv"]
X_hrv = hrv[features]
y_af = (meta["label"] == 1).astype(int)  # 1 = AF, 0 = any other rhythm

model = Pipeline([("scale", StandardScaler()),
                  ("logreg", LogisticRegression(max_iter=1000, random_state=SEED))])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
p_af = cross_val_predict(model, X_hrv, y_af, cv=cv, method="predict_proba")[:, 1]
pred_af = (p_af >= 0.5).astype(int)

tn, fp, fn, tp = confusion_matrix(y_af, pred_af, labels=[0, 1]).ravel()
print(f"Out-of-fold: sensitivity for AF {tp / (tp + fn):.3f} ({fn} of {tp + fn} AF records missed)")
print(f"             specificity {tn / (tn + fp):.3f} ({fp} of {tn + fp} non-AF records called AF)")
print(f"             PPV {tp / (tp + fp):.3f}")

# %%
# Which records are wrong? The rows of the confusion matrix, split by the true rhythm
by_true = pd.crosstab(pd.Categorical(meta["rhythm"], categories=order),
                      pd.Categorical(np.where(pred_af == 1, "called AF", "called not AF"),
                                     categories=["called not AF", "called AF"]),
                      dropna=False)
fig, ax = plt.subplots(figsize=(5, 4))
im = ax.imshow(by_true.to_numpy(), cmap="Blues")
for (i, j), n in np.ndenumerate(by_true.to_numpy()):
    ax.text(j, i, n, ha="center", va="center", color="white" if n > 20 else "black")
ax.set_xticks([0, 1], [shown("not AF"), "AF"])
ax.set_yticks(range(len(order)), short)
ax.set_title("AF classifier (out-of-fold), rows = true rhythm")
ax.set_xlabel("Prediction")
ax.set_ylabel("True rhythm")
fig.colorbar(im, ax=ax, label="Records")
plt.show()

# %% [markdown]
# The overall numbers look very good, but the breakdown by true rhythm is more telling. All
# sinus records, whatever their rate, are correctly called "not AF". Every error is an
# exchange between **AF and PVC records**: some PVC records are called AF (false positives) and
# some AF records are called not AF (false negatives). That is the clinically expected confusion:
# frequent ectopic beats are a classic pitfall of rhythm algorithms that only look at RR
# intervals. Let us look at the misclassified records.

# %%
wrong = meta.index[pred_af != y_af]
pd.DataFrame({"rhythm": meta.rhythm[wrong], "P(AF)": p_af[wrong], "n_pvc": meta.n_pvc[wrong],
              shown("beats"): meta.n_beats[wrong]}).join(hrv.loc[wrong, features])

# %% [markdown]
# The PVC records called AF have several PVCs among a dozen or so beats (the `n_pvc` and `beats`
# columns): each PVC makes one short and one long interval, so most of their RR intervals are
# abnormal, and their pNN50 and CV are *higher* than those of the median AF record (the table of
# medians in section 6). Two of the missed AF records are at the regular end of the AF group (the
# lowest pNN50 and CV in the table). The third is the odd one: very irregular, but slow and with an
# extreme RMSSD, which the model counts *against* AF because of its negative RMSSD coefficient (see
# the deep dive below). In ten seconds, the two rhythms can produce the same SDNN, RMSSD and CV.
#
# The lesson's headline figures, with the published detection rate of the original algorithm:

# %%
key_results.show(
    {
        "beat detection sensitivity (all records)": by_rhythm.loc["all records", "Se"],
        "beat detection PPV (all records)": by_rhythm.loc["all records", "PPV"],
        "median RMS error after filtering, µV": np.median(err_after),
        "AF sensitivity (out-of-fold)": tp / (tp + fn),
        "AF specificity (out-of-fold)": tn / (tn + fp),
    },
    published={"beat detection sensitivity (all records)":
               "Pan & Tompkins 1985: 99.3% of beats (MIT-BIH, real ECGs)"},
    caption=f"dx06 · {len(meta)} synthetic 10-s ECGs ({int(y_af.sum())} AF): detector and "
            "AF classifier",
)

# %% [markdown] tags=["deep-dive"]
# ### A more flexible model, and what the logistic model relies on
# *Deep dive · 5 min · optional: a random forest, and the logistic coefficients*
#
# The five features leave some AF and PVC records on the wrong side. Does a more flexible model
# help?

# %% tags=["deep-dive"]
forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=2, random_state=SEED, n_jobs=1)
p_rf = cross_val_predict(forest, X_hrv, y_af, cv=cv, method="predict_proba")[:, 1]
for name, p in [(shown("logistic regression"), p_af), (shown("random forest"), p_rf)]:
    tn_m, fp_m, fn_m, tp_m = confusion_matrix(y_af, p >= 0.5, labels=[0, 1]).ravel()
    fp_pvc = ((p >= 0.5) & (meta["label"] == 4)).sum()
    print(f"{name:>20}: missed AF {fn_m}, false AF {fp_m} (of which PVC records: {fp_pvc}), "
          f"Se {tp_m / (tp_m + fn_m):.3f}, Sp {tn_m / (tn_m + fp_m):.3f}")

# %% [markdown] tags=["deep-dive"]
# The random forest makes errors of the same kind: a more flexible model cannot separate classes
# that the *features* do not separate. To do better you need information the five summary
# statistics throw away: the *pattern* of the RR sequence (short–long pairs returning to a
# stable baseline, as the Poincaré plot showed), the QRS morphology (PVCs are wide), or the
# presence of P waves before the beats. This is how a cardiologist reads the strip, and it is the
# direction of exercises 4 and 5.
#
# Which features does the logistic model rely on? Fitted on all records (for interpretation only):

# %% tags=["deep-dive"]
model.fit(X_hrv, y_af)
coefs = pd.Series(model.named_steps["logreg"].coef_[0], index=features)
pd.DataFrame({shown("log odds ratio per SD"): coefs, shown("odds ratio per SD"): np.exp(coefs)})

# %% [markdown] tags=["deep-dive"]
# pNN50 carries most of the weight; CV and mean heart rate (AF in this set is often fast) also push
# towards AF. RMSSD gets a large *negative* coefficient, although AF records have much larger RMSSD
# than sinus records: the features are strongly correlated (SDNN, RMSSD, pNN50 and CV all measure
# spread), so the model uses RMSSD to correct the others, not as evidence on its own. As in dx01,
# single coefficients and their signs should not be over-interpreted.

# %% [markdown] tags=["deep-dive"]
# ### 8. A real ECG from DICOM
# *Deep dive · 15 min · optional: the same pipeline on a real 12-lead ECG*
#
# We now leave the synthetic world. The DICOM file holds one real 12-lead ECG.

# %% tags=["deep-dive"]
ds = datasets.load("dicom_ecg_waveform").read()  # a pydicom Dataset
print("SOP class:   ", ds.SOPClassUID.name)
print("Device:      ", ds.Manufacturer, ds.ManufacturerModelName)
for i, group in enumerate(ds.WaveformSequence):
    print(f"Group {i}: {group.MultiplexGroupLabel:<12} {group.NumberOfWaveformChannels} channels x "
          f"{group.NumberOfWaveformSamples} samples at {float(group.SamplingFrequency):.0f} Hz")

rhythm_group = ds.WaveformSequence[0]  # the 10-second rhythm strip
fs_dcm = float(rhythm_group.SamplingFrequency)
channels = rhythm_group.ChannelDefinitionSequence
lead_names = [ch.ChannelSourceSequence[0].CodeMeaning for ch in channels]
ch_ii = channels[1]
print("Leads:", lead_names)
print(f"Lead II: sensitivity {ch_ii.ChannelSensitivity} "
      f"{ch_ii.ChannelSensitivityUnitsSequence[0].CodeMeaning} per unit, "
      f"correction factor {ch_ii.ChannelSensitivityCorrectionFactor}, "
      f"baseline {ch_ii.ChannelBaseline}, "
      f"device filter {ch_ii.FilterLowFrequency}–{ch_ii.FilterHighFrequency} Hz, "
      f"notch {ch_ii.NotchFilterFrequency} Hz (0 = none)")

# %% tags=["deep-dive"]
raw_units = multiplex_array(ds, 0, as_raw=True)  # the stored integers, unscaled
wave_uv = ds.waveform_array(0)  # scaled to physical units (µV here)
scale = float(ch_ii.ChannelSensitivity) * float(ch_ii.ChannelSensitivityCorrectionFactor)
print(f"Array shape {wave_uv.shape} (samples x channels)")
print("Scaled = raw x sensitivity x correction + baseline:",
      np.allclose(wave_uv[:, 1], raw_units[:, 1] * scale + float(ch_ii.ChannelBaseline)))
real = {name.replace("Lead ", "").split(" ")[0]: wave_uv[:, i] / 1000  # µV -> mV
        for i, name in enumerate(lead_names)}
einthoven = np.abs(real["III"] - (real["II"] - real["I"])).max() * 1000
goldberger = np.abs(real["aVF"] - (real["II"] - real["I"] / 2)).max() * 1000
print(f"max |III - (II - I)| = {einthoven:.2f} µV; max |aVF - (II - I/2)| = {goldberger:.2f} µV")

# %% [markdown] tags=["deep-dive"]
# The stored integers are multiplied by the channel sensitivity (1.25 µV per unit) to give
# microvolts; `waveform_array` does this for us, and we divide by 1000 for millivolts. The
# real electrocardiograph, too, computes III and the augmented leads from I and II: the identities
# hold to within half a quantisation step (0.625 µV).
#
# Now the same pipeline as before, written out again for a single signal: resample lead II from
# 1000 Hz to 250 Hz, high-pass, notch at 50 Hz (`InstitutionName` is an Italian hospital),
# band-pass, derivative, squaring, integration, peak picking and refinement. Then we compare
# with the device: it stored its own measurements in the `WaveformAnnotationSequence`, including
# the average RR interval and a fiducial (reference) point for each beat it detected, in samples
# at 1000 Hz. They give us a machine reference.

# %% tags=["deep-dive"]
x_real_raw = signal.resample_poly(real["II"], up=1, down=int(fs_dcm / fs))  # 1000 -> 250 Hz
t_real = np.arange(len(x_real_raw)) / fs
x_real = signal.filtfilt(b_hp, a_hp, x_real_raw)  # baseline wander
x_real = signal.filtfilt(*notch[50.0], x_real)  # European mains
bp_real = signal.filtfilt(b_bp, a_bp, x_real)
der_real = np.zeros_like(bp_real)
der_real[2:-2] = (fs / 8) * (-bp_real[:-4] - 2 * bp_real[1:-3] + 2 * bp_real[3:-1] + bp_real[4:])
mwi_real = np.convolve(der_real ** 2, np.ones(n_win) / n_win, mode="same")
humps, _ = signal.find_peaks(mwi_real, height=0.3 * np.percentile(mwi_real, 99),
                             distance=refractory)
starts = np.maximum(humps - half_search, 0)
peaks_real = np.array([s + np.argmax(x_real[s:h + half_search]) for s, h in zip(starts, humps)])
hrv_real = rr_features(peaks_real)
print(f"{len(peaks_real)} beats detected;", ", ".join(f"{k} {v:.3g}" for k, v in hrv_real.items()))

# %% tags=["deep-dive"]
device_rr, fiducials = None, []
for item in ds.WaveformAnnotationSequence:
    if "ConceptNameCodeSequence" not in item:
        continue
    meaning = item.ConceptNameCodeSequence[0].CodeMeaning
    if meaning == "RR Interval":
        device_rr = float(item.NumericValue)
    elif meaning == "Fiducial Point" and item.AnnotationGroupNumber >= 100:  # per-beat groups
        fiducials.append(int(item.ReferencedSamplePositions))
fid_250 = np.round(np.array(fiducials) / (fs_dcm / fs)).astype(int)  # to our 250 Hz samples
dist = np.abs(fid_250[:, None] - peaks_real[None, :])
print(f"Device: RR {device_rr:.0f} ms = {60000 / device_rr:.1f} bpm, {len(fiducials)} beats")
print(f"Ours:   mean RR {60000 / hrv_real['mean_hr']:.0f} ms = {hrv_real['mean_hr']:.1f} bpm, "
      f"{len(peaks_real)} beats")
print(f"Agreement within ±50 ms: Se {np.mean(dist.min(axis=1) <= tol):.2f}, "
      f"PPV {np.mean(dist.min(axis=0) <= tol):.2f}, "
      f"median offset {np.median(dist.min(axis=1)) / fs * 1000:.0f} ms")

# %% tags=["deep-dive"]
fig, axes = plt.subplots(2, 1, figsize=(10, 5), sharex=True)
axes[0].plot(t_real, x_real_raw, lw=0.7, color="k")
axes[0].set_title("Real ECG (DICOM), lead II as recorded, resampled to 250 Hz")
axes[1].plot(t_real, x_real, lw=0.7, color="k")
axes[1].plot(t_real[peaks_real], x_real[peaks_real], "o", mfc="none", color="tab:red", ms=7,
             label="our detections")
axes[1].plot(t_real[fid_250], x_real[fid_250] + 0.2, "v", color="tab:blue", ms=5,
             label="device fiducial points")
axes[1].set_title(f"After high-pass + 50 Hz notch: {hrv_real['mean_hr']:.0f} bpm")
axes[1].set_xlabel("Time (s)")
axes[1].set_ylim(-0.4, 1.7)
axes[1].legend(fontsize=8, loc="upper right", ncol=2)
for ax in axes:
    ax.set_ylabel("Voltage (mV)")
fig.tight_layout()
plt.show()

# %% [markdown] tags=["deep-dive"]
# The real lead II is a clean resting ECG at about 61 bpm, with a little baseline drift at the
# end that the high-pass removes. Our detector finds the same ten beats as the device, at the
# same samples, and our mean RR interval agrees with the device's to about a millisecond (printed
# above). With a small SDNN and CV, the rhythm is regular: consistent
# with the device's "sinus rhythm" and within the range of our synthetic sinus records
# (exercise 6 asks for the classifier's verdict).
#
# Finally, how similar are the synthetic and the real heartbeat? We overlay the device's own
# median beat (the second multiplex group, 1.2 s at 1000 Hz) with the average beat of the
# noise-free synthetic normal record, both aligned on their R peak.

# %% tags=["deep-dive"]
median_beat = ds.waveform_array(1)[:, 1] / 1000  # lead II median beat, mV, 1000 Hz
t_med = (np.arange(len(median_beat)) - np.argmax(median_beat)) / fs_dcm * 1000
median_beat -= median_beat[np.argmin(np.abs(t_med + 60))]  # PR segment (-60 ms) as zero
synth = np.array([x_clean[rec, r - 75:r + 150] for r in r_true[rec] if 75 <= r < len(t) - 150])
synth_beat = synth.mean(axis=0) - synth.mean(axis=0)[75 - int(0.060 * fs)]  # same reference
t_syn = np.arange(-75, 150) / fs * 1000

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
axes[0].plot(t_med, median_beat, color="k", label="real median beat (device)")
axes[0].plot(t_syn, synth_beat, color="tab:orange", label=f"synthetic mean beat (record {rec})")
axes[0].set_xlim(-300, 600)
axes[0].set_title("Lead II beat shape")
axes[0].set_xlabel("Time from R peak (ms)")
axes[0].set_ylabel("Voltage relative to PR segment (mV)")
axes[0].legend(fontsize=8)
for x, f_s, name, colour in [(real["II"], fs_dcm, shown("real (1000 Hz)"), "k"),
                             (x_raw[rec], fs, shown("synthetic (250 Hz)"), "tab:orange")]:
    f, psd = signal.welch(x, fs=f_s, nperseg=int(4 * f_s))
    axes[1].semilogy(f, psd, color=colour, label=name)
axes[1].set_xlim(0, 125)
axes[1].set_title("Power spectral density, lead II")
axes[1].set_xlabel("Frequency (Hz)")
axes[1].set_ylabel("PSD (mV²/Hz)")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["deep-dive"]
# The synthetic waveform was built from a template fitted to this very ECG, and the QRS complexes
# match closely. The differences are in the slower waves: the real T wave is taller, later and
# asymmetric (slow upstroke, faster downstroke), the real P wave is broader, and the real ST
# segment and baseline after the T wave are not perfectly flat. The synthetic record is also
# faster (77 versus 61 bpm), which moves its T wave earlier, and its wave gains are randomly
# scaled per record. Every synthetic wave is a symmetric Gaussian; real waves never are.
#
# In frequency, the two spectra are surprisingly alike below 40 Hz, but the synthetic record has
# a strong 50 Hz mains line that the real recording lacks, and the real one has more power
# between 20 and 40 Hz (sharper real QRS details). Above 40 Hz both sit on a noise floor of
# similar level. Real ECGs also contain what the generator leaves out entirely: muscle noise,
# electrode motion, beat-to-beat changes in shape, and the immense variety of real patients. A
# detector and classifier that are nearly perfect on synthetic data must be re-validated on real,
# annotated recordings (for example from PhysioNet) before anyone trusts them.

# %% [markdown]
# ## Pitfalls
# *Core · 4 min*
#
# - **Filtering for display versus for detection.** The 5–20 Hz band-pass makes QRS detection
#   easy but destroys P waves, T waves and ST segments. Never show it, or measure diagnostic
#   intervals on it; keep a diagnostically filtered copy (0.05 or 0.5 Hz zero-phase high-pass,
#   notch) for reading.
# - **Phase distortion.** Causal IIR filters shift and deform waves, and can create or hide ST
#   deviations of clinically relevant size. Use zero-phase `filtfilt`/`sosfiltfilt` offline; in
#   real time, use linear-phase filters and correct for their known delay.
# - **Aliasing cannot be fixed after sampling.** Downsample with `resample_poly` or `decimate`
#   (which low-pass filter first), never by simply taking every $k$-th sample.
# - **Edge effects.** Filters, moving windows and peak pickers behave differently in the first and
#   last few hundred milliseconds. On 10-second ECGs, edge beats are a sizeable share of all
#   beats; most of our detection errors were there.
# - **One detection error spoils HRV.** A missed or extra beat changes SDNN and RMSSD several-fold.
#   Edit the RR series (and remove ectopic beats for true NN statistics) before HRV analysis, and
#   remember that the Task Force standards refer to 5-minute or 24-hour recordings, not 10 seconds.
# - **Irregular is not AF.** PVCs, premature atrial beats, sinus arrhythmia in the young and
#   second-degree AV block all make RR intervals irregular. An RR-only classifier will call some of
#   them AF; morphology (P waves, QRS width) is needed to tell them apart.
# - **Balanced synthetic classes.** Our data set is 20% AF with one PVC class of equal size. In a
#   screening population AF prevalence is a few percent and ectopy is common, so the PPV of the
#   same classifier would be far lower (dx01).
# - **Synthetic success is an upper bound.** No EMG, no electrode motion, one morphology template:
#   the near-perfect detection here says little about performance on real ambulatory ECGs.

# %% [markdown]
# ## Exercises
# *Core · 15 min · in the lab: exercise 1 (clinicians) or 3 (engineers); the others after the lab*
#
# Worked answers are with the instructor and are discussed in the seminar.
#
# 1. **(Clinician track) Reading the failures.** Plot lead II of each misclassified PVC record and
#    each missed AF record from Results section 7, with the detected beats. For each, write the
#    rhythm you would report from the tracing and explain in two sentences what you used
#    (P waves, QRS width, the pattern of intervals) that the classifier did not.
# 2. **(Clinician track) 10 seconds versus 30 seconds.** Reload the data with `duration_s=30` and
#    repeat the HRV features and the classifier. Do the AF/PVC confusions change? Relate your
#    answer to the ESC requirement of at least 30 s of ECG for a diagnosis of AF.
# 3. **(Engineer track) Make the detector break.** (a) Add simulated muscle noise (white noise
#    band-passed to 20–100 Hz, amplitude 0.05–0.2 mV) to lead II, and plot sensitivity and PPV
#    against the noise amplitude. (b) Change the band-pass to 10–25 Hz and report sensitivity
#    separately for normal and PVC beats (`ground_truth["beat_types"]`). Explain both results
#    from the frequency content of the QRS and of the noise.
# 4. **(Engineer track) A feature that knows about PVCs.** Design one RR feature that is high for
#    AF but low for "sinus with occasional early beats" (hint: how many *successive* differences
#    are small? what does the median of $|\Delta_k|$ relative to the median RR do?). Add it to the
#    five features, rerun the cross-validated logistic regression and report the confusion table
#    by true rhythm.
# 5. **(Both tracks) Beyond RR intervals.** Use `meta["fwave_hz"]` and the card to reason about
#    what an AF detector could measure *between* the beats. Compute, for each record, the share of
#    lead V1 power in the 4–9 Hz band within the TQ segments, and check whether it separates AF
#    from PVC records. Which leads should work best, and why?
# 6. **(Both tracks) From synthetic to real.** Compute the classifier's predicted probability of
#    AF for the real DICOM ECG (`rr_features` on `peaks_real`, `model.predict_proba`). Then list
#    at least four differences between the synthetic records and a real ECG that could make the
#    classifier's validation on synthetic data too optimistic, and say how you would test each
#    one on real data.

# %% [markdown]
# ## References
#
# 1. Pan J, Tompkins WJ. A real-time QRS detection algorithm. *IEEE Trans Biomed Eng*.
#    1985;BME-32(3):230–236. doi:10.1109/TBME.1985.325532
# 2. Task Force of the European Society of Cardiology and the North American Society of Pacing
#    and Electrophysiology. Heart rate variability: standards of measurement, physiological
#    interpretation and clinical use. *Circulation*. 1996;93(5):1043–1065.
#    doi:10.1161/01.CIR.93.5.1043
# 3. McSharry PE, Clifford GD, Tarassenko L, Smith LA. A dynamical model for generating synthetic
#    electrocardiogram signals. *IEEE Trans Biomed Eng*. 2003;50(3):289–294.
#    doi:10.1109/TBME.2003.808805
# 4. Hindricks G, Potpara T, Dagres N, et al. 2020 ESC Guidelines for the diagnosis and management
#    of atrial fibrillation developed in collaboration with the European Association for
#    Cardio-Thoracic Surgery (EACTS). *Eur Heart J*. 2021;42(5):373–498.
#    doi:10.1093/eurheartj/ehaa612
# 5. Kligfield P, Gettes LS, Bailey JJ, et al. Recommendations for the standardization and
#    interpretation of the electrocardiogram. Part I: The electrocardiogram and its technology.
#    *Circulation*. 2007;115(10):1306–1324. doi:10.1161/CIRCULATIONAHA.106.180200
# 6. Brennan M, Palaniswami M, Kamen P. Do existing measures of Poincaré plot geometry reflect
#    nonlinear features of heart rate variability? *IEEE Trans Biomed Eng*. 2001;48(11):1342–1347.
#    doi:10.1109/10.959330
# 7. Goldberger AL, Amaral LAN, Glass L, et al. PhysioBank, PhysioToolkit, and PhysioNet:
#    components of a new research resource for complex physiologic signals. *Circulation*.
#    2000;101(23):e215–e220. doi:10.1161/01.CIR.101.23.e215
# 8. Einthoven W. The different forms of the human electrocardiogram and their signification.
#    *Lancet*. 1912;179:853–861.
# 9. Goldberger E. A simple, indifferent, electrocardiographic electrode of zero potential and a
#    technique of obtaining augmented, unipolar, extremity leads. *Am Heart J*. 1942;23(4):483–492.
# 10. Virtanen P, Gommers R, Oliphant TE, et al. SciPy 1.0: fundamental algorithms for scientific
#     computing in Python. *Nat Methods*. 2020;17:261–272. doi:10.1038/s41592-019-0686-2
# 11. DICOM Standard, PS3.3 Information Object Definitions, Section C.10.9 "Waveform Module"
#     (https://dicom.nema.org), and the pydicom guide "Working with Waveform Data"
#     (https://pydicom.github.io/pydicom/stable/guides/user/working_with_waveforms.html).
# 12. Van Gelder IC, Rienstra M, Bunting KV, et al. 2024 ESC Guidelines for the management of
#     atrial fibrillation developed in collaboration with the European Association for
#     Cardio-Thoracic Surgery (EACTS). *Eur Heart J*. 2024;45(36):3314–3414.
#     doi:10.1093/eurheartj/ehae176
