"""Each dataset's licence has one home, datasets/catalog.yml; the cards never retype it.

A card explains its data and the catalog holds the facts. Every way a card is shown
(``medai.datasets.info``, ``medai datasets info NAME``, the site's dataset page) shows
the catalog's licence with it, so what a reader sees cannot drift from the catalog.
The tests read this checkout's datasets/ folder, not an installed copy of it.
"""

from __future__ import annotations

import re

import pytest
import yaml
from helpers import REPO

from medai import datasets
from medai.cli import main
from medai.datasets import catalog, registry

FOLDER = REPO / "datasets"
CATALOG = yaml.safe_load((FOLDER / "catalog.yml").read_text(encoding="utf-8"))["datasets"]
CARDS = sorted({entry["card"] for entry in CATALOG.values()})
# A retyped licence: the word itself or a licence name. Code spans (such as a
# ground_truth key called `licence`) are removed before searching.
LICENCE_TEXT = re.compile(r"(?i:licen[cs])|\bCC[ -]BY\b|Apache-2|BSD-3|\bGPL|\(MIT\)|\bMIT \(")


@pytest.fixture
def this_checkout(monkeypatch):
    """Point catalog.entries and catalog.info at this checkout's datasets/ folder."""
    monkeypatch.setattr(catalog, "_folder", lambda: FOLDER)
    catalog.entries.cache_clear()
    yield
    catalog.entries.cache_clear()


def test_every_dataset_has_a_catalog_licence_and_a_card():
    assert set(CATALOG) == set(registry.available())
    for name, entry in CATALOG.items():
        assert isinstance(entry["licence"], str) and entry["licence"].strip(), name
        assert (FOLDER / entry["card"]).is_file(), f"{name}: {entry['card']} is missing"


@pytest.mark.parametrize("card", CARDS)
def test_cards_do_not_retype_the_licence(card):
    prose = re.sub(r"`[^`\n]*`", "", (FOLDER / card).read_text(encoding="utf-8"))
    retyped = [line for line in prose.splitlines() if LICENCE_TEXT.search(line)]
    assert not retyped, (f"{card} states a licence, which drifts: the catalog's licence "
                         f"field is the only one and is shown with the card. {retyped}")


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_display_of_a_card_shows_the_catalog_licence(name, this_checkout, capsys):
    from medai.site import pages

    licence = CATALOG[name]["licence"]
    card = (FOLDER / CATALOG[name]["card"]).read_text(encoding="utf-8")

    entry = datasets.info(name)
    assert entry["licence"] == licence and entry["card_text"] == card

    assert main(["datasets", "info", name]) == 0
    out = capsys.readouterr().out
    shown = [line.split(":", 1)[1].strip() for line in out.splitlines()
             if line.startswith("licence:")]
    assert shown == [licence]
    assert card.rstrip() in out

    assert "|" not in licence  # a table cell as it is
    page = pages.dataset(name, catalog.info(name))
    rows = [line for line in page.splitlines() if line.startswith("| licence |")]
    assert rows == [f"| licence | {licence} |"]
