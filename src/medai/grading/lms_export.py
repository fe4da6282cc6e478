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
from pathlib import Path

from medai import files
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
                submitted = m.course_folder("submitted", assignment.name, student.id)
                row[f"{assignment.name} version"] = ", ".join(sorted(
                    {s["version"] for s in build.stamps(submitted).values() if "version" in s}))
                for notebook, cell in questions[assignment.name]:
                    grade = gb.find_grade(cell, notebook, assignment.name, student.id)
                    if not grade.needs_manual_grade:
                        row[f"{assignment.name}:{cell}"] = grade.score
            table.append(row)
    return header, table


def write(m: Manifest, target: Path) -> Path:
    """The per-question CSV (see the module's docstring)."""
    header, table = rows(m)
    return _write_csv(target, header, table)


def _totals(m: Manifest) -> tuple[list[str], list[dict[str, object]]]:
    """The assignments in the gradebook and each student's row of totals."""
    header, table = rows(m)
    assignments = [h[: -len(" max")] for h in header if h.endswith(" max")]
    return assignments, table


def _column(m: Manifest, assignment_id: str) -> str:
    """An assignment's column in the LMS: its id and title, as the instructor names the
    LMS assignment (the import matches columns to assignments by name)."""
    known = {a.id: a.title for a in m.assignments}
    return f"{assignment_id} {known.get(assignment_id, '')}".strip()


def write_canvas(m: Manifest, target: Path, lms_ids: dict[str, str]) -> Path:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one
    column per assignment, and the "Points Possible" row Canvas exports (and ignores on
    import). A blank score leaves Canvas's unchanged; ID is the Canvas user id from the
    roster's lms_id, SIS User ID and SIS Login ID the username."""
    assignments, table = _totals(m)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
              *(_column(m, a) for a in assignments)]
    points = {"Student": "    Points Possible",
              **{_column(m, a): (table[0][f"{a} max"] if table else "") for a in assignments}}
    out = [points]
    for row in table:
        name = ", ".join(x for x in (row["last_name"], row["first_name"]) if x)
        out.append({"Student": name or row["student_id"],
                    "ID": lms_ids.get(str(row["student_id"]), ""),
                    "SIS User ID": row["student_id"], "SIS Login ID": row["student_id"],
                    "Section": "", **{_column(m, a): row.get(a, "") for a in assignments}})
    return _write_csv(target, header, out)


def write_moodle(m: Manifest, target: Path) -> Path:
    """Moodle's CSV grade import: one row per student identified by ID number (the
    username) and email address, then one column per assignment to map to a grade item."""
    assignments, table = _totals(m)
    header = ["First name", "Last name", "ID number", "Email address",
              *(_column(m, a) for a in assignments)]
    out = [{"First name": row["first_name"], "Last name": row["last_name"],
            "ID number": row["student_id"], "Email address": row["email"],
            **{_column(m, a): row.get(a, "") for a in assignments}} for row in table]
    return _write_csv(target, header, out)


def _write_csv(target: Path, header: list[str], table: list[dict[str, object]]) -> Path:
    """Write the CSV atomically: a crash never leaves a half-written grades file."""
    with files.replacing(target) as partial, partial.open("w", newline="",
                                                        encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(table)
    return target
