"""head_ct_phantoms: deterministic, in Hounsfield units, and its labels, masks and truth agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medai import datasets
from medai.datasets import synthetic_head_ct
from medai.datasets.registry import DatasetOptionError

TYPES = synthetic_head_ct.BLEED_TYPES


@pytest.fixture(scope="module")
def data():
    return datasets.load("head_ct_phantoms", n_images=160, prevalence=0.6, seed=4)


def test_same_seed_same_data_other_seed_other_data():
    first = datasets.load("head_ct_phantoms", n_images=40, seed=7)
    again = datasets.load("head_ct_phantoms", n_images=40, seed=7)
    other = datasets.load("head_ct_phantoms", n_images=40, seed=8)
    assert np.array_equal(first.images, again.images)
    assert np.array_equal(first.masks, again.masks)
    assert np.array_equal(first.labels, again.labels)
    pd.testing.assert_frame_equal(first.metadata, again.metadata)
    pd.testing.assert_frame_equal(first.ground_truth["lesions"], again.ground_truth["lesions"])
    assert not np.array_equal(first.images, other.images)


def test_default_shapes_types_and_label_coding():
    data = datasets.load("head_ct_phantoms")
    assert data.images.shape == (600, 64, 64) and data.images.dtype == np.int16
    assert data.masks.shape == (600, 64, 64) and data.masks.dtype == np.uint8
    assert data.labels.shape == (600, 5) and data.labels.dtype == np.uint8
    assert data.label_names == {0: "any", 1: "intraparenchymal", 2: "subdural",
                                3: "epidural", 4: "subarachnoid"}
    assert int(data.labels[:, 0].sum()) == 300  # exact prevalence
    assert np.array_equal(data.labels[:, 0], data.labels[:, 1:].max(axis=1))
    assert data.labels[:, 1:].sum(axis=0).min() > 30, "every type is represented"
    assert data.spacing_mm == pytest.approx((212 / 64, 212 / 64))
    meta = data.metadata
    for code, name in data.label_names.items():
        assert (meta[name].to_numpy() == data.labels[:, code]).all()


@pytest.mark.parametrize("size", [96, 128])
def test_other_sizes_keep_the_field_of_view(size):
    data = datasets.load("head_ct_phantoms", n_images=20, size=size, seed=1)
    assert data.images.shape == (20, size, size)
    assert data.spacing_mm[0] * size == pytest.approx(212.0)


def test_hounsfield_units_of_air_bone_and_brain(data):
    images = data.images.astype(float)
    assert images.min() >= -1024 and images.max() <= 3071
    corners = images[:, :4, :4]
    assert abs(np.median(corners) + 1000) < 10, "air is -1000 HU"
    assert images.max(axis=(1, 2)).min() > 500, "every slice has skull (partial volume)"
    centre = images[:, 28:36, 28:36]  # near the middle of the head
    assert 0 < np.median(centre) < 50, "brain and CSF in the middle"
    normal = data.labels[:, 0] == 0
    brain = images[normal][(images[normal] > 15) & (images[normal] < 50)]
    assert 25 < brain.mean() < 42, "brain parenchyma between white and grey matter values"


def test_blood_in_the_masks_is_denser_than_brain(data):
    images = data.images.astype(float)
    clots = images[data.masks == 1]  # away from bone: the clot itself
    assert 50 < np.median(clots) < 95, np.median(clots)
    for code in (2, 3):  # along the skull: blood, partly averaged with bone
        assert np.median(images[data.masks == code]) > 50, code
    sah = images[data.masks == 4]
    brain = images[(data.labels[:, 0] == 0)[:, None, None] & (images > 15) & (images < 50)]
    assert np.median(sah) > np.median(brain), "subarachnoid blood raises the sulcal density"


def test_masks_labels_and_lesion_table_agree(data):
    present = np.stack([(data.masks == code).any(axis=(1, 2)) for code in (1, 2, 3, 4)], axis=1)
    assert np.array_equal(present.astype(np.uint8), data.labels[:, 1:])
    assert not data.masks[data.labels[:, 0] == 0].any()
    lesions = data.ground_truth["lesions"]
    assert set(lesions["type"]) == set(TYPES)
    for _, row in lesions.iterrows():
        assert data.labels[row["image"], synthetic_head_ct.TYPE_CODE[row["type"]]] == 1
    # the coverage-weighted centre of a compact bleed lies inside its mask
    for _, row in lesions[lesions["type"] == "intraparenchymal"].iterrows():
        r, c = int(round(row["centre_row"])), int(round(row["centre_col"]))
        assert data.masks[row["image"], r, c] == 1
    # a compact bleed's mask area is near its true area (partial volume at the edge only)
    big = lesions[(lesions["area_mm2"] > 300) & (lesions["type"] == "intraparenchymal")]
    spacing2 = data.spacing_mm[0] ** 2
    ratio = big["mask_pixels"] * spacing2 / big["area_mm2"]
    assert len(big) > 5 and ratio.between(0.7, 1.5).all()


def test_epidurals_stop_at_sutures_and_subdurals_may_cross(data):
    lesions = data.ground_truth["lesions"]
    assert not lesions.loc[lesions["type"] == "epidural", "crosses_suture"].any()
    assert lesions.loc[lesions["type"] == "subdural", "crosses_suture"].any()
    subdural = lesions[lesions["type"] == "subdural"]
    assert subdural["max_thickness_mm"].between(2.5, 14.0).all()


def test_bleeds_sit_on_the_documented_side_and_shift_the_midline(data):
    lesions = data.ground_truth["lesions"]
    centre = (64 - 1) / 2
    lateral = (lesions["type"] == "subdural") | lesions["location"].str.startswith("parietal")
    big = lesions[lateral]
    # patient's left is image right (radiological convention); the falx stops a subdural
    left = big["side"] == "left"
    assert (big.loc[left, "centre_col"] > centre).all()
    assert (big.loc[~left, "centre_col"] < centre).all()
    shift = data.metadata["midline_shift_mm"]
    normal = data.labels[:, 0] == 0
    assert (shift[normal] == 0).all() and shift[~normal].max() > 3.0


def test_blood_hu_and_sizes_are_in_their_documented_ranges(data):
    lesions = data.ground_truth["lesions"]
    for kind, (low, high) in synthetic_head_ct.BLOOD_HU.items():
        hu = lesions.loc[lesions["type"] == kind, "hu"]
        assert hu.between(low, high).all(), kind
    iph = lesions[lesions["type"] == "intraparenchymal"]
    assert iph["radius_mm"].between(0.0, 18.0).all()


def test_label_noise_flips_reported_labels_but_not_the_truth():
    data = datasets.load("head_ct_phantoms", n_images=100, label_noise=0.2, seed=2)
    truth = data.ground_truth["true_labels"]
    flipped = data.metadata["label_flipped"].to_numpy()
    assert flipped.sum() == 20
    assert np.array_equal(data.labels[~flipped], truth[~flipped])
    assert (data.labels[flipped, 0] != truth[flipped, 0]).all()
    clean = datasets.load("head_ct_phantoms", n_images=100, seed=2)
    assert np.array_equal(clean.images, data.images)
    assert np.array_equal(clean.ground_truth["true_labels"], truth)


def test_slices_of_one_scan_share_a_head_and_scan_labels_summarise_them():
    data = datasets.load("head_ct_phantoms", n_images=120, slices_per_scan=4, seed=3)
    meta = data.metadata
    assert (meta.groupby("scan").size() == 4).all()
    assert list(meta["z_mm"][:4]) == [-7.5, -2.5, 2.5, 7.5]
    assert (meta.groupby("scan")["scanner"].nunique() == 1).all()
    scans = data.ground_truth["scan_labels"]
    assert len(scans) == 30 and int(scans["any"].sum()) == 15
    per_scan = meta.groupby("scan")["any"].max()
    assert (per_scan.to_numpy() == scans["any"].to_numpy()).all()
    assert meta.loc[meta["scan"].isin(scans.index[scans["any"] == 1]), "any"].mean() < 1.0, (
        "some slices of bleeding scans miss the bleed")


def test_invalid_options_give_clear_errors():
    with pytest.raises(DatasetOptionError, match="multiple of slices_per_scan"):
        datasets.load("head_ct_phantoms", n_images=30, slices_per_scan=4)
    with pytest.raises(DatasetOptionError, match="valid values: 64, 96, 128"):
        datasets.load("head_ct_phantoms", size=50)
    with pytest.raises(DatasetOptionError, match="out of range"):
        datasets.load("head_ct_phantoms", label_noise=0.8)
    with pytest.raises(DatasetOptionError, match="unknown option"):
        datasets.load("head_ct_phantoms", n_slices=10)


def test_prevalence_zero_gives_no_blood():
    data = datasets.load("head_ct_phantoms", n_images=20, prevalence=0.0, seed=5)
    assert data.labels.sum() == 0 and data.masks.sum() == 0
    assert len(data.ground_truth["lesions"]) == 0
