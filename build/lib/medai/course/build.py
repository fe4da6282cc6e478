"""Build .ipynb notebooks from their text sources (jupytext percent format).

The build is one-way and deterministic: the same source always gives the same
bytes, so a stale notebook is detectable and no answer can flow back from a
student copy into a source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from medai.course.manifest import Manifest

NBFORMAT_MINOR = 5
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# Cell metadata that carries meaning; everything else jupytext adds is layout noise.
KEPT_CELL_METADATA = ("nbgrader", "tags")


class SourceError(ValueError):
    """A notebook source that cannot be turned into a notebook."""


@dataclass(frozen=True)
class BuildResult:
    source: Path
    notebook: Path
    state: str  # "written", "unchanged", "stale" or "missing" (the last two in check mode)


def read_source(source: Path) -> nbformat.NotebookNode:
    """Parse a text source into a clean notebook (no outputs, fixed ids and metadata)."""
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"{source}: file not found") from None
    except UnicodeDecodeError as err:
        raise SourceError(f"{source}: not UTF-8 text (byte {err.start})") from None
    try:
        raw = jupytext.reads(text, fmt="py:percent")
    except Exception as err:  # jupytext raises many kinds; name the file instead
        raise SourceError(f"{source}: not a jupytext percent notebook: {err}") from None
    return _normalise(raw, Path(source).stem)


def _normalise(raw: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
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


def render(source: Path) -> str:
    """The exact text of the notebook built from ``source``."""
    return nbformat.writes(read_source(source), version=4) + "\n"


def build_file(source: Path, check: bool = False) -> BuildResult:
    """Write (or, with check, compare) the notebook beside its source."""
    target = source.with_suffix(".ipynb")
    wanted = render(source)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if current == wanted:
        return BuildResult(source, target, "unchanged")
    if check:
        return BuildResult(source, target, "missing" if current is None else "stale")
    tmp = target.with_suffix(".ipynb.tmp")
    tmp.write_text(wanted, encoding="utf-8")
    tmp.replace(target)
    return BuildResult(source, target, "written")


def sources(manifest: Manifest) -> list[Path]:
    """Every text source the manifest marks as ready: lessons, then assignments."""
    found = [lesson.source for lesson in manifest.ready_lessons() if lesson.source]
    for assignment in manifest.ready_assignments():
        found += manifest.assignment_sources(assignment)
    return found


def build_all(manifest: Manifest, check: bool = False) -> list[BuildResult]:
    return [build_file(source, check=check) for source in sources(manifest)]
