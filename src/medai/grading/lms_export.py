"""Grades as one CSV row per student, the shape LMS gradebooks import.

Columns: ``student_id``, ``last_name``, ``first_name``, ``email``, then for each
generated assignment in the gradebook (in manifest order) ``<assignment>`` (total score,
late penalty applied, empty if not submitted), ``<assignment> max``, ``<assignment>
version`` (the course version of the release the student fetched, worked on and was
graded against), and one ``<assignment>:<grade cell>`` column per graded question, empty
when the question still waits for a human grader.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from medai.course import build
from medai.course.manifest import Manifest


def rows(m: Manifest) -> tuple[list[str], list[dict[str, object]]]:
    from nbgrader.api import Gradebook, MissingEntry

    order = {a.id: i for i, a in enumerate(m.assignments)}
    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        # an assignment only scheduled (due date synced, never generated) has no questions
        assignments = sorted((a for a in gb.assignments if a.notebooks),
                             key=lambda a: (order.get(a.name, 999), a.name))
        header = ["student_id", "last_name", "first_name", "email"]
        questions: dict[str, list[tuple[str, str]]] = {}
        for assignment in assignments:
            cells = [(nb.name, cell.name) for nb in assignment.notebooks for cell in nb.grade_cells]
            questions[assignment.name] = cells
            header += [assignment.name, f"{assignment.name} max", f"{assignment.name} version"]
            header += [f"{assignment.name}:{cell}" for _, cell in cells]
        table = []
        for student in sorted(gb.students, key=lambda s: s.id):
            row: dict[str, object] = {"student_id": student.id,
                                      "last_name": student.last_name or "",
                                      "first_name": student.first_name or "",
                                      "email": student.email or ""}
            for assignment in assignments:
                row[f"{assignment.name} max"] = assignment.max_score
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                row[assignment.name] = max(submission.score - (submission.late_submission_penalty
                                                               or 0), 0)
                submitted = m.course_directory / "submitted" / student.id / assignment.name
                row[f"{assignment.name} version"] = ", ".join(sorted(
                    {s["version"] for s in build.stamps(submitted).values() if "version" in s}))
                for notebook, cell in questions[assignment.name]:
                    grade = gb.find_grade(cell, notebook, assignment.name, student.id)
                    if not grade.needs_manual_grade:
                        row[f"{assignment.name}:{cell}"] = grade.score
            table.append(row)
    return header, table


def write(m: Manifest, target: Path) -> Path:
    """Write the CSV atomically: a crash never leaves a half-written grades file."""
    header, table = rows(m)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, restval="")
            writer.writeheader()
            writer.writerows(table)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
