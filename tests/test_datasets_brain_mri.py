"""The synthetic memory-clinic cohort and its T1-weighted brain MRI (brain_atrophy_cohort,
brain_atrophy_mri): determinism, units, and ground truth that matches the images."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medai import datasets
from medai.datasets import synthetic_brain_mri as brain
from medai.datasets.registry import DatasetOptionError
from medai.datasets.types import TableDataset, VolumeDataset


@pytest.fixture(scope="module")
def cohort():
    return datasets.load("brain_atrophy_cohort")


@pytest.fixture(scope="module")
def scan():
    return datasets.load("brain_atrophy_mri", subject=3)


# ---------------------------------------------------------------- brain_atrophy_cohort


def test_cohort_table_types_and_ranges(cohort):
    assert isinstance(cohort, TableDataset)
    table = cohort.tables["subjects"]
    assert list(table.columns) == ["subject_id", "age", "sex", "diagnosis", "site"]
    assert len(table) == 400 and table["subject_id"].iloc[12] == "S0012"
    assert table["age"].between(55, 90).all()
    assert set(table["sex"]) == {"F", "M"} and set(table["site"]) == {"A", "B"}
    assert list(table["diagnosis"].cat.categories) == ["CN", "MCI", "AD"]
    shares = table["diagnosis"].value_counts(normalize=True)
    assert 0.4 < shares["CN"] < 0.6 and 0.15 < shares["AD"] < 0.35
    assert 0.2 < (table["site"] == "B").mean() < 0.4
    assert set(cohort.data_dictionary) == set(table.columns)


def test_cohort_is_deterministic_and_grows_by_adding_subjects(cohort):
    small = datasets.load("brain_atrophy_cohort", n_subjects=50)
    again = datasets.load("brain_atrophy_cohort", n_subjects=50)
    pd.testing.assert_frame_equal(small.tables["subjects"], again.tables["subjects"])
    pd.testing.assert_frame_equal(small.ground_truth["volumes_ml"],
                                  again.ground_truth["volumes_ml"])
    pd.testing.assert_frame_equal(small.tables["subjects"],
                                  cohort.tables["subjects"].iloc[:50])
    other = datasets.load("brain_atrophy_cohort", n_subjects=50, seed=1)
    assert not other.tables["subjects"]["age"].equals(small.tables["subjects"]["age"])


def test_cohort_ground_truth_volumes_are_plausible(cohort):
    volumes = cohort.ground_truth["volumes_ml"]
    table = cohort.tables["subjects"].set_index("subject_id")
    assert list(volumes.index) == list(table.index)
    # tissues add up to the intracranial volume, which is larger in men
    total = volumes[["gm_ml", "wm_ml", "csf_ml"]].sum(axis=1)
    assert np.allclose(total, volumes["icv_ml"], rtol=1e-4)
    by_sex = volumes["icv_ml"].groupby(table["sex"], observed=True).mean()
    assert 1250 < by_sex["F"] < 1450 and 1430 < by_sex["M"] < 1630
    hippocampi = volumes["hippocampus_left_ml"] + volumes["hippocampus_right_ml"]
    assert hippocampi.between(1.0, 7.0).all()
    by_dx = hippocampi.groupby(table["diagnosis"], observed=True).mean()
    assert by_dx["CN"] > by_dx["MCI"] > by_dx["AD"]
    ventricles = volumes["ventricles_ml"].groupby(table["diagnosis"], observed=True).mean()
    assert ventricles["AD"] > ventricles["CN"]


def test_generative_model_reproduces_the_published_calibration():
    """Against age- and ICV-matched controls: hippocampi about 12% smaller in MCI and 24% in AD
    (Shi et al. 2009); yearly hippocampal loss near 1.4%/yr in controls and 4.7%/yr in AD
    (Barnes et al. 2009). Checked on the model's multipliers, which are cheap."""
    people = [brain._subject(0, i) for i in range(3000)]
    frame = pd.DataFrame([{"diagnosis": p["diagnosis"], "age": p["age"],
                           "log_icv": np.log(p["icv_target_ml"]),
                           "log_h": np.log(brain._multipliers(p)["hippocampal"]),
                           "yearly": 100 * (1 - brain._multipliers(p, 1.0)["hippocampal"]
                                            / brain._multipliers(p)["hippocampal"])}
                          for p in people])
    cn = frame[frame["diagnosis"] == "CN"]
    X = np.column_stack([np.ones(len(cn)), cn["age"], cn["log_icv"]])
    beta, *_ = np.linalg.lstsq(X, cn["log_h"], rcond=None)
    for dx, expected in [("MCI", 12.0), ("AD", 24.0)]:
        d = frame[frame["diagnosis"] == dx]
        expected_log = np.column_stack([np.ones(len(d)), d["age"], d["log_icv"]]) @ beta
        smaller = 100 * (1 - np.exp(d["log_h"] - expected_log).mean())
        assert abs(smaller - expected) < 4, (dx, smaller)
    yearly = frame.groupby("diagnosis")["yearly"].mean()
    assert 0.9 < yearly["CN"] < 1.8 and 3.8 < yearly["AD"] < 5.5


# ---------------------------------------------------------------- brain_atrophy_mri


def test_scan_shapes_units_and_regions(scan):
    assert isinstance(scan, VolumeDataset)
    assert scan.volume.shape == (53, 63, 51) and scan.volume.dtype == np.float32
    assert scan.spacing_mm == (3.0, 3.0, 3.0)
    assert scan.labels.shape == scan.volume.shape and scan.labels.dtype == np.uint8
    assert set(np.unique(scan.labels)) == {0, 1, 2, 3, 4}
    assert scan.label_names == brain.REGION_NAMES
    inside = scan.labels > 0
    assert (scan.volume[~inside] == 0).all() and (scan.volume[inside] > 0).all()
    truth = scan.ground_truth
    fractions = truth["tissue_fractions"]
    assert fractions.shape == (3, *scan.volume.shape) and fractions.dtype == np.float32
    assert fractions.min() >= 0 and fractions.max() <= 1
    assert np.allclose(fractions[:, ~inside].sum(axis=0), 0, atol=0.5)
    assert set(np.unique(truth["tissue_labels"])) == {0, 1, 2, 3}
    assert ((truth["tissue_labels"] > 0) == inside).all()


def test_scan_is_deterministic_and_depends_on_subject_and_seed(scan):
    again = datasets.load("brain_atrophy_mri", subject=3)
    assert np.array_equal(scan.volume, again.volume)
    assert np.array_equal(scan.labels, again.labels)
    other_subject = datasets.load("brain_atrophy_mri", subject=4)
    other_seed = datasets.load("brain_atrophy_mri", subject=3, seed=1)
    assert not np.array_equal(scan.volume, other_subject.volume)
    assert not np.array_equal(scan.volume, other_seed.volume)


def test_scan_belongs_to_the_cohort_subject(cohort, scan):
    row = cohort.tables["subjects"].iloc[3]
    who = scan.ground_truth["subject"]
    assert who["subject_id"] == row["subject_id"] == "S0003"
    assert (who["sex"], who["diagnosis"], who["site"]) == (row["sex"], row["diagnosis"],
                                                           row["site"])
    assert who["age_at_scan"] == pytest.approx(row["age"])
    # the scan's voxelised truth agrees with the cohort's continuous model volumes
    model = cohort.ground_truth["volumes_ml"].loc["S0003"]
    measured = scan.ground_truth["volumes_ml"]
    for key, tolerance in [("icv_ml", 0.005), ("gm_ml", 0.01), ("wm_ml", 0.01),
                           ("ventricles_ml", 0.08), ("hippocampus_left_ml", 0.2),
                           ("hippocampus_right_ml", 0.2)]:
        assert measured[key] == pytest.approx(model[key], rel=tolerance), key


def test_ground_truth_volumes_are_sums_of_the_fractions(scan):
    fractions = scan.ground_truth["tissue_fractions"]
    volumes = scan.ground_truth["volumes_ml"]
    voxel_ml = np.prod(scan.spacing_mm) / 1000
    assert volumes["gm_ml"] == pytest.approx(fractions[1].sum() * voxel_ml, rel=1e-5)
    assert volumes["hippocampus_left_ml"] == pytest.approx(
        fractions[1][scan.labels == 2].sum() * voxel_ml, rel=1e-5)
    assert volumes["ventricles_ml"] == pytest.approx(
        fractions[0][scan.labels == 4].sum() * voxel_ml, rel=1e-5)
    assert volumes["icv_mask_ml"] == pytest.approx(np.count_nonzero(scan.labels) * voxel_ml)
    assert volumes["icv_mask_ml"] == pytest.approx(volumes["icv_ml"], rel=0.01)


def test_regions_are_where_the_anatomy_says(scan):
    """Hippocampal regions are grey-matter rich, left of the midline for label 2 (RAS x < 0);
    the ventricle region is CSF rich and central."""
    fractions = scan.ground_truth["tissue_fractions"]
    for label in (2, 3):
        assert fractions[1][scan.labels == label].mean() > 0.4
    assert fractions[0][scan.labels == 4].mean() > 0.4
    for label, sign in [(2, -1), (3, +1)]:
        z, y, x = np.argwhere(scan.labels == label).mean(axis=0)
        mni = scan.affine @ np.array([x, y, z, 1.0])
        assert sign * mni[0] > 15 and -40 < mni[1] < -5 and -25 < mni[2] < 5
    z, y, x = np.argwhere(scan.labels == 4).mean(axis=0)
    assert abs((scan.affine @ np.array([x, y, z, 1.0]))[0]) < 5


def test_intensities_follow_the_tissue_model(scan):
    """Pure voxels have the scan's tissue intensities (times the bias field); WM > GM > CSF."""
    truth = scan.ground_truth
    fractions, field = truth["tissue_fractions"], truth["bias_field"]
    intensity = truth["scanner"]["intensity"]
    for k, tissue in enumerate(["CSF", "GM", "WM"]):
        pure = fractions[k] > 0.99
        ratio = np.median(scan.volume[pure] / field[pure])
        assert ratio == pytest.approx(intensity[tissue], rel=0.05), tissue
    assert intensity["WM"] > intensity["GM"] > intensity["CSF"]


def test_travelling_subject_keeps_the_anatomy_and_changes_the_scanner():
    at_a = datasets.load("brain_atrophy_mri", subject=7, scanner="A")
    at_b = datasets.load("brain_atrophy_mri", subject=7, scanner="B")
    assert np.array_equal(at_a.ground_truth["tissue_fractions"],
                          at_b.ground_truth["tissue_fractions"])
    assert np.array_equal(at_a.labels, at_b.labels)
    assert not np.array_equal(at_a.volume, at_b.volume)
    contrast = {s.ground_truth["scanner"]["site"]:
                s.ground_truth["scanner"]["intensity"]["WM"]
                / s.ground_truth["scanner"]["intensity"]["GM"] for s in (at_a, at_b)}
    assert contrast["B"] < contrast["A"]


def test_follow_up_scans_show_atrophy_and_keep_the_head():
    losses = {"CN": [], "AD": []}
    table = datasets.load("brain_atrophy_cohort", n_subjects=60).tables["subjects"]
    for dx in losses:
        for i in table.index[table["diagnosis"] == dx][:6]:
            before = datasets.load("brain_atrophy_mri", subject=int(i)).ground_truth
            after = datasets.load("brain_atrophy_mri", subject=int(i), years=2.0).ground_truth
            assert after["volumes_ml"]["icv_ml"] == pytest.approx(
                before["volumes_ml"]["icv_ml"], rel=1e-6)
            assert after["subject"]["age_at_scan"] == pytest.approx(
                before["subject"]["age_at_scan"] + 2)
            h0 = before["volumes_ml"]["hippocampus_left_ml"] + before["volumes_ml"][
                "hippocampus_right_ml"]
            h2 = after["volumes_ml"]["hippocampus_left_ml"] + after["volumes_ml"][
                "hippocampus_right_ml"]
            losses[dx].append(100 * (1 - (h2 / h0) ** 0.5))
            assert (after["volumes_ml"]["ventricles_ml"]
                    >= before["volumes_ml"]["ventricles_ml"] - 1e-6)
    assert 0 < np.mean(losses["CN"]) < np.mean(losses["AD"])
    assert 2.5 < np.mean(losses["AD"]) < 7


def test_other_voxel_sizes():
    fine = datasets.load("brain_atrophy_mri", subject=3, voxel_mm=2.0)
    assert fine.volume.shape == (79, 93, 75) and fine.spacing_mm == (2.0, 2.0, 2.0)
    coarse = datasets.load("brain_atrophy_mri", subject=3, voxel_mm=4.0)
    assert coarse.volume.shape == (40, 48, 39)
    icv = [s.ground_truth["volumes_ml"]["icv_ml"] for s in (fine, coarse)]
    assert icv[0] == pytest.approx(icv[1], rel=0.01)


@pytest.mark.parametrize("name, options, message", [
    ("brain_atrophy_mri", {"scanner": "C"}, "valid values: 'enrolled', 'A', 'B'"),
    ("brain_atrophy_mri", {"voxel_mm": 2.5}, "valid values"),
    ("brain_atrophy_mri", {"years": -1.0}, "out of range"),
    ("brain_atrophy_mri", {"subject": "S0001"}, "must be int"),
    ("brain_atrophy_cohort", {"n_subjects": 5}, "out of range"),
    ("brain_atrophy_cohort", {"sites": 3}, "unknown option 'sites'"),
])
def test_invalid_options_are_explained(name, options, message):
    with pytest.raises(DatasetOptionError, match=message.replace("(", r"\(")):
        datasets.load(name, **options)
