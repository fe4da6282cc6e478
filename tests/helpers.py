"""Helpers shared by the tests (plain functions and constants; the fixtures are in conftest).

Importing this module is light: medai is imported inside the functions, after conftest has
pointed Jupyter, IPython and matplotlib at the session's scratch folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# This test session's scratch folder (conftest points HOME, Jupyter's folders and
# MEDAI_DATA into it, and removes it when the session ends).
SCRATCH = Path(tempfile.mkdtemp(prefix="medai-tests-"))
# Lessons the suite also executes in Korean: one per module (dx03 is also the Korean page
# the browser looks at). A translation runs the English code with its displayed texts
# swapped, which test_translation proves for every lesson (same_code), so every other
# Korean lesson would only repeat the English numbers; these runs prove the rest: Hangul
# drawn without a missing-glyph warning, Korean printed, the English key results.
KOREAN_RUNS = ("dx03", "im02", "dd06")



@contextlib.contextmanager
def shared_folder(tmp_path_factory, name: str):
    """A folder of this test run shared by its pytest-xdist workers, held under a lock:
    what one worker makes there (lessons executed, a class scored) the others reuse."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # a worker's basetemp is <run>/popen-gwN
    folder = root / name
    folder.mkdir(exist_ok=True)
    with open(folder.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# Debian's chromium, driven by Playwright (which cannot download its own browser here)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


def copy_course(destination: Path) -> Path:
    """A private copy of the course (manifest, lessons, assignment sources); returns course.yml."""
    from medai.course import manifest, workspace

    course_yml = workspace.copy_course(manifest.load(REPO / "course" / "course.yml"),
                                       destination)
    # each copy gets its own exchange beside it, never the machine's shared one
    text = course_yml.read_text(encoding="utf-8")
    configured = f"exchange: {manifest.DEFAULT_EXCHANGE}"
    assert configured in text, "course.yml names its exchange"
    course_yml.write_text(text.replace(configured, "exchange: exchange"), encoding="utf-8")
    return course_yml


def _notebooks(assignment: str):
    from medai.course import manifest, sources

    m = manifest.load(REPO / "course" / "course.yml")
    return [sources.read_source(s) for s in m.assignment_sources(m.assignment(assignment))]


def grade_points(assignment: str = "a1") -> dict[str, float]:
    """grade_id -> points of each grade cell in an assignment's source, in notebook order."""
    from medai.course import sources

    return {sources.grade_id(c): sources.cell_points(c) for notebook in _notebooks(assignment)
            for c in notebook.cells if sources.is_test(c) or sources.is_hand_graded(c)}


def autograded_points(assignment: str = "a1") -> float:
    """Points the autograder can award (test cells, not answers graded by hand)."""
    from medai.course import sources

    return sum(sum(sources.test_points(notebook).values()) for notebook in _notebooks(assignment))


def mutant_answers(name: str, assignment: str = "a1") -> dict[str, str]:
    """The wrong answers of one of an assignment's mutants (assignments/source/<id>/mutants/)."""
    from medai.grading import qa

    folder = REPO / "assignments" / "source" / assignment / "mutants"
    return next(m.answers for m in qa.load_mutants(folder) if m.name == name)
