"""ehr_cohort: deterministic, plausible, and its ground truth is what the data say.

The statistical tolerances below are multiples of sampling standard deviations.
Where a standard deviation is quoted it was measured over 20 seeds at
n_patients=20000; the seeds used here are fixed, so each test is deterministic,
but a change to the generator that breaks a documented property fails it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medai import datasets

BIG = 20_000  # generates in about 0.4 s
HUGE = 50_000  # about 0.9 s; only for recovering the 16 risk-model coefficients


@pytest.fixture(scope="module")
def default():
    return datasets.load("ehr_cohort")


@pytest.fixture(scope="module")
def big():
    return datasets.load("ehr_cohort", n_patients=BIG, seed=1)


def admission_features(data) -> pd.DataFrame:
    """The documented risk-model features, computed from the tables (not from ground_truth)."""
    gt = data.ground_truth
    patients = data["patients"].set_index("patient_id")
    vitals0 = data["vitals"].query("hour == 0").set_index("patient_id")
    labs0 = data["labs"].query("hour == 0").set_index("patient_id")
    offset = patients["site"].map({s: e["lactate_offset"] for s, e in gt["site_effects"].items()})
    features = pd.DataFrame({
        "age_per10": (patients["age"] - 65) / 10,
        "male": (patients["sex"] == "M").astype(float),
        "diabetes": patients["diabetes"], "ckd": patients["ckd"], "copd": patients["copd"],
        "heart_failure": patients["heart_failure"],
        "immunosuppressed": patients["immunosuppressed"],
        "hr_per10": (vitals0["heart_rate"] - 90) / 10,
        "rr_per4": (vitals0["resp_rate"] - 18) / 4,
        "sbp_per10": (vitals0["sbp"] - 120) / 10,
        "temp_dev": vitals0["temperature"] - 37.0,
        "lactate_dev": labs0["lactate"] - offset - 1.0,
    })
    for site in sorted(gt["site_effects"])[1:]:
        features[site] = (patients["site"] == site).astype(float)
    return features.astype(float)


# --- determinism ---------------------------------------------------------------

def test_same_seed_gives_identical_tables_and_different_seed_does_not():
    first = datasets.load("ehr_cohort", n_patients=300, seed=7)
    again = datasets.load("ehr_cohort", n_patients=300, seed=7)
    other = datasets.load("ehr_cohort", n_patients=300, seed=8)
    for table in ("patients", "vitals", "labs"):
        assert first[table].equals(again[table]), table
        assert pd.util.hash_pandas_object(first[table]).to_numpy().tobytes() == \
            pd.util.hash_pandas_object(again[table]).to_numpy().tobytes()
        assert not first[table].equals(other[table]), table
    for key in ("sepsis_risk", "propensity", "individual_effect"):
        assert first.ground_truth[key].equals(again.ground_truth[key])
    assert first.ground_truth["ate"] == again.ground_truth["ate"]


def test_changing_hours_keeps_admission_data_and_outcomes():
    short = datasets.load("ehr_cohort", n_patients=300, hours=8, seed=3)
    long = datasets.load("ehr_cohort", n_patients=300, hours=30, seed=3)
    keep = ["patient_id", "site", "age", "sex", "ckd", "treated", "sepsis", "mortality_30d"]
    assert short["patients"][keep].equals(long["patients"][keep])
    for table in ("vitals", "labs"):
        assert short[table].query("hour == 0").reset_index(drop=True).equals(
            long[table].query("hour == 0").reset_index(drop=True))
    assert short["patients"]["onset_hour"].max() <= 7


# --- structure -------------------------------------------------------------------

def test_tables_columns_dtypes_and_keys(default):
    patients, vitals, labs = default["patients"], default["vitals"], default["labs"]
    assert list(patients.columns) == [
        "patient_id", "site", "admission_time", "age", "sex", "diabetes", "ckd", "copd",
        "heart_failure", "immunosuppressed", "treated", "antibiotics_started_hour", "sepsis",
        "onset_hour", "mortality_30d"]
    assert list(vitals.columns) == ["patient_id", "hour", "heart_rate", "resp_rate",
                                    "temperature", "sbp", "spo2", "gcs"]
    assert list(labs.columns) == ["patient_id", "hour", "lactate", "wbc", "creatinine",
                                  "platelets", "bilirubin"]
    assert len(patients) == 2000 and len(vitals) == len(labs) == 2000 * 24
    assert patients["patient_id"].is_unique
    assert patients["patient_id"].str.fullmatch(r"P\d{6}").all()
    # every patient has exactly one site, one of the documented names
    assert patients["site"].notna().all()
    assert set(patients["site"]) == {"site_A", "site_B", "site_C", "site_D"}
    assert default.ground_truth["shifted_site"] == "site_D"
    assert pd.api.types.is_datetime64_any_dtype(patients["admission_time"])
    for column in ("age", "diabetes", "ckd", "copd", "heart_failure", "immunosuppressed",
                   "treated", "sepsis", "mortality_30d"):
        assert patients[column].dtype == np.int64, column
    for column in ("diabetes", "ckd", "copd", "heart_failure", "immunosuppressed", "treated",
                   "sepsis", "mortality_30d"):
        assert set(patients[column].unique()) <= {0, 1}, column
    assert set(patients["sex"]) == {"F", "M"}
    for table in (vitals, labs):
        assert table["hour"].dtype == np.int64
        assert (table.groupby("patient_id").size() == 24).all()
        # one row per patient-hour, sorted by patient then hour
        assert (table["patient_id"].to_numpy() == np.repeat(patients["patient_id"], 24)).all()
        assert (table["hour"].to_numpy() == np.tile(np.arange(24), 2000)).all()
        assert all(table[c].dtype == np.float64 for c in table.columns[2:])


def test_data_dictionary_covers_every_column(default):
    for name, table in default.tables.items():
        for column in table.columns:
            assert default.data_dictionary.get(column), f"{name}.{column} undocumented"
    assert len(default.description) > 200


def test_values_are_physiologically_plausible(default):
    v, labs, p = default["vitals"], default["labs"], default["patients"]
    bounds = {
        "heart_rate": (40, 180), "resp_rate": (8, 45), "temperature": (34.0, 41.5),
        "sbp": (60, 220), "spo2": (70, 100), "gcs": (3, 15), "wbc": (0.5, 50),
        "creatinine": (0.3, 12), "platelets": (10, 800), "bilirubin": (0.1, 20),
        "lactate": (0.3, 15.5),  # + up to 0.5 mmol/L assay offset at the shifted site
    }
    for column, (low, high) in bounds.items():
        values = (v if column in v else labs)[column].dropna()
        assert values.between(low, high).all(), column
    assert p["age"].between(18, 100).all()
    # typical values, not just bounds: adult inpatient medians
    assert 80 <= v["heart_rate"].median() <= 95
    assert 36.6 <= v["temperature"].median() <= 37.3
    assert 95 <= v["spo2"].median() <= 98
    assert 0.8 <= labs["lactate"].median() <= 2.0
    assert 0.05 <= p["sepsis"].mean() <= 0.30
    onset = p.loc[p["sepsis"] == 1, "onset_hour"]
    assert onset.between(3, 23).all() and p.loc[p["sepsis"] == 0, "onset_hour"].isna().all()


# --- missingness -------------------------------------------------------------------

def test_missingness_is_in_the_documented_band_and_informative(default):
    labs, vitals, p = default["labs"], default["vitals"], default["patients"]
    low, high = default.ground_truth["missingness"]["lab_missing_band_at_default"]
    fraction = labs.iloc[:, 2:].isna().to_numpy().mean()
    assert low <= fraction <= high, fraction
    # hour 0 is a complete admission set
    assert labs.query("hour == 0").notna().all().all()
    assert vitals.query("hour == 0").notna().all().all()
    # labs are drawn more often in the 6 h before onset than in patients without sepsis
    panel = labs.assign(drawn=labs["wbc"].notna()).merge(
        p[["patient_id", "sepsis", "onset_hour", "site"]], on="patient_id")
    panel = panel[(panel["hour"] >= 1) & (panel["site"] != "site_D")]
    before = panel[(panel["sepsis"] == 1) & (panel["hour"] < panel["onset_hour"])
                   & (panel["hour"] >= panel["onset_hour"] - 6)]["drawn"].mean()
    never = panel[panel["sepsis"] == 0]["drawn"].mean()
    assert abs(never - 0.125) < 0.02  # documented base rate 1/8 per hour
    assert before > 2 * never


# --- ground truth: the risk model --------------------------------------------------

def test_true_risk_model_is_recovered_by_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    big = datasets.load("ehr_cohort", n_patients=HUGE, seed=1)
    gt = big.ground_truth
    features = admission_features(big)
    # the documented features are exactly the generator's design matrix
    assert np.allclose(features.to_numpy(), gt["design"][features.columns].to_numpy(),
                       atol=1e-9)
    model = gt["risk_model"]
    assert list(features.columns) == list(model["coefficients"])
    y = big["patients"].set_index("patient_id").loc[features.index, "sepsis"].to_numpy()
    X = features.to_numpy()
    # C=1e6: no effective penalty; Newton-Cholesky converges to machine precision fast
    fit = LogisticRegression(C=1e6, solver="newton-cholesky", max_iter=100).fit(X, y)
    estimate = np.r_[fit.intercept_, fit.coef_[0]]
    truth = np.r_[model["intercept"], list(model["coefficients"].values())]
    # Tolerance: 4 standard errors from the observed Fisher information. A correct
    # generator misses by more than that with probability ~6e-5 per coefficient;
    # the SEs must also be small (< 0.05 at this n, so the tolerance is never wider
    # than 0.2 on the log-odds scale) for the check to have teeth.
    design = np.c_[np.ones(len(X)), X]
    p = fit.predict_proba(X)[:, 1]
    se = np.sqrt(np.diag(np.linalg.inv(design.T @ (design * (p * (1 - p))[:, None]))))
    assert se.max() < 0.05
    names = ["intercept", *model["coefficients"]]
    rows = zip(names, estimate, truth, se, strict=True)
    misses = {n: (round(e, 3), t) for n, e, t, s in rows if abs(e - t) > 4 * s}
    assert not misses, misses
    # and the true risk is calibrated: expected and observed cases agree within 4 SE
    risk = gt["sepsis_risk"].to_numpy()
    assert abs(y.sum() - risk.sum()) < 4 * np.sqrt((risk * (1 - risk)).sum())


# --- ground truth: the site shift --------------------------------------------------

def test_shifted_site_differs_in_case_mix_assay_and_lab_frequency(big):
    from scipy import stats

    gt = big.ground_truth
    shifted = gt["shifted_site"]
    effects = gt["site_effects"][shifted]
    assert effects["shifted"] and effects["lactate_offset"] == 0.5
    p = big["patients"]
    at_shifted = p["site"] == shifted
    # case mix: documented +8 years; demand at least 6 with a negligible p-value
    ages = p.loc[at_shifted, "age"], p.loc[~at_shifted, "age"]
    assert ages[0].mean() - ages[1].mean() > 6
    assert stats.ttest_ind(*ages, equal_var=False).pvalue < 1e-20
    assert p.loc[at_shifted, "ckd"].mean() > 1.4 * p.loc[~at_shifted, "ckd"].mean()
    # baseline risk and its consequence on prevalence
    assert effects["risk_offset"] > 0
    assert p.loc[at_shifted, "sepsis"].mean() > p.loc[~at_shifted, "sepsis"].mean() + 0.05
    # measurement: measured admission lactate minus the true one is exactly the offset
    labs0 = big["labs"].query("hour == 0").set_index("patient_id")["lactate"]
    true0 = gt["design"]["lactate_dev"] + 1.0
    offset = (labs0 - true0).groupby(p.set_index("patient_id")["site"]).agg(["min", "max"])
    assert np.allclose(offset.loc[shifted], 0.5) and np.allclose(offset.drop(shifted), 0.0)
    # measurement: labs drawn about twice as often (documented 1/4 vs 1/8 per hour)
    well = p.loc[p["sepsis"] == 0, ["patient_id", "site"]]
    drawn = big["labs"].query("hour >= 1").merge(well, on="patient_id")
    rate = drawn["wbc"].notna().groupby(drawn["site"]).mean()
    assert rate[shifted] > 1.7 * rate.drop(shifted).max()


# --- ground truth: the treatment effect --------------------------------------------

def test_adjusted_estimates_recover_the_ate_and_the_naive_one_is_biased(big):
    from sklearn.linear_model import LogisticRegression

    gt = big.ground_truth
    p = big["patients"].set_index("patient_id")
    design = gt["design"].loc[p.index]
    effect_terms = list(gt["treatment_effect_model"]["coefficients"])
    treated = p["treated"].to_numpy()
    y = p["mortality_30d"].to_numpy()
    ate = gt["ate"]
    assert np.isclose(ate, gt["individual_effect"].mean())
    assert ate < -0.01  # the intervention helps on average ...
    assert (gt["individual_effect"] > 0).mean() > 0.05  # ... but harms some (CKD)
    assert gt["individual_effect"][p["ckd"] == 1].mean() > 0

    def outcome_design(t):
        x = design[[k for k in gt["mortality_model"]["coefficients"] if k != "sepsis"]].copy()
        x["sepsis"] = p["sepsis"]
        x["treated"] = t
        for k in effect_terms:
            x[f"treated_x_{k}"] = t * design[k]
        return x.to_numpy(dtype=float)

    # g-computation with the correctly specified outcome model. Its error against
    # the ATE had SD 0.0035 over 20 seeds; 0.015 is > 4 SD.
    model = LogisticRegression(C=1e6, solver="newton-cholesky", max_iter=100).fit(
        outcome_design(treated), y)
    ones, zeros = np.ones_like(treated), np.zeros_like(treated)
    g_formula = (model.predict_proba(outcome_design(ones))[:, 1]
                 - model.predict_proba(outcome_design(zeros))[:, 1]).mean()
    assert abs(g_formula - ate) < 0.015, (g_formula, ate)
    # inverse probability weighting with the true propensity (SD 0.0048; 0.02 > 4 SD)
    e = gt["propensity"].loc[p.index].to_numpy()
    ipw = (np.sum(treated * y / e) / np.sum(treated / e)
           - np.sum((1 - treated) * y / (1 - e)) / np.sum((1 - treated) / (1 - e)))
    assert abs(ipw - ate) < 0.02, (ipw, ate)
    # naive difference: documented to be biased upwards (sicker patients are treated
    # more). Bias was 0.055 +- 0.004 over 20 seeds; require > 0.03.
    naive = y[treated == 1].mean() - y[treated == 0].mean()
    assert gt["naive_bias_direction"].startswith("naive difference")
    assert naive - ate > 0.03, (naive, ate)


# --- traps and temporal signal -------------------------------------------------------

def test_label_leakage_column_and_pre_onset_drift(big):
    p = big["patients"]
    septic = p["sepsis"] == 1
    abx = p["antibiotics_started_hour"]
    # every septic patient gets antibiotics at or after onset: known only after the label
    assert abx[septic].notna().all() and (abx[septic] >= p.loc[septic, "onset_hour"]).all()
    assert p.loc[abx.notna(), "sepsis"].mean() > 0.6  # a near-perfect (leaky) "predictor"
    assert p.loc[abx.isna(), "sepsis"].sum() == 0
    # vitals drift towards abnormal before onset: heart rate at onset vs admission
    hr = big["vitals"].pivot(index="patient_id", columns="hour", values="heart_rate")
    hr = hr.loc[p["patient_id"]]
    onset = p["onset_hour"].to_numpy()
    rows = np.flatnonzero(septic.to_numpy())
    rise = hr.to_numpy()[rows, onset[rows].astype(int)] - hr.to_numpy()[rows, 0]
    assert abs(np.nanmean(rise) - 22) < 3  # documented +22 beats/min at onset
    six_before = onset[rows].astype(int) - 6
    ok = six_before >= 1
    rise_early = hr.to_numpy()[rows[ok], six_before[ok]] - hr.to_numpy()[rows[ok], 0]
    assert abs(np.nanmean(rise_early)) < 2  # ramp starts 6 h before onset ...
    three_before = onset[rows].astype(int) - 3
    ok = three_before >= 1
    rise_mid = hr.to_numpy()[rows[ok], three_before[ok]] - hr.to_numpy()[rows[ok], 0]
    assert abs(np.nanmean(rise_mid) - 11) < 3  # ... and is half-way 3 h before onset
    well = np.flatnonzero(~septic.to_numpy())
    assert abs(np.nanmean(hr.to_numpy()[well, 12] - hr.to_numpy()[well, 0])) < 1


def test_fever_response_is_blunted_in_the_elderly(big):
    p = big["patients"].set_index("patient_id")
    temp = big["vitals"].set_index("patient_id")
    septic = p[p["sepsis"] == 1]
    at_onset = temp.join(septic["onset_hour"], how="inner")
    at_onset = at_onset[at_onset["hour"] >= at_onset["onset_hour"]]["temperature"]
    old = septic["age"] >= 75
    old_mean = at_onset[at_onset.index.isin(septic.index[old])].mean()
    young_mean = at_onset[at_onset.index.isin(septic.index[~old])].mean()
    assert young_mean - old_mean > 0.5  # documented fever response 1.3 vs 0.52 C


# --- options ---------------------------------------------------------------------------

def test_out_of_range_option_names_the_valid_range():
    with pytest.raises(datasets.DatasetOptionError) as caught:
        datasets.load("ehr_cohort", n_patients=10)
    assert "100 to 100000" in str(caught.value)
    with pytest.raises(datasets.DatasetOptionError):
        datasets.load("ehr_cohort", n_sites=11)


def test_other_site_counts_keep_the_last_site_shifted():
    data = datasets.load("ehr_cohort", n_patients=200, n_sites=2, hours=6)
    assert data.ground_truth["shifted_site"] == "site_B"
    assert set(data["patients"]["site"]) == {"site_A", "site_B"}
    assert list(data.ground_truth["risk_model"]["coefficients"])[-1] == "site_B"
    assert len(data["vitals"]) == 200 * 6
