"""A lesson as taught in one 2-hour lab: the core path, the deep dives, the instructor's notes.

Each section heading of a lesson (``##`` or ``###``) has a note as the next line,
which students and the instructor both read::

    *Core · 15 min*
    *Deep dive · 20 min · optional*

Every cell of a deep-dive section carries the ``deep-dive`` tag, so tools can
hide or skip them. The core path must fit one lab (:data:`LAB_MINUTES`) and
must run without the deep dives: no core cell may read a name that only a deep
dive defines. ``notebooks/<id>/instructor_notes.md`` holds a worked answer to
each exercise under ``## Exercise N``; it is the instructor's, never published.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

LAB_MINUTES = 120
DEEP_DIVE_TAG = "deep-dive"
NOTES_FILE = "instructor_notes.md"
# headings that need no note: the bibliography is not taught
UNTIMED = ("References",)

_HEADING = re.compile(r"^(##|###) (.+)$", re.MULTILINE)
_NOTE = re.compile(r"^\*(Core|Deep dive) · (\d+) min(?: · [^*]+)?\*\s*$")
_EXERCISE_ITEM = re.compile(r"^(\d+)\. ", re.MULTILINE)
_NOTES_EXERCISE = re.compile(r"^## Exercise (\d+)\b", re.MULTILINE)


@dataclass
class Section:
    heading: str
    kind: str | None  # "Core", "Deep dive" or None (no note)
    minutes: int
    cells: list[int] = field(default_factory=list)


def sections(notebook: nbformat.NotebookNode) -> list[Section]:
    """The lesson cut at each ``##``/``###`` heading; cells before the first are core."""
    found = [Section("(opening)", "Core", 0)]
    for index, cell in enumerate(notebook.cells):
        heading = _HEADING.search(cell.source) if cell.cell_type == "markdown" else None
        if heading:
            after = cell.source[heading.end():].lstrip("\n").split("\n", 1)[0]
            note = _NOTE.match(after.strip())
            found.append(Section(heading.group(2).strip(), note and note.group(1),
                                 int(note.group(2)) if note else 0))
        found[-1].cells.append(index)
    return found


def minutes(notebook: nbformat.NotebookNode) -> tuple[int, int]:
    """(core minutes, deep-dive minutes) from the section notes."""
    parts = sections(notebook)
    return (sum(s.minutes for s in parts if s.kind == "Core"),
            sum(s.minutes for s in parts if s.kind == "Deep dive"))


def _names(code: str) -> tuple[set[str], set[str]]:
    """(names the cell binds at top level or anywhere, names it reads)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(code))
    except SyntaxError:
        return set(), set()
    stored, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
    return stored, read


def deep_dive_names_in_core(notebook: nbformat.NotebookNode) -> list[str]:
    """'cell N reads x' for each core cell that reads a name only deep dives define."""
    core, deep, found = set(), set(), []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        stored, read = _names(cell.source)
        if DEEP_DIVE_TAG in cell.metadata.get("tags", []):
            deep |= stored
            continue
        missing = sorted((read - stored - core) & deep)
        if missing:
            found.append(f"core cell {index} reads {', '.join(missing)}, defined only in a "
                         "deep dive: define it in the core or move the cell into the deep dive")
        core |= stored
    return found


def exercise_numbers(notebook: nbformat.NotebookNode) -> list[int]:
    """Numbers of the items in the Exercises section."""
    for part in sections(notebook):
        if part.heading == "Exercises":
            text = "\n".join(notebook.cells[i].source for i in part.cells)
            return [int(n) for n in _EXERCISE_ITEM.findall(text)]
    return []


_ITEM = re.compile(r"^(?:[-*]|\d+\.) (.*)$")


def plain(text: str) -> str:
    """Objective text as course.yml holds it: no markdown emphasis, no leading '... ', no
    closing punctuation or trailing 'and'."""
    text = re.sub(r"[*`]", "", " ".join(text.split()))
    text = re.sub(r"^\.\.\.\s*", "", text)
    return re.sub(r"(?:[;,.]\s*(?:and)?|\s+and)$", "", text).strip()


def objectives(notebook: nbformat.NotebookNode) -> list[str]:
    """The items of the lesson's Learning objectives list, as plain text."""
    for part in sections(notebook):
        if part.heading != "Learning objectives":
            continue
        items: list[str] = []
        for index in part.cells:
            for line in notebook.cells[index].source.splitlines():
                item = _ITEM.match(line)
                if item:
                    items.append(item.group(1))
                elif items and line.startswith("  ") and line.strip():
                    items[-1] += " " + line.strip()
        return [plain(item) for item in items]
    return []


def notes_path(source: Path) -> Path:
    return Path(source).parent / NOTES_FILE


def problems(source: Path, notebook: nbformat.NotebookNode) -> list[str]:
    """What keeps the lesson from being taught as planned, one line each."""
    found = []
    parts = sections(notebook)
    for part in parts[1:]:
        if part.kind is None and part.heading not in UNTIMED:
            found.append(f"section {part.heading!r} has no note '*Core · N min*' or "
                         "'*Deep dive · N min · optional*' on the line after its heading")
        for index in part.cells:
            tagged = DEEP_DIVE_TAG in notebook.cells[index].metadata.get("tags", [])
            if tagged != (part.kind == "Deep dive"):
                found.append(f"cell {index} in {part.kind or 'untimed'} section {part.heading!r} "
                             + ("carries" if tagged else "lacks") + f" the {DEEP_DIVE_TAG} tag")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and len(_HEADING.findall(cell.source)) > 1:
            found.append(f"markdown cell {index} holds more than one section heading: start "
                         "each heading in its own cell, so that each has its note and tags")
    core, deep = minutes(notebook)
    if core > LAB_MINUTES:
        found.append(f"the core path takes {core} min, more than a {LAB_MINUTES}-minute lab")
    if not deep:
        found.append("no deep dive: mark the optional sections '*Deep dive · N min · optional*'")
    found += deep_dive_names_in_core(notebook)
    notes = notes_path(source)
    exercises = exercise_numbers(notebook)
    if not notes.is_file():
        found.append(f"no {notes}: write a worked answer to each exercise under "
                     "'## Exercise N'")
    else:
        answered = [int(n) for n in _NOTES_EXERCISE.findall(notes.read_text(encoding="utf-8"))]
        if sorted(answered) != sorted(exercises):
            found.append(f"{notes} answers exercises {answered or 'none'}; the lesson has "
                         f"{exercises or 'none'}")
    return found
