"""Packaging step that pyproject.toml cannot express: the built lessons go into the package.

From a checkout, `python -m build` renders every ready lesson (with the package's
version stamped in) into src/medai/lessons/, in the layout students receive from
the exchange, and ships it in the sdist and the wheel. An sdist already holds
them, so a wheel built from it copies them as they are. Editable installs skip it:
a checkout's lessons come from notebooks/ and the exchange.
"""

import shutil
import sys
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
LESSONS = HERE / "src" / "medai" / "lessons"  # English; Korean in lessons_ko beside it


def packages() -> list[str]:
    """medai's packages, the folders of data under them (lessons, templates) included, and
    the dataset catalog, which lives in datasets/ (package-dir in pyproject.toml)."""
    found = find_namespace_packages(str(HERE / "src"), include=["medai", "medai.*"])
    return [*found, "medai.catalog", "medai.catalog.cards"]


def render_lessons(version: str) -> bool:
    """Write the students' lessons into src/medai/lessons; True when rendered from a
    checkout (and to be removed once packaged), False in an sdist, which holds them."""
    course_yml = HERE / "course" / "course.yml"
    if not course_yml.is_file():
        if not (LESSONS / "course.json").is_file():
            raise SystemExit("no course/course.yml and no built lessons: build medai-course "
                             "from a checkout of the course or from its sdist")
        return False
    sys.path.insert(0, str(HERE / "src"))
    from medai.course import manifest
    from medai.delivery import lessons

    m = manifest.load(course_yml)
    for language in m.languages:
        folder = LESSONS.with_name(lessons.folder_name(language))
        shutil.rmtree(folder, ignore_errors=True)
        lessons.write_published(m, folder, version=version, language=language)
    return True


def remove_lessons() -> None:
    for folder in LESSONS.parent.glob("lessons*"):
        shutil.rmtree(folder, ignore_errors=True)


class BuildPyWithLessons(build_py):
    def run(self):
        if self.editable_mode:
            super().run()
            return
        rendered = render_lessons(self.distribution.get_version())
        try:
            self.packages = self.distribution.packages = packages()  # the new lesson folders
            super().run()
        finally:  # a checkout's editable install must not find them later
            if rendered:
                remove_lessons()


class SdistWithLessons(sdist):
    def run(self):
        rendered = render_lessons(self.distribution.get_version())
        try:
            self.distribution.packages = packages()
            super().run()
        finally:
            if rendered:
                remove_lessons()


setup(packages=packages(), cmdclass={"build_py": BuildPyWithLessons, "sdist": SdistWithLessons})
