"""A synthetic randomised trial and a confounded observational cohort with known treatment effects.

Both datasets describe the same fictional population (adults with uncontrolled
hypertension, office systolic blood pressure >= 140 mmHg) and the same
hypothetical drug ("drug X", a once-daily antihypertensive that acts through the
kidney, so its effect fades as renal function falls). The outcome is the systolic
blood pressure after 12 weeks. Every patient has two potential outcomes, one
without and one with drug X, drawn from the documented model below, so the
individual effect, the average treatment effect and (in the cohort) the true
propensity score are known exactly. datasets/cards/trial.md and
datasets/cards/observational_cohort.md write the same model out as equations.

* ``trial``: a randomised, parallel-group trial with eligibility criteria
  (age <= 80 years, eGFR >= 45, baseline SBP 140-179 mmHg) and complete
  randomisation of a fixed number of patients to drug X.
* ``observational_cohort``: routine-care patients with no exclusions, in whom the
  prescriber's decision depends on baseline SBP, renal function, diabetes and age
  (confounding by indication). All confounders are recorded columns, so
  adjustment can remove the bias (no unmeasured confounding), but overlap is poor
  at the extremes.

Random streams: ``numpy.random.default_rng(seed).spawn(3)`` gives independent
streams for the covariates, the treatment assignment and the outcome noise, so
changing the confounding strength does not change who the patients are. The loader
imports numpy and pandas when it runs, not at import.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from medai.datasets.registry import DatasetSpec, Option

TRIAL = "trial"
COHORT = "observational_cohort"

# --- The population (shared by both datasets) ------------------------------------------
# Drawn in this order for each patient, from the covariate stream.
POPULATION = {
    "age": "round(Normal(62, 12^2)), clipped to 30-90 years",
    "sex": "female with probability 0.48",
    "weight_kg": "exp(Normal(ln 72 (female) or ln 86 (male), 0.16^2)), clipped to 40-180 kg, "
                 "rounded to 0.1 kg",
    "diabetes": "Bernoulli(expit(-1.3 + 0.03 (age - 62) + 0.03 (weight_kg - 80)))",
    "smoker": "Bernoulli(expit(-1.4 - 0.03 (age - 62)))",
    "egfr": "round(92 - 1.1 (age - 50) - 8 diabetes + Normal(0, 18^2)), clipped to 8-130 "
            "mL/min/1.73 m2",
    "baseline_sbp": "140 + round(Gamma(shape 2, scale 7.5) * exp(0.01 (age - 62))), clipped to "
                    "140-220 mmHg",
}
AGE_MEAN, AGE_SD, AGE_RANGE = 62.0, 12.0, (30, 90)
FEMALE_FRACTION = 0.48
WEIGHT_MEDIAN = {"F": 72.0, "M": 86.0}
WEIGHT_LOG_SD, WEIGHT_RANGE = 0.16, (40.0, 180.0)
DIABETES_MODEL = (-1.3, 0.03, 0.03)  # intercept, per year of age - 62, per kg of weight - 80
SMOKER_MODEL = (-1.4, -0.03)  # intercept, per year of age - 62
EGFR_MODEL = (92.0, -1.1, -8.0, 18.0)  # at age 50, per year over 50, diabetes, noise SD
EGFR_RANGE = (8, 130)
SBP_GAMMA = (2.0, 7.5)  # shape, scale (mmHg above 140)
SBP_AGE_SCALE = 0.01  # the gamma draw is multiplied by exp(0.01 * (age - 62))
SBP_RANGE = (140, 220)

# --- Potential outcomes: SBP at 12 weeks (mmHg) -----------------------------------------
# Y(0) = mu0(x) + eps;  Y(1) = Y(0) + tau(x);  eps ~ Normal(0, OUTCOME_NOISE_SD^2), the
# same draw in both potential outcomes, so the individual effect Y(1) - Y(0) equals tau(x).
OUTCOME_INTERCEPT = 150.0  # untreated SBP at 12 weeks of the reference patient
OUTCOME_COEFFICIENTS = {
    "baseline_sbp_minus_155": 0.70,  # regression to the mean: 0.7 of the baseline excess stays
    "age_minus_62": 0.12,
    "diabetes": 3.0,
    "smoker": 2.0,
    "80_minus_egfr": 0.08,
}
OUTCOME_NOISE_SD = 9.0
# tau(x): the effect of drug X on SBP at 12 weeks (negative = lowers blood pressure),
# tau(x) = (EFFECT_INTERCEPT + sum coefficient * term) * min(1, egfr / EGFR_FULL_EFFECT):
# larger falls from higher starting pressures, and a drug acting through the kidney loses
# its effect in proportion as eGFR falls below 60 (never reverses it: tau < 0 always).
EFFECT_INTERCEPT = -9.0
EFFECT_COEFFICIENTS = {"baseline_sbp_minus_155": -0.30}
EGFR_FULL_EFFECT = 60.0
EGFR_HINGE = 60.0  # the propensity term egfr_below_60 = max(0, 60 - egfr)

# --- Treatment assignment ----------------------------------------------------------------
TRIAL_ELIGIBILITY = {
    "age": (18, 80),
    "egfr": (45, None),  # moderate-to-severe chronic kidney disease excluded
    "baseline_sbp": (140, 179),  # severe hypertension excluded (placebo for 12 weeks)
}
# logit e(x) = confounding * (intercept + sum of coefficient * term)
PROPENSITY_INTERCEPT = -0.3
PROPENSITY_COEFFICIENTS = {
    "baseline_sbp_minus_155": 0.10,
    "egfr_below_60": -0.08,
    "diabetes": 0.5,
    "age_minus_62": -0.02,
}

# Population averages of tau(x), from 200,000 draws of the population model with this
# fixed seed (computed at load time; independent of the dataset's seed).
POPULATION_SEED = 20240607
POPULATION_DRAWS = 200_000


def _expit(x):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-x))


def _draw_population(rng, n: int):
    """n patients of the source population, as a DataFrame of covariates (no identifiers)."""
    import numpy as np
    import pandas as pd

    age = np.clip(np.round(rng.normal(AGE_MEAN, AGE_SD, n)), *AGE_RANGE)
    female = rng.random(n) < FEMALE_FRACTION
    median = np.where(female, WEIGHT_MEDIAN["F"], WEIGHT_MEDIAN["M"])
    weight = np.round(np.clip(np.exp(rng.normal(np.log(median), WEIGHT_LOG_SD)),
                              *WEIGHT_RANGE), 1)
    a, b_age, b_weight = DIABETES_MODEL
    diabetes = rng.random(n) < _expit(a + b_age * (age - AGE_MEAN) + b_weight * (weight - 80))
    a, b_age = SMOKER_MODEL
    smoker = rng.random(n) < _expit(a + b_age * (age - AGE_MEAN))
    at50, per_year, b_diabetes, sd = EGFR_MODEL
    egfr = np.clip(np.round(at50 + per_year * (age - 50) + b_diabetes * diabetes
                            + rng.normal(0.0, sd, n)), *EGFR_RANGE)
    shape, scale = SBP_GAMMA
    excess = rng.gamma(shape, scale, n) * np.exp(SBP_AGE_SCALE * (age - AGE_MEAN))
    sbp = np.clip(SBP_RANGE[0] + np.round(excess), *SBP_RANGE)
    return pd.DataFrame({
        "age": age.astype("int64"),
        "sex": np.where(female, "F", "M"),
        "weight_kg": weight,
        "diabetes": diabetes.astype("int64"),
        "smoker": smoker.astype("int64"),
        "egfr": egfr.astype("int64"),
        "baseline_sbp": sbp.astype("int64"),
    })


def _terms(x) -> dict:
    """The model terms of the outcome, effect and propensity models, one array each."""
    import numpy as np

    return {
        "baseline_sbp_minus_155": x["baseline_sbp"].to_numpy(float) - 155.0,
        "age_minus_62": x["age"].to_numpy(float) - AGE_MEAN,
        "diabetes": x["diabetes"].to_numpy(float),
        "smoker": x["smoker"].to_numpy(float),
        "80_minus_egfr": 80.0 - x["egfr"].to_numpy(float),
        "egfr_below_60": np.maximum(0.0, EGFR_HINGE - x["egfr"].to_numpy(float)),
    }


def _linear(intercept: float, coefficients: dict[str, float], terms: dict):
    total = intercept
    for name, value in coefficients.items():
        total = total + value * terms[name]
    return total


def untreated_mean(x):
    """mu0(x): expected SBP at 12 weeks without drug X (mmHg), for a covariate table."""
    return _linear(OUTCOME_INTERCEPT, OUTCOME_COEFFICIENTS, _terms(x))


def treatment_effect(x):
    """tau(x): the effect of drug X on SBP at 12 weeks (mmHg), for a covariate table."""
    import numpy as np

    renal = np.minimum(1.0, x["egfr"].to_numpy(float) / EGFR_FULL_EFFECT)
    return _linear(EFFECT_INTERCEPT, EFFECT_COEFFICIENTS, _terms(x)) * renal


def propensity(x, confounding: float = 1.0):
    """e(x) = P(drug X | x) in the observational cohort."""
    return _expit(confounding * _linear(PROPENSITY_INTERCEPT, PROPENSITY_COEFFICIENTS,
                                        _terms(x)))


def eligible(x):
    """Boolean array: does each patient meet the trial's eligibility criteria."""
    import numpy as np

    keep = np.ones(len(x), dtype=bool)
    for column, (low, high) in TRIAL_ELIGIBILITY.items():
        values = x[column].to_numpy()
        if low is not None:
            keep &= values >= low
        if high is not None:
            keep &= values <= high
    return keep


@cache
def _population_ates() -> dict[str, float]:
    import numpy as np

    x = _draw_population(np.random.default_rng(POPULATION_SEED), POPULATION_DRAWS)
    tau = treatment_effect(x)
    return {"all": float(tau.mean()), "trial_eligible": float(tau[eligible(x)].mean()),
            "eligible_fraction": float(eligible(x).mean())}


def _models(confounding: float | None) -> dict[str, Any]:
    models = {
        "population": dict(POPULATION),
        "outcome_model": {
            "outcome": "sbp_12w (mmHg); Y(0) = mu0(x) + eps, Y(1) = Y(0) + tau(x)",
            "intercept": OUTCOME_INTERCEPT,
            "coefficients": dict(OUTCOME_COEFFICIENTS),
            "noise_sd": OUTCOME_NOISE_SD,
            "noise": "one Normal(0, noise_sd^2) draw per patient, shared by both potential "
                     "outcomes; the observed sbp_12w is Y(treated) rounded to 0.1 mmHg",
        },
        "effect_model": {
            "intercept": EFFECT_INTERCEPT,
            "coefficients": dict(EFFECT_COEFFICIENTS),
            "renal_factor": f"min(1, egfr / {EGFR_FULL_EFFECT:g})",
            "formula": "tau(x) = (intercept + sum coefficient * term) * renal_factor, "
                       "term baseline_sbp_minus_155 = baseline_sbp - 155",
        },
    }
    if confounding is not None:
        models["propensity_model"] = {
            "link": "logit", "confounding": confounding,
            "intercept": PROPENSITY_INTERCEPT,
            "coefficients": dict(PROPENSITY_COEFFICIENTS),
            "formula": "logit e(x) = confounding * (intercept + sum coefficient * term)",
        }
    return models


def _dictionary(treatment: str) -> dict[str, str]:
    return {
        "patient_id": "synthetic patient identifier ('T' or 'C' + zero-padded number)",
        "age": "age at baseline, whole years",
        "sex": "recorded sex, 'F' or 'M'",
        "weight_kg": "body weight at baseline, kg (0.1 kg)",
        "diabetes": "diabetes mellitus, 1 = yes",
        "smoker": "current smoker, 1 = yes",
        "egfr": "estimated glomerular filtration rate at baseline, mL/min/1.73 m2 (whole "
                "numbers; < 60 = reduced kidney function)",
        "baseline_sbp": "office systolic blood pressure at baseline, mmHg (>= 140: uncontrolled "
                        "hypertension)",
        "treated": treatment,
        "sbp_12w": "outcome: office systolic blood pressure after 12 weeks, mmHg (mean of "
                   "three seated readings, 0.1 mmHg); lower is better",
    }


def _finish(name: str, covariates, treated, rng_outcome, propensity_values, prefix: str,
            extra_truth: dict[str, Any], description: str, treatment_text: str):
    import numpy as np
    import pandas as pd

    from medai.datasets.types import TableDataset

    n = len(covariates)
    ids = pd.Index([f"{prefix}{i + 1:05d}" for i in range(n)], name="patient_id")
    mu0 = untreated_mean(covariates)
    tau = treatment_effect(covariates)
    y0 = mu0 + rng_outcome.normal(0.0, OUTCOME_NOISE_SD, n)
    y1 = y0 + tau
    observed = np.round(np.where(treated, y1, y0), 1)
    patients = covariates.copy()
    patients.insert(0, "patient_id", ids.to_numpy())
    patients["treated"] = treated.astype("int64")
    patients["sbp_12w"] = observed
    cate = pd.Series(tau, index=ids, name="cate")
    treated_mask = treated.astype(bool)
    truth = {
        "potential_outcomes": pd.DataFrame({"y0": y0, "y1": y1}, index=ids),
        "untreated_mean": pd.Series(mu0, index=ids, name="mu0"),
        "cate": cate,
        "individual_effect": cate.rename("individual_effect"),
        "ate": float(tau.mean()),
        "att": float(tau[treated_mask].mean()) if treated_mask.any() else float("nan"),
        "atc": float(tau[~treated_mask].mean()) if (~treated_mask).any() else float("nan"),
        "propensity": pd.Series(propensity_values, index=ids, name="propensity"),
    }
    truth.update(extra_truth)
    return TableDataset(name=name, tables={"patients": patients}, description=description,
                        data_dictionary=_dictionary(treatment_text), ground_truth=truth)


def trial(n_patients: int = 1000, p_treated: float = 0.5, seed: int = 0):
    import numpy as np
    import pandas as pd

    rng_covariates, rng_assignment, rng_outcome = np.random.default_rng(seed).spawn(3)
    # Screen the population in batches until n_patients eligible patients are enrolled.
    batches, enrolled = [], 0
    while enrolled < n_patients:
        batch = _draw_population(rng_covariates, max(256, int(1.25 * (n_patients - enrolled))))
        batch = batch[eligible(batch)]
        batches.append(batch)
        enrolled += len(batch)
    covariates = pd.concat(batches, ignore_index=True).iloc[:n_patients].reset_index(drop=True)
    n_treated = int(round(p_treated * n_patients))
    treated = np.zeros(n_patients, dtype=bool)
    treated[rng_assignment.permutation(n_patients)[:n_treated]] = True
    population = dict(_population_ates())
    truth = _models(None)
    truth.update({
        "design": "parallel-group randomised trial, complete randomisation: exactly "
                  "round(p_treated * n_patients) patients, chosen at random, get drug X and the "
                  "others placebo; outcome assessed at 12 weeks with no loss to follow-up",
        "eligibility": {k: list(v) for k, v in TRIAL_ELIGIBILITY.items()},
        "p_treated": p_treated,
        "n_treated": n_treated,
        "population_ate": population["trial_eligible"],
        "population_ate_all": population["all"],
        "eligible_fraction": population["eligible_fraction"],
        "seed": seed,
    })
    description = (
        f"A synthetic randomised, placebo-controlled trial of a hypothetical antihypertensive "
        f"('drug X') in {n_patients} adults with uncontrolled hypertension (baseline systolic "
        f"pressure 140-179 mmHg, age <= 80, eGFR >= 45); {n_treated} randomised to drug X. "
        "Outcome: systolic blood pressure after 12 weeks. Every patient's two potential "
        "outcomes come from a documented model in which the effect of drug X is larger at "
        "higher baseline pressure and shrinks in proportion as eGFR falls below 60, so the "
        "individual effects and the sample and population average effects are known "
        "(ground_truth). Not real data."
    )
    return _finish(TRIAL, covariates, treated, rng_outcome, np.full(n_patients, p_treated),
                   "T", truth, description,
                   "randomised to drug X, 1 = yes (0 = placebo)")


def observational_cohort(n_patients: int = 5000, confounding: float = 1.0, seed: int = 0):
    import numpy as np

    rng_covariates, rng_assignment, rng_outcome = np.random.default_rng(seed).spawn(3)
    covariates = _draw_population(rng_covariates, n_patients)
    e = propensity(covariates, confounding)
    treated = rng_assignment.random(n_patients) < e
    population = dict(_population_ates())
    truth = _models(confounding)
    truth.update({
        "design": "routine-care cohort: every patient of the source population, no exclusions; "
                  "drug X prescribed with the true propensity e(x) (confounding by indication)",
        "confounders": sorted(PROPENSITY_COEFFICIENTS),
        "population_ate": population["all"],
        "naive_bias_direction": (
            "treated patients start from higher blood pressure, and 0.7 of the baseline excess "
            "remains at 12 weeks, so the naive difference in mean sbp_12w (treated - untreated) "
            "is biased upwards: it understates the fall in blood pressure the drug causes"
        ),
        "seed": seed,
    })
    description = (
        f"A synthetic routine-care cohort of {n_patients} adults with uncontrolled "
        "hypertension, some of whom were prescribed a hypothetical antihypertensive "
        f"('drug X'; {int(treated.sum())} treated). Prescribers chose drug X more often for "
        "patients with higher baseline systolic pressure and diabetes, and less often for "
        "older patients and those with reduced kidney function (confounding by indication); "
        "all confounders are recorded columns. Outcome: systolic blood pressure after 12 "
        "weeks. The potential outcomes, individual effects, average effects and true "
        "propensity scores are in ground_truth. Not real data."
    )
    return _finish(COHORT, covariates, treated, rng_outcome, e, "C", truth, description,
                   "prescribed drug X at baseline, 1 = yes (0 = usual care without it)")


DATASETS = {
    TRIAL: DatasetSpec(trial, options={
        "n_patients": Option(1000, "number of randomised patients", minimum=20,
                             maximum=200_000),
        "p_treated": Option(0.5, "share of patients randomised to drug X", minimum=0.1,
                            maximum=0.9),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
    COHORT: DatasetSpec(observational_cohort, options={
        "n_patients": Option(5000, "number of patients", minimum=100, maximum=500_000),
        "confounding": Option(1.0, "multiplier of the prescribing (propensity) model's "
                                   "log-odds; 0 = drug X given at random with P = 0.5",
                              minimum=0.0, maximum=3.0),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
}
