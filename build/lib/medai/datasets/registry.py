"""Name -> loader registry, so a typo gets a list of valid names instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd


class UnknownDatasetError(KeyError):
    """Raised for a dataset name that is not in the catalog."""

    def __str__(self) -> str:  # KeyError would otherwise print the repr
        return str(self.args[0])


@dataclass(frozen=True)
class TabularDataset:
    """A table of features with one outcome column, plus the facts a data card needs."""

    name: str
    features: pd.DataFrame
    target: pd.Series
    target_names: dict[int, str]
    description: str
    source: str
    licence: str

    @property
    def frame(self) -> pd.DataFrame:
        """Features and outcome in one table, for exploration."""
        return self.features.assign(**{self.target.name: self.target})


def _breast_cancer_wisconsin() -> TabularDataset:
    from sklearn.datasets import load_breast_cancer

    raw = load_breast_cancer(as_frame=True)
    # scikit-learn codes malignant as 0. Clinically the disease is the positive
    # class, so recode: 1 = malignant, 0 = benign. Sensitivity then means what
    # a clinician expects it to mean.
    malignant = (raw.target == 0).astype("int64").rename("malignant")
    return TabularDataset(
        name="breast_cancer_wisconsin",
        features=raw.data.copy(),
        target=malignant,
        target_names={0: "benign", 1: "malignant"},
        description=(
            "Wisconsin Diagnostic Breast Cancer: 30 nuclear features computed from "
            "digitised fine-needle aspirates of breast masses, 569 patients "
            "(212 malignant, 357 benign)."
        ),
        source=(
            "Street, Wolberg & Mangasarian (1993), via scikit-learn "
            "sklearn.datasets.load_breast_cancer (UCI ML repository)."
        ),
        licence="CC BY 4.0 (UCI Machine Learning Repository)",
    )


_LOADERS: dict[str, Callable[[], TabularDataset]] = {
    "breast_cancer_wisconsin": _breast_cancer_wisconsin,
}


def available() -> list[str]:
    """Names accepted by :func:`load`, sorted."""
    return sorted(_LOADERS)


def load(name: str) -> TabularDataset:
    """Load a dataset by its catalog name; works with no network."""
    try:
        loader = _LOADERS[name]
    except KeyError:
        raise UnknownDatasetError(
            f"unknown dataset {name!r}. Available: {', '.join(available())}. "
            "Run `medai datasets list` to see them with their descriptions."
        ) from None
    return loader()
