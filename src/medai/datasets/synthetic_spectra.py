"""Synthetic MALDI-TOF serum peptide profiles from several sites: ``load("maldi_spectra")``.

Each spectrum is a linear-mode MALDI-TOF profile of one serum sample, 2,000 to
20,000 Da, on a grid that is uniform in the square root of m/z (a time-of-flight
detector samples time at a fixed rate, and m/z grows with the square of the
flight time). The expected signal is a smooth chemical-noise baseline that
decays with m/z plus Gaussian peaks whose width grows with m/z (constant
resolving power m / FWHM). Observed counts are Poisson around that expectation
plus Gaussian electronic noise.

The peaks: a fixed "serum proteome" of about 60 peptides and proteins shared by
every sample (a few placed near the masses of abundant serum proteins that act
as internal calibrants), six peaks whose mean height differs between cancer and
control by a modest log fold change, and two haemoglobin peaks whose height
follows the sample's haemolysis. Per spectrum: biological variation of every
peak (log-normal), an overall intensity factor (laser energy, crystallisation),
a baseline factor, and a calibration error (a ppm scale error plus a small
constant offset) that shifts every peak; ``calibration_drift`` scales it.

Sites differ the way collection and acquisition sites do: baseline amplitude and
decay, electronic noise, detector gain, a mean calibration offset, the typical
haemolysis of their samples (pre-analytical handling), a site-specific artefact
peak (a contaminant) and their case mix. The case mix is set by ``confounding``:
at 0 every site has half cases; at 1 the first site is 90 % cancer and the last
10 %, so everything that marks a site also "predicts" cancer in pooled data.
``effect_size=0`` removes the biology altogether, which reproduces a cautionary
tale of serum proteomics (Baggerly et al. 2004): perfect-looking classification
from site and processing artefacts alone.

Every constant is a module constant, copied into ``ground_truth`` and written out
in datasets/cards/maldi_spectra.md. The "proteome" (peak positions, mean heights,
biological spreads) is fixed by PANEL_SEED and does not change with ``seed``.
Random streams: ``default_rng(seed).spawn(3)`` gives independent streams for the
subjects (site, class, peak heights, haemolysis), the acquisition (calibration,
gains, baseline, artefacts) and the detector noise. numpy and pandas are
imported when the loader runs, not at import.
"""

from __future__ import annotations

from medai.datasets.registry import DatasetOptionError, DatasetSpec, Option

NAME = "maldi_spectra"
MZ_RANGE = (2000.0, 20000.0)  # Da (m/z of singly charged ions)
RESOLVING_POWER = 400.0  # m / FWHM, constant over the range (linear-mode MALDI-TOF)
LABEL_NAMES = {0: "control", 1: "cancer"}
MAX_VALUES = 60_000_000  # n_spectra x n_points above this (240 MB as float32) is refused
CHUNK = 128  # spectra rendered at a time (bounds the float64 work arrays)

# --- The fixed serum "proteome" -------------------------------------------------------------
PANEL_SEED = 20021  # fixes the generic peaks; the data seed never changes them
# Internal calibrants: abundant serum proteins seen in most MALDI serum profiles, at
# approximate average masses of their singly protonated ions (illustrative, rounded).
# Every spectrum has them, so they anchor the recalibration (the lesson's reference list).
#              name                                  m/z      height  log-sd
CALIBRANTS = (("apolipoprotein C-I", 6631.0, 1800.0, 0.25),
              ("apolipoprotein C-III (0 sialic acids)", 8765.0, 600.0, 0.30),
              ("apolipoprotein C-III (1 sialic acid)", 9422.0, 1500.0, 0.25),
              ("apolipoprotein C-III (2 sialic acids)", 9713.0, 900.0, 0.25),
              ("transthyretin", 13761.0, 700.0, 0.25),
              ("transthyretin, S-cysteinylated", 13880.0, 500.0, 0.30))
# Haemoglobin chains enter serum when red cells lyse (late centrifugation, rough
# handling): height = HAEM_HEIGHT x the sample's haemolysis index.
HAEMOGLOBIN = (("haemoglobin alpha chain", 15127.0), ("haemoglobin beta chain", 15868.0))
HAEM_HEIGHT = 120.0  # counts per unit haemolysis index
HAEM_LOG_SD = 0.5  # spread of the haemolysis index around the site's typical value
# Class-specific peaks: (m/z, control mean height, log-sd, standardised effect d).
# Log fold change cancer vs control = effect_size x d x log-sd. D3 is faint (SNR ~5);
# D4 sits 0.6 % above a shared peak of similar height (SHOULDER_NEIGHBOUR).
DISCRIMINATIVE = (("D1", 3346.0, 400.0, 0.35, 0.8),
                  ("D2", 4617.0, 600.0, 0.35, -0.7),
                  ("D3", 5903.0, 90.0, 0.35, 0.8),
                  ("D4", 7772.0, 250.0, 0.35, 0.6),
                  ("D5", 11256.0, 200.0, 0.35, -0.7),
                  ("D6", 16418.0, 130.0, 0.35, 0.6))
SHOULDER_NEIGHBOUR = ("S-7726", 7726.0, 300.0, 0.30)
# Generic shared peaks: N_GENERIC positions log-uniform over GENERIC_RANGE, at least
# MIN_SPACING (relative) from every other peak; height 1500 (m/2000)^-1 x LogNormal(0, 0.7)
# clipped to HEIGHT_CLIP; log-sd ~ U(LOG_SD_RANGE).
N_GENERIC = 54
GENERIC_RANGE = (2050.0, 19500.0)
MIN_SPACING = 0.008
HEIGHT_AT_2000, HEIGHT_SLOPE, HEIGHT_LOG_SD, HEIGHT_CLIP = 1500.0, -1.0, 0.7, (40.0, 2500.0)
LOG_SD_RANGE = (0.15, 0.40)

# --- Acquisition ----------------------------------------------------------------------------
# Per spectrum: overall intensity factor site_gain x LogNormal(0, GAIN_LOG_SD); baseline
# factor LogNormal(0, BASELINE_LOG_SD); calibration m_obs = m (1 + ppm 1e-6) + offset, with
# ppm ~ Normal(site ppm, DRIFT_PPM_SD) and offset ~ Normal(0, OFFSET_DA_SD).
GAIN_LOG_SD = 0.30
BASELINE_LOG_SD = 0.20
DRIFT_PPM_SD = 200.0
OFFSET_DA_SD = 0.5
NOISE_LOG_SD = 0.2  # spread of the electronic noise SD around the site's value
ARTEFACT_PRESENT = 0.85  # probability that a spectrum shows its site's artefact peak
ARTEFACT_LOG_SD = 0.4
# Baseline (counts) B(m) = b0 exp(-(m - 2000) / tau) + b1. Sites, in order; a network of
# n_sites uses the first n_sites rows.
SITE_COLUMNS = ("baseline_b0", "baseline_tau_da", "baseline_b1", "noise_sd", "calibration_ppm",
                "gain", "haemolysis", "artefact_mz", "artefact_height")
SITES = {
    "site_A": (1000.0, 3000.0, 40.0, 6.0, -350.0, 1.00, 2.0, 2318.0, 350.0),
    "site_B": (1400.0, 2400.0, 60.0, 10.0, 250.0, 0.80, 1.2, 3105.0, 250.0),
    "site_C": (800.0, 3600.0, 30.0, 5.0, 550.0, 1.20, 0.7, 4430.0, 200.0),
    "site_D": (1700.0, 2800.0, 70.0, 12.0, -150.0, 0.90, 0.4, 2876.0, 300.0),
    "site_E": (1200.0, 2600.0, 50.0, 8.0, 100.0, 1.10, 1.5, 5210.0, 180.0),
    "site_F": (900.0, 3300.0, 45.0, 7.0, -450.0, 0.95, 0.9, 3690.0, 220.0),
    "site_G": (1500.0, 2200.0, 55.0, 9.0, 400.0, 1.05, 0.5, 6050.0, 160.0),
    "site_H": (1100.0, 3100.0, 35.0, 6.0, -50.0, 0.85, 1.8, 2540.0, 280.0),
}
# With site_effects=False every site gets these values and no artefact peak.
NEUTRAL_SITE = (1200.0, 2900.0, 50.0, 8.0, 0.0, 1.0, 0.8, float("nan"), 0.0)
# Prevalence of cancer at site j of n (j = 0..n-1): 0.5 + confounding x MAX_TILT x (1 - 2j/(n-1)).
MAX_TILT = 0.4


def _spacing_ok(mz: float, taken: list[float]) -> bool:
    return all(abs(mz - t) / t >= MIN_SPACING for t in taken)


def panel():
    """The fixed peak table (same for every seed): one row per true peak."""
    import numpy as np
    import pandas as pd

    rows = []
    for name, mz, height, log_sd in CALIBRANTS:
        rows.append((name, "calibrant", mz, height, log_sd, 0.0))
    for name, mz in HAEMOGLOBIN:
        rows.append((name, "haemoglobin", mz, HAEM_HEIGHT, 0.0, 0.0))
    for name, mz, height, log_sd, d in DISCRIMINATIVE:
        rows.append((name, "discriminative", mz, height, log_sd, d))
    name, mz, height, log_sd = SHOULDER_NEIGHBOUR
    rows.append((name, "shared", mz, height, log_sd, 0.0))
    taken = [r[2] for r in rows] + [s[7] for s in SITES.values()]
    rng = np.random.default_rng(PANEL_SEED)
    generic = []
    log_low, log_high = np.log(GENERIC_RANGE[0]), np.log(GENERIC_RANGE[1])
    while len(generic) < N_GENERIC:
        mz = float(np.round(np.exp(rng.uniform(log_low, log_high)), 1))
        height = HEIGHT_AT_2000 * (mz / 2000.0) ** HEIGHT_SLOPE * np.exp(
            rng.normal(0.0, HEIGHT_LOG_SD))
        log_sd = rng.uniform(*LOG_SD_RANGE)
        if _spacing_ok(mz, taken):
            taken.append(mz)
            generic.append((f"S-{mz:.0f}", "shared", mz,
                            float(np.clip(height, *HEIGHT_CLIP)), float(log_sd), 0.0))
    rows += generic
    table = pd.DataFrame(rows, columns=["name", "kind", "mz", "height", "log_sd", "effect_d"])
    table = table.sort_values("mz", ignore_index=True)
    table.insert(0, "peak_id", [f"P{i:02d}" for i in range(len(table))])
    return table


def mz_grid(n_points: int):
    """m/z values (Da) uniform in sqrt(m/z): equal steps of flight time."""
    import numpy as np

    root = np.linspace(np.sqrt(MZ_RANGE[0]), np.sqrt(MZ_RANGE[1]), n_points)
    return root**2


def site_table(n_sites: int, confounding: float, site_effects: bool):
    """One row per site: acquisition constants and the prevalence of cancer."""
    import numpy as np
    import pandas as pd

    names = list(SITES)[:n_sites]
    values = [SITES[s] if site_effects else NEUTRAL_SITE for s in names]
    table = pd.DataFrame(values, columns=list(SITE_COLUMNS), index=pd.Index(names, name="site"))
    tilt = 1.0 - 2.0 * np.arange(n_sites) / (n_sites - 1)
    table.insert(0, "prevalence", 0.5 + confounding * MAX_TILT * tilt)
    return table


def _render(mz, centres, sigmas, heights):
    """Sum of Gaussian peaks for a block of spectra: centres, sigmas, heights are (n, k)."""
    import numpy as np

    out = np.zeros((centres.shape[0], mz.size))
    for k in range(centres.shape[1]):
        low = np.searchsorted(mz, centres[:, k].min() - 6.0 * sigmas[:, k].max())
        high = np.searchsorted(mz, centres[:, k].max() + 6.0 * sigmas[:, k].max())
        window = mz[low:high]
        z = (window[None, :] - centres[:, k, None]) / sigmas[:, k, None]
        out[:, low:high] += heights[:, k, None] * np.exp(-0.5 * z * z)
    return out


def _subjects(rng, n_spectra: int, sites, peaks, effect_size: float):
    """Site, class, true peak heights (controls' mean x biology x class) and haemolysis."""
    import numpy as np

    n_sites = len(sites)
    site_index = rng.permutation(np.arange(n_spectra) % n_sites)
    prevalence = sites["prevalence"].to_numpy()[site_index]
    labels = (rng.random(n_spectra) < prevalence).astype(np.int64)
    log_sd = peaks["log_sd"].to_numpy()
    log_fc = effect_size * peaks["effect_d"].to_numpy() * log_sd
    z = rng.standard_normal((n_spectra, len(peaks)))
    heights = peaks["height"].to_numpy() * np.exp(log_sd * z + labels[:, None] * log_fc)
    haemolysis = sites["haemolysis"].to_numpy()[site_index] * np.exp(
        rng.normal(0.0, HAEM_LOG_SD, n_spectra))
    is_haem = (peaks["kind"] == "haemoglobin").to_numpy()
    heights[:, is_haem] = HAEM_HEIGHT * haemolysis[:, None] * np.exp(
        0.1 * rng.standard_normal((n_spectra, int(is_haem.sum()))))
    return site_index, labels, heights, haemolysis, log_fc


def _acquisition(rng, site_index, sites, drift_scale: float):
    """Per-spectrum gain, baseline factor, noise SD, calibration error and artefact."""
    import numpy as np

    n = site_index.size
    table = sites.iloc[site_index]
    return {
        "gain": table["gain"].to_numpy() * np.exp(rng.normal(0.0, GAIN_LOG_SD, n)),
        "baseline_factor": np.exp(rng.normal(0.0, BASELINE_LOG_SD, n)),
        "noise_sd": table["noise_sd"].to_numpy() * np.exp(rng.normal(0.0, NOISE_LOG_SD, n)),
        "drift_ppm": drift_scale * rng.normal(table["calibration_ppm"].to_numpy(), DRIFT_PPM_SD),
        "offset_da": drift_scale * rng.normal(0.0, OFFSET_DA_SD, n),
        "artefact": (rng.random(n) < ARTEFACT_PRESENT) & table["artefact_mz"].notna().to_numpy(),
        "artefact_height": table["artefact_height"].to_numpy() * np.exp(
            rng.normal(0.0, ARTEFACT_LOG_SD, n)),
    }


def maldi_spectra(n_spectra: int = 400, n_sites: int = 4, n_points: int = 6000,
                  confounding: float = 0.5, effect_size: float = 1.0,
                  site_effects: bool = True, calibration_drift: float = 1.0, seed: int = 0):
    """Synthetic MALDI-TOF serum spectra (counts) with sites, classes and the true peaks."""
    import numpy as np
    import pandas as pd

    from medai.datasets.types import TableDataset

    if n_spectra * n_points > MAX_VALUES:
        raise DatasetOptionError(
            f"{NAME}: n_spectra={n_spectra} x n_points={n_points} = {n_spectra * n_points:,} "
            f"values is more than {MAX_VALUES:,} ({MAX_VALUES * 4 / 1e6:.0f} MB as float32); "
            "reduce n_spectra or n_points")
    subject_rng, acquisition_rng, noise_rng = np.random.default_rng(seed).spawn(3)
    mz = mz_grid(n_points)
    peaks = panel()
    sites = site_table(n_sites, confounding, site_effects)
    site_index, labels, heights, haemolysis, log_fc = _subjects(
        subject_rng, n_spectra, sites, peaks, effect_size)
    acq = _acquisition(acquisition_rng, site_index, sites, calibration_drift)
    site_rows = sites.iloc[site_index]

    true_mz = peaks["mz"].to_numpy()
    sigma = true_mz / RESOLVING_POWER / (2.0 * np.sqrt(2.0 * np.log(2.0)))
    intensities = np.empty((n_spectra, n_points), dtype=np.float32)
    for start in range(0, n_spectra, CHUNK):
        block = slice(start, min(start + CHUNK, n_spectra))
        scale = 1.0 + acq["drift_ppm"][block, None] * 1e-6
        offset = acq["offset_da"][block, None]
        centres = true_mz[None, :] * scale + offset
        sigmas = np.broadcast_to(sigma, centres.shape)
        expected = _render(mz, centres, sigmas, heights[block])
        art_mz = site_rows["artefact_mz"].to_numpy()[block]
        art_on = acq["artefact"][block]
        if art_on.any():
            art_centre = np.where(art_on, np.nan_to_num(art_mz) * scale[:, 0] + offset[:, 0],
                                  MZ_RANGE[0])
            art_sigma = np.nan_to_num(art_mz, nan=MZ_RANGE[0]) / RESOLVING_POWER / 2.3548
            expected += _render(mz, art_centre[:, None], art_sigma[:, None],
                                (acq["artefact_height"][block] * art_on)[:, None])
        b0 = site_rows["baseline_b0"].to_numpy()[block, None]
        tau = site_rows["baseline_tau_da"].to_numpy()[block, None]
        b1 = site_rows["baseline_b1"].to_numpy()[block, None]
        baseline = acq["baseline_factor"][block, None] * (
            b0 * np.exp(-(mz[None, :] - MZ_RANGE[0]) / tau) + b1)
        expected = acq["gain"][block, None] * (expected + baseline)
        counts = noise_rng.poisson(expected).astype(np.float64)
        counts += noise_rng.normal(0.0, 1.0, expected.shape) * acq["noise_sd"][block, None]
        intensities[block] = counts

    ids = [f"S{i:04d}" for i in range(n_spectra)]
    spectra = pd.DataFrame(intensities, index=pd.Index(ids, name="spectrum_id"),
                           columns=pd.Index(np.round(mz, 3), name="mz"))
    samples = pd.DataFrame({
        "spectrum_id": ids,
        "site": sites.index.to_numpy()[site_index],
        "label": labels,
        "diagnosis": [LABEL_NAMES[int(v)] for v in labels],
    })
    calibrants = pd.DataFrame([(n, m) for n, m, _, _ in CALIBRANTS], columns=["name", "mz"])
    truth_peaks = peaks.assign(log_fold_change=log_fc,
                               discriminative=(peaks["kind"] == "discriminative")
                               & (effect_size > 0))
    per_spectrum = pd.DataFrame({
        "spectrum_id": ids, "site": samples["site"], "label": labels,
        "drift_ppm": acq["drift_ppm"], "offset_da": acq["offset_da"],
        "shift_at_10kda_da": 1e4 * acq["drift_ppm"] * 1e-6 + acq["offset_da"],
        "gain": acq["gain"], "baseline_factor": acq["baseline_factor"],
        "noise_sd": acq["noise_sd"], "haemolysis": haemolysis,
        "artefact_present": acq["artefact"],
    })
    ground_truth = {
        "peaks": truth_peaks,
        "peak_heights": heights,
        "spectra": per_spectrum,
        "sites": sites,
        "resolving_power": RESOLVING_POWER,
        "mz_range": MZ_RANGE,
        "model": {
            "peak": "height x exp(-(m - mu)^2 / (2 sigma^2)), sigma = mu / (R 2 sqrt(2 ln 2))",
            "calibration": "mu_obs = mu (1 + ppm 1e-6) + offset_da; ppm and offset_da scaled "
                           "by calibration_drift",
            "baseline": "baseline_factor x (b0 exp(-(m - 2000) / tau) + b1)",
            "counts": "Poisson(gain x (peaks + artefact + baseline)) + Normal(0, noise_sd^2)",
            "heights": "control mean x exp(log_sd z + label x log_fold_change)",
            "log_fold_change": "effect_size x effect_d x log_sd",
            "prevalence": "0.5 + confounding x 0.4 x (1 - 2 j / (n_sites - 1)) at site j",
        },
        "constants": {
            "gain_log_sd": GAIN_LOG_SD, "baseline_log_sd": BASELINE_LOG_SD,
            "drift_ppm_sd": DRIFT_PPM_SD, "offset_da_sd": OFFSET_DA_SD,
            "noise_log_sd": NOISE_LOG_SD, "artefact_present": ARTEFACT_PRESENT,
            "artefact_log_sd": ARTEFACT_LOG_SD, "haem_height": HAEM_HEIGHT,
            "haem_log_sd": HAEM_LOG_SD, "panel_seed": PANEL_SEED,
        },
        "options": {"n_spectra": n_spectra, "n_sites": n_sites, "n_points": n_points,
                    "confounding": confounding, "effect_size": effect_size,
                    "site_effects": site_effects, "calibration_drift": calibration_drift,
                    "seed": seed},
    }
    description = (
        f"Synthetic linear-mode MALDI-TOF serum profiles: {n_spectra} spectra from {n_sites} "
        f"sites, m/z {MZ_RANGE[0]:,.0f}-{MZ_RANGE[1]:,.0f} Da on {n_points} points (uniform in "
        f"sqrt(m/z)), intensities in detector counts. Cancer {labels.mean():.0%} overall; "
        f"case mix by site from confounding={confounding:g}. Six class-specific peaks "
        f"(effect_size={effect_size:g}), {len(peaks)} true peaks in all, per-spectrum "
        "calibration drift, baseline, gain and noise"
        + (", site-specific baselines, noise, calibration, haemolysis and artefact peaks"
           if site_effects else ", no site effects")
        + ". Tables: spectra (one row per spectrum, one column per m/z), samples, calibrants."
    )
    data_dictionary = {
        "spectra": "intensity in detector counts; rows spectrum_id, columns m/z (Da)",
        "mz": "mass-to-charge ratio of singly charged ions, Da (the spectra's columns)",
        "spectrum_id": "S0000, S0001, ...: one spectrum per serum sample",
        "site": "collection and acquisition site (site_A, site_B, ...)",
        "label": "1 = cancer, 0 = control",
        "diagnosis": "cancer or control (the label as text)",
        "calibrants": "reference m/z (Da) of abundant serum proteins present in every "
                      "spectrum, for recalibration",
    }
    return TableDataset(name=NAME, tables={"spectra": spectra, "samples": samples,
                                           "calibrants": calibrants},
                        description=description, data_dictionary=data_dictionary,
                        ground_truth=ground_truth)


DATASETS = {
    NAME: DatasetSpec(maldi_spectra, options={
        "n_spectra": Option(400, "number of spectra (one per serum sample)", minimum=40,
                            maximum=5000),
        "n_sites": Option(4, "number of collection sites", minimum=2, maximum=len(SITES)),
        "n_points": Option(6000, "points per spectrum (uniform in sqrt(m/z))", minimum=2000,
                           maximum=20000),
        "confounding": Option(0.5, "how much the case mix differs between sites: 0 = half "
                                   "cancer everywhere, 1 = 90% at the first site and 10% at "
                                   "the last", minimum=0.0, maximum=1.0),
        "effect_size": Option(1.0, "multiplier of the class-specific log fold changes; 0 = no "
                                   "biological difference", minimum=0.0, maximum=3.0),
        "site_effects": Option(True, "sites differ in baseline, noise, gain, calibration, "
                                     "haemolysis and an artefact peak"),
        "calibration_drift": Option(1.0, "multiplier of every calibration error (site offsets, "
                                         "per-spectrum ppm and Da offsets); 0 = perfectly "
                                         "calibrated", minimum=0.0, maximum=5.0),
        "seed": Option(0, "seed of numpy.random.default_rng; same seed, same data", minimum=0,
                       maximum=2**32 - 1),
    }),
}
