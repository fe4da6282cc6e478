"""Synthetic 12-lead ECGs with rhythm labels: ``medai.datasets.load("ecg")``.

Each beat is a sum of Gaussian waves (P, Q, R, S, T) placed relative to its
R peak, in the spirit of McSharry et al. (2003, IEEE TBME 50:289): amplitudes,
widths and timings are parameters, and the timings stretch with the RR
interval. The waves are projected onto the eight independent leads a real
electrocardiograph records (I, II, V1-V6) through a per-lead gain matrix that
was fitted by least squares to the median beat of the real ECG that pydicom
ships (``get_testdata_file("waveform_ecg.dcm")``, 1000 Hz, HR about 61/min)
and rounded. Noise (respiratory baseline wander, 50/60 Hz powerline, white
noise) is added to those eight leads; III, aVR, aVL and aVF are then computed
from I and II as an electrocardiograph does, so the Einthoven and Goldberger
identities hold exactly (up to float32 rounding) with and without noise.

Every constant below is copied into ``ground_truth``; datasets/cards/ecg.md
writes the model out as equations. Random streams: one
``numpy.random.default_rng(seed)`` is split with ``spawn`` into a cardiac
stream (labels, rhythm, morphology) and a noise stream, so ``noise=False``
gives exactly the cardiac signal of ``noise=True`` with the same seed.
numpy and pandas are imported when the loader runs, not at import.
"""

from __future__ import annotations

from typing import Any

from medai.datasets.registry import DatasetOptionError, DatasetSpec, Option

NAME = "ecg"
LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
# The leads a 12-lead electrocardiograph measures; the other four are derived.
INDEPENDENT_LEADS = ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")
DERIVED_LEADS = {  # Einthoven (III) and Goldberger (augmented) relations
    "III": "II - I",
    "aVR": "-(I + II) / 2",
    "aVL": "I - II / 2",
    "aVF": "II - I / 2",
}
MAX_BYTES = 2_000_000_000  # refuse to allocate a signal array larger than this

LABEL_NAMES = {
    0: "normal sinus rhythm",
    1: "atrial fibrillation",
    2: "sinus bradycardia",
    3: "sinus tachycardia",
    4: "sinus rhythm with PVCs",
}
# Target mean heart rate (beats/min) drawn uniformly per record. Sinus HRV keeps
# every RR within 4.5 % of the target, so the realised mean rate stays inside the
# clinical definition: normal 60-100, bradycardia < 60, tachycardia > 100.
HEART_RATE_BPM = {0: (65.0, 95.0), 1: (70.0, 130.0), 2: (40.0, 55.0), 3: (105.0, 150.0),
                  4: (65.0, 95.0)}

# Gaussian waves relative to the R peak at RR = 1 s:
#   centre_i(RR) = offset_s * RR**offset_exponent,  sd_i(RR) = width_s * RR**width_exponent
# (RR in seconds, the interval that ends at this beat). QRS timing does not
# change with rate; P moves little (PR nearly constant); T and its width scale
# with sqrt(RR) as in Bazett's QT correction. McSharry's ECGSYN scales the P/T
# angles by (HR/60)**0.25 and the Q/S angles by (HR/60)**0.5 instead.
WAVES = {
    #          offset_s  width_s  offset_exp  width_exp
    "P":       (-0.145, 0.018, 0.25, 0.0),
    "Q":       (-0.018, 0.008, 0.0, 0.0),
    "R":       (0.000, 0.012, 0.0, 0.0),
    "S":       (0.015, 0.007, 0.0, 0.0),
    "T":       (0.245, 0.042, 0.5, 0.5),
    "PVC_QRS": (0.000, 0.032, 0.0, 0.0),  # wide ventricular complex, no P wave
    "PVC_T":   (0.300, 0.060, 0.5, 0.5),  # discordant T wave of the PVC
}
COMPONENTS = (*WAVES, "F")  # F: atrial fibrillatory waves (continuous, not per beat)

# Lead gains, mV per unit wave, for the independent leads (rows) and components
# (columns). P..T: least-squares fit to pydicom's median beat, rounded. The Q, R,
# S Gaussians are basis functions at fixed times; their signs per lead give
# qRs in I, II, V5, V6 and rS in V1-V3. PVC: a left-bundle-branch-block-like
# complex with an inferior axis (right-ventricular outflow tract origin), with
# a T wave of opposite sign (-0.35 x QRS). F: relative f-wave size, largest in
# V1 and the inferior leads.
GAINS_MV = {
    #     P      Q      R      S      T   PVC_QRS  PVC_T    F
    "I":  (0.04, -0.05, 0.66, -0.11, 0.25, 0.20, -0.07, 0.3),
    "II": (0.17, -0.09, 1.02, -0.42, 0.41, 1.50, -0.52, 0.6),
    "V1": (-0.11, 0.27, -1.17, 0.29, -0.16, -1.00, 0.35, 1.0),
    "V2": (-0.08, 0.32, -0.90, 0.33, 0.15, -1.40, 0.49, 0.7),
    "V3": (0.00, 0.56, -0.99, -0.18, 0.79, -0.60, 0.21, 0.4),
    "V4": (0.04, 0.10, 1.14, -0.49, 0.74, 0.80, -0.28, 0.3),
    "V5": (0.08, -0.19, 1.94, -0.54, 0.70, 1.30, -0.46, 0.2),
    "V6": (0.12, -0.13, 1.49, -0.41, 0.53, 1.10, -0.38, 0.2),
}
# Per record: every gain is multiplied by scale * exp(GAIN_JITTER_SD * z), z ~ N(0, 1),
# scale ~ U(RECORD_SCALE) (body habitus, electrode placement). Signs never flip.
RECORD_SCALE = (0.75, 1.25)
GAIN_JITTER_SD = 0.12
# Respiration modulates QRS amplitude: factor 1 + QRS_RESP_MODULATION * sin(respiratory phase).
QRS_RESP_MODULATION = 0.05

# Sinus rhythm RR model (labels 0, 2, 3 and the sinus beats of 4):
#   RR_k = RR_target * (1 + a_rsa sin(2 pi f_resp t_k + phi1)
#                         + a_lf sin(2 pi f_lf t_k + phi2) + e_k)
# a_rsa ~ U(SINUS_RSA), a_lf ~ U(SINUS_LF), f_lf ~ U(LF_HZ), e_k ~ N(0, SD) clipped to +-CLIP.
SINUS_RSA = (0.005, 0.025)  # respiratory sinus arrhythmia, at the respiration frequency
SINUS_LF = (0.0, 0.01)  # Mayer-wave (low-frequency) component
LF_HZ = (0.08, 0.12)
SINUS_JITTER_SD = 0.004
SINUS_JITTER_CLIP = 0.01
# Atrial fibrillation: RR_k i.i.d., RR_target * exp(c z - c^2 / 2), z ~ N(0, 1),
# c ~ U(AF_RR_SIGMA), floored at AF_MIN_RR_S (AV-node refractory period).
AF_RR_SIGMA = (0.18, 0.32)
AF_MIN_RR_S = 0.30
# f-waves: F(t) = A (1 + 0.3 sin(2 pi 0.3 t + phi_a)) (sin(theta) + 0.25 sin(2 theta + phi_h)),
# theta' = 2 pi (f0 + 0.4 sin(2 pi 0.15 t + phi_f)); f0 ~ U(AF_F_HZ) so the instantaneous
# frequency stays within 4-9 Hz; A ~ U(AF_F_MV) is the amplitude in V1 (gain 1.0).
AF_F_HZ = (4.5, 8.5)
AF_F_MV = (0.05, 0.15)
# PVCs (label 4): each sinus beat (not the first, never two in a row) becomes a PVC
# with probability p ~ U(PVC_PROBABILITY), at least one inside the record. The PVC
# comes at coupling c ~ U(PVC_COUPLING) of the sinus RR; the next sinus beat keeps
# its time (full compensatory pause).
PVC_PROBABILITY = (0.08, 0.20)
PVC_COUPLING = (0.55, 0.70)

# Noise, added to the eight independent leads (amplitudes in mV, per record):
#   baseline wander  A_bw g_l sin(2 pi f_resp t + phi_l), A_bw ~ U(BASELINE_MV), g_l ~ U(0.3, 1)
#   powerline        A_pl h_l sin(2 pi f_pl t + psi_l), f_pl 50 or 60 Hz, A_pl ~ U(POWERLINE_MV),
#                    h_l ~ U(0.5, 1)
#   white noise      N(0, sigma^2) per sample and lead, sigma ~ U(WHITE_NOISE_MV)
RESPIRATION_HZ = (0.15, 0.30)
BASELINE_MV = (0.05, 0.30)
POWERLINE_HZ = (50, 60)
POWERLINE_MV = (0.01, 0.05)
WHITE_NOISE_MV = (0.005, 0.025)
PAD_S = 1.0  # beats are simulated from 1 s before to 1 s after the record


def _render(n: int, fs: float, centres, sds, amplitudes):
    """Sum of Gaussians amplitude * exp(-(t - centre)^2 / (2 sd^2)) sampled at t = i / fs."""
    import numpy as np

    out = np.zeros(n)
    if len(centres) == 0:
        return out
    half = int(np.ceil(5.0 * float(np.max(sds)) * fs)) + 1
    index = np.rint(centres * fs).astype(np.int64)[:, None] + np.arange(-half, half + 1)
    values = amplitudes[:, None] * np.exp(
        -0.5 * ((index / fs - centres[:, None]) / sds[:, None]) ** 2)
    inside = (index >= 0) & (index < n)
    return np.bincount(index[inside], weights=values[inside], minlength=n)


def _sinus_times(rng, rr_target: float, f_resp: float, t_start: float, t_end: float):
    """Beat times of a sinus rhythm with respiratory and low-frequency variability."""
    import numpy as np

    a_rsa = rng.uniform(*SINUS_RSA)
    a_lf = rng.uniform(*SINUS_LF)
    f_lf = rng.uniform(*LF_HZ)
    phi_rsa, phi_lf = rng.uniform(0.0, 2 * np.pi, size=2)
    n_max = int(np.ceil((t_end - t_start) / (rr_target * 0.95))) + 2
    jitter = np.clip(rng.normal(0.0, SINUS_JITTER_SD, size=n_max),
                     -SINUS_JITTER_CLIP, SINUS_JITTER_CLIP)
    times = []
    t = t_start
    for k in range(n_max):
        times.append(t)
        if t > t_end:
            break
        factor = (1.0 + a_rsa * np.sin(2 * np.pi * f_resp * t + phi_rsa)
                  + a_lf * np.sin(2 * np.pi * f_lf * t + phi_lf) + jitter[k])
        t += rr_target * factor
    return np.asarray(times), {"rsa_amplitude": a_rsa, "lf_amplitude": a_lf, "lf_hz": f_lf}


def _af_times(rng, rr_target: float, t_start: float, t_end: float):
    """Irregularly irregular ventricular response: i.i.d. log-normal RR with a floor."""
    import numpy as np

    sigma = rng.uniform(*AF_RR_SIGMA)
    n_max = int(np.ceil((t_end - t_start) / AF_MIN_RR_S)) + 2
    rr = rr_target * np.exp(sigma * rng.standard_normal(n_max) - sigma**2 / 2)
    rr = np.maximum(rr, AF_MIN_RR_S)
    times = t_start + np.concatenate([[0.0], np.cumsum(rr)])
    last = int(np.searchsorted(times, t_end, side="right"))
    return times[: last + 1], {"rr_log_sd": sigma}


def _place_pvcs(rng, times, duration_s: float):
    """Turn some sinus beats into early PVCs; returns new times and a PVC mask."""
    import numpy as np

    p = rng.uniform(*PVC_PROBABILITY)
    coupling = rng.uniform(*PVC_COUPLING)
    draws = rng.uniform(size=len(times))
    is_pvc = np.zeros(len(times), dtype=bool)
    for k in range(1, len(times) - 1):
        if draws[k] < p and not is_pvc[k - 1]:
            is_pvc[k] = True
    early = times.copy()
    early[1:] = times[:-1] + coupling * np.diff(times)
    inside = (early >= 0) & (early < duration_s)
    if not (is_pvc & inside).any():
        candidates = np.flatnonzero(inside[1:-1]) + 1
        if len(candidates):
            k = int(rng.choice(candidates))
            is_pvc[k] = True
            is_pvc[k - 1] = is_pvc[k + 1] = False
    out = np.where(is_pvc, early, times)
    return out, is_pvc, {"pvc_probability": p, "pvc_coupling": coupling}


def _f_waves(rng, t):
    """Unit-amplitude fibrillatory wave with slowly varying frequency and amplitude."""
    import numpy as np

    f0 = rng.uniform(*AF_F_HZ)
    phi_f, phi_a, phi_h, phi_0 = rng.uniform(0.0, 2 * np.pi, size=4)
    frequency = f0 + 0.4 * np.sin(2 * np.pi * 0.15 * t + phi_f)
    dt = t[1] - t[0]
    theta = phi_0 + 2 * np.pi * np.cumsum(frequency) * dt
    envelope = 1.0 + 0.3 * np.sin(2 * np.pi * 0.3 * t + phi_a)
    return envelope * (np.sin(theta) + 0.25 * np.sin(2 * theta + phi_h)), f0


def _one_record(rng, label: int, n: int, fs: float, duration_s: float):
    """Noise-free independent leads (8, n) of one record, its R peaks, beat types and facts."""
    import numpy as np

    t = np.arange(n) / fs
    gains = np.array([GAINS_MV[lead] for lead in INDEPENDENT_LEADS])
    gains = gains * rng.uniform(*RECORD_SCALE) * np.exp(
        GAIN_JITTER_SD * rng.standard_normal(gains.shape))
    f_resp = rng.uniform(*RESPIRATION_HZ)
    phi_resp = rng.uniform(0.0, 2 * np.pi)
    lo, hi = HEART_RATE_BPM[label]
    rr_target = 60.0 / rng.uniform(lo, hi)
    t_start = -PAD_S - rng.uniform(0.0, rr_target)
    t_end = duration_s + PAD_S
    facts: dict[str, Any] = {"respiration_hz": f_resp}
    if label == 1:
        times, extra = _af_times(rng, rr_target, t_start, t_end)
        is_pvc = np.zeros(len(times), dtype=bool)
    else:
        times, extra = _sinus_times(rng, rr_target, f_resp, t_start, t_end)
        is_pvc = np.zeros(len(times), dtype=bool)
        if label == 4:
            times, is_pvc, more = _place_pvcs(rng, times, duration_s)
            extra.update(more)
    facts.update(extra)

    rr = np.diff(times, prepend=times[0] - rr_target)  # interval ending at each beat
    qrs_mod = 1.0 + QRS_RESP_MODULATION * np.sin(2 * np.pi * f_resp * times + phi_resp)
    components = np.zeros((len(COMPONENTS), n))
    normal = ~is_pvc
    for i, (wave, (offset, width, a_off, a_wid)) in enumerate(WAVES.items()):
        beats = is_pvc if wave.startswith("PVC") else normal
        if wave == "P" and label == 1:
            continue  # no organised atrial activity in AF
        rr_b = rr[beats]
        amplitude = qrs_mod[beats] if wave in ("Q", "R", "S", "PVC_QRS") else np.ones(len(rr_b))
        components[i] = _render(n, fs, times[beats] + offset * rr_b**a_off,
                                width * rr_b**a_wid, amplitude)
    if label == 1:
        f_wave, f0 = _f_waves(rng, t)
        amplitude_f = rng.uniform(*AF_F_MV)
        components[-1] = amplitude_f * f_wave
        facts.update(fwave_hz=f0, fwave_mv=amplitude_f)
    leads = gains @ components

    # True R peak: the sample where noise-free lead II peaks, within 20 ms of the
    # R-wave (or PVC complex) centre. Only beats inside the record are kept.
    lead_ii = leads[INDEPENDENT_LEADS.index("II")]
    search = max(2, int(round(0.020 * fs)))
    centre = np.rint(times * fs).astype(np.int64)
    keep = (centre >= 0) & (centre < n)
    peaks = []
    for c in centre[keep]:
        a, b = max(0, c - search), min(n, c + search + 1)
        peaks.append(a + int(np.argmax(lead_ii[a:b])))
    r_peaks = np.asarray(peaks, dtype=np.int64)
    beat_types = np.where(is_pvc[keep], "V", "N")
    overlapping = (times[1:] >= 0) & (times[:-1] < duration_s)
    facts["heart_rate_bpm"] = 60.0 / float(np.mean(np.diff(times)[overlapping]))
    facts["n_pvc"] = int(is_pvc[keep].sum())
    return leads, r_peaks, beat_types, gains, facts


def _noise(rng, n: int, fs: float, f_resp: float):
    """Baseline wander + powerline + white noise for the eight independent leads."""
    import numpy as np

    t = np.arange(n) / fs
    k = len(INDEPENDENT_LEADS)
    a_bw = rng.uniform(*BASELINE_MV)
    g = rng.uniform(0.3, 1.0, size=(k, 1))
    phi = rng.uniform(0.0, 2 * np.pi, size=(k, 1))
    f_pl = float(rng.choice(POWERLINE_HZ))
    a_pl = rng.uniform(*POWERLINE_MV)
    h = rng.uniform(0.5, 1.0, size=(k, 1))
    psi = rng.uniform(0.0, 2 * np.pi, size=(k, 1))
    sigma = rng.uniform(*WHITE_NOISE_MV)
    noise = (a_bw * g * np.sin(2 * np.pi * f_resp * t + phi)
             + a_pl * h * np.sin(2 * np.pi * f_pl * t + psi)
             + sigma * rng.standard_normal((k, n)))
    return noise, {"baseline_wander_mv": a_bw, "powerline_hz": f_pl, "powerline_mv": a_pl,
                   "white_noise_mv": sigma}


def twelve_leads(independent):
    """(..., 8, n) leads I, II, V1-V6 -> (..., 12, n) in the order of ``LEADS``."""
    import numpy as np

    lead_i, lead_ii = independent[..., 0, :], independent[..., 1, :]
    derived = np.stack([lead_ii - lead_i, -(lead_i + lead_ii) / 2, lead_i - lead_ii / 2,
                        lead_ii - lead_i / 2], axis=-2)
    return np.concatenate([independent[..., :2, :], derived, independent[..., 2:, :]], axis=-2)


def ecg(n_records: int = 200, duration_s: float = 10.0, sampling_rate_hz: int = 250,
        noise: bool = True, include_pvc: bool = True, seed: int = 0):
    """Synthetic 12-lead ECGs in mV, float32, shape (n_records, 12, n_samples)."""
    import numpy as np
    import pandas as pd

    from medai.datasets.types import SignalDataset

    fs = float(sampling_rate_hz)
    n = int(round(duration_s * fs))
    if n_records * len(LEADS) * n * 4 > MAX_BYTES:
        raise DatasetOptionError(
            f"{NAME}: n_records={n_records} x {len(LEADS)} leads x {n} samples needs "
            f"{n_records * len(LEADS) * n * 4 / 1e9:.1f} GB as float32 (limit "
            f"{MAX_BYTES / 1e9:.0f} GB); reduce n_records, duration_s or sampling_rate_hz")
    label_names = dict(LABEL_NAMES) if include_pvc else {k: LABEL_NAMES[k] for k in range(4)}
    n_classes = len(label_names)
    cardiac_rng, noise_rng = np.random.default_rng(seed).spawn(2)
    labels = cardiac_rng.permutation(np.arange(n_records) % n_classes).astype(np.int64)

    signals = np.empty((n_records, len(LEADS), n), dtype=np.float32)
    r_peaks, beat_types, record_gains, rows = [], [], [], []
    for r, label in enumerate(labels):
        leads, peaks, types, gains, facts = _one_record(cardiac_rng, int(label), n, fs,
                                                        duration_s)
        noise_facts = {"baseline_wander_mv": 0.0, "powerline_hz": float("nan"),
                       "powerline_mv": 0.0, "white_noise_mv": 0.0}
        if noise:
            added, noise_facts = _noise(noise_rng, n, fs, facts["respiration_hz"])
            leads = leads + added
        signals[r] = twelve_leads(leads)
        r_peaks.append(peaks)
        beat_types.append(types)
        record_gains.append(gains)
        rows.append({
            "record_id": r, "label": int(label), "rhythm": label_names[int(label)],
            "heart_rate_bpm": facts["heart_rate_bpm"], "n_beats": len(peaks),
            "n_pvc": facts["n_pvc"], "respiration_hz": facts["respiration_hz"],
            "fwave_hz": facts.get("fwave_hz", float("nan")),
            "fwave_mv": facts.get("fwave_mv", float("nan")),
            **noise_facts,
        })
    metadata = pd.DataFrame(rows)

    waves = pd.DataFrame([{"wave": w, "offset_s": o, "width_s": s, "offset_exponent": a,
                           "width_exponent": b} for w, (o, s, a, b) in WAVES.items()])
    ground_truth = {
        "r_peaks": r_peaks,
        "beat_types": beat_types,
        "waves": waves,
        "lead_gains_mv": pd.DataFrame(GAINS_MV, index=list(COMPONENTS)).T,
        "record_gains_mv": np.stack(record_gains),
        "independent_leads": INDEPENDENT_LEADS,
        "derived_leads": dict(DERIVED_LEADS),
        "heart_rate_bpm": {label_names[k]: v for k, v in HEART_RATE_BPM.items()
                           if k in label_names},
        "rhythm_model": {
            "sinus_rsa": SINUS_RSA, "sinus_lf": SINUS_LF, "lf_hz": LF_HZ,
            "sinus_jitter_sd": SINUS_JITTER_SD, "sinus_jitter_clip": SINUS_JITTER_CLIP,
            "af_rr_log_sd": AF_RR_SIGMA, "af_min_rr_s": AF_MIN_RR_S, "af_f_hz": AF_F_HZ,
            "af_f_mv": AF_F_MV, "pvc_probability": PVC_PROBABILITY,
            "pvc_coupling": PVC_COUPLING, "record_scale": RECORD_SCALE,
            "gain_jitter_sd": GAIN_JITTER_SD, "qrs_resp_modulation": QRS_RESP_MODULATION,
        },
        "noise_model": {
            "added": noise, "respiration_hz": RESPIRATION_HZ, "baseline_mv": BASELINE_MV,
            "powerline_hz": POWERLINE_HZ, "powerline_mv": POWERLINE_MV,
            "white_noise_mv": WHITE_NOISE_MV,
        },
        "class_proportions": "balanced: label = record index mod n_classes, then shuffled",
        "seed": seed,
    }
    description = (
        f"Synthetic 12-lead ECGs: {n_records} records of {duration_s:g} s at "
        f"{sampling_rate_hz} Hz in mV, leads {', '.join(LEADS)} (the order of pydicom's "
        f"waveform_ecg.dcm). Rhythms, balanced: {', '.join(label_names.values())}. Each beat is "
        "a sum of Gaussian P, Q, R, S, T waves (McSharry et al. 2003 style) projected to the "
        "leads by a gain matrix fitted to pydicom's real ECG; III, aVR, aVL, aVF follow "
        "exactly from I and II. "
        + ("Baseline wander, powerline and white noise are added. " if noise
           else "Noise-free. ")
        + "True R-peak sample indices are in ground_truth['r_peaks']."
    )
    return SignalDataset(name=NAME, signals=signals, sampling_rate_hz=fs, channels=LEADS,
                         labels=labels, label_names=label_names, description=description,
                         units="mV", metadata=metadata, ground_truth=ground_truth)


DATASETS = {
    NAME: DatasetSpec(ecg, options={
        "n_records": Option(200, "number of ECG records", minimum=10, maximum=5000),
        "duration_s": Option(10.0, "record length in seconds", minimum=2, maximum=60),
        "sampling_rate_hz": Option(250, "samples per second",
                                   choices=(125, 250, 500, 1000)),
        "noise": Option(True, "add baseline wander, powerline and white noise"),
        "include_pvc": Option(True, "include class 4, sinus rhythm with premature "
                                    "ventricular contractions"),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
}
