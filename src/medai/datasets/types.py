"""What `medai.datasets.load` returns: small, typed containers a lesson can rely on.

Every container has a ``name``, a one-paragraph ``description`` and a
``ground_truth`` mapping. For synthetic data the ground truth holds the
parameters of the generative model (the answers an instructor may need); for
real data it is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: `import medai.datasets` stays light (no pandas)
    import numpy as np
    import pandas as pd


@dataclass(frozen=True)
class TabularDataset:
    """Features, one outcome column, and a data dictionary (column -> meaning, unit)."""

    name: str
    features: pd.DataFrame
    target: pd.Series
    target_names: dict[int, str]
    description: str
    source: str
    licence: str
    data_dictionary: dict[str, str] = field(default_factory=dict)
    ground_truth: dict[str, Any] = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        """Features and outcome in one table, for exploration."""
        return self.features.assign(**{self.target.name: self.target})


@dataclass(frozen=True)
class TableDataset:
    """A table (or a dict of related tables) with a data dictionary, e.g. an EHR extract."""

    name: str
    tables: dict[str, pd.DataFrame]
    description: str
    data_dictionary: dict[str, str] = field(default_factory=dict)
    ground_truth: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


@dataclass(frozen=True)
class SurvivalDataset:
    """One row per subject: a follow-up time, an event indicator (1 = event seen) and covariates."""

    name: str
    frame: pd.DataFrame
    duration: str
    event: str
    description: str
    source: str
    licence: str
    data_dictionary: dict[str, str] = field(default_factory=dict)
    ground_truth: dict[str, Any] = field(default_factory=dict)

    @property
    def covariates(self) -> list[str]:
        return [c for c in self.frame.columns if c not in (self.duration, self.event)]


@dataclass(frozen=True)
class ImageDataset:
    """A stack of 2D images (n, height, width) with labels, optional masks and pixel spacing."""

    name: str
    images: np.ndarray
    labels: np.ndarray
    label_names: dict[int, str]
    spacing_mm: tuple[float, float]
    description: str
    masks: np.ndarray | None = None
    metadata: pd.DataFrame | None = None
    ground_truth: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VolumeDataset:
    """A 3D volume (z, y, x), e.g. CT in Hounsfield units, with a label map and voxel spacing."""

    name: str
    volume: np.ndarray
    spacing_mm: tuple[float, float, float]  # (z, y, x)
    description: str
    labels: np.ndarray | None = None
    label_names: dict[int, str] = field(default_factory=dict)
    affine: np.ndarray | None = None
    ground_truth: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DicomCollection:
    """DICOM files on disk (read-only, inside an installed package or a cache folder)."""

    name: str
    paths: tuple[Path, ...]
    description: str
    ground_truth: dict[str, Any] = field(default_factory=dict)

    def read(self, index: int = 0):
        """The pydicom Dataset of one file."""
        import pydicom

        return pydicom.dcmread(self.paths[index])


@dataclass(frozen=True)
class SignalDataset:
    """Multichannel signals (n_records, n_channels, n_samples) at ``sampling_rate_hz``."""

    name: str
    signals: np.ndarray
    sampling_rate_hz: float
    channels: tuple[str, ...]
    labels: np.ndarray
    label_names: dict[int, str]
    description: str
    units: str = "mV"
    metadata: pd.DataFrame | None = None
    ground_truth: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TextDataset:
    """Short documents with labels, one per row of ``frame`` (column ``text``)."""

    name: str
    frame: pd.DataFrame
    description: str
    data_dictionary: dict[str, str] = field(default_factory=dict)
    ground_truth: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MoleculeDataset:
    """Molecules as SMILES with measured or synthetic properties; RDKit molecules on demand."""

    name: str
    frame: pd.DataFrame  # has a "smiles" column
    description: str
    source: str
    licence: str
    target: str | None = None  # the property column a model predicts, if any
    data_dictionary: dict[str, str] = field(default_factory=dict)
    ground_truth: dict[str, Any] = field(default_factory=dict)

    def molecules(self) -> list:
        """RDKit molecules parsed from the SMILES column (None where parsing fails)."""
        from rdkit import Chem

        return [Chem.MolFromSmiles(s) for s in self.frame["smiles"]]


@dataclass(frozen=True)
class GraphDataset:
    """A graph as node and edge tables, e.g. drugs and their interactions."""

    name: str
    nodes: pd.DataFrame
    edges: pd.DataFrame  # columns "source", "target" plus attributes
    description: str
    data_dictionary: dict[str, str] = field(default_factory=dict)
    ground_truth: dict[str, Any] = field(default_factory=dict)
