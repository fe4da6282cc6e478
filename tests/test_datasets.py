"""Datasets load offline, with the clinical coding the lessons rely on."""

from __future__ import annotations

import pytest

from medai import datasets
from medai.cli import main


def test_breast_cancer_is_coded_with_malignant_as_positive():
    data = datasets.load("breast_cancer_wisconsin")
    assert data.features.shape == (569, 30)
    assert data.target.name == "malignant"
    # Street et al. 1993: 212 malignant and 357 benign masses.
    assert int(data.target.sum()) == 212 and int((data.target == 0).sum()) == 357
    assert data.target_names == {0: "benign", 1: "malignant"}
    # Malignant nuclei are larger: the recoding did not flip the meaning.
    radius = data.features["mean radius"]
    assert radius[data.target == 1].mean() > radius[data.target == 0].mean()
    assert list(data.frame.columns)[-1] == "malignant"


def test_unknown_dataset_names_the_valid_ones():
    with pytest.raises(datasets.UnknownDatasetError) as caught:
        datasets.load("breast_cancer")
    assert "breast_cancer_wisconsin" in str(caught.value)
    assert "medai datasets list" in str(caught.value)


def test_cli_lists_datasets(capsys):
    assert main(["datasets", "list"]) == 0
    assert "breast_cancer_wisconsin" in capsys.readouterr().out.split()


def test_catalog_and_registry_list_the_same_datasets():
    import yaml
    from helpers import REPO

    catalog = yaml.safe_load((REPO / "datasets" / "catalog.yml").read_text())["datasets"]
    assert sorted(catalog) == sorted(datasets.available())
    for name, entry in catalog.items():
        for field in ("kind", "module", "task", "size", "provenance", "licence", "phi", "card"):
            assert entry.get(field), f"{name}: catalog field {field!r} is empty"
        assert (REPO / "datasets" / entry["card"]).is_file(), f"{name}: card file missing"


def test_survival_sets_code_the_event_as_one():
    for name, n_rows, n_events in (("gbsg2", 686, 299), ("lung_ncctg", 228, 165)):
        data = datasets.load(name)
        assert len(data.frame) == n_rows
        assert set(data.frame[data.event].unique()) == {0, 1}
        assert int(data.frame[data.event].sum()) == n_events
        assert (data.frame[data.duration] > 0).all()
        assert set(data.data_dictionary) == set(data.frame.columns)


def test_dicom_samples_are_real_files_with_the_catalogued_checksum():
    import pydicom

    from medai.datasets import catalog
    from medai.datasets.verify import files_sha256

    ct = datasets.load("dicom_ct").read()
    assert ct.Modality == "CT" and float(ct.RescaleIntercept) == -1024
    hu = ct.pixel_array * float(ct.RescaleSlope) + float(ct.RescaleIntercept)
    assert hu.min() >= -1100 and hu.max() > 500  # air and bone in Hounsfield units
    chest = datasets.load("dicom_cr_chest").read()
    assert (chest.Modality, chest.Rows, chest.Columns) == ("CR", 1955, 1841)
    ecg = pydicom.dcmread(datasets.load("dicom_ecg_waveform").paths[0])
    assert ecg.WaveformSequence[0].NumberOfWaveformChannels == 12
    entries = catalog.entries()
    for name in ("dicom_ct", "dicom_cr_chest", "dicom_ecg_waveform"):
        assert files_sha256(datasets.load(name)) == entries[name]["sha256"]


def test_mni152_template_volume_and_tissue_labels():
    brain = datasets.load("mni152_brain")
    assert brain.volume.shape == (189, 233, 197) and brain.spacing_mm == (1.0, 1.0, 1.0)
    grey_ml = (brain.labels == 1).sum() / 1000
    white_ml = (brain.labels == 2).sum() / 1000
    # An adult brain has roughly 500-800 mL of grey and 400-600 mL of white matter.
    assert 500 < grey_ml < 1200 and 350 < white_ml < 800


def test_invalid_option_names_the_valid_values():
    with pytest.raises(datasets.DatasetOptionError) as caught:
        datasets.load("pneumoniamnist", split="training")
    assert "'train', 'val', 'test'" in str(caught.value)
    with pytest.raises(datasets.DatasetOptionError, match="valid options: split"):
        datasets.load("pneumoniamnist", splitt="train")
    with pytest.raises(datasets.DatasetOptionError, match="valid options: none"):
        datasets.load("gbsg2", seed=1)


def test_info_gives_the_catalog_entry_and_card(capsys):
    entry = datasets.info("gbsg2")
    assert entry["kind"] == "bundled-public" and "Schumacher" in entry["card_text"]
    assert main(["datasets", "info", "gbsg2"]) == 0
    assert "licence:" in capsys.readouterr().out
    assert main(["datasets", "info", "gbsg"]) == 2
    assert "Did you mean gbsg2" in capsys.readouterr().err


def test_verify_checks_real_datasets(capsys):
    assert main(["datasets", "verify", "gbsg2", "dicom_ct", "pneumoniamnist"]) == 0
    out = capsys.readouterr().out
    assert "gbsg2" in out and "686x10" in out
    assert "optional download, not present" in out


def test_verify_fails_on_a_wrong_checksum_or_shape(monkeypatch):
    from medai.datasets import catalog, verify

    real = catalog.entries()
    tampered = {name: dict(entry) for name, entry in real.items()}
    tampered["dicom_ct"]["sha256"] = "0" * 64
    tampered["gbsg2"]["shape"] = "686x11"
    monkeypatch.setattr(catalog, "entries", lambda: tampered)
    assert verify.check("dicom_ct").status == "failed"
    assert "sha256" in verify.check("dicom_ct").detail
    assert verify.check("gbsg2").detail == "shape 686x10, catalog says 686x11"


def test_catalog_modules_are_course_modules():
    import yaml
    from helpers import REPO

    from medai.course import manifest

    modules = {m.id for m in manifest.load(REPO / "course" / "course.yml").modules}
    catalog = yaml.safe_load((REPO / "datasets" / "catalog.yml").read_text())["datasets"]
    assert {entry["module"] for entry in catalog.values()} == modules
    topics = {entry.get("topic") for entry in catalog.values()}
    assert {"survival", "biosignals"} <= topics


def test_approved_drugs_carry_approval_years():
    drugs = datasets.load("chembl_approved_drugs")
    assert drugs.frame.shape == (2628, 5)
    assert drugs.frame["first_approval"].between(1900, 2030).all()
    assert drugs.frame.loc[drugs.frame["name"] == "PRAZOSIN", "first_approval"].item() == 1976
