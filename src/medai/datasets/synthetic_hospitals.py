"""Five synthetic hospitals that cannot pool their data: one task, different case mix and assays.

``federated_hospitals`` is the admission table of the sepsis-at-admission task of
``ehr_cohort`` (same biology, same known logistic risk model), split over five
hospitals of very different size and kind: a university hospital, a regional
general hospital, a community hospital, a cancer centre and a small rural hospital.
The hospitals differ in the ways real hospitals do, and each difference is one
parameter in ``HOSPITALS`` and in ``ground_truth["hospitals"]``:

* size (number of historical admissions available for training);
* case mix: age distribution, comorbidity burden and acute severity at admission;
* baseline risk: log-odds of sepsis not explained by any recorded variable, so the
  prevalence differs (label shift);
* measurement: a lactate analyser that reads high and a thermometer that reads low
  (the *recorded* values are shifted; the risk depends on the true values).

The sepsis coefficients are the same everywhere: what differs is who arrives, how
they are measured and the unexplained baseline risk. This is the "non-IID" setting
that federated learning has to cope with. The ``heterogeneity`` option scales every
difference from the reference hospital (0 = five samples of one population, IID
except for size; 2 = twice the default differences).

Every patient also belongs to a split: ``train`` (the hospital's historical data,
whose size differs between hospitals) or ``test`` (``n_test`` later admissions per
hospital, the same number everywhere, for evaluation).

The generator reuses the functions of ``medai.datasets.synthetic_ehr`` (patients,
admission physiology, features, risk model); it does not simulate hourly data.
Random streams: ``default_rng(seed).spawn(5)`` gives one independent stream per
hospital; each is split into a training and a test stream, and each of those into
patient, admission-noise and outcome streams. So hospital B's patients do not depend
on how many patients hospital A has, and ``n_test`` does not change the training data.
"""

from __future__ import annotations

from typing import Any

from medai.datasets.registry import DatasetSpec, Option

NAME = "federated_hospitals"

# The reference hospital: the regular site of ehr_cohort, with exact measurement.
REFERENCE = {
    "age_mean": 63.0, "age_sd": 17.0, "comorbidity_log_odds_shift": 0.0,
    "acuity_shift": 0.0, "risk_offset": 0.0, "lactate_offset": 0.0,
    "temperature_offset": 0.0,
}
# What each parameter means (units), for the card and ground_truth.
PARAMETERS = {
    "age_mean": "mean age of admissions, years (normal, clipped to 18-100)",
    "age_sd": "standard deviation of age, years",
    "comorbidity_log_odds_shift": "added to the log-odds of each of the five comorbidities",
    "acuity_shift": "added to the latent acute severity s ~ N(0, 1) that moves all "
                    "admission physiology (sicker arrivals)",
    "risk_offset": "added to the log-odds of sepsis; not explained by any recorded column",
    "lactate_offset": "recorded lactate minus true lactate, mmol/L (analyser bias)",
    "temperature_offset": "recorded minus true temperature, degrees C (thermometer bias)",
}
# hospital -> (kind, training admissions at size_scale 1, parameters that differ from REFERENCE)
HOSPITALS = {
    "hospital_A": ("university hospital (tertiary referral)", 3000,
                   {"age_mean": 66.0, "comorbidity_log_odds_shift": 0.3, "acuity_shift": 0.3,
                    "risk_offset": 0.2}),
    "hospital_B": ("regional general hospital", 2000, {}),
    "hospital_C": ("community hospital", 1200,
                   {"age_mean": 55.0, "age_sd": 18.0, "comorbidity_log_odds_shift": -0.3,
                    "acuity_shift": -0.3, "risk_offset": -0.6, "lactate_offset": 0.6}),
    "hospital_D": ("cancer centre", 700,
                   {"age_mean": 61.0, "age_sd": 12.0, "comorbidity_log_odds_shift": 0.6,
                    "risk_offset": 0.5}),
    "hospital_E": ("small rural hospital", 300,
                   {"age_mean": 74.0, "age_sd": 11.0, "comorbidity_log_odds_shift": 0.4,
                    "risk_offset": 0.3, "temperature_offset": -0.4}),
}
FEATURE_COLUMNS = ("age", "male", "diabetes", "ckd", "copd", "heart_failure", "immunosuppressed",
                   "heart_rate", "resp_rate", "sbp", "temperature", "spo2", "lactate", "wbc",
                   "creatinine", "platelets")

DATA_DICTIONARY = {
    "patient_id": "synthetic identifier, hospital letter + zero-padded number ('A000001')",
    "hospital": "hospital_A ... hospital_E (see ground_truth['hospitals'])",
    "split": "'train' = the hospital's historical admissions; 'test' = later admissions "
             "kept for evaluation (n_test per hospital)",
    "age": "age at admission, whole years (18-100)",
    "male": "recorded sex male, 1 = yes",
    "diabetes": "diabetes mellitus, 1 = yes",
    "ckd": "chronic kidney disease, 1 = yes",
    "copd": "chronic obstructive pulmonary disease, 1 = yes",
    "heart_failure": "chronic heart failure, 1 = yes",
    "immunosuppressed": "immunosuppression (drugs, malignancy, transplant), 1 = yes",
    "heart_rate": "heart rate at admission, beats/min (40-180)",
    "resp_rate": "respiratory rate at admission, breaths/min (8-45)",
    "sbp": "systolic blood pressure at admission, mmHg (60-220)",
    "temperature": "recorded body temperature at admission, degrees C (34.0-41.5, plus the "
                   "hospital's thermometer offset)",
    "spo2": "peripheral oxygen saturation at admission, % (70-100)",
    "lactate": "recorded blood lactate at admission, mmol/L (0.3-15, plus the hospital's "
               "analyser offset)",
    "wbc": "white blood cell count at admission, 10^9/L (0.5-50)",
    "creatinine": "serum creatinine at admission, mg/dL (0.3-12)",
    "platelets": "platelet count at admission, 10^9/L (10-800)",
    "sepsis": "outcome: sepsis onset within the first 24 h of the stay, 1 = yes",
}


def _parameters(name: str, heterogeneity: float) -> dict[str, float]:
    """A hospital's parameters: the reference plus ``heterogeneity`` times its differences."""
    changed = HOSPITALS[name][2]
    return {key: ref + heterogeneity * (changed.get(key, ref) - ref)
            for key, ref in REFERENCE.items()}


def _recorded(values, offset: float, spec: dict[str, Any]):
    """What the hospital's device records: the true value plus its bias, clipped and rounded."""
    from medai.datasets.synthetic_ehr import _finish

    return _finish(values + offset, spec)


def _one_hospital(rng, name: str, n: int, params: dict[str, float]) -> dict[str, Any]:
    """Admissions of one hospital: recorded columns, true risk, sepsis and the risk features."""
    import numpy as np

    from medai.datasets import synthetic_ehr as ehr

    g_patients, g_admission, g_outcome = rng.spawn(3)
    effects = {name: {**ehr.REGULAR_SITE, **params}}
    patients = ehr._patients(g_patients, n, [name], effects)
    patients["severity"] = patients["severity"] + params["acuity_shift"]
    means = ehr._patient_means(patients["age"], patients["severity"], patients["comorbid"])
    first, _ = ehr._admission_noise(g_admission, n)
    admit = {k: ehr._finish(ehr._level(means[k], spec, first[k]), spec)
             for k, spec in ehr.HOURLY.items()}
    X, _ = ehr._features(patients, admit, [name])  # lactate_dev uses the TRUE lactate
    eta = ehr._linear(X, ehr.RISK_INTERCEPT + params["risk_offset"], ehr.RISK_COEFFICIENTS)
    risk = ehr._expit(eta)
    sepsis = (g_outcome.random(n) < risk).astype(np.int64)
    columns = {
        "age": patients["age"], "male": patients["male"], **patients["comorbid"],
        "heart_rate": admit["heart_rate"], "resp_rate": admit["resp_rate"], "sbp": admit["sbp"],
        "temperature": _recorded(admit["temperature"], params["temperature_offset"],
                                 ehr.HOURLY["temperature"]),
        "spo2": admit["spo2"],
        "lactate": _recorded(admit["lactate"], params["lactate_offset"], ehr.HOURLY["lactate"]),
        "wbc": admit["wbc"], "creatinine": admit["creatinine"],
        "platelets": admit["platelets"], "sepsis": sepsis,
    }
    return {"columns": columns, "risk": risk, "design": X}


def _sizes(size_scale: float, n_test: int) -> dict[str, tuple[int, int]]:
    """(training, test) admissions per hospital; at least 50 training admissions each."""
    return {name: (max(50, round(spec[1] * size_scale)), n_test)
            for name, spec in HOSPITALS.items()}


def _hospital_table(sizes, params, frames) -> Any:
    """One row per hospital: kind, sizes, parameters and the realised prevalence and true risk."""
    import pandas as pd

    rows = {}
    for name, (kind, _, _) in HOSPITALS.items():
        frame = frames[name]
        train = frame["split"] == "train"
        rows[name] = {"kind": kind, "n_train": sizes[name][0], "n_test": sizes[name][1],
                      **params[name],
                      "prevalence_train": float(frame.loc[train, "sepsis"].mean()),
                      "mean_true_risk": float(frame["true_risk"].mean())}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("hospital")


def _what_differs(params: dict[str, dict[str, float]]) -> dict[str, list[str]]:
    """For each hospital, the parameters that differ from the reference hospital, in words."""
    out = {}
    for name, p in params.items():
        out[name] = [f"{key} {REFERENCE[key]:g} -> {value:g}" for key, value in p.items()
                     if abs(value - REFERENCE[key]) > 1e-12]
    return out


def federated_hospitals(size_scale: float = 1.0, n_test: int = 1000,
                        heterogeneity: float = 1.0, seed: int = 0):
    """Admission tables of five hospitals and the ground truth of each hospital's shift."""
    import numpy as np
    import pandas as pd

    from medai.datasets import synthetic_ehr as ehr
    from medai.datasets.types import TableDataset

    streams = np.random.default_rng(seed).spawn(len(HOSPITALS))
    sizes = _sizes(size_scale, n_test)
    params = {name: _parameters(name, heterogeneity) for name in HOSPITALS}
    frames, designs = {}, []
    for stream, name in zip(streams, HOSPITALS, strict=True):
        n_train, n_eval = sizes[name]
        parts = []
        for split, n, rng in zip(("train", "test"), (n_train, n_eval), stream.spawn(2),
                                 strict=True):
            drawn = _one_hospital(rng, name, n, params[name])
            part = pd.DataFrame({"split": split, **drawn["columns"]})
            part["true_risk"] = drawn["risk"]
            parts.append((part, pd.DataFrame(drawn["design"])))
        frame = pd.concat([p for p, _ in parts], ignore_index=True)
        ids = pd.Index([f"{name[-1]}{i:06d}" for i in range(1, len(frame) + 1)],
                       name="patient_id")
        frame.insert(0, "hospital", name)
        frame.insert(0, "patient_id", ids)
        frames[name] = frame
        designs.append(pd.concat([d for _, d in parts], ignore_index=True).set_index(ids))
    table = pd.concat(frames.values(), ignore_index=True)
    index = pd.Index(table["patient_id"], name="patient_id")
    truth = {
        "hospitals": _hospital_table(sizes, params, frames),
        "parameters": dict(PARAMETERS),
        "reference_hospital": dict(REFERENCE),
        "what_differs": _what_differs(params),
        "heterogeneity": heterogeneity,
        "risk_model": {"outcome": "sepsis", "link": "logit",
                       "intercept": ehr.RISK_INTERCEPT, "coefficients": dict(ehr.RISK_COEFFICIENTS),
                       "features": dict(ehr.FEATURES),
                       "hospital_offsets": {k: p["risk_offset"] for k, p in params.items()},
                       "note": "same coefficients at every hospital; each hospital adds its "
                               "risk_offset; lactate_dev and temp_dev use TRUE values"},
        "sepsis_risk": pd.Series(table.pop("true_risk").to_numpy(), index=index,
                                 name="sepsis_risk"),
        "design": pd.concat(designs),
        "feature_columns": list(FEATURE_COLUMNS),
    }
    description = (
        f"Synthetic admissions at five hospitals that cannot pool their data: "
        f"{', '.join(f'{k} ({v[0]})' for k, v in sizes.items())} training admissions and "
        f"{n_test} test admissions each. One known sepsis risk model (that of ehr_cohort) "
        "holds everywhere; the hospitals differ in size, case mix (age, comorbidity, acuity), "
        "unexplained baseline risk and measurement (a lactate analyser reading high at "
        "hospital_C, a thermometer reading low at hospital_E). Every difference is in "
        "ground_truth['hospitals']; nothing is real patient data."
    )
    return TableDataset(name=NAME, tables={"admissions": table}, description=description,
                        data_dictionary=dict(DATA_DICTIONARY), ground_truth=truth)


DATASETS = {
    NAME: DatasetSpec(federated_hospitals, options={
        "size_scale": Option(1.0, "multiplies every hospital's number of training admissions "
                             "(3000, 2000, 1200, 700, 300 at 1.0; at least 50 each)",
                             minimum=0.1, maximum=20.0),
        "n_test": Option(1000, "test admissions per hospital (later admissions, for evaluation)",
                         minimum=0, maximum=20_000),
        "heterogeneity": Option(1.0, "scales every difference between the hospitals "
                                "(0 = one population, IID except for size)",
                                minimum=0.0, maximum=3.0),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
}
