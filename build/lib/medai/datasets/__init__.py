"""Every lesson and assignment gets its data here, never from another lesson's folder.

>>> from medai import datasets
>>> data = datasets.load("breast_cancer_wisconsin")
>>> data.features.shape
(569, 30)
"""

from medai.datasets.registry import TabularDataset, UnknownDatasetError, available, load

__all__ = ["TabularDataset", "UnknownDatasetError", "available", "load"]
