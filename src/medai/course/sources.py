"""Text sources (jupytext percent files) read into notebooks, and what their cells are.

The one place that knows how a source becomes a clean notebook and how nbgrader's
cell metadata tells an answer from a test, a hand-graded answer from an autograded
one, and how many points a notebook has. Importing it is light; jupytext is
imported when a source is first read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from medai.errors import MedaiError

if TYPE_CHECKING:
    import nbformat

NBFORMAT_MINOR = 5
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# Cell metadata that carries meaning; everything else jupytext adds is layout noise.
KEPT_CELL_METADATA = ("nbgrader", "tags")


class SourceError(MedaiError, ValueError):
    """A notebook source that cannot be turned into a notebook."""


def read_source(source: Path) -> nbformat.NotebookNode:
    """Parse a text source into a clean notebook (no outputs, fixed ids and metadata)."""
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"{source}: file not found") from None
    except UnicodeDecodeError as err:
        raise SourceError(f"{source}: not UTF-8 text (byte {err.start})") from None
    import jupytext

    try:
        raw = jupytext.reads(text, fmt="py:percent")
    except Exception as err:  # jupytext raises many kinds; name the file instead
        raise SourceError(f"{source}: not a jupytext percent notebook: {err}") from None
    return _normalise(raw, Path(source).stem)


def _normalise(raw: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.nbformat_minor = NBFORMAT_MINOR
    notebook.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(raw.cells):
        metadata = {k: cell.metadata[k] for k in KEPT_CELL_METADATA if k in cell.metadata}
        cell_id = f"{stem[:40]}-{index:03d}"
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source, metadata=metadata, id=cell_id)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=metadata, id=cell_id)
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=metadata, id=cell_id)
        notebook.cells.append(new)
    nbformat.validate(notebook)
    return notebook



def _nbgrader(cell) -> dict:
    """A cell's nbgrader metadata; {} when absent or damaged (not a mapping)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_answer(cell) -> bool:
    """A cell the student writes in (code or markdown)."""
    return bool(_nbgrader(cell).get("solution"))


def is_test(cell) -> bool:
    """An autograded test cell: graded, and not an answer."""
    meta = _nbgrader(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def is_hand_graded(cell) -> bool:
    """A cell a person grades: a graded answer, or a task."""
    meta = _nbgrader(cell)
    return bool(meta.get("task") or (meta.get("grade") and meta.get("solution")))


def grade_id(cell) -> str | None:
    return _nbgrader(cell).get("grade_id")


def cell_points(cell) -> float:
    return float(_nbgrader(cell).get("points", 0) or 0)


def test_points(notebook) -> dict[str, float]:
    """grade_id -> points of each autograded test cell, in order."""
    return {grade_id(c): cell_points(c) for c in notebook.cells if is_test(c)}


def total_points(notebook) -> float:
    """Points of every graded cell (autograded and by hand)."""
    return sum(cell_points(c) for c in notebook.cells
               if _nbgrader(c).get("grade") or _nbgrader(c).get("task"))
