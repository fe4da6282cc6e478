"""Release, grade, feedback and export, through nbgrader's own Python API.

Each step reads from the folder before it and writes only its own folder, the
gradebook or the grades file; nothing downstream edits anything upstream.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from medai.course import build
from medai.course.manifest import Assignment, Manifest
from medai.grading import engine, leaks, settings
from medai.grading.engine import StudentResult
from medai.grading.sandbox import DEATH_REASON_STARTS


class GradingError(RuntimeError):
    """A step that could not be done, with what to do about it."""


def path_with_tools(path: str) -> str:
    """PATH with this environment's bin/ first: nbgrader shells out to `alembic` and
    Jupyter starts `python` by name, even when medai runs as .venv/bin/medai without the
    environment activated."""
    bindir = str(Path(sys.executable).parent)
    parts = path.split(os.pathsep) if path else []
    return path if bindir in parts else os.pathsep.join((bindir, *parts))


def _tools_on_path() -> None:
    os.environ["PATH"] = path_with_tools(os.environ.get("PATH", ""))


def _api(manifest: Manifest, kernel_threads: int | None = None):
    """nbgrader's API configured from the manifest; ``kernel_threads`` lowers the
    manifest's thread limit for student kernels (a worker's share of the cores)."""
    _tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = settings.config_for(manifest)
    if kernel_threads is not None:
        limits = config.SandboxedKernelManager.limits
        config.SandboxedKernelManager.limits = dataclasses.replace(
            limits, threads=min(limits.threads, kernel_threads))
    # nbgrader checks that its exchange folder is writable on every start.
    Path(config.Exchange.root).mkdir(parents=True, exist_ok=True)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def _ready_assignment(manifest: Manifest, assignment_id: str) -> Assignment:
    try:
        assignment = manifest.assignment(assignment_id)
    except KeyError as err:
        raise GradingError(str(err.args[0])) from None
    if assignment.status != "ready":
        raise GradingError(
            f"assignment {assignment_id!r} is {assignment.status} in course.yml; "
            "only ready assignments can be released or graded"
        )
    return assignment


def _failure(result: dict) -> str:
    """The most telling line of an nbgrader failure, not the whole log."""
    text = "\n".join(filter(None, (result.get("log"), result.get("error"))))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:  # the sandbox's own account of a dead kernel says why it died
        for start in DEATH_REASON_STARTS:
            if start in line:
                return line[line.index(start):]
    generic = ("Please see the", "NbGraderException", "Traceback", "There was an error processing")
    for marker in ("[ERROR]", "Error:", "Exception:"):
        for line in lines:
            if marker in line and not any(g in line for g in generic):
                return line
    return lines[-1] if lines else "unknown error"


def release(manifest: Manifest, assignment_id: str) -> Path:
    """Build the sources, generate the student version, and refuse if an answer leaked."""
    assignment = _ready_assignment(manifest, assignment_id)
    for source in manifest.assignment_sources(assignment):
        build.build_file(source)
    api = _api(manifest)
    with api.gradebook as gb:
        gb.update_or_create_assignment(assignment.id, duedate=assignment.due)
    result = api.generate_assignment(assignment.id)
    if not result["success"]:
        raise GradingError(f"nbgrader could not release {assignment.id}: {_failure(result)}")
    released = manifest.course_directory / "release" / assignment.id
    secrets: set[str] = set()
    for source in manifest.assignment_sources(assignment):
        secrets |= leaks.secret_lines(build.read_source(source))
    for student_file in sorted(p for p in released.rglob("*") if p.is_file()):
        try:
            text = student_file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary data files cannot hold solution code
        found = leaks.find_leaks(text, secrets)
        if found:
            shutil.rmtree(released)
            raise GradingError(
                f"{student_file.name} would show answers to students ({found[0]!r}); the "
                f"release was deleted. Mark such code with BEGIN/END SOLUTION or HIDDEN TESTS."
            )
    return released


def submitted_students(manifest: Manifest, assignment_id: str) -> list[str]:
    """Students with a folder for this assignment in submitted/."""
    root = manifest.course_directory / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment_id).is_dir())


def grade(
    manifest: Manifest,
    assignment_id: str,
    students: Iterable[str] | None = None,
    on_result: Callable[[StudentResult], None] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    force: bool = False,
) -> list[StudentResult]:
    """Autograde the class in parallel; one failure never stops the others."""
    assignment = _ready_assignment(manifest, assignment_id)
    if not (manifest.course_directory / "release" / assignment.id).is_dir():
        raise GradingError(
            f"{assignment.id} has not been released; run `medai release {assignment.id}`"
        )
    available = submitted_students(manifest, assignment.id)
    wanted = list(students) if students else available
    missing = [s for s in wanted if s not in available]
    if missing:
        raise GradingError(
            f"no submission of {assignment.id} for {', '.join(missing)} in "
            f"{manifest.course_directory / 'submitted'}/<student>/{assignment.id}/"
        )
    if not wanted:
        raise GradingError(
            f"no submissions for {assignment.id} in "
            f"{manifest.course_directory / 'submitted'}/<student>/{assignment.id}/"
        )
    return engine.grade_class(manifest, assignment.id, wanted, workers=workers,
                              scheduler=scheduler, force=force, on_result=on_result)


def feedback(manifest: Manifest, assignment_id: str) -> list[Path]:
    """HTML feedback for every autograded student, checked for hidden-test leaks."""
    assignment = _ready_assignment(manifest, assignment_id)
    result = _api(manifest).generate_feedback(assignment.id)
    if not result["success"]:
        raise GradingError(f"nbgrader could not generate feedback: {_failure(result)}")
    secrets: set[str] = set()
    for source in manifest.assignment_sources(assignment):
        secrets |= leaks.secret_lines(build.read_source(source), kinds=("hidden",))
    written = sorted((manifest.course_directory / "feedback").glob(f"*/{assignment.id}/*.html"))
    for page in written:
        found = leaks.find_leaks(page.read_text(encoding="utf-8"), secrets)
        if found:
            page.unlink()
            raise GradingError(f"{page} showed a hidden test ({found[0]!r}); it was deleted")
    return written


def export(manifest: Manifest, destination: Path | None = None, fmt: str = "lms") -> Path:
    """Write the grades CSV: one row per student ("lms") or nbgrader's own long format."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    from medai.grading import lms_export

    _tools_on_path()
    target = Path(destination) if destination else manifest.course_directory / "grades.csv"
    if fmt == "lms":
        return lms_export.write(manifest, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    plugin = CsvExportPlugin(to=str(partial))
    try:
        with Gradebook(manifest.resolved_gradebook_url(), manifest.course_id) as gb:
            plugin.export(gb)
        with partial.open(newline="", encoding="utf-8") as handle:
            list(csv.DictReader(handle))  # the file must parse before it replaces the old one
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
