"""Build student submissions from the released notebook, as a student would edit it."""

from __future__ import annotations

from pathlib import Path

import nbformat

from medai.course import build
from medai.grading.leaks import SOLUTION_BEGIN, SOLUTION_END


def solution_code(source_cell_text: str) -> str:
    """The instructor's cell with the solution markers removed (what a perfect student writes)."""
    return "\n".join(
        line for line in source_cell_text.split("\n")
        if SOLUTION_BEGIN not in line and SOLUTION_END not in line
    )


def reference_answers(source: Path) -> dict[str, str]:
    """grade_id -> the reference answer, for every solution cell of an instructor source."""
    answers = {}
    for cell in build.read_source(source).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers[meta["grade_id"]] = solution_code(cell.source)
    return answers


def submit(released: Path, submitted_root: Path, student: str, answers: dict[str, str]) -> Path:
    """Write `released` with the given answers into submitted/<student>/<assignment>/."""
    notebook = nbformat.read(released, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    target = submitted_root / student / released.parent.name / released.name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target
