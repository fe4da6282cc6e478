"""What changed between two versions of the course, read from the sources in git.

For the instructor deciding mid-term whether to update: which lessons,
assignments, datasets and grading behaviour differ between two revisions
(tags such as v0.1.0, commits, or the working tree).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from medai.course.manifest import Manifest
from medai.errors import MedaiError


class ChangesError(MedaiError, RuntimeError):
    """The revisions cannot be compared; the message says why."""


@dataclass
class Changes:
    lessons: dict[str, list[str]] = field(default_factory=dict)  # id -> changed files
    assignments: dict[str, list[str]] = field(default_factory=dict)
    datasets: list[str] = field(default_factory=list)
    grading: list[str] = field(default_factory=list)
    manifest: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


# an assignment's folders and files that only `medai check` reads: students never see them
CHECK_ONLY = ("mutants", "alternatives", "requirements.yml")


def students_see(path: str) -> bool:
    """Whether a changed file of an assignment reaches students (not what only `medai
    check` reads)."""
    parts = Path(path).parts
    return not any(name in parts[:-1] or name == parts[-1] for name in CHECK_ONLY)


def changed_files(root: Path, old: str, new: str | None) -> list[str]:
    """Paths that differ between ``old`` and ``new`` (None: the working tree)."""
    command = ["git", "-C", str(root), "diff", "--name-only", old, *([new] if new else [])]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        raise ChangesError("git is not installed; `medai changes` reads the history") from None
    if done.returncode:
        raise ChangesError(f"git cannot compare {old} and {new or 'the working tree'}: "
                           f"{done.stderr.strip().splitlines()[0] if done.stderr.strip() else ''}. "
                           "Name tags (git tag) or commits of this checkout.")
    return [line for line in done.stdout.splitlines() if line]


def classify(m: Manifest, paths: list[str]) -> Changes:
    """Sort changed paths by what they mean to a class."""
    found = Changes()
    lesson_folders = {str(x.source.parent.relative_to(m.root)): x.id
                      for x in m.lessons if x.source}
    assignments = str(m.course_directory.relative_to(m.root)) + "/source/"
    for path in paths:
        folder = str(Path(path).parent)
        if folder in lesson_folders:
            found.lessons.setdefault(lesson_folders[folder], []).append(path)
        elif path.startswith(assignments):
            assignment = path[len(assignments):].split("/", 1)[0]
            found.assignments.setdefault(assignment, []).append(path)
        elif path.startswith(("src/medai/datasets/", "datasets/")):
            found.datasets.append(path)
        elif path.startswith("src/medai/grading/"):
            found.grading.append(path)
        elif path == str(m.path.relative_to(m.root)):
            found.manifest.append(path)
        else:
            found.other.append(path)
    return found


def report(m: Manifest, changes: Changes) -> list[str]:
    """Lines for the instructor, most consequential first."""
    lines = []
    for assignment, files in sorted(changes.assignments.items()):
        unseen = not any(students_see(f) for f in files)
        what = ("its mutants or alternatives only (what `medai check` grades; students see no "
                "change)" if unseen else ", ".join(Path(f).name for f in files))
        lines.append(f"assignment {assignment}: {what}")
    for lesson, files in sorted(changes.lessons.items()):
        title = next((x.title for x in m.lessons if x.id == lesson), "")
        lines.append(f"lesson {lesson} {title}: {', '.join(Path(f).name for f in files)}")
    if changes.manifest:
        lines.append("course.yml: schedule, points, tracks or settings")
    if changes.datasets:
        lines.append(f"datasets: {', '.join(sorted({Path(f).name for f in changes.datasets}))}")
    if changes.grading:
        lines.append("grading behaviour: "
                     + ", ".join(sorted({Path(f).name for f in changes.grading})))
    if changes.other:
        lines.append(f"other files: {len(changes.other)}")
    return lines
