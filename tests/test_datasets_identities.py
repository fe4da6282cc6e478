"""The synthetic hospital release: fake identifiers stay fake and the answer keys are right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medai import datasets
from medai.datasets import synthetic_identities
from medai.datasets.registry import DatasetOptionError


@pytest.fixture(scope="module")
def release():
    return datasets.load("hospital_release", n_patients=1500, n_outside=2500, overlap=0.6,
                         seed=4)


def test_same_seed_same_tables_other_seed_other_people():
    first = datasets.load("hospital_release", n_patients=300, n_outside=400, seed=1)
    again = datasets.load("hospital_release", n_patients=300, n_outside=400, seed=1)
    other = datasets.load("hospital_release", n_patients=300, n_outside=400, seed=2)
    for table in ("patients", "outside", "regions"):
        assert first[table].equals(again[table])
    assert not first["patients"].equals(other["patients"])
    assert first["regions"].equals(other["regions"]), "the fictional region is fixed"


def test_shapes_columns_and_ranges(release):
    patients, outside = release["patients"], release["outside"]
    assert patients.shape == (1500, 22) and outside.shape == (2500, 8)
    assert patients["patient_id"].is_unique and outside["outside_id"].is_unique
    assert patients["age"].between(18, 99).all() and set(patients["sex"]) == {"F", "M"}
    assert (patients["admission_date"].dt.year == 2024).all()
    stay = (patients["discharge_date"] - patients["admission_date"]).dt.days
    assert (stay == patients["length_of_stay"]).all() and (stay >= 1).all()
    assert patients["albumin"].between(1.5, 5.2).all()
    assert patients["hemoglobin"].between(6, 18).all()
    assert patients["creatinine"].between(0.3, 12).all()
    assert set(patients["readmit_30d"]) == {0, 1}
    assert patients["postcode"].str.fullmatch(r"69[1-5]\d\d").all()
    assert patients["phone"].str.fullmatch(r"010-\d{4}-\d{4}").all()
    known = set(release.ground_truth["diagnoses"])
    assert set(patients["diagnosis"]) <= known


def test_age_is_the_whole_years_between_birth_and_admission(release):
    p = release["patients"]
    birthday_passed = (p["admission_date"].dt.month > p["birth_date"].dt.month) | (
        (p["admission_date"].dt.month == p["birth_date"].dt.month)
        & (p["admission_date"].dt.day >= p["birth_date"].dt.day))
    years = p["admission_date"].dt.year - p["birth_date"].dt.year - (~birthday_passed)
    assert (years == p["age"]).all()


def test_every_rrn_is_fake_but_carries_birth_date_and_sex(release):
    p = release["patients"]
    assert not any(synthetic_identities.rrn_checksum_ok(r) for r in p["rrn"])
    assert (p["rrn"].str[:6] == p["birth_date"].dt.strftime("%y%m%d")).all()
    odd = p["rrn"].str[7].astype(int) % 2 == 1
    assert (odd == (p["sex"] == "M")).all()
    # the checker itself accepts a number built with the right check digit
    first12 = "900101123456"
    good = f"{first12[:6]}-{first12[6:]}{synthetic_identities.rrn_check_digit(first12)}"
    assert synthetic_identities.rrn_checksum_ok(good)


def test_addresses_follow_the_region_hierarchy(release):
    regions = release["regions"].set_index("postcode")
    for table in ("patients", "outside"):
        frame = release[table]
        assert frame["postcode"].isin(regions.index).all()
        assert (regions.loc[frame["postcode"], "dong"].to_numpy() == frame["dong"]).all()
        assert (regions.loc[frame["postcode"], "sigungu"].to_numpy()
                == frame["sigungu"]).all()
    assert (release["regions"]["postcode"].str[:3] == release["regions"]["postcode3"]).all()


def test_links_are_the_true_matches(release):
    links = release.ground_truth["links"]
    assert len(links) == round(0.6 * 1500) and links["patient_id"].is_unique
    joined = links.merge(release["outside"], on="outside_id").merge(
        release["patients"], on="patient_id", suffixes=("_out", "_hosp"))
    for column in ("name", "birth_date", "sex", "phone"):
        assert (joined[f"{column}_out"] == joined[f"{column}_hosp"]).all(), column
    same_place = joined["postcode_out"] == joined["postcode_hosp"]
    assert same_place[~joined["moved"]].all()
    assert 0 < joined["moved"].sum() < 0.12 * len(joined)
    assert (~same_place).sum() <= joined["moved"].sum()


def test_readmission_follows_the_stated_model(release):
    p, model = release["patients"], release.ground_truth["readmission_model"]
    x = synthetic_identities.readmission_features(p)
    eta = model["intercept"] + x @ pd.Series(model["coefficients"])[x.columns]
    eta += p["diagnosis"].map(model["diagnosis_log_odds"]).fillna(0.0)
    eta += model["rural_log_odds"] * (p["sigungu"] == "가람군")
    eta += p["dong"].map(model["dong_log_odds"])
    risk = release.ground_truth["readmission_risk"]
    assert np.allclose(1 / (1 + np.exp(-eta)), risk, atol=1e-4)
    assert abs(p["readmit_30d"].mean() - risk.mean()) < 0.03
    assert 0.68 < release.ground_truth["oracle_auroc"] < 0.82


def test_quasi_identifiers_make_most_patients_unique(release):
    sizes = release["patients"].groupby(["birth_date", "sex", "postcode"])["age"].transform(
        "size")
    assert (sizes == 1).mean() > 0.95


def test_overlap_larger_than_the_outside_table_is_a_clear_error():
    with pytest.raises(DatasetOptionError, match="n_outside"):
        datasets.load("hospital_release", n_patients=1000, n_outside=300, overlap=0.5)
    with pytest.raises(DatasetOptionError, match="overlap"):
        datasets.load("hospital_release", overlap=1.5)


def test_no_overlap_means_no_links():
    data = datasets.load("hospital_release", n_patients=200, n_outside=100, overlap=0.0)
    assert data.ground_truth["links"].empty and len(data["outside"]) == 100
