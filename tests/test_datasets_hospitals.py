"""federated_hospitals: deterministic, plausible, each hospital's shift as ground truth says.

Tolerances are a few sampling standard deviations at the sizes used; the seeds are
fixed, so each test is deterministic, but a generator change that breaks a documented
property fails it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medai import datasets
from medai.datasets import synthetic_ehr as ehr
from medai.datasets import synthetic_hospitals as sh
from medai.datasets.registry import DatasetOptionError

BIG = 4.0  # size_scale: 28,800 training admissions, about 1 s


@pytest.fixture(scope="module")
def default():
    return datasets.load("federated_hospitals")


@pytest.fixture(scope="module")
def big():
    return datasets.load("federated_hospitals", size_scale=BIG, n_test=0, seed=3)


def test_same_seed_same_data_and_other_seed_differs():
    first = datasets.load("federated_hospitals", size_scale=0.2, n_test=100, seed=5)
    again = datasets.load("federated_hospitals", size_scale=0.2, n_test=100, seed=5)
    other = datasets.load("federated_hospitals", size_scale=0.2, n_test=100, seed=6)
    assert first["admissions"].equals(again["admissions"])
    assert first.ground_truth["sepsis_risk"].equals(again.ground_truth["sepsis_risk"])
    assert not first["admissions"].equals(other["admissions"])


def test_ehr_cohort_is_unchanged_by_the_reuse():
    """The provider reuses synthetic_ehr's functions; ehr_cohort's output must not move."""
    data = datasets.load("ehr_cohort", n_patients=200, seed=11)
    again = datasets.load("ehr_cohort", n_patients=200, seed=11)
    assert data["patients"].equals(again["patients"])
    assert ehr.REGULAR_SITE["age_mean"] == 63.0 and "acuity_shift" not in ehr.REGULAR_SITE


def test_sizes_splits_columns_and_units(default):
    table = default["admissions"]
    gt = default.ground_truth
    counts = table.groupby(["hospital", "split"]).size().unstack()
    expected = {name: spec[1] for name, spec in sh.HOSPITALS.items()}
    assert counts["train"].to_dict() == expected
    assert (counts["test"] == 1000).all()
    assert list(gt["hospitals"].index) == list(sh.HOSPITALS)
    assert table["patient_id"].is_unique
    assert set(table.columns) == {"patient_id", "hospital", "split", *sh.FEATURE_COLUMNS,
                                  "sepsis"}
    assert set(default.data_dictionary) == set(table.columns)
    assert table[list(sh.FEATURE_COLUMNS)].notna().all().all()
    assert table["age"].between(18, 100).all()
    assert table["temperature"].between(34.0, 41.5).all()
    assert table["lactate"].between(0.3, 15.0).all()
    assert table["sbp"].between(60, 220).all()
    assert set(np.unique(table["sepsis"])) == {0, 1}


def test_size_scale_keeps_other_hospitals_and_minimum():
    small = datasets.load("federated_hospitals", size_scale=0.1, n_test=0)
    sizes = small["admissions"].groupby("hospital").size()
    assert sizes["hospital_E"] == 50 and sizes["hospital_A"] == 300


def test_hospitals_differ_as_ground_truth_says(big):
    table, gt = big["admissions"], big.ground_truth
    hosp = gt["hospitals"]
    by = table.groupby("hospital")
    # case mix: mean age follows age_mean (clipping at 18-100 moves it by < 1 year)
    assert np.allclose(by["age"].mean(), hosp["age_mean"], atol=1.2)
    # comorbidity burden follows the log-odds shift: D (+0.6) above B (0) above C (-0.3)
    burden = by[["diabetes", "ckd", "copd", "heart_failure"]].mean().sum(axis=1)
    assert burden["hospital_D"] > burden["hospital_B"] > burden["hospital_C"]
    # prevalence matches the mean true risk, and the ordering of the baseline risks
    assert np.allclose(by["sepsis"].mean(), by.apply(
        lambda f: gt["sepsis_risk"][f["patient_id"]].mean(), include_groups=False), atol=0.025)
    prevalence = by["sepsis"].mean()
    assert prevalence["hospital_C"] < 0.07 < 0.15 < prevalence["hospital_D"]


def test_measurement_offsets_are_in_the_recorded_values(big):
    """Recorded lactate/temperature minus the true value (from the design) is the offset."""
    table, gt = big["admissions"].set_index("patient_id"), big.ground_truth
    design = gt["design"].loc[table.index]
    true_lactate = design["lactate_dev"] + 1.0
    true_temperature = design["temp_dev"] + 37.0
    for name, row in gt["hospitals"].iterrows():
        here = table["hospital"] == name
        lactate_gap = (table.loc[here, "lactate"] - true_lactate[here]).median()
        temperature_gap = (table.loc[here, "temperature"] - true_temperature[here]).median()
        assert lactate_gap == pytest.approx(row["lactate_offset"], abs=0.051), name
        assert temperature_gap == pytest.approx(row["temperature_offset"], abs=0.051), name


def test_true_risk_is_the_documented_model(default):
    gt = default.ground_truth
    table = default["admissions"].set_index("patient_id")
    design = gt["design"].loc[table.index]
    model = gt["risk_model"]
    eta = model["intercept"] + design[list(model["coefficients"])].to_numpy() @ np.array(
        list(model["coefficients"].values()))
    eta = eta + table["hospital"].map(model["hospital_offsets"]).to_numpy()
    assert np.allclose(1 / (1 + np.exp(-eta)), gt["sepsis_risk"].loc[table.index].to_numpy())
    # the design's admission features are the recorded columns, except the biased devices
    assert np.allclose(design["age_per10"], (table["age"] - 65) / 10)
    assert np.allclose(design["hr_per10"], (table["heart_rate"] - 90) / 10)


def test_heterogeneity_zero_gives_identical_hospitals():
    data = datasets.load("federated_hospitals", heterogeneity=0.0, size_scale=0.5)
    hosp = data.ground_truth["hospitals"]
    for key in sh.REFERENCE:
        assert (hosp[key] == sh.REFERENCE[key]).all(), key
    assert all(not v for v in data.ground_truth["what_differs"].values())
    doubled = datasets.load("federated_hospitals", heterogeneity=2.0, size_scale=0.2)
    assert doubled.ground_truth["hospitals"].loc["hospital_C", "risk_offset"] == pytest.approx(
        -1.2)


def test_n_test_does_not_change_the_training_admissions():
    base = datasets.load("federated_hospitals", n_test=0, seed=2)
    other = datasets.load("federated_hospitals", n_test=50, seed=2)
    train = other["admissions"].query("split == 'train'").reset_index(drop=True)
    assert base["admissions"].equals(train)


@pytest.mark.parametrize("options", [{"size_scale": 0.0}, {"heterogeneity": -1.0},
                                     {"n_test": -5}, {"n_hospitals": 3}, {"seed": 1.5}])
def test_invalid_options_give_clear_errors(options):
    with pytest.raises(DatasetOptionError, match="federated_hospitals"):
        datasets.load("federated_hospitals", **options)


def test_default_loads_fast_and_small(default):
    memory = default["admissions"].memory_usage(deep=True).sum()
    assert memory < 20e6
    assert isinstance(default.ground_truth["design"], pd.DataFrame)
