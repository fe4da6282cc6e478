"""A synthetic multi-site EHR cohort with a known sepsis risk model and a known treatment effect.

Every number that shapes the data is a module constant below and is copied into
``ground_truth``; datasets/cards/ehr_cohort.md writes the same model out as
equations. The loader imports numpy and pandas when it runs, not at import.

Random streams: one ``numpy.random.default_rng(seed)`` is split with ``spawn``
into independent streams (patients, admission noise, outcomes, hourly noise,
measurement). Admission data, sepsis, treatment and mortality are drawn before
anything that depends on ``hours``, so changing ``hours`` changes only the
time series, ``onset_hour`` and ``antibiotics_started_hour``.
"""

from __future__ import annotations

from typing import Any

from medai.datasets.registry import DatasetSpec, Option

NAME = "ehr_cohort"
ADMISSION_START = "2020-01-01"  # admissions are spread uniformly over three years
ADMISSION_SPAN_HOURS = 3 * 365 * 24
EARLIEST_ONSET = 3  # sepsis present on admission (hours 0-2) is outside the cohort
RAMP_HOURS = 6  # abnormal physiology builds up over the 6 h before onset
RAMP_MAX = 1.5  # ... and keeps worsening after onset, to 1.5x the at-onset change
ELDERLY_AGE = 75  # fever response blunted from this age (Norman 2000)
ELDERLY_FEVER_FACTOR = 0.4
MALE_FRACTION = 0.55

# --- Features shared by the three outcome models (computed per patient from
# --- the patients table and the hour-0 rows of vitals and labs) --------------
FEATURES = {
    "age_per10": "(age - 65) / 10; age in whole years from patients.age",
    "male": "1 if patients.sex == 'M' else 0",
    "diabetes": "patients.diabetes (0/1)",
    "ckd": "patients.ckd (0/1)",
    "copd": "patients.copd (0/1)",
    "heart_failure": "patients.heart_failure (0/1)",
    "immunosuppressed": "patients.immunosuppressed (0/1)",
    "hr_per10": "(heart_rate at hour 0 - 90) / 10; vitals row with hour == 0",
    "rr_per4": "(resp_rate at hour 0 - 18) / 4",
    "sbp_per10": "(sbp at hour 0 - 120) / 10",
    "temp_dev": "temperature at hour 0 - 37.0 (degrees C)",
    "lactate_dev": (
        "true admission lactate - 1.0 (mmol/L), where true lactate = labs.lactate at hour 0 "
        "minus the site's assay offset ground_truth['site_effects'][site]['lactate_offset']"
    ),
}
# Site indicators site_B, site_C, ... (site_A is the reference) are features too.

# log-odds of sepsis within the observation window
RISK_INTERCEPT = -2.4
RISK_COEFFICIENTS = {
    "age_per10": 0.25, "male": 0.20, "diabetes": 0.30, "ckd": 0.40, "copd": 0.25,
    "heart_failure": 0.30, "immunosuppressed": 0.80, "hr_per10": 0.20, "rr_per4": 0.35,
    "sbp_per10": -0.15, "temp_dev": 0.30, "lactate_dev": 0.45,
}
# log-odds of receiving the (hypothetical) admission intervention
PROPENSITY_INTERCEPT = -1.0
PROPENSITY_COEFFICIENTS = {
    "age_per10": 0.20, "male": 0.0, "diabetes": 0.0, "ckd": -0.40, "copd": 0.0,
    "heart_failure": 0.0, "immunosuppressed": 0.30, "hr_per10": 0.10, "rr_per4": 0.30,
    "sbp_per10": -0.20, "temp_dev": 0.0, "lactate_dev": 0.60,
}
# log-odds of death within 30 days without the intervention (plus sepsis)
MORTALITY_INTERCEPT = -3.0
MORTALITY_COEFFICIENTS = {
    "age_per10": 0.50, "male": 0.10, "diabetes": 0.15, "ckd": 0.35, "copd": 0.30,
    "heart_failure": 0.45, "immunosuppressed": 0.50, "hr_per10": 0.10, "rr_per4": 0.25,
    "sbp_per10": -0.20, "temp_dev": 0.0, "lactate_dev": 0.45, "sepsis": 1.40,
}
# the intervention adds theta(x) to the mortality log-odds
EFFECT_INTERCEPT = -1.0
EFFECT_COEFFICIENTS = {"age_per10": 0.25, "ckd": 1.3}

# Comorbidity prevalence: logit P = a + b * age_per10 (+ shift at the shifted site)
COMORBIDITIES = {
    "diabetes": (-1.2, 0.30), "ckd": (-1.9, 0.45), "copd": (-2.1, 0.35),
    "heart_failure": (-2.2, 0.55), "immunosuppressed": (-2.5, 0.0),
}

# Site differences. Every site but the last is a "regular" site with these values;
# the last site (site_D by default) is the shifted, external-validation site.
REGULAR_SITE = {
    "shifted": False, "age_mean": 63.0, "age_sd": 17.0, "comorbidity_log_odds_shift": 0.0,
    "risk_offset": 0.0, "lactate_offset": 0.0, "lab_panel_rate": 0.125,
    "treatment_log_odds_shift": 0.0,
}
SHIFTED_SITE = {
    "shifted": True, "age_mean": 71.0, "age_sd": 14.0, "comorbidity_log_odds_shift": 0.5,
    "risk_offset": 0.4, "lactate_offset": 0.5, "lab_panel_rate": 0.25,
    "treatment_log_odds_shift": 0.7,
}
SICK_LAB_PANEL_RATE = 0.5  # hourly chance of a lab panel at full deterioration (ramp >= 1)

# Hourly physiology: value = mean_i + AR(1) noise (sd, rho) + change * ramp(t),
# then clipped to the plausible range and rounded to the charting precision.
# mean_i is a linear function of the patient's latent admission severity s ~ N(0, 1)
# and comorbidities; see _patient_means. Lactate, creatinine and bilirubin are
# log-normal around their means (noise on the log scale), with additive change.
VITALS = {
    "heart_rate": dict(sd=9.0, rho=0.75, change=22.0, low=40, high=180, decimals=0),
    "resp_rate": dict(sd=2.5, rho=0.70, change=7.0, low=8, high=45, decimals=0),
    "temperature": dict(sd=0.4, rho=0.80, change=1.3, low=34.0, high=41.5, decimals=1),
    "sbp": dict(sd=13.0, rho=0.70, change=-20.0, low=60, high=220, decimals=0),
    "spo2": dict(sd=1.5, rho=0.70, change=-4.0, low=70, high=100, decimals=0),
}
LABS = {
    "lactate": dict(sd=0.30, rho=0.80, change=1.8, low=0.3, high=15.0, decimals=1, log=True),
    "wbc": dict(sd=1.8, rho=0.85, change=6.0, low=0.5, high=50.0, decimals=1, log=False),
    "creatinine": dict(sd=0.15, rho=0.90, change=0.6, low=0.3, high=12.0, decimals=2, log=True),
    "platelets": dict(sd=45.0, rho=0.90, change=-80.0, low=10, high=800, decimals=0, log=False),
    "bilirubin": dict(sd=0.30, rho=0.90, change=1.0, low=0.1, high=20.0, decimals=1, log=True),
}
HOURLY = {**VITALS, **LABS}  # every hourly variable drawn from the AR(1) model, in draw order
GCS_CHANGE = 2.5  # points lost at ramp 1 (before rounding)

# Missingness at hours >= 1 (hour 0 is a complete admission set of vitals and labs).
VITAL_MISSING = {"heart_rate": 0.03, "resp_rate": 0.08, "sbp": 0.05, "spo2": 0.04}
TEMPERATURE_MEASURED = (0.30, 0.50)  # P(measured) = a + b * min(ramp, 1)
GCS_MEASURED = (0.25, 0.60)
LACTATE_IN_PANEL = (0.35, 0.55)  # P(lactate in a drawn panel) = a + b * min(ramp, 1)
BILIRUBIN_IN_PANEL = 0.5
EMPIRIC_ANTIBIOTICS = 0.08  # non-septic patients who get antibiotics for another reason
ANTIBIOTIC_DELAY = {0: 0.4, 1: 0.3, 2: 0.2, 3: 0.1}  # hours from onset to first dose
LAB_MISSING_BAND = (0.79, 0.85)  # fraction of NaN lab cells at default options

DATA_DICTIONARY = {
    "patient_id": "synthetic patient identifier, 'P' + zero-padded number (key of all tables)",
    "site": "hospital site, 'site_A', 'site_B', ...; the last site is the shifted one",
    "admission_time": "date and hour of hospital admission (synthetic, 2020-2022)",
    "age": "age at admission, whole years (18-100)",
    "sex": "recorded sex, 'F' or 'M'",
    "diabetes": "diabetes mellitus, 1 = yes",
    "ckd": "chronic kidney disease, 1 = yes",
    "copd": "chronic obstructive pulmonary disease, 1 = yes",
    "heart_failure": "chronic heart failure, 1 = yes",
    "immunosuppressed": "immunosuppression (drugs, malignancy, transplant), 1 = yes",
    "treated": "received the hypothetical admission intervention at hour 0, 1 = yes",
    "antibiotics_started_hour": "hour of first antibiotic dose, NaN if none; recorded "
                                "AFTER sepsis is recognised: a label-leakage trap",
    "sepsis": "outcome: sepsis onset during the observation window, 1 = yes",
    "onset_hour": "hour of sepsis onset (3..hours-1), NaN if no sepsis",
    "mortality_30d": "death within 30 days of admission, 1 = yes",
    "hour": "hours since admission (0 = admission, complete set of measurements)",
    "heart_rate": "heart rate, beats/min (40-180); NaN = not charted",
    "resp_rate": "respiratory rate, breaths/min (8-45)",
    "temperature": "body temperature, degrees C (34.0-41.5)",
    "sbp": "systolic blood pressure, mmHg (60-220)",
    "spo2": "peripheral oxygen saturation, % (70-100)",
    "gcs": "Glasgow Coma Scale, points (3-15; < 15 = altered mentation)",
    "lactate": "blood lactate, mmol/L (0.3-15, plus the site's assay offset)",
    "wbc": "white blood cell count, 10^9/L (0.5-50)",
    "creatinine": "serum creatinine, mg/dL (0.3-12)",
    "platelets": "platelet count, 10^9/L (10-800)",
    "bilirubin": "total bilirubin, mg/dL (0.1-20)",
}


def _site_names(n_sites: int) -> list[str]:
    return [f"site_{chr(ord('A') + k)}" for k in range(n_sites)]


def _site_effects(n_sites: int) -> dict[str, dict[str, Any]]:
    names = _site_names(n_sites)
    return {name: dict(SHIFTED_SITE if k == n_sites - 1 else REGULAR_SITE)
            for k, name in enumerate(names)}


def _model(outcome: str, intercept: float, coefficients: dict[str, float],
           site_offsets: dict[str, float], note: str) -> dict[str, Any]:
    coefs = dict(coefficients)
    coefs.update(site_offsets)
    features = {k: FEATURES.get(k, "") for k in coefficients}
    if "sepsis" in coefficients:
        features["sepsis"] = "patients.sepsis (0/1)"
    for site in site_offsets:
        features[site] = f"1 if patients.site == '{site}' else 0 (reference: site_A)"
    return {"outcome": outcome, "link": "logit", "intercept": intercept,
            "coefficients": coefs, "features": features, "note": note}


def _linear_text(ab: tuple[float, float]) -> str:
    return f"P = {ab[0]:.2f} + {ab[1]:.2f} * min(ramp, 1)"


def _ar1(rng, n: int, hours: int, sd: float, rho: float, first):
    """AR(1) noise, stationary sd ``sd``; column 0 is ``first`` (already scaled)."""
    import numpy as np

    out = np.empty((n, hours))
    out[:, 0] = first
    if hours > 1:
        innovations = rng.standard_normal((n, hours - 1)) * (sd * np.sqrt(1.0 - rho**2))
        for t in range(1, hours):
            out[:, t] = rho * out[:, t - 1] + innovations[:, t - 1]
    return out


def _finish(values, spec: dict[str, Any]):
    import numpy as np

    return np.round(np.clip(values, spec["low"], spec["high"]), spec["decimals"])


def _expit(x):
    """The logistic function: turns the models' log-odds into probabilities."""
    import numpy as np

    return 1.0 / (1.0 + np.exp(-x))


def _per_site(effects: dict[str, dict[str, Any]], sites: list[str], site_idx, key: str):
    """One site parameter per patient, so site differences apply row by row."""
    import numpy as np

    return np.array([effects[s][key] for s in sites])[site_idx]


def _patients(rng, n: int, sites: list[str], effects: dict[str, dict[str, Any]]):
    """Site, demographics, comorbidities, admission time and latent severity of each patient."""
    import numpy as np
    import pandas as pd

    site_idx = rng.integers(0, len(sites), size=n)

    def per_site(key: str):
        return _per_site(effects, sites, site_idx, key)

    site = np.array(sites, dtype=object)[site_idx]
    age = np.clip(np.round(per_site("age_mean") + per_site("age_sd")
                           * rng.standard_normal(n)), 18, 100).astype(np.int64)
    male = (rng.random(n) < MALE_FRACTION).astype(np.int64)
    age_per10 = (age - 65) / 10.0
    comorbid = {}
    for name, (a, b) in COMORBIDITIES.items():
        logit = a + b * age_per10 + per_site("comorbidity_log_odds_shift")
        comorbid[name] = (rng.random(n) < _expit(logit)).astype(np.int64)
    admission_time = pd.Timestamp(ADMISSION_START) + pd.to_timedelta(
        rng.integers(0, ADMISSION_SPAN_HOURS, size=n), unit="h")
    severity = rng.standard_normal(n)  # latent, never recorded
    return {"site_idx": site_idx, "site": site, "age": age, "male": male,
            "age_per10": age_per10, "comorbid": comorbid, "admission_time": admission_time,
            "severity": severity}


def _patient_means(age, severity, comorbid: dict[str, Any]) -> dict[str, Any]:
    """Each patient's mean of every hourly variable, set by severity, age and comorbidities."""
    import numpy as np

    s, c = severity, comorbid
    return {
        "heart_rate": 86 + 7 * s + 4 * c["copd"] + 3 * c["heart_failure"],
        "resp_rate": 17.5 + 1.8 * s + 2.5 * c["copd"],
        "temperature": 36.9 + 0.3 * s,
        "sbp": 126 - 7 * s + 0.25 * (age - 65) + 4 * c["diabetes"],
        "spo2": 97 - 0.8 * s - 3 * c["copd"],
        "lactate": np.log(1.1) + 0.2 * s,
        "wbc": 8.5 + 1.0 * s - 2.0 * c["immunosuppressed"],
        "creatinine": np.log(0.9) + 0.9 * c["ckd"] + 0.08 * s,
        "platelets": 245 - 12 * s,
        "bilirubin": np.log(0.7) + 0.1 * s,
    }


def _admission_noise(rng, n: int):
    """Hour-0 noise of every variable and of GCS, drawn first so admission ignores ``hours``."""
    first = {k: rng.standard_normal(n) * HOURLY[k]["sd"] for k in HOURLY}
    gcs_first = rng.standard_normal(n)
    return first, gcs_first


def _level(mean, spec: dict[str, Any], noise):
    """Mean plus noise, on the log scale for the log-normal labs (noise may be 1D or 2D)."""
    import numpy as np

    mean = mean if noise.ndim == 1 else mean[:, None]
    return np.exp(mean + noise) if spec.get("log") else mean + noise


def _features(patients: dict[str, Any], admit: dict[str, Any], sites: list[str]):
    """The documented FEATURES and the site indicators that the outcome models use."""
    X = {
        "age_per10": patients["age_per10"], "male": patients["male"].astype(float),
        **{k: v.astype(float) for k, v in patients["comorbid"].items()},
        "hr_per10": (admit["heart_rate"] - 90) / 10, "rr_per4": (admit["resp_rate"] - 18) / 4,
        "sbp_per10": (admit["sbp"] - 120) / 10, "temp_dev": admit["temperature"] - 37.0,
        "lactate_dev": admit["lactate"] - 1.0,  # true lactate: before the site's assay offset
    }
    site_dummies = {name: (patients["site_idx"] == k).astype(float)
                    for k, name in enumerate(sites) if k}
    return X, site_dummies


def _linear(X: dict[str, Any], intercept: float, coefficients: dict[str, float], extra=None):
    """A linear predictor on the features (``extra`` supplies the site indicators)."""
    import numpy as np

    eta = np.full(len(X["age_per10"]), float(intercept))
    for key, beta in coefficients.items():
        eta = eta + beta * (extra[key] if key not in X else X[key])
    return eta


def _outcome_models(X: dict[str, Any], site_dummies: dict[str, Any],
                    effects: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Sepsis risk, propensity, untreated mortality log-odds and the effect theta per patient."""
    risk_sites = {k: effects[k]["risk_offset"] for k in site_dummies}
    treat_sites = {k: effects[k]["treatment_log_odds_shift"] for k in site_dummies}
    base_mortality = {k: v for k, v in MORTALITY_COEFFICIENTS.items() if k != "sepsis"}
    return {
        "risk_sites": risk_sites,
        "treat_sites": treat_sites,
        "sepsis_risk": _expit(_linear(X, RISK_INTERCEPT, {**RISK_COEFFICIENTS, **risk_sites},
                                      site_dummies)),
        "propensity": _expit(_linear(X, PROPENSITY_INTERCEPT,
                                     {**PROPENSITY_COEFFICIENTS, **treat_sites}, site_dummies)),
        "eta_mort": _linear(X, MORTALITY_INTERCEPT, base_mortality),
        "theta": _linear(X, EFFECT_INTERCEPT, EFFECT_COEFFICIENTS),
    }


def _outcomes(rng, models: dict[str, Any], hours: int) -> dict[str, Any]:
    """Sepsis, treatment, mortality, onset and antibiotic hours, from one block of uniforms."""
    import numpy as np

    n = len(models["theta"])
    u_sepsis, u_treat, u_mort, u_onset, u_delay, u_empiric, u_abx_hour = rng.random((7, n))
    sepsis = (u_sepsis < models["sepsis_risk"]).astype(np.int64)
    treated = (u_treat < models["propensity"]).astype(np.int64)
    eta_realised = (models["eta_mort"] + MORTALITY_COEFFICIENTS["sepsis"] * sepsis
                    + models["theta"] * treated)
    mortality = (u_mort < _expit(eta_realised)).astype(np.int64)
    onset = np.where(sepsis == 1,
                     EARLIEST_ONSET + np.floor(u_onset * (hours - EARLIEST_ONSET)), np.nan)
    delays = np.array(list(ANTIBIOTIC_DELAY))
    delay = delays[np.searchsorted(np.cumsum(list(ANTIBIOTIC_DELAY.values())), u_delay,
                                   side="right").clip(max=len(delays) - 1)]
    empiric_hour = 1 + np.floor(u_abx_hour * (hours - 1))
    antibiotics = np.where(sepsis == 1, onset + delay,
                           np.where(u_empiric < EMPIRIC_ANTIBIOTICS, empiric_hour, np.nan))
    return {"sepsis": sepsis, "treated": treated, "mortality": mortality, "onset": onset,
            "antibiotics": antibiotics}


def _mortality_risk(models: dict[str, Any]):
    """Mortality risk without and with the intervention, averaged over sepsis (the answers)."""
    sepsis_risk, eta_mort, theta = models["sepsis_risk"], models["eta_mort"], models["theta"]
    beta_s = MORTALITY_COEFFICIENTS["sepsis"]
    risk_untreated = (sepsis_risk * _expit(eta_mort + beta_s)
                      + (1 - sepsis_risk) * _expit(eta_mort))
    risk_treated = (sepsis_risk * _expit(eta_mort + beta_s + theta)
                    + (1 - sepsis_risk) * _expit(eta_mort + theta))
    return risk_untreated, risk_treated


def _ramp(sepsis, onset, hours: int):
    """How far each septic patient's physiology has deteriorated at each hour (0 at hour 0)."""
    import numpy as np

    ramp = np.zeros((len(sepsis), hours))
    septic = sepsis == 1
    ramp[septic] = np.clip((np.arange(hours)[None, :] - onset[septic, None] + RAMP_HOURS)
                           / RAMP_HOURS, 0.0, RAMP_MAX)
    ramp[:, 0] = 0.0  # admission values are never affected by the outcome
    return ramp


def _hourly_series(rng, means: dict[str, Any], first: dict[str, Any], gcs_first, ramp,
                   age, severity) -> dict[str, Any]:
    """True hourly vitals, labs and GCS: AR(1) noise around the means plus the sepsis ramp."""
    import numpy as np

    n, H = ramp.shape
    fever = np.where(age >= ELDERLY_AGE, ELDERLY_FEVER_FACTOR, 1.0)[:, None]
    series = {}
    for key, spec in HOURLY.items():
        noise = _ar1(rng, n, H, spec["sd"], spec["rho"], first[key])
        change = spec["change"] * ramp * (fever if key == "temperature" else 1.0)
        series[key] = _finish(_level(means[key], spec, noise) + change, spec)  # column 0 = admit
    gcs_noise = np.concatenate([gcs_first[:, None], rng.standard_normal((n, H - 1))], axis=1)
    deficit = np.round(0.4 * severity[:, None] + GCS_CHANGE * ramp + 0.6 * gcs_noise - 0.6)
    series["gcs"] = 15.0 - np.clip(deficit, 0, 12)
    return series


def _charted(rng, series: dict[str, Any], ramp, lactate_offset, lab_panel_rate):
    """What gets charted: the site's lactate assay offset and missingness (changes ``series``)."""
    import numpy as np

    n, H = ramp.shape
    ramp1 = np.minimum(ramp, 1.0)
    series["lactate"] = np.round(series["lactate"] + lactate_offset[:, None], 1)
    later = np.arange(H)[None, :] >= 1
    for key, p in VITAL_MISSING.items():
        series[key][(rng.random((n, H)) < p) & later] = np.nan
    for key, (a, b) in (("temperature", TEMPERATURE_MEASURED), ("gcs", GCS_MEASURED)):
        series[key][(rng.random((n, H)) >= a + b * ramp1) & later] = np.nan
    base_rate = lab_panel_rate[:, None]
    panel = (rng.random((n, H)) < base_rate + (SICK_LAB_PANEL_RATE - base_rate) * ramp1)
    panel[:, 0] = True
    for key in ("wbc", "creatinine", "platelets"):
        series[key][~panel] = np.nan
    has_lactate = panel & ((rng.random((n, H)) < LACTATE_IN_PANEL[0]
                            + LACTATE_IN_PANEL[1] * ramp1) | ~later)
    has_bilirubin = panel & ((rng.random((n, H)) < BILIRUBIN_IN_PANEL) | ~later)
    series["lactate"][~has_lactate] = np.nan
    series["bilirubin"][~has_bilirubin] = np.nan
    return series


def _patient_ids(n: int):
    """'P000001', ...: zero-padded so that the ids sort in patient order."""
    import numpy as np

    width = max(6, len(str(n)))
    return np.array([f"P{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _tables(ids, patients: dict[str, Any], outcomes: dict[str, Any],
            series: dict[str, Any]) -> dict[str, Any]:
    """The patients, vitals and labs tables (long format, one row per patient-hour)."""
    import numpy as np
    import pandas as pd

    n, H = series["gcs"].shape
    patients_table = pd.DataFrame({
        "patient_id": ids, "site": patients["site"],
        "admission_time": patients["admission_time"], "age": patients["age"],
        "sex": np.where(patients["male"] == 1, "M", "F").astype(object),
        **patients["comorbid"],
        "treated": outcomes["treated"], "antibiotics_started_hour": outcomes["antibiotics"],
        "sepsis": outcomes["sepsis"], "onset_hour": outcomes["onset"],
        "mortality_30d": outcomes["mortality"],
    })
    long_ids = np.repeat(ids, H)
    long_hour = np.tile(np.arange(H).astype(np.int64), n)
    vitals = pd.DataFrame({"patient_id": long_ids, "hour": long_hour,
                           **{k: series.pop(k).ravel() for k in (*VITALS, "gcs")}})
    labs = pd.DataFrame({"patient_id": long_ids, "hour": long_hour,
                         **{k: series.pop(k).ravel() for k in LABS}})
    return {"patients": patients_table, "vitals": vitals, "labs": labs}


def _model_notes() -> dict[str, Any]:
    """The parts of ground_truth that are the same for every cohort: the model in words."""
    return {
        "comorbidity_model": {k: {"intercept": a, "age_per10": b}
                              for k, (a, b) in COMORBIDITIES.items()},
        "trajectory": {
            "ramp": f"clip((hour - onset_hour + {RAMP_HOURS}) / {RAMP_HOURS}, 0, {RAMP_MAX}) "
                    "for septic patients at hours >= 1; 0 otherwise",
            "change_at_onset": {k: v["change"] for k, v in HOURLY.items()} | {"gcs": -GCS_CHANGE},
            "elderly_fever_factor": {"age_from": ELDERLY_AGE, "factor": ELDERLY_FEVER_FACTOR},
        },
        "leakage": {
            "label": ["antibiotics_started_hour", "onset_hour", "mortality_30d"],
            "temporal": "vitals/labs at hour >= onset_hour (and in the ramp before it, if the "
                        "prediction time is earlier) describe the outcome, not its prediction",
        },
        "missingness": {
            "vitals_missing_completely_at_random": dict(VITAL_MISSING),
            "temperature_measured": _linear_text(TEMPERATURE_MEASURED),
            "gcs_measured": _linear_text(GCS_MEASURED),
            "lab_panel": f"P = rate + ({SICK_LAB_PANEL_RATE} - rate) * min(ramp, 1), rate "
                         "from site_effects[site]['lab_panel_rate']; hour 0 always drawn",
            "lactate_in_panel": _linear_text(LACTATE_IN_PANEL),
            "bilirubin_in_panel": BILIRUBIN_IN_PANEL,
            "lab_missing_band_at_default": LAB_MISSING_BAND,
        },
    }


def _ground_truth(ids, X: dict[str, Any], site_dummies: dict[str, Any],
                  models: dict[str, Any], treated, effects: dict[str, dict[str, Any]],
                  sites: list[str]) -> dict[str, Any]:
    """The answers: the models, each patient's risks and treatment effect, site differences."""
    import pandas as pd

    index = pd.Index(ids, name="patient_id")
    risk_untreated, risk_treated = _mortality_risk(models)
    effect = risk_treated - risk_untreated
    return {
        "features": dict(FEATURES),
        "design": pd.DataFrame({**X, **site_dummies}, index=index),
        "risk_model": _model("sepsis", RISK_INTERCEPT, RISK_COEFFICIENTS, models["risk_sites"],
                             "P(sepsis onset in hours 3..hours-1 of the stay)"),
        "sepsis_risk": pd.Series(models["sepsis_risk"], index=index, name="sepsis_risk"),
        "propensity_model": _model("treated", PROPENSITY_INTERCEPT, PROPENSITY_COEFFICIENTS,
                                   models["treat_sites"], "P(intervention at admission)"),
        "propensity": pd.Series(models["propensity"], index=index, name="propensity"),
        "mortality_model": _model("mortality_30d", MORTALITY_INTERCEPT, MORTALITY_COEFFICIENTS,
                                  {}, "log-odds without the intervention; the intervention "
                                  "adds treatment_effect_model to it"),
        "treatment_effect_model": {
            "scale": "log-odds of mortality_30d", "intercept": EFFECT_INTERCEPT,
            "coefficients": dict(EFFECT_COEFFICIENTS),
            "features": {k: FEATURES[k] for k in EFFECT_COEFFICIENTS},
        },
        "mortality_risk": pd.DataFrame({"untreated": risk_untreated, "treated": risk_treated},
                                       index=index),
        "individual_effect": pd.Series(effect, index=index, name="individual_effect"),
        "ate": float(effect.mean()),
        "att": float(effect[treated == 1].mean()) if treated.any() else float("nan"),
        "naive_bias_direction": "naive difference (treated - untreated mortality) > ate",
        "site_effects": effects,
        "shifted_site": sites[-1],
        **_model_notes(),
    }


def _description(n: int, n_sites: int, hours: int) -> str:
    """The one-paragraph description, with this cohort's size."""
    return (
        f"Synthetic EHR cohort: {n} adult inpatients at {n_sites} hospital sites, each with "
        f"demographics, five comorbidities, {hours} hourly rows of vitals (heart rate, "
        "respiratory rate, temperature, systolic pressure, SpO2, GCS) and labs (lactate, WBC, "
        "creatinine, platelets, bilirubin; drawn every few hours, more often when the patient "
        "deteriorates). Sepsis occurs with a known logistic risk of the admission data, and "
        "vitals and labs drift towards abnormal values in the six hours before onset. The last "
        "site differs in case mix, baseline risk, lactate assay and lab frequency; a "
        "hypothetical admission intervention is given by a known propensity and changes 30-day "
        "mortality by a known, heterogeneous amount. All parameters are in ground_truth; "
        "nothing is real patient data."
    )


def ehr_cohort(n_patients: int = 2000, n_sites: int = 4, hours: int = 24,
               seed: int = 0):
    """The cohort's three tables, data dictionary and ground truth (see the module docstring)."""
    import numpy as np

    from medai.datasets.types import TableDataset

    g_patients, g_admission, g_outcomes, g_hourly, g_measure = (
        np.random.default_rng(seed).spawn(5))
    sites = _site_names(n_sites)
    effects = _site_effects(n_sites)
    patients = _patients(g_patients, n_patients, sites, effects)
    means = _patient_means(patients["age"], patients["severity"], patients["comorbid"])
    first, gcs_first = _admission_noise(g_admission, n_patients)
    admit = {k: _finish(_level(means[k], spec, first[k]), spec) for k, spec in HOURLY.items()}
    X, site_dummies = _features(patients, admit, sites)
    models = _outcome_models(X, site_dummies, effects)
    outcomes = _outcomes(g_outcomes, models, hours)
    ramp = _ramp(outcomes["sepsis"], outcomes["onset"], hours)
    series = _hourly_series(g_hourly, means, first, gcs_first, ramp, patients["age"],
                            patients["severity"])
    lactate_offset = _per_site(effects, sites, patients["site_idx"], "lactate_offset")
    lab_panel_rate = _per_site(effects, sites, patients["site_idx"], "lab_panel_rate")
    series = _charted(g_measure, series, ramp, lactate_offset, lab_panel_rate)
    ids = _patient_ids(n_patients)
    return TableDataset(
        name=NAME, tables=_tables(ids, patients, outcomes, series),
        description=_description(n_patients, n_sites, hours),
        data_dictionary=dict(DATA_DICTIONARY),
        ground_truth=_ground_truth(ids, X, site_dummies, models, outcomes["treated"], effects,
                                   sites))


DATASETS = {
    NAME: DatasetSpec(ehr_cohort, options={
        "n_patients": Option(2000, "number of patients", minimum=100, maximum=100_000),
        "n_sites": Option(4, "number of hospital sites; the last one is the shifted site",
                          minimum=2, maximum=10),
        "hours": Option(24, "hourly observations per patient, from admission", minimum=6,
                        maximum=72),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
}
