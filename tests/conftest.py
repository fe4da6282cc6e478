"""Shared fixtures. Tests write only to pytest's temporary folders.

Jupyter, IPython and matplotlib would otherwise write to the home directory;
they are pointed at a temporary folder before anything imports them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

_SCRATCH = Path(tempfile.mkdtemp(prefix="medai-tests-"))
for _var, _sub in (
    ("JUPYTER_CONFIG_DIR", "jupyter-config"),
    ("JUPYTER_DATA_DIR", "jupyter-data"),
    ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
    ("IPYTHONDIR", "ipython"),
    ("MPLCONFIGDIR", "matplotlib"),
    ("HOME", "home"),
    ("MEDAI_DATA", "medai-data"),
):
    os.environ[_var] = str(_SCRATCH / _sub)
    (_SCRATCH / _sub).mkdir(exist_ok=True)
os.environ.pop("MEDAI_COURSE", None)
os.environ.pop("MEDAI_GRADEBOOK_URL", None)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SCRATCH, ignore_errors=True)


def copy_course(destination: Path) -> Path:
    """A private copy of the course (manifest, lessons, assignment sources); returns course.yml."""
    from medai.course import manifest, workspace

    return workspace.copy_course(manifest.load(REPO / "course" / "course.yml"), destination)


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """Path to course.yml of a fresh copy of the course in a temporary folder."""
    return copy_course(tmp_path)


def mutant_answers(name: str, assignment: str = "a1") -> dict[str, str]:
    """The wrong answers of one of an assignment's mutants (assignments/source/<id>/mutants/)."""
    from medai.grading import qa

    folder = REPO / "assignments" / "source" / assignment / "mutants"
    return next(m.answers for m in qa.load_mutants(folder) if m.name == name)
