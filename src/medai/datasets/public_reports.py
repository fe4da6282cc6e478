"""Real chest X-ray reports that ship inside an installed package, read in place.

API (stable): ``medai.datasets.load("iu_xray_reports")`` (no options) returns a
``TableDataset`` whose ``tables["reports"]`` has one row per report (3,955 rows) with
``report_id`` (int, the number N of the file ``ecgen-radiology/N.xml``), the four report
sections ``comparison``, ``indication``, ``findings``, ``impression`` (str, ``""`` when the
section is absent; the de-identification token ``XXXX`` is kept as it is), ``mesh_major``
(list of str: the manual ``<MeSH><major>`` terms, e.g. ``["normal"]`` or
``["Cardiomegaly/borderline", "Pulmonary Atelectasis/base/left"]``), ``mesh_automatic``
(list of str: the terms found by an automatic tagger), ``normal`` (bool, ``mesh_major ==
["normal"]``) and ``n_images`` (int, number of ``parentImage`` elements). ``ground_truth``
is empty (real data).

The reports are the Indiana University chest X-ray collection (Demner-Fushman et al. 2016,
J Am Med Inform Assoc 23(2):304-310, doi:10.1093/jamia/ocv080), distributed by the US
National Library of Medicine under CC BY-NC-ND 4.0. The torchxrayvision wheel
(requirements-data.txt, installed with ``--no-deps``) ships them as
``torchxrayvision/data/NLMCXR_reports.tgz``. This module never imports torchxrayvision: it
finds the file with ``importlib.util.find_spec`` and reads each XML member from the archive
in memory with ``tarfile`` and ``xml.etree``; nothing is extracted to disk. The licence
forbids distributing modified copies: medai never writes any version of these reports, it
only builds a table in memory each time they are loaded.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from medai.datasets import catalog
from medai.datasets.registry import DataPackageMissingError, DatasetSpec

INSTALL_HINT = "pip install --no-deps -r requirements-data.txt"
PACKAGE = "torchxrayvision"
REPORTS_FILE = ("data", "NLMCXR_reports.tgz")
SECTIONS = ("comparison", "indication", "findings", "impression")


def reports_file() -> Path:
    """The archive inside the installed package, found without importing the package."""
    found = importlib.util.find_spec(PACKAGE)
    locations = list(found.submodule_search_locations or []) if found else []
    path = Path(locations[0]).joinpath(*REPORTS_FILE) if locations else None
    if path is None or not path.is_file():
        raise DataPackageMissingError(
            f"the data package {PACKAGE!r} (torchxrayvision 1.5.7, which ships the Indiana "
            f"University chest X-ray reports as {'/'.join(REPORTS_FILE)}) is not installed "
            f"or lacks that file; medai reads it in place without importing the package. "
            f"Install it from the repository root with: {INSTALL_HINT}",
            name=PACKAGE,
        )
    return path


def _text(element) -> str:
    """The text of an element with surrounding whitespace removed; "" when empty."""
    return " ".join((element.text or "").split()) if element is not None else ""


def _parse(report_id: int, content: bytes) -> dict:
    """One report's sections, MeSH terms and image count from its XML bytes."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(content)
    row: dict = {"report_id": report_id}
    sections = {s.get("Label", "").lower(): _text(s) for s in root.iter("AbstractText")}
    for section in SECTIONS:
        row[section] = sections.get(section, "")
    mesh = root.find("MeSH")
    row["mesh_major"] = [_text(m) for m in mesh.findall("major")] if mesh is not None else []
    row["mesh_automatic"] = (
        [_text(m) for m in mesh.findall("automatic")] if mesh is not None else []
    )
    row["normal"] = row["mesh_major"] == ["normal"]
    row["n_images"] = len(root.findall("parentImage"))
    return row


def _read_reports(path) -> list[dict]:
    """Every ``ecgen-radiology/N.xml`` member of the archive, parsed in memory."""
    import tarfile

    rows = []
    with tarfile.open(path, mode="r:gz") as archive:
        for member in archive:
            name = member.name
            if not (member.isfile() and name.endswith(".xml")):
                continue
            stem = name.rsplit("/", 1)[-1][: -len(".xml")]
            if not stem.isdigit():
                continue
            handle = archive.extractfile(member)
            rows.append(_parse(int(stem), handle.read()))
    return rows


def iu_xray_reports():
    import pandas as pd

    from medai.datasets.types import TableDataset

    rows = _read_reports(reports_file())
    columns = ["report_id", *SECTIONS, "mesh_major", "mesh_automatic", "normal", "n_images"]
    reports = pd.DataFrame(rows, columns=columns).sort_values("report_id")
    reports = reports.reset_index(drop=True)
    reports["report_id"] = reports["report_id"].astype("int64")
    reports["normal"] = reports["normal"].astype(bool)
    reports["n_images"] = reports["n_images"].astype("int64")
    dictionary = {
        "report_id": "number N of the source file ecgen-radiology/N.xml (one examination)",
        "comparison": "COMPARISON section: earlier studies compared with; '' when absent",
        "indication": "INDICATION section: why the examination was requested; '' when absent",
        "findings": "FINDINGS section: what the radiologist saw, organ by organ; '' when absent",
        "impression": "IMPRESSION section: the conclusion for the referring doctor; '' when "
                      "absent",
        "mesh_major": "list of manual MeSH-based codes (finding/location/attribute...), "
                      "['normal'] for a normal examination",
        "mesh_automatic": "list of terms found in the report by an automatic tagger",
        "normal": "True when mesh_major is exactly ['normal']",
        "n_images": "number of images (frontal and lateral views) attached to the report",
    }
    return TableDataset(
        name="iu_xray_reports",
        tables={"reports": reports},
        description=(
            f"{len(reports):,} de-identified chest X-ray reports of the Indiana University "
            "collection (Demner-Fushman et al. 2016) with their sections, manual MeSH codes "
            "and automatic terms; 'XXXX' marks text removed by de-identification. Real data, "
            "CC BY-NC-ND 4.0: read in place, never written back in modified form. "
            f"Licence: {catalog.licence('iu_xray_reports')}"
        ),
        data_dictionary=dictionary,
    )


DATASETS = {
    "iu_xray_reports": DatasetSpec(iu_xray_reports),
}
