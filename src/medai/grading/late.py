"""Late work: the course's penalty policy and each student's extensions, applied by nbgrader.

The policy is ``late_work`` in course.yml; extensions are rows of ``course/extensions.csv``
(``username,assignment,extra_days,reason``; it holds personal reasons, so it is git-ignored
like the roster, and ``course/extensions.example.csv`` shows the format). ``medai grade``
writes each extension into the gradebook before grading, where nbgrader adds it to the due
date of that student's submission; nbgrader's autograde then asks :class:`LatePenalty` for
the penalty of every late notebook and keeps it beside the score, so the feedback page,
``medai report`` and ``medai export`` all show the score after the penalty.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from medai.errors import MedaiError

EXTENSIONS_FILE = "extensions.csv"
COLUMNS = ("username", "assignment", "extra_days", "reason")
DAY = 86400.0


class ExtensionsError(MedaiError, ValueError):
    """An extensions file that cannot be used; every problem is listed with its line."""


@dataclass(frozen=True)
class LatePolicy:
    """What a late notebook loses: ``penalty_per_day`` of its score for each day or part
    of a day after the due date and ``grace_minutes``; all of it after
    ``zero_after_days``."""

    penalty_per_day: float = 0.0
    grace_minutes: float = 0.0
    zero_after_days: float = math.inf

    def penalty(self, score: float, seconds_late: float) -> float:
        late = seconds_late - 60 * self.grace_minutes
        if late <= 0 or score <= 0:
            return 0.0
        if late > self.zero_after_days * DAY:
            return score
        return min(score, score * self.penalty_per_day * math.ceil(late / DAY))


def penalty_plugin(policy: LatePolicy) -> type:
    """nbgrader's late-submission plugin with the course's policy, for nbgrader's own
    autograde (the Formgrader's button); ``medai grade`` then applies the same policy to
    the final scores with :func:`apply`."""
    from nbgrader.plugins import LateSubmissionPlugin

    class LatePenalty(LateSubmissionPlugin):
        def late_submission_penalty(self, student_id: str, score: float,
                                    total_seconds_late: float) -> float:
            return policy.penalty(score or 0.0, total_seconds_late)

    return LatePenalty


def read_extensions(path: Path, assignments: set[str]) -> dict[tuple[str, str], float]:
    """``(student, assignment) -> extra days`` from an extensions file."""
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    if rows and any(c not in rows[0] for c in COLUMNS[:3]):
        raise ExtensionsError(f"{path}: needs the header {','.join(COLUMNS)} "
                              "(see course/extensions.example.csv)")
    problems, found = [], {}
    for line, row in enumerate(rows, start=2):
        student, assignment = row["username"].strip(), row["assignment"].strip()
        try:
            days = float(row["extra_days"])
        except (TypeError, ValueError):
            days = -1.0
        if not student:
            problems.append(f"line {line}: no username")
        if assignment not in assignments:
            problems.append(f"line {line}: assignment {assignment!r} is not in course.yml")
        if not (0 < days <= 365):
            problems.append(f"line {line}: extra_days {row['extra_days']!r} must be a number "
                            "of days above 0 (e.g. 2 or 0.5)")
        if (student, assignment) in found:
            problems.append(f"line {line}: a second extension for {student} on {assignment}; "
                            "keep one row (the whole extension)")
        found[(student, assignment)] = days
    if problems:
        raise ExtensionsError(f"{path}:\n  " + "\n  ".join(problems))
    return found


@dataclass(frozen=True)
class LateRow:
    """A late submission as the report shows it."""

    student: str
    hours_late: float
    extension_days: float
    penalty: float


def apply(gradebook, assignment_id: str, policy: LatePolicy,
          extensions: dict[tuple[str, str], float] | None) -> list[LateRow]:
    """Set every submission's extension (when an extensions file exists, it decides them
    all: a row removed is an extension withdrawn) and recompute each notebook's penalty from
    its current score, manual grades included; return the late submissions."""
    import datetime as dt

    late = []
    for submission in gradebook.assignment_submissions(assignment_id):
        student = submission.student.id
        if extensions is not None:
            days = extensions.get((student, assignment_id))
            submission.extension = dt.timedelta(days=days) if days else None
        seconds = submission.total_seconds_late
        total = 0.0
        for notebook in submission.notebooks:
            penalty = policy.penalty(notebook.score or 0.0, seconds)
            notebook.late_submission_penalty = penalty or None
            total += penalty
        if seconds > 0:
            extension = submission.extension.total_seconds() / DAY if submission.extension else 0
            late.append(LateRow(student, seconds / 3600, extension, total))
    gradebook.db.commit()
    return late


def extensions_of(m) -> dict[tuple[str, str], float] | None:
    """The course's extensions file read and checked, or None when it has none."""
    path = m.path.parent / EXTENSIONS_FILE
    if not path.is_file():
        return None
    return read_extensions(path, {a.id for a in m.assignments})
