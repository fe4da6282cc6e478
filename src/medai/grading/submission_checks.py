"""Say what is wrong with a submission before nbgrader meets it.

nbgrader's own failure for a damaged notebook is a generic exception; a TA
needs the reason in one line, and the student needs to know what to resubmit.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from medai.course import sources


def problems(released: Path, submitted: Path) -> list[str]:
    """Reasons this submission cannot be graded as it is (empty when it can)."""
    expected = sorted(p.name for p in released.glob("*.ipynb"))
    found = sorted(p.name for p in submitted.glob("*.ipynb"))
    reasons = []
    for name in expected:
        if name not in found:
            others = ", ".join(n for n in found if n not in expected) or "no notebooks"
            reasons.append(f"missing {name} (found {others}); the file must keep its name")
            continue
        reason = _notebook_problem(submitted / name) or _metadata_problem(submitted / name)
        if not reason:
            duplicated = _duplicated_ids(submitted / name)
            if duplicated:
                reason = (f"grade cell {', '.join(duplicated)} appears more than once (a copied "
                          "test or answer cell); delete the copy and resubmit")
        if reason:
            reasons.append(f"{name}: {reason}")
    return reasons


def _metadata_problem(path: Path) -> str:
    """A cell whose nbgrader metadata is not a mapping (JupyterLab's editor allows it)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    broken = [index for index, cell in enumerate(notebook.get("cells", []))
              if "nbgrader" in cell.get("metadata", {})
              and not isinstance(cell["metadata"]["nbgrader"], dict)]
    if not broken:
        return ""
    return (f"cell {', '.join(map(str, broken))} has damaged nbgrader metadata (not a "
            "mapping); fetch the assignment again and copy your answers into it")


def _grade_ids(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [sources.grade_id(cell) for cell in notebook.get("cells", [])
            if sources.grade_id(cell)]


def _duplicated_ids(path: Path) -> list[str]:
    ids = _grade_ids(path)
    return sorted({i for i in ids if ids.count(i) > 1})


def notes(released: Path, submitted: Path) -> list[str]:
    """Things worth a TA's attention that do not stop grading, e.g. cells moved around."""
    found = []
    for notebook in sorted(released.glob("*.ipynb")):
        mine = submitted / notebook.name
        if not mine.is_file():
            continue
        expected, actual = _grade_ids(notebook), _grade_ids(mine)
        common = [i for i in actual if i in expected]
        if common != [i for i in expected if i in common]:
            found.append(f"{notebook.name}: graded cells are not in the released order, so a "
                         "test may have run before its answer")
        missing = [i for i in expected if i not in actual]
        if missing:
            found.append(f"{notebook.name}: cells {', '.join(missing)} were deleted and put "
                         "back from the release for grading")
    return found


def _notebook_problem(path: Path) -> str | None:
    raw = path.read_bytes()
    if not raw.strip():
        return "the file is empty; the student should resubmit the saved notebook"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"not UTF-8 text (bad byte at offset {err.start}); the file is damaged"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return f"not valid JSON (line {err.lineno}, column {err.colno}); the file is damaged"
    try:
        notebook = nbformat.from_dict(data)
        if notebook.get("nbformat") != 4:
            return f"nbformat {notebook.get('nbformat')!r} is not supported; save it as version 4"
        nbformat.validate(notebook)
    except Exception as err:  # nbformat raises several kinds; one line is enough here
        return f"not a valid Jupyter notebook ({str(err).splitlines()[0]})"
    return None
