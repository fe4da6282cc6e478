"""Every lesson and assignment gets its data here, never from another lesson's folder.

>>> from medai import datasets
>>> data = datasets.load("breast_cancer_wisconsin")
>>> data.features.shape
(569, 30)

``datasets.list()`` names every dataset; ``datasets.info(name)`` gives its
catalog entry (kind, task, provenance, licence, PHI statement, card).
"""

from medai.datasets.catalog import info
from medai.datasets.registry import (
    DataPackageMissingError,
    DatasetOptionError,
    UnknownDatasetError,
    available,
    load,
)
from medai.datasets.types import (
    DicomCollection,
    GraphDataset,
    ImageDataset,
    MoleculeDataset,
    SignalDataset,
    SurvivalDataset,
    TableDataset,
    TabularDataset,
    TextDataset,
    VolumeDataset,
)

list = available  # noqa: A001  (the issue's API name; `available` is the same function)

__all__ = [
    "DataPackageMissingError", "DatasetOptionError", "DicomCollection", "GraphDataset",
    "ImageDataset", "MoleculeDataset", "SignalDataset", "SurvivalDataset", "TableDataset",
    "TabularDataset", "TextDataset", "UnknownDatasetError", "VolumeDataset", "available",
    "info", "list", "load",
]
