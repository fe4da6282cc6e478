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


def info(name: str, language: str = "en") -> dict[str, Any]:
    """Catalog entry of a dataset (its licence included), with its card's text under
    ``card_text`` (in ``language`` when the card is translated).

    Cards carry no licence: ``entry["licence"]`` is the only one, and whoever shows
    ``card_text`` shows the entry's fields with it.
    """
    spec(name)  # unknown names get the registry's error, with close matches
    entry = dict(entries().get(name) or {})
    if not entry:
        raise KeyError(f"dataset {name!r} has a loader but no entry in datasets/catalog.yml")
    card = _folder().joinpath(entry["card"])
    translated = _folder().joinpath(card_translation(entry["card"], language))
    if language != "en" and translated.is_file():
        card = translated
    text = card.read_text(encoding="utf-8") if card.is_file() else ""
    entry["card_text"] = text.split("\n", 1)[1] if text.startswith("<!--") else text
    return entry


# The first line of a translated card: which English it translates (a hash of its text),
# so an English edit makes the translation stale.
TRANSLATION_MARK = "<!-- translation of {card}, English sha256 {digest} -->"


def card_translation(card: str, language: str) -> str:
    """cards/ecg.md -> cards/ecg.ko.md"""
    stem, _, suffix = card.rpartition(".")
    return f"{stem}.{language}.{suffix}"


def card_problems(language: str) -> list[str]:
    """Cards with no translation into ``language``, or one made from an older English."""
    from medai.course.translation import cell_key

    found = []
    for _, entry in sorted(entries().items()):
        english = _folder().joinpath(entry["card"])
        translated = _folder().joinpath(card_translation(entry["card"], language))
        if not english.is_file():
            continue
        mark = TRANSLATION_MARK.format(card=english.name,
                                       digest=cell_key(english.read_text(encoding="utf-8")))
        if not translated.is_file():
            found.append(f"{entry['card']}: no {language} translation "
                         f"({card_translation(entry['card'], language)})")
        elif translated.read_text(encoding="utf-8").split("\n", 1)[0] != mark:
            found.append(f"{card_translation(entry['card'], language)}: stale or unmarked; "
                         f"its first line must be: {mark}")
    return found
