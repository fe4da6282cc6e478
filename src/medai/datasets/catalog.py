"""The dataset catalog (datasets/catalog.yml, installed as medai.catalog) and its cards."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from medai.datasets.registry import spec

REQUIRED_FIELDS = ("kind", "module", "task", "size", "provenance", "licence", "phi", "card")
KINDS = ("bundled-public", "synthetic", "download")


@lru_cache(maxsize=1)
def entries() -> dict[str, dict[str, Any]]:
    text = resources.files("medai.catalog").joinpath("catalog.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["datasets"]


def info(name: str) -> dict[str, Any]:
    """Catalog entry of a dataset, with its card's text under ``card_text``."""
    spec(name)  # unknown names get the registry's error, with close matches
    entry = dict(entries().get(name) or {})
    if not entry:
        raise KeyError(f"dataset {name!r} has a loader but no entry in datasets/catalog.yml")
    card = resources.files("medai.catalog").joinpath(entry["card"])
    entry["card_text"] = card.read_text(encoding="utf-8") if card.is_file() else ""
    return entry
