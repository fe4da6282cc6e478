"""A lesson's headline figures, shown to students and read back by the tests.

A lesson calls ``show`` once with the numbers it stands on (a held-out Dice,
a test RMSE and the published figure beside it). Students see a small table;
the same output carries the figures as JSON under a vendor MIME type that no
front end renders, so ``read`` finds them in the executed notebook without
parsing prose. The test suite checks them against the issue's targets and the
notebook benchmark records them.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping

MIME = "application/vnd.medai.key-results+json"


def _bundle(figures: Mapping[str, float], published: Mapping[str, str] | None,
            caption: str) -> dict:
    for name, value in figures.items():
        if not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"key result {name!r} must be a finite number, not {value!r}")
    published = dict(published or {})
    rows = [f"| {name} | {value:.4g} | {published.get(name, '')} |"
            for name, value in figures.items()]
    markdown = "\n".join([f"**{caption}**", "", "| figure | this notebook | published |",
                          "|---|---|---|", *rows])
    plain = "\n".join([caption, *(f"  {name}: {value:.4g}"
                                  + (f"  (published: {published[name]})" if name in published
                                     else "")
                                  for name, value in figures.items())])
    return {
        MIME: {"caption": caption, "figures": {k: float(v) for k, v in figures.items()},
               "published": published},
        "text/markdown": markdown,
        "text/plain": plain,
    }


def show(figures: Mapping[str, float], published: Mapping[str, str] | None = None,
         caption: str = "Key results") -> None:
    """Display the headline figures (and published ones to compare) as a table."""
    from IPython.display import display

    display(_bundle(figures, published, caption), raw=True)


def _payloads(notebook):
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if MIME in output.get("data", {}):
                yield output["data"][MIME]


def read(notebook) -> dict[str, float]:
    """Every figure shown with ``show`` in an executed notebook (nbformat node)."""
    return {k: v for payload in _payloads(notebook) for k, v in payload["figures"].items()}


def published(notebook) -> dict[str, str]:
    """The published figures the notebook puts beside its own, by figure name."""
    return {k: v for payload in _payloads(notebook) for k, v in payload["published"].items()}


_DECIMAL = re.compile(r"(?<![\w.])(\d+\.\d+)(%?)")


def typed_in_prose(notebook) -> list[str]:
    """Key figures of an executed notebook that its markdown repeats by hand (a decimal
    with at least two places equal to a figure rounded to that many, or a percentage of a
    figure between 0 and 1): prose must point to the printed table, which is always
    current, rather than copy it."""
    figures = {k: v for k, v in read(notebook).items() if not float(v).is_integer()}
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for match in _DECIMAL.finditer(cell.source):
            text, percent = match.groups()
            places = len(text.split(".")[1])
            value = float(text) / (100 if percent else 1)
            places += 2 if percent else 0
            if places < 2:
                continue
            for name, figure in figures.items():
                if round(figure, places) == round(value, places):
                    found.append(f"markdown cell {index} types {match.group(0)}, the key "
                                 f"result {name!r}: refer to the printed table instead")
    return found
