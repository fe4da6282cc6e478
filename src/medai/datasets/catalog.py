"""The dataset catalog (datasets/catalog.yml, installed as medai.catalog) and its cards.

The catalog is the one home of each dataset's facts (kind, task, size, provenance,
licence, PHI status); a card explains the data and does not retype them. Whatever
shows a card shows its catalog entry with it: ``medai datasets info NAME`` prints the
entry's fields above the card, and the site's dataset page puts them in a table, so
the licence a reader sees is always the catalog's (tests/test_dataset_cards.py).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from medai.datasets.registry import spec

REQUIRED_FIELDS = ("kind", "module", "task", "size", "provenance", "licence", "phi", "card")
KINDS = ("bundled-public", "synthetic", "download")


def _folder():
    """The installed datasets/ folder (catalog.yml and cards/); tests may point it elsewhere."""
    return resources.files("medai.catalog")


@lru_cache(maxsize=1)
def entries() -> dict[str, dict[str, Any]]:
    text = _folder().joinpath("catalog.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["datasets"]


def licence(name: str) -> str:
    """A dataset's licence as the catalog states it: loaders and cards never retype it."""
    return entries()[name]["licence"]


def info(name: str) -> dict[str, Any]:
    """Catalog entry of a dataset (its licence included), with its card's text under ``card_text``.

    Cards carry no licence: ``entry["licence"]`` is the only one, and whoever shows
    ``card_text`` shows the entry's fields with it.
    """
    spec(name)  # unknown names get the registry's error, with close matches
    entry = dict(entries().get(name) or {})
    if not entry:
        raise KeyError(f"dataset {name!r} has a loader but no entry in datasets/catalog.yml")
    card = _folder().joinpath(entry["card"])
    entry["card_text"] = card.read_text(encoding="utf-8") if card.is_file() else ""
    return entry
