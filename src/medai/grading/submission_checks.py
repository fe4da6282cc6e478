"""Say what is wrong with a submission before nbgrader meets it.

nbgrader's own failure for a damaged notebook is a generic exception; a TA
needs the reason in one line, and the student needs to know what to resubmit.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from medai.course import sources
from medai.i18n import message


def problems(released: Path, submitted: Path, language: str = "en") -> list[str]:
    """Reasons this submission cannot be graded as it is (empty when it can), in the
    reader's ``language``."""
    t = language
    expected = sorted(p.name for p in released.glob("*.ipynb"))
    found = sorted(p.name for p in submitted.glob("*.ipynb"))
    reasons = []
    for name in expected:
        if name not in found:
            others = ", ".join(n for n in found if n not in expected) or message(
                "no notebooks", t)
            reasons.append(message("missing {name} (found {others}); the file must keep its "
                                   "name", t, name=name, others=others))
            continue
        reason = _notebook_problem(submitted / name, t) or _metadata_problem(
            submitted / name, t)
        if not reason:
            duplicated = _duplicated_ids(submitted / name)
            if duplicated:
                reason = message("grade cell {ids} appears more than once (a copied test or "
                                 "answer cell); delete the copy and resubmit", t,
                                 ids=", ".join(duplicated))
        if reason:
            reasons.append(f"{name}: {reason}")
    return reasons


def _metadata_problem(path: Path, t: str = "en") -> str:
    """A cell whose nbgrader metadata is not a mapping (JupyterLab's editor allows it)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    broken = [index for index, cell in enumerate(notebook.get("cells", []))
              if "nbgrader" in cell.get("metadata", {})
              and not isinstance(cell["metadata"]["nbgrader"], dict)]
    if not broken:
        return ""
    return message("cell {cells} has damaged nbgrader metadata (not a mapping); fetch the "
                   "assignment again and copy your answers into it", t,
                   cells=", ".join(map(str, broken)))


def _grade_ids(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [sources.grade_id(cell) for cell in notebook.get("cells", [])
            if sources.grade_id(cell)]


def _duplicated_ids(path: Path) -> list[str]:
    ids = _grade_ids(path)
    return sorted({i for i in ids if ids.count(i) > 1})


def notes(released: Path, submitted: Path, language: str = "en") -> list[str]:
    """Things worth a TA's attention that do not stop grading, e.g. cells moved around."""
    t = language
    found = []
    for notebook in sorted(released.glob("*.ipynb")):
        mine = submitted / notebook.name
        if not mine.is_file():
            continue
        expected, actual = _grade_ids(notebook), _grade_ids(mine)
        common = [i for i in actual if i in expected]
        if common != [i for i in expected if i in common]:
            found.append(message("{name}: graded cells are not in the released order, so a "
                                 "test may have run before its answer", t,
                                 name=notebook.name))
        missing = [i for i in expected if i not in actual]
        if missing:
            found.append(message("{name}: cells {cells} were deleted and put back from the "
                                 "release for grading", t, name=notebook.name,
                                 cells=", ".join(missing)))
    return found


def _notebook_problem(path: Path, t: str = "en") -> str | None:
    raw = path.read_bytes()
    if not raw.strip():
        return message("the file is empty; the student should resubmit the saved notebook", t)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return message("not UTF-8 text (bad byte at offset {offset}); the file is damaged",
                       t, offset=err.start)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return message("not valid JSON (line {line}, column {column}); the file is damaged",
                       t, line=err.lineno, column=err.colno)
    try:
        notebook = nbformat.from_dict(data)
        if notebook.get("nbformat") != 4:
            return message("nbformat {version} is not supported; save it as version 4", t,
                           version=repr(notebook.get("nbformat")))
        nbformat.validate(notebook)
    except Exception as err:  # nbformat raises several kinds; one line is enough here
        return message("not a valid Jupyter notebook ({error})", t,
                       error=str(err).splitlines()[0])
    return None
