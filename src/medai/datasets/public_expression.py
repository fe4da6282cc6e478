"""Real tumour gene-expression data that ships inside an installed package, read in place.

API (stable): ``medai.datasets.load("gse7390_breast")`` (no options) returns a
``SurvivalDataset`` of 198 women with node-negative breast cancer (GEO series GSE7390,
Desmedt et al. 2007). ``data.frame`` has one row per patient with ``age`` (years),
``size_cm``, ``grade`` (``"well differentiated"``, ``"intermediate"``, ``"poorly
differentiated"``, ``"unknown"``), ``er`` (``"positive"``/``"negative"``), the outcome
columns ``tdm_days`` (time to distant metastasis or censoring, days; ``data.duration``)
and ``metastasis`` (1 = distant metastasis seen; ``data.event``), then 76 columns of log2
expression named by their Affymetrix HG-U133A probe-set ID (e.g. ``"219340_s_at"``:
every column whose name ends in ``_at``). ``ground_truth`` is empty (real data).

The file is ``sksurv/datasets/data/breast_cancer_GSE7390-metastasis.arff`` in the
scikit-survival wheel (requirements-data.txt, installed with ``--no-deps``). This module
never imports sksurv: it finds the package folder with ``importlib.util.find_spec``, which
does not execute the package, and parses the ARFF file with ``scipy.io.arff``. Missing
package -> ``DataPackageMissingError`` with the install command. The only edits to the
file's content: the R-style ``X`` prefix of the probe-set names is removed, byte strings
become text, the misspelt grade level ``unkown`` becomes ``unknown``, and the outcome
columns ``t.tdm``/``e.tdm`` are renamed ``tdm_days``/``metastasis``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from medai.datasets import catalog
from medai.datasets.registry import DataPackageMissingError, DatasetSpec

INSTALL_HINT = "pip install --no-deps -r requirements-data.txt"
PACKAGE = "sksurv"
GSE7390_FILE = ("datasets", "data", "breast_cancer_GSE7390-metastasis.arff")
CLINICAL = {"age": "age", "size": "size_cm", "grade": "grade", "er": "er",
            "t.tdm": "tdm_days", "e.tdm": "metastasis"}


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, located without importing the package."""
    found = importlib.util.find_spec(package)
    locations = list(found.submodule_search_locations or []) if found else []
    if not locations:
        raise DataPackageMissingError(
            f"the data package {package!r} (scikit-survival) is not installed; medai reads "
            f"its data file without importing it. Install it from the repository root "
            f"with: {INSTALL_HINT}",
            name=package,
        )
    path = Path(locations[0]).joinpath(*parts)
    if not path.is_file():
        raise DataPackageMissingError(
            f"{package} is installed but has no file {'/'.join(parts)!r}; the pinned version "
            f"may have been replaced. Reinstall with: {INSTALL_HINT}",
            name=package,
        )
    return path


def _text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def gse7390_breast():
    import pandas as pd
    from scipy.io import arff

    from medai.datasets.types import SurvivalDataset

    raw, _ = arff.loadarff(package_file(PACKAGE, *GSE7390_FILE))
    table = pd.DataFrame(raw)
    probes = [c for c in table.columns if c not in CLINICAL]
    frame = pd.DataFrame({
        "age": table["age"].astype("int64"),
        "size_cm": table["size"].astype(float),
        "grade": [g.replace("unkown", "unknown") for g in _text(table["grade"])],
        "er": _text(table["er"]),
        "tdm_days": table["t.tdm"].astype("int64"),
        "metastasis": [int(v) for v in _text(table["e.tdm"])],
    })
    expression = table[probes].astype(float)
    expression.columns = [p[1:] if p.startswith("X") else p for p in probes]
    frame = pd.concat([frame, expression], axis=1)
    frame.index.name = "patient"
    dictionary = {
        "age": "age at diagnosis, years",
        "size_cm": "tumour size, cm",
        "grade": "histological grade: well differentiated, intermediate, poorly "
                 "differentiated, unknown (2 patients)",
        "er": "oestrogen-receptor status: positive / negative",
        "tdm_days": "time from diagnosis to distant metastasis or censoring, days",
        "metastasis": "1 = distant metastasis observed, 0 = censored (no metastasis seen)",
        "<probe set>": "log2 expression of one Affymetrix HG-U133A probe set (e.g. "
                       "219340_s_at), as distributed in the data file",
    }
    return SurvivalDataset(
        name="gse7390_breast",
        frame=frame,
        duration="tdm_days",
        event="metastasis",
        description=(
            "198 women with untreated, lymph-node-negative breast cancer (TRANSBIG "
            "validation series, GEO GSE7390): age, tumour size, grade, ER status, time to "
            "distant metastasis and tumour expression of the 76 probe sets of the Wang et "
            "al. 2005 prognostic signature. Real data."
        ),
        source=(
            "Desmedt et al. (2007) Clin Cancer Res 13:3207-3214, GEO GSE7390; file "
            "breast_cancer_GSE7390-metastasis.arff of the scikit-survival package, read "
            "in place"
        ),
        licence=catalog.licence("gse7390_breast"),
        data_dictionary=dictionary,
    )


DATASETS = {
    "gse7390_breast": DatasetSpec(gse7390_breast),
}
