"""Find answers where students could see them: solution and hidden-test text.

Used after release and after feedback as a last line of defence, and by the
tests. Matching is on whole, non-trivial lines of the hidden regions.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

import nbformat

# nbgrader's region markers, spelled in two parts so that a plain search of src/ for
# the markers (a quick check that no answer ships in the package) finds none here.
_SOLUTION, _HIDDEN = "SOLUTION", "HIDDEN TESTS"
SOLUTION_BEGIN, SOLUTION_END = f"BEGIN {_SOLUTION}", f"END {_SOLUTION}"
HIDDEN_BEGIN, HIDDEN_END = f"BEGIN {_HIDDEN}", f"END {_HIDDEN}"
MARKERS = (SOLUTION_BEGIN, SOLUTION_END, HIDDEN_BEGIN, HIDDEN_END)
# Lines too generic to prove a leak ("else:", "return x", a bare comment marker).
MIN_SECRET_LINE = 12


def _regions(source: str, begin: str, end: str) -> Iterable[str]:
    inside = False
    for line in source.split("\n"):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            yield line.strip()


def secret_lines(
    notebook: nbformat.NotebookNode, kinds: tuple[str, ...] = ("solution", "hidden")
) -> set[str]:
    """Distinctive lines of solutions and/or hidden tests in an instructor's source notebook.

    A line that also appears outside those regions (say, an assert repeated in
    the public tests) is not secret and is left out.
    """
    pairs = {"solution": (SOLUTION_BEGIN, SOLUTION_END), "hidden": (HIDDEN_BEGIN, HIDDEN_END)}
    secrets: set[str] = set()
    public: set[str] = set()
    for cell in notebook.cells:
        inside: set[str] = set()
        for kind, (begin, end) in pairs.items():
            region = set(_regions(cell.source, begin, end))
            inside |= region
            if kind in kinds:
                secrets |= {
                    line for line in region
                    if len(line) >= MIN_SECRET_LINE and not line.startswith("#")
                }
        public |= {line.strip() for line in cell.source.split("\n")} - inside
    return secrets - public


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _views(text: str) -> list[str]:
    """The text as written, HTML-unescaped, and (for a notebook's JSON) its decoded strings,
    where quotes and newlines of a leaked line are no longer escaped."""
    views = [text, html.unescape(text)]
    try:
        views.append("\n".join(_strings(json.loads(text))))
    except ValueError:
        pass
    return views


def _pattern(secret: str) -> re.Pattern:
    """The secret as a whole: `_loss = 0` must not match inside `toy_loss = 0`."""
    before = r"(?<![\w])" if re.match(r"\w", secret) else ""
    after = r"(?![\w])" if re.search(r"\w$", secret) else ""
    return re.compile(before + re.escape(secret) + after)


def find_leaks(text: str, secrets: set[str]) -> list[str]:
    """Secret lines or region markers that appear in ``text`` (raw, HTML-escaped or
    JSON-escaped), as whole expressions rather than parts of longer names."""
    candidates = set(secrets) | set(MARKERS)
    views = _views(text)
    return sorted(s for s in candidates if any(_pattern(s).search(v) for v in views))
