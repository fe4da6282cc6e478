"""Synthetic imaging datasets: chest radiograph phantoms, the CT phantom and its DICOM series."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
import pytest
from pydicom.uid import ExplicitVRLittleEndian

from medai import datasets
from medai.datasets import dicom_writer
from medai.datasets.cache import data_dir
from medai.datasets.types import VolumeDataset

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"

# ---------------------------------------------------------------- chest_xray_phantoms


def test_chest_xray_is_deterministic_and_depends_on_the_seed():
    first = datasets.load("chest_xray_phantoms", n_images=60, shortcut=True, seed=7)
    again = datasets.load("chest_xray_phantoms", n_images=60, shortcut=True, seed=7)
    other = datasets.load("chest_xray_phantoms", n_images=60, shortcut=True, seed=8)
    assert np.array_equal(first.images, again.images)
    assert np.array_equal(first.masks, again.masks)
    assert np.array_equal(first.labels, again.labels)
    pd.testing.assert_frame_equal(first.metadata, again.metadata)
    assert not np.array_equal(first.images, other.images)


def test_chest_xray_shapes_types_and_masks():
    data = datasets.load("chest_xray_phantoms")
    assert data.images.shape == (400, 64, 64) and data.images.dtype == np.float32
    assert data.masks.shape == (400, 64, 64) and data.masks.dtype == np.uint8
    assert 0.0 <= data.images.min() and data.images.max() <= 1.0
    assert set(np.unique(data.masks)) <= {0, 1}
    assert set(np.unique(data.labels)) == {0, 1} and int(data.labels.sum()) == 200
    assert data.spacing_mm == pytest.approx((0.7 * 256 / 64,) * 2)
    lesion_pixels = data.masks.reshape(len(data.masks), -1).sum(axis=1)
    assert (lesion_pixels[data.labels == 1] > 0).all()
    assert (lesion_pixels[data.labels == 0] == 0).all()
    meta = data.metadata
    assert len(meta) == 400 and (meta["label"].to_numpy() == data.labels).all()
    assert set(meta.loc[data.labels == 1, "lesion_type"]) == {"nodule", "opacity"}
    assert set(meta.loc[data.labels == 0, "lesion_type"]) == {"none"}
    area = lesion_pixels * data.spacing_mm[0] ** 2
    assert np.allclose(meta["lesion_area_mm2"], area)
    # the documented centre lies in the mask
    for i in np.flatnonzero(data.labels == 1)[:40]:
        row, col = meta.loc[i, ["centre_row", "centre_col"]]
        assert data.masks[i, int(round(row)), int(round(col))] == 1
    truth = data.ground_truth["lesions"]
    assert len(truth) == 200 and list(truth.index) == list(np.flatnonzero(data.labels == 1))
    nodules = truth[truth["lesion_type"] == "nodule"]
    assert nodules["radius_mm"].between(5.0, 12.0).all()


@pytest.mark.parametrize("size", [32, 128])
def test_chest_xray_every_positive_has_a_mask_at_every_size(size):
    data = datasets.load("chest_xray_phantoms", n_images=40, size=size, prevalence=0.9, seed=3)
    assert data.images.shape == (40, size, size)
    pixels = data.masks.reshape(40, -1).sum(axis=1)
    assert (pixels[data.labels == 1] > 0).all() and (pixels[data.labels == 0] == 0).all()


def _token_stats(data):
    meta = data.metadata
    positive = meta["label"] == 1
    return meta.loc[positive, "has_token"].mean(), meta.loc[~positive, "has_token"].mean()


def test_site_token_correlates_with_the_label_only_with_shortcut():
    with_shortcut = datasets.load("chest_xray_phantoms", shortcut=True, seed=1)
    without = datasets.load("chest_xray_phantoms", shortcut=False, seed=1)
    assert _token_stats(with_shortcut) == (0.9, 0.1)
    assert _token_stats(without) == (0.5, 0.5)
    rule = with_shortcut.ground_truth["token_rule"]
    assert rule["fraction_of_positives_with_token"] == 0.9
    rows, cols = slice(*rule["token_rows"]), slice(*rule["token_cols"])
    for data in (with_shortcut, without):
        meta = data.metadata
        assert ((meta["site"] == "B") == meta["has_token"]).all()
        corner = data.images[:, rows, cols].reshape(len(meta), -1).max(axis=1)
        # the token is drawn exactly where the metadata says, and nowhere else
        assert np.all(corner[meta["has_token"]] == np.float32(0.97))
        assert np.all(corner[~meta["has_token"]] < 0.5)
        phi = np.corrcoef(meta["has_token"], meta["label"])[0, 1]
        assert (phi > 0.7) if data is with_shortcut else (abs(phi) < 1e-9)


@pytest.mark.parametrize("name, options", [
    ("chest_xray_phantoms", {"n_images": 1}),
    ("chest_xray_phantoms", {"size": 50}),
    ("chest_xray_phantoms", {"prevalence": 0.99}),
    ("chest_xray_phantoms", {"shortcut": "yes"}),
    ("ct_phantom", {"shape": "huge"}),
    ("ct_phantom", {"n_lesions": 7}),
    ("ct_phantom_series", {"seed": -1}),
    ("ct_phantom_series", {"spacing": 1.0}),
])
def test_invalid_options_are_refused(name, options):
    with pytest.raises(datasets.DatasetOptionError):
        datasets.load(name, **options)


# ---------------------------------------------------------------- ct_phantom


@pytest.fixture(scope="module")
def ct():
    return datasets.load("ct_phantom")


def test_ct_is_deterministic(ct):
    again = datasets.load("ct_phantom")
    assert np.array_equal(ct.volume, again.volume) and np.array_equal(ct.labels, again.labels)
    assert ct.ground_truth["lesions"] == again.ground_truth["lesions"]
    other = datasets.load("ct_phantom", seed=1)
    assert not np.array_equal(ct.labels, other.labels)


@pytest.mark.parametrize("shape, dims, spacing", [
    ("small", (32, 96, 96), (5.0, 4.0, 4.0)),
    ("medium", (64, 128, 128), (2.5, 3.0, 3.0)),
])
def test_ct_shape_types_spacing_and_affine(shape, dims, spacing):
    data = datasets.load("ct_phantom", shape=shape, n_lesions=3, seed=2)
    assert data.volume.shape == dims and data.volume.dtype == np.int16
    assert data.labels.shape == dims and data.labels.dtype == np.uint8
    assert data.spacing_mm == spacing
    assert -1024 <= data.volume.min() and data.volume.max() <= 3071
    assert set(np.unique(data.labels)) == set(data.label_names)
    assert data.label_names[2] == "skeletal muscle" and data.label_names[10] == "liver lesion"
    # affine: (z, y, x, 1) index -> LPS mm; axis-aligned with the spacing on its diagonal
    affine = data.affine
    assert affine.shape == (4, 4)
    assert np.allclose(np.abs(affine[:3, :3]).sum(axis=0), spacing)
    corner = affine @ np.array([0, 0, 0, 1.0])
    far = affine @ np.array([dims[0] - 1, dims[1] - 1, dims[2] - 1, 1.0])
    assert np.allclose(corner[:3], -far[:3])  # centred on the origin
    assert np.allclose(np.array(data.ground_truth["slice_z_mm"]),
                       [(affine @ [k, 0, 0, 1])[2] for k in range(dims[0])])


def test_ct_tissue_means_match_the_documented_hu(ct):
    documented = ct.ground_truth["tissue_hu"]
    sd = ct.ground_truth["noise_sd_hu"]
    for label, name in ct.label_names.items():
        values = ct.volume[ct.labels == label].astype(float)
        assert values.size, f"{name} is missing"
        tolerance = max(0.5, 5 * sd / np.sqrt(values.size))
        assert abs(values.mean() - documented[name]) <= tolerance, name
        if label != 0:  # air is clipped at -1024; no other tissue is
            assert abs(values.std() - sd) < 0.25 * sd + 3 / np.sqrt(values.size), name
    # the classic CT thresholds for body composition (Mitsiopoulos 1998) hold voxelwise
    muscle = ct.volume[ct.labels == 2]
    fat = ct.volume[(ct.labels == 1) | (ct.labels == 3)]
    assert np.mean((muscle >= -29) & (muscle <= 150)) > 0.99
    assert np.mean((fat >= -190) & (fat <= -30)) > 0.99


def test_ct_ground_truth_volumes_and_areas_are_voxel_counts(ct):
    gt = ct.ground_truth
    voxel_ml = np.prod(ct.spacing_mm) / 1000.0
    assert gt["voxel_volume_ml"] == pytest.approx(voxel_ml)
    for label, name in ct.label_names.items():
        count = int(np.count_nonzero(ct.labels == label))
        assert gt["voxel_counts"][name] == count
        if label:
            assert gt["volumes_ml"][name] == pytest.approx(count * voxel_ml)
    lesions = gt["lesions"]
    assert len(lesions) == 2
    assert sum(lesion["volume_ml"] for lesion in lesions) == pytest.approx(
        gt["volumes_ml"]["liver lesion"])
    for lesion in lesions:
        z, y, x = lesion["centre_voxel"]
        assert ct.labels[z, y, x] == 10
        assert 6.0 <= lesion["radius_mm"] <= 15.0
        assert lesion["volume_ml"] == pytest.approx(lesion["n_voxels"] * voxel_ml)
    pixel_cm2 = ct.spacing_mm[1] * ct.spacing_mm[2] / 100.0
    l3 = gt["l3"]
    slice_labels = ct.labels[l3["slice_index"]]
    assert l3["muscle_area_cm2"] == pytest.approx(np.count_nonzero(slice_labels == 2) * pixel_cm2)
    assert l3["subcutaneous_fat_area_cm2"] == pytest.approx(
        np.count_nonzero(slice_labels == 1) * pixel_cm2)
    assert l3["visceral_fat_area_cm2"] == pytest.approx(
        np.count_nonzero(slice_labels == 3) * pixel_cm2)
    assert 50 < l3["muscle_area_cm2"] < 250  # an adult-like skeletal muscle area at L3
    assert abs(l3["z_mm"] - l3["nominal_z_mm"]) <= ct.spacing_mm[0] / 2


def test_ct_lesions_lie_inside_the_liver():
    data = datasets.load("ct_phantom", n_lesions=6, seed=5)
    from scipy.ndimage import binary_dilation

    lesion = data.labels == 10
    ring = binary_dilation(lesion) & ~lesion
    assert len(data.ground_truth["lesions"]) == 6
    assert set(np.unique(data.labels[ring])) == {4}
    none = datasets.load("ct_phantom", n_lesions=0)
    assert not (none.labels == 10).any() and none.ground_truth["lesions"] == []


# ---------------------------------------------------------------- ct_phantom_series

TYPE_1 = (
    "SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "Modality",
    "ImageType", "SamplesPerPixel", "PhotometricInterpretation", "Rows", "Columns",
    "BitsAllocated", "BitsStored", "HighBit", "PixelRepresentation", "RescaleIntercept",
    "RescaleSlope", "PixelData", "ImagePositionPatient", "ImageOrientationPatient",
    "PixelSpacing", "FrameOfReferenceUID",
)
# Attributes that identify a person, a place, a date or a record (a subset of the
# DICOM PS3.15 Annex E table). Descriptions and UIDs are checked separately.
IDENTIFYING = {
    "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "PatientAge",
    "OtherPatientIDs", "OtherPatientNames", "PatientAddress", "PatientTelephoneNumbers",
    "PatientBirthName", "PatientMotherBirthName", "MilitaryRank", "EthnicGroup",
    "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName",
    "ReferringPhysicianName", "ReferringPhysicianAddress", "ReferringPhysicianTelephoneNumbers",
    "PerformingPhysicianName", "PhysiciansOfRecord", "NameOfPhysiciansReadingStudy",
    "OperatorsName", "RequestingPhysician", "AccessionNumber", "StudyID", "StudyDate",
    "SeriesDate", "AcquisitionDate", "ContentDate", "StudyTime", "SeriesTime",
    "AcquisitionTime", "ContentTime", "AcquisitionDateTime", "StationName",
    "DeviceSerialNumber", "RequestedProcedureID", "ScheduledProcedureStepID",
    "ReasonForTheRequestedProcedure", "AdditionalPatientHistory", "PatientComments",
    "MedicalRecordLocator", "PersonName", "PersonAddress", "PersonTelephoneNumbers",
}
# Things that look like real identifiers and must not appear anywhere.
NOT_WRITTEN = ("seoul national university", "samsung medical", "asan medical", "severance",
               "mayo clinic", "massachusetts general", "johns hopkins", "@", "www.", "http")
REAL_LOOKING = (
    re.compile(r"\b\d{6}-[1-4]\d{6}\b"),  # Korean resident registration number
    re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),  # US social security number
    re.compile(r"\b01[016789]-?\d{3,4}-?\d{4}\b"),  # Korean mobile number
    re.compile(r"\b\d{3}[-. ]\d{3}[-. ]\d{4}\b"),  # ten-digit phone number
)


def _walk(ds, prefix=""):
    """(path, element) for every element, into sequences, private tags included."""
    for elem in ds:
        tag = elem.tag
        name = elem.keyword if elem.keyword and not tag.is_private else \
            f"({tag.group:04X},{tag.element:04X})"
        path = prefix + name
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                yield from _walk(item, f"{path}[{i}].")
        else:
            yield path, elem


def _text(elem) -> str:
    if elem.VM > 1:
        return "\\".join(str(v) for v in elem.value)
    return str(elem.value)


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    folder = tmp_path_factory.mktemp("medai-data-a")
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. pydicom's warning that a value is too long
        patch.setenv("MEDAI_DATA", str(folder))
        collection = datasets.load("ct_phantom_series")
        files = [pydicom.dcmread(path, force=False) for path in collection.paths]
    return collection, files


def test_series_files_are_dicom_file_format_ct_images(series):
    collection, files = series
    assert len(collection.paths) == 32
    for path, ds in zip(collection.paths, files, strict=True):
        raw = path.read_bytes()
        assert raw[:128] == bytes(128) and raw[128:132] == b"DICM"
        assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
        assert ds.file_meta.MediaStorageSOPClassUID == CT_IMAGE_STORAGE
        assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
        assert ds.SOPClassUID == CT_IMAGE_STORAGE and ds.Modality == "CT"
        for keyword in TYPE_1:
            assert keyword in ds and ds[keyword].value not in (None, "", b"", []), keyword
        assert ds.BitsAllocated == 16 and ds.SamplesPerPixel == 1
        assert ds.PhotometricInterpretation == "MONOCHROME2" and ds.BurnedInAnnotation == "NO"
        assert float(ds.RescaleIntercept) == -1024 and float(ds.RescaleSlope) == 1
        assert ds.RescaleType == "HU"
    assert len({ds.StudyInstanceUID for ds in files}) == 1
    assert len({ds.SeriesInstanceUID for ds in files}) == 1
    assert len({ds.FrameOfReferenceUID for ds in files}) == 1
    assert len({ds.SOPInstanceUID for ds in files}) == 32
    uids = collection.ground_truth["uids"]
    assert files[0].StudyInstanceUID == uids["StudyInstanceUID"]
    assert sorted(ds.SOPInstanceUID for ds in files) == sorted(uids["SOPInstanceUID"])


def test_series_sorted_by_position_and_rescaled_is_the_ct_phantom(series, ct):
    collection, files = series
    ordered = sorted(files, key=lambda ds: float(ds.ImagePositionPatient[2]))
    hu = np.stack([ds.pixel_array.astype(np.int32) * float(ds.RescaleSlope)
                   + float(ds.RescaleIntercept) for ds in ordered])
    assert np.array_equal(hu, ct.volume)
    # neither file names nor InstanceNumber are in slice order
    by_name = [float(ds.ImagePositionPatient[2]) for ds in files]
    assert by_name != sorted(by_name)
    by_instance = sorted(files, key=lambda ds: int(ds.InstanceNumber))
    assert [ds.SOPInstanceUID for ds in by_instance] == [ds.SOPInstanceUID for ds in ordered][::-1]
    assert [p.name for p in sorted(collection.paths, key=lambda p: float(
        pydicom.dcmread(p, stop_before_pixels=True).ImagePositionPatient[2]))] == \
        collection.ground_truth["file_by_slice"]
    for k, ds in enumerate(ordered):
        assert [float(v) for v in ds.PixelSpacing] == list(ct.spacing_mm[1:])
        assert float(ds.SliceThickness) == ct.spacing_mm[0]
        assert [float(v) for v in ds.ImageOrientationPatient] == [1, 0, 0, 0, 1, 0]
        assert np.allclose([float(v) for v in ds.ImagePositionPatient],
                           (ct.affine @ [k, 0, 0, 1])[:3])
        assert float(ds.SliceLocation) == float(ds.ImagePositionPatient[2])
        assert ds.Rows == ct.volume.shape[1] and ds.Columns == ct.volume.shape[2]


def test_series_phi_is_exactly_what_the_ground_truth_documents(series):
    collection, files = series
    documented = collection.ground_truth["phi"]
    assert documented == dicom_writer.phi_locations(collection.ground_truth["identity"])
    assert set(collection.ground_truth["phi_tags"]) == set(documented)
    # the documented locations include a nested sequence, a doubly nested one and a private tag
    assert any(path.startswith("RequestAttributesSequence[0].") for path in documented)
    assert any(".PersonIdentificationCodeSequence[0]." in path for path in documented)
    assert any(path.startswith("(0009,") for path in documented)
    phi_values = set(documented.values())
    uid_values = {collection.ground_truth["uids"][k] for k in
                  ("StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID")}
    for ds in files:
        found = {path: elem for path, elem in _walk(ds) if path != "PixelData"}
        for path, value in documented.items():
            assert path in found, path
            assert _text(found[path]) == value, path
        carrying = {path for path, elem in found.items() if _text(elem) in phi_values}
        assert carrying == set(documented)
        identifying = set()
        for path, elem in found.items():
            leaf = path.rsplit(".", 1)[-1]
            private_value = elem.tag.is_private and not elem.tag.is_private_creator
            person_code = ("PersonIdentificationCodeSequence" in path
                           and leaf in ("CodeValue", "CodeMeaning"))
            if leaf in IDENTIFYING or private_value or person_code:
                identifying.add(path)
            if elem.VR in ("PN", "DA", "TM", "DT", "AS"):
                assert path in documented, f"undocumented {elem.VR} at {path}"
            text = _text(elem).lower()
            assert not any(marker in text for marker in NOT_WRITTEN), path
            if path not in documented:
                assert not any(pattern.search(text) for pattern in REAL_LOOKING), path
        assert identifying == set(documented)
        assert {_text(found[k]) for k in ("StudyInstanceUID", "SeriesInstanceUID",
                                          "FrameOfReferenceUID")} == uid_values
    identity = collection.ground_truth["identity"]
    assert identity["PatientID"].startswith("MEDAI-")
    assert identity["InstitutionName"] == "Medai Teaching Hospital"


def test_series_fake_identities_vary_with_the_seed_and_use_korean_and_english_names():
    names = [dicom_writer.fake_patient(seed)["PatientName"] for seed in range(40)]
    assert len(set(names)) > 10
    assert any("=" in name for name in names)  # Korean names carry a Hangul component
    assert any("=" not in name for name in names)
    assert dicom_writer.fake_patient(3) == dicom_writer.fake_patient(3)


def test_fake_identifiers_fit_their_value_representations_for_many_seeds():
    from pydicom.datadict import dictionary_VR, tag_for_keyword

    limits = {"LO": 64, "SH": 16, "PN": 64, "DA": 8, "TM": 16, "AS": 4, "ST": 1024, "CS": 16}
    for seed in range(300):
        for path, value in dicom_writer.phi_locations(dicom_writer.fake_patient(seed)).items():
            leaf = path.rsplit(".", 1)[-1]
            vr = "LO" if leaf.startswith("(") else dictionary_VR(tag_for_keyword(leaf))
            longest = max(len(group.encode()) for group in value.split("="))
            assert longest <= limits[vr], (seed, path, value)
        patient = dicom_writer.fake_patient(seed)
        born = dt.datetime.strptime(patient["PatientBirthDate"], "%Y%m%d").date()
        seen = dt.datetime.strptime(patient["StudyDate"], "%Y%m%d").date()
        age = seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))
        assert patient["PatientAge"] == f"{age:03d}Y" and 34 <= age <= 80


def test_series_bytes_are_identical_in_another_cache_and_reused(series, tmp_path, monkeypatch):
    collection, _ = series
    monkeypatch.setenv("MEDAI_DATA", str(tmp_path))
    again = datasets.load("ct_phantom_series")
    assert again.paths[0].parent != collection.paths[0].parent
    assert [p.name for p in again.paths] == [p.name for p in collection.paths]
    for mine, theirs in zip(again.paths, collection.paths, strict=True):
        assert mine.read_bytes() == theirs.read_bytes()
    assert again.ground_truth["phi"] == collection.ground_truth["phi"]
    # a complete folder is reused as it is ...
    stamps = [p.stat().st_mtime_ns for p in again.paths]
    reused = datasets.load("ct_phantom_series")
    assert [p.stat().st_mtime_ns for p in reused.paths] == stamps
    # ... an incomplete one is written again
    again.paths[5].unlink()
    repaired = datasets.load("ct_phantom_series")
    assert repaired.paths == again.paths and repaired.paths[5].is_file()
    assert repaired.paths[5].read_bytes() == collection.paths[5].read_bytes()
    # ... and so is a folder written by other code (a manifest for another series)
    manifest = again.paths[0].parent / "manifest.json"
    manifest.write_text(manifest.read_text().replace(
        again.ground_truth["uids"]["SeriesInstanceUID"], "1.2.3.4"))
    again.paths[7].write_bytes(bytes(again.paths[7].stat().st_size))  # same size, stale
    rewritten = datasets.load("ct_phantom_series")
    assert rewritten.paths[7].read_bytes() == collection.paths[7].read_bytes()
    # other options go to another folder, with other UIDs
    other = datasets.load("ct_phantom_series", seed=1)
    assert other.paths[0].parent != again.paths[0].parent
    assert other.ground_truth["uids"]["StudyInstanceUID"] != \
        again.ground_truth["uids"]["StudyInstanceUID"]


def test_a_failed_write_leaves_nothing_in_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDAI_DATA", str(tmp_path))
    real_write = dicom_writer._write_slice
    written = []

    def failing_write(ds, path):
        if len(written) == 3:
            raise OSError("disk full (simulated)")
        real_write(ds, path)
        written.append(path)

    monkeypatch.setattr(dicom_writer, "_write_slice", failing_write)
    with pytest.raises(OSError, match="simulated"):
        datasets.load("ct_phantom_series", n_lesions=1)
    assert len(written) == 3
    parent = data_dir() / "synthetic" / "ct_phantom_series"
    assert not (parent / "small-lesions1-seed0-v1").exists()
    assert not [p for p in parent.rglob("*") if ".partial" in p.name]
    assert not any(p.exists() for p in written)
    monkeypatch.setattr(dicom_writer, "_write_slice", real_write)
    assert len(datasets.load("ct_phantom_series", n_lesions=1).paths) == 32


def test_write_ct_series_accepts_any_volume_and_patient_overrides(tmp_path):
    volume = np.arange(-1024, -1024 + 3 * 4 * 5, dtype=np.int16).reshape(3, 4, 5)
    small = VolumeDataset(name="tiny", volume=volume, spacing_mm=(2.0, 0.5, 0.75),
                          description="tiny")
    paths = dicom_writer.write_ct_series(small, tmp_path / "out", seed=4,
                                         patient={"PatientName": "Other^Person"})
    assert len(paths) == 3 and paths == sorted(paths)
    files = sorted((pydicom.dcmread(p) for p in paths),
                   key=lambda ds: float(ds.ImagePositionPatient[2]))
    assert np.array_equal(np.stack([ds.pixel_array.astype(int) - 1024 for ds in files]), volume)
    assert [float(v) for v in files[0].PixelSpacing] == [0.5, 0.75]
    assert float(files[1].ImagePositionPatient[2]) - float(files[0].ImagePositionPatient[2]) == 2
    assert str(files[0].PatientName) == "Other^Person"
    assert files[0].PatientID == dicom_writer.fake_patient(4)["PatientID"]
    with pytest.raises(ValueError, match="stored bits"):
        dicom_writer.write_ct_series(
            VolumeDataset(name="hot", volume=np.full((1, 2, 2), 4000, np.int16),
                          spacing_mm=(1.0, 1.0, 1.0), description=""),
            tmp_path / "bad", seed=0)
    with pytest.raises(ValueError, match="integer"):
        dicom_writer.write_ct_series(
            VolumeDataset(name="float", volume=np.zeros((1, 2, 2)), spacing_mm=(1.0, 1.0, 1.0),
                          description=""), tmp_path / "bad", seed=0)


def test_dicom_collection_read_and_paths_are_files(series):
    collection, _ = series
    assert all(isinstance(p, Path) and p.suffix == ".dcm" for p in collection.paths)
    assert collection.read(0).Modality == "CT"
    assert "ct_phantom" in collection.ground_truth["regenerate"]
