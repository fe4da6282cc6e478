"""Synthetic hand radiographs for bone age: determinism, units, the skeletal-maturity model
and the simulated readers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medai import datasets
from medai.datasets import synthetic_hand_xray as hand

NAME = "hand_xray_phantoms"


@pytest.fixture(scope="module")
def data():
    return datasets.load(NAME, n_images=400, size=64, seed=11)


def test_is_deterministic_and_depends_on_the_seed():
    first = datasets.load(NAME, n_images=40, size=64, seed=3)
    again = datasets.load(NAME, n_images=40, size=64, seed=3)
    other = datasets.load(NAME, n_images=40, size=64, seed=4)
    assert np.array_equal(first.images, again.images)
    assert np.array_equal(first.labels, again.labels)
    pd.testing.assert_frame_equal(first.metadata, again.metadata)
    assert not np.array_equal(first.images, other.images)


def test_shapes_types_units_and_ranges(data):
    assert data.images.shape == (400, 64, 64) and data.images.dtype == np.float32
    assert 0.0 <= data.images.min() and data.images.max() <= 1.0
    meta = data.metadata
    assert data.labels.dtype == np.float32 and len(meta) == 400
    assert np.allclose(data.labels, meta["bone_age_months"], atol=1e-4)
    assert set(meta["sex"]) == {"F", "M"} and set(meta["category"]) <= set(hand.CATEGORIES)
    age = meta["chronological_age_months"]
    assert age.between(6.0, 216.0).all()
    bone = meta["bone_age_months"]
    assert bone.min() >= 1.0
    assert (bone[meta["sex"] == "F"] <= 216.0).all() and (bone <= 228.0).all()
    reads = meta[[f"reader_{k}_months" for k in (1, 2, 3)]].to_numpy()
    assert np.array_equal(reads, np.round(reads)) and reads.min() >= 0.0
    # a left hand fills most of the field: pixel spacing of a few millimetres
    assert meta["pixel_spacing_mm"].between(1.0, 4.0).all()
    assert data.spacing_mm[0] == pytest.approx(meta["pixel_spacing_mm"].mean())


def test_categories_have_the_documented_deviation(data):
    meta = data.metadata
    z = (meta["bone_age_months"] - meta["chronological_age_months"]) / meta["reference_sd_months"]
    counts = meta["category"].value_counts()
    assert counts["delayed"] == counts["advanced"] == 20  # round(0.1 x 400), half each
    low, high = hand.ABNORMAL_Z
    assert z[meta["category"] == "delayed"].between(-high - 1e-9, -low + 1e-9).all()
    assert z[meta["category"] == "advanced"].between(low - 1e-9, high + 1e-9).all()
    typical = z[(meta["category"] == "typical") & (meta["chronological_age_months"] < 180)]
    assert abs(typical.mean()) < 0.15 and 0.85 < typical.std() < 1.15
    # the reference SD grows with age, as in the atlas standards
    assert hand.reference_sd_months(6.0) < hand.reference_sd_months(60.0) < \
        hand.reference_sd_months(180.0)


def test_girls_are_more_mature_at_the_same_bone_age():
    bone_age = np.array([24.0, 96.0, 156.0, 200.0])
    girls = hand.maturity_months(bone_age, np.array(["F"] * 4))
    boys = hand.maturity_months(bone_age, np.array(["M"] * 4))
    assert np.array_equal(boys, bone_age)
    assert (girls > boys).all()
    assert (girls - boys)[2] >= 12.0  # one to two years ahead in puberty
    assert hand.maturity_months(np.array([216.0]), np.array(["F"]))[0] == 228.0


def test_carpal_bones_ossify_in_the_documented_order(data):
    truth = data.ground_truth
    assert truth["carpal_order"] == ["capitate", "hamate", "triquetrum", "lunate", "trapezium",
                                     "trapezoid", "scaphoid", "pisiform"]
    onsets = np.array([spec["onset"] for spec in hand.CARPALS.values()])
    meta = data.metadata
    expected = (meta["maturity_months_boys_scale"].to_numpy()[:, None] >= onsets).sum(axis=1)
    assert np.array_equal(meta["carpals_ossified"].to_numpy(), expected)
    # and the drawn carpus holds exactly that many bones (plus the sesamoid from puberty)
    person = hand._individual(np.random.default_rng(0))
    for m in (2.0, 20.0, 60.0, 100.0, 150.0, 200.0):
        bones, _ = hand._hand_shapes(m, 1.0, person)
        carpus = bones[5]["ellipses"]
        n_expected = int((m >= onsets).sum()) + int(m >= hand.SESAMOID["onset"])
        assert len(carpus) == n_expected


def test_epiphyses_appear_widen_and_fuse():
    absent = hand._epiphysis_state(10.0, "middle phalanx", 3)
    young = hand._epiphysis_state(60.0, "middle phalanx", 3)
    older = hand._epiphysis_state(140.0, "middle phalanx", 3)
    fused = hand._epiphysis_state(228.0, "middle phalanx", 3)
    assert absent == (False, 0.0, 0.0)
    assert young[0] and older[1] > young[1] and young[2] == older[2] == 0.0
    assert fused[2] == 1.0
    # the fifth finger's epiphysis comes last, the distal phalanges fuse first, the radius last
    assert not hand._epiphysis_state(31.0, "distal phalanx", 5)[0]
    assert hand._epiphysis_state(31.0, "distal phalanx", 3)[0]
    mid_fusion = [hand._epiphysis_state(190.0, kind)[2]
                  for kind in ("distal phalanx", "metacarpal", "radius")]
    assert mid_fusion[0] == 1.0 and mid_fusion[0] > mid_fusion[1] > mid_fusion[2]


def _middle_finger_gaps(m: float) -> int:
    """Breaks in the bone along the axis of the middle finger (joints and open physes)."""
    person = hand._individual(np.random.default_rng(1))
    person["angles"][:] = 0.0
    person["proportions"][:] = 1.0
    bones, _ = hand._hand_shapes(m, 1.0, person)
    x0 = hand.RAYS[3]["base"][0]
    y = np.linspace(hand.RAYS[3]["base"][1], 200.0, 4000, dtype=np.float32)
    x = np.full_like(y, x0)
    thickness = hand._thickness(bones[2], x[None], y[None])  # ray 3 is the third group
    inside = thickness > 0.05
    return int((inside[:-1] & ~inside[1:]).sum())  # bone -> no bone transitions


def test_the_growth_plates_close():
    """Before fusion each of the four bones of the middle finger shows its open physis."""
    child, adult = _middle_finger_gaps(150.0), _middle_finger_gaps(228.0)
    assert adult == 4  # three joints, then the fingertip
    assert child == adult + 4  # plus the physes of MC3, P1, P2 and P3
    assert _middle_finger_gaps(10.0) == 4  # no epiphysis yet: only joints, no physis


def test_readers_have_the_documented_errors():
    rng = np.random.default_rng(5)
    n = 20000
    bone_age = rng.uniform(84.0, 200.0, n)
    biases = np.array([3.0, -2.0])
    reads = hand._reads(rng, bone_age, bone_age + 10.0, np.array(["M"] * n), biases, False)
    for k, bias in enumerate(biases):
        error = reads[:, k] - bone_age
        assert error.mean() == pytest.approx(bias, abs=0.2)
        assert error.std() == pytest.approx(hand.READER["sd_months"], abs=0.3)
    # two readers of the same film disagree by about half a year on average
    assert 5.0 < np.abs(reads[:, 0] - reads[:, 1] - 5.0).mean() < 9.0
    # in infancy the atlas plates are months apart, and so are the reads
    infants = hand._reads(rng, np.full(n, 6.0), np.full(n, 6.0), np.array(["F"] * n),
                          np.zeros(1), False)
    assert (infants[:, 0] - 6.0).std() < 0.4 * hand.READER["sd_months"]
    # the reads saved with the data carry each reader's documented bias, and reader k is the
    # same person in data sets drawn with different seeds
    for seed in (5, 6):
        data = datasets.load(NAME, n_images=300, size=64, readers_know_age=False, seed=seed)
        meta = data.metadata
        assert data.ground_truth["reader_bias_months"] == list(hand.READER_BIAS_MONTHS[:3])
        for k, bias in enumerate(data.ground_truth["reader_bias_months"], start=1):
            error = meta[f"reader_{k}_months"] - meta["bone_age_months"]
            assert error.mean() == pytest.approx(bias, abs=1.5)


def test_readers_who_know_the_age_pull_delayed_children_towards_normal():
    options = dict(n_images=200, size=64, abnormal_fraction=0.5, seed=8)
    blind = datasets.load(NAME, readers_know_age=False, **options)
    told = datasets.load(NAME, readers_know_age=True, **options)
    assert np.array_equal(blind.images, told.images)  # the same films, only the reads differ
    blind, told = blind.metadata, told.metadata
    delayed = blind["category"] == "delayed"
    shift = (told["reader_1_months"] - blind["reader_1_months"])[delayed]
    gap = (blind["chronological_age_months"] - blind["bone_age_months"])[delayed]
    assert shift.mean() == pytest.approx(hand.READER["anchor_to_age"] * gap.mean(), abs=1.0)
    assert (shift > 0).mean() > 0.9


def test_follow_up_images_of_one_child():
    follow = datasets.load(NAME, n_images=60, size=64, images_per_child=3, seed=2).metadata
    assert follow["child_id"].nunique() == 20
    for _, child in follow.groupby("child_id"):
        assert list(child["visit"]) == [1, 2, 3]
        gaps = np.diff(child["chronological_age_months"])
        assert ((gaps >= 6.0) & (gaps <= 18.0)).all()
        assert (np.diff(child["bone_age_months"]) >= 0).all()
        assert child["sex"].nunique() == 1


@pytest.mark.parametrize("options", [
    {"size": 50}, {"n_images": 10}, {"n_readers": 0}, {"abnormal_fraction": 0.6},
    {"images_per_child": 5}, {"readers_know_age": "yes"}, {"seed": -1},
    {"n_images": 61, "images_per_child": 2}, {"resolution": 64},
])
def test_invalid_options_are_refused(options):
    with pytest.raises(datasets.DatasetOptionError):
        datasets.load(NAME, **options)
