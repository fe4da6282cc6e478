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
    from conftest import REPO

    catalog = yaml.safe_load((REPO / "datasets" / "catalog.yml").read_text())["datasets"]
    assert sorted(catalog) == datasets.available()
    for name, entry in catalog.items():
        for field in ("kind", "module", "task", "size", "provenance", "licence", "phi", "card"):
            assert entry.get(field), f"{name}: catalog field {field!r} is empty"
        assert (REPO / "datasets" / entry["card"]).is_file(), f"{name}: card file missing"
