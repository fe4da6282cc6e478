"""A private copy of a course (manifest, lesson and assignment sources) in another folder.

Used by `medai check`, which rehearses grading without touching the real
gradebook, and by the tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from medai.course.manifest import Manifest

GENERATED = ("*.ipynb", ".ipynb_checkpoints", "__pycache__")


def copy_course(m: Manifest, destination: Path) -> Path:
    """Copy course/, notebooks/, assignments/source/ and CHANGELOG.md of ``m``; return the
    new course.yml."""
    root, course_dir = m.root, m.course_directory
    shutil.copytree(m.path.parent, destination / "course",
                    ignore=shutil.ignore_patterns("__pycache__"))
    if (root / "notebooks").is_dir():
        shutil.copytree(root / "notebooks", destination / "notebooks",
                        ignore=shutil.ignore_patterns(*GENERATED))
    relative = course_dir.relative_to(root)
    shutil.copytree(course_dir / "source", destination / relative / "source",
                    ignore=shutil.ignore_patterns(*GENERATED))
    if (root / "CHANGELOG.md").is_file():
        shutil.copyfile(root / "CHANGELOG.md", destination / "CHANGELOG.md")
    return destination / "course" / m.path.name
