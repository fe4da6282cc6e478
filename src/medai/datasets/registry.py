"""Name -> loader registry with validated options.

Each provider module declares ``DATASETS: dict[str, DatasetSpec]`` and imports
its heavy libraries inside the loader functions, so importing medai.datasets
stays cheap and free of side effects. A name or option mistake gets an error
that says what would have been valid.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from medai.errors import MedaiError

# Modules that declare DATASETS. Order is the order of `medai datasets list`.
PROVIDERS = (
    "medai.datasets.public_tabular",
    "medai.datasets.public_survival",
    "medai.datasets.public_imaging",
    "medai.datasets.public_molecules",
    "medai.datasets.synthetic_ehr",
    "medai.datasets.synthetic_imaging",
    "medai.datasets.synthetic_signals",
    "medai.datasets.synthetic_text",
    "medai.datasets.synthetic_chemistry",
    "medai.datasets.synthetic_trials",
    "medai.datasets.synthetic_head_ct",
    "medai.datasets.synthetic_brain_mri",
    "medai.datasets.synthetic_hand_xray",
    "medai.datasets.synthetic_spectra",
    "medai.datasets.public_expression",
    "medai.datasets.synthetic_immunotherapy",
    "medai.datasets.public_reports",
    "medai.datasets.curated_faq",
    "medai.datasets.synthetic_identities",
    "medai.datasets.synthetic_hospitals",
    "medai.datasets.synthetic_outbreak",
    "medai.datasets.remote_imaging",
)


class UnknownDatasetError(MedaiError, KeyError):
    """A dataset name that is not in the catalog."""

    def __str__(self) -> str:  # KeyError would print the repr
        return str(self.args[0])


class DataPackageMissingError(MedaiError, ModuleNotFoundError):
    """A package that ships a dataset's files is not installed; says how to install it."""


class DatasetOptionError(MedaiError, ValueError):
    """An option that the dataset does not take, or a value out of its range."""


@dataclass(frozen=True)
class Option:
    """One keyword a loader accepts, with its default and valid values."""

    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] | None = None

    def check(self, dataset: str, key: str, value: Any) -> Any:
        """The value, converted int -> float where a float is expected; else a clear error."""
        expected = type(self.default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        wrong_type = isinstance(value, bool) != (expected is bool) or not isinstance(
            value, expected
        )
        if self.default is not None and wrong_type:
            raise DatasetOptionError(
                f"{dataset}: option {key}={value!r} must be {expected.__name__} ({self.help})"
            )
        if self.choices is not None and value not in self.choices:
            valid = ", ".join(repr(c) for c in self.choices)
            raise DatasetOptionError(f"{dataset}: option {key}={value!r}; valid values: {valid}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            low = self.minimum if self.minimum is not None else float("-inf")
            high = self.maximum if self.maximum is not None else float("inf")
            if not low <= value <= high:
                raise DatasetOptionError(
                    f"{dataset}: option {key}={value!r} is out of range; valid range is "
                    f"{low:g} to {high:g} ({self.help})"
                )
        return value


@dataclass(frozen=True)
class DatasetSpec:
    """How to load one dataset; its descriptive facts live in datasets/catalog.yml."""

    loader: Callable[..., Any]
    options: dict[str, Option] = field(default_factory=dict)


@cache
def _specs() -> dict[str, DatasetSpec]:
    specs: dict[str, DatasetSpec] = {}
    for module_name in PROVIDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name == module_name:
                continue  # a provider not written yet
            raise
        for name, spec in module.DATASETS.items():
            if name in specs:
                raise RuntimeError(f"dataset {name!r} is declared twice (in {module_name})")
            specs[name] = spec
    return specs


def available() -> list[str]:
    """Names accepted by :func:`load`, in catalog order."""
    return list(_specs())


def spec(name: str) -> DatasetSpec:
    specs = _specs()
    if name not in specs:
        close = difflib.get_close_matches(name, specs, n=3, cutoff=0.4)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownDatasetError(
            f"unknown dataset {name!r}.{hint} Run `medai datasets list` for all "
            f"{len(specs)} names."
        )
    return specs[name]


def load(name: str, **options: Any) -> Any:
    """Load a dataset by its catalog name; works with no network."""
    dataset = spec(name)
    unknown = sorted(set(options) - set(dataset.options))
    if unknown:
        valid = ", ".join(sorted(dataset.options)) or "none"
        raise DatasetOptionError(f"{name}: unknown option {unknown[0]!r}; valid options: {valid}")
    values = {key: option.default for key, option in dataset.options.items()}
    for key, value in options.items():
        values[key] = dataset.options[key].check(name, key, value)
    return dataset.loader(**values)
