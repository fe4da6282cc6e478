"""Rubrics for the questions graded by hand.

The question's own markdown cell (locked, so students and the grader in
nbgrader's formgrader both read it above the answer) ends with the point
split::

    **Rubric** (2 points)

    | points | the answer ... |
    |---|---|
    | 1 | recommends a threshold and gives its sensitivity and specificity |
    | 1 | explains what changes at 0.5% prevalence, with the PPV |

``problems`` names every hand-graded cell whose rubric is missing or does not
add up to the cell's points.
"""

from __future__ import annotations

import re

import nbformat

from medai.course import sources

_ROW = re.compile(r"^\s*\|\s*(\d+(?:\.\d+)?)\s*\|(.+)\|\s*$")


def split(markdown: str) -> list[tuple[float, str]]:
    """(points, criterion) of each row of the rubric table after the word "Rubric"."""
    if "**Rubric**" not in markdown:
        return []
    after = markdown.split("**Rubric**", 1)[1]
    return [(float(m.group(1)), m.group(2).strip()) for m in map(_ROW.match,
                                                                  after.splitlines()) if m]


def problems(notebook: nbformat.NotebookNode) -> list[str]:
    found = []
    for index, cell in enumerate(notebook.cells):
        if not sources.is_hand_graded(cell):
            continue
        meta = cell.metadata["nbgrader"]
        question = next((c.source for c in reversed(notebook.cells[:index])
                         if c.cell_type == "markdown" and not c.metadata.get("nbgrader")), "")
        rows = split(question)
        points = sources.cell_points(cell)
        if not rows:
            found.append(f"{meta['grade_id']}: graded by hand but its question has no "
                         "**Rubric** table (| points | criterion |) for the grader")
        elif sum(p for p, _ in rows) != points:
            found.append(f"{meta['grade_id']}: the rubric's points add up to "
                         f"{sum(p for p, _ in rows):g}, the cell is worth {points:g}")
    return found
