"""Executed lessons for the website, kept by the hash of their cells.

A lesson is executed once per change of its cells: the site reuses the copy
whose key matches, whoever executed it (an earlier `medai site`, or the test
that runs every lesson top to bottom).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat

from medai import files
from medai.course import build, sources
from medai.course.manifest import Lesson


def key(lesson: Lesson) -> str:
    return build.cells_hash(sources.read_source(lesson.source))[:16]


def path(lesson: Lesson, cache: Path) -> Path:
    return cache / f"{lesson.id}-{key(lesson)}.ipynb"


def store(notebook: nbformat.NotebookNode, lesson: Lesson, cache: Path) -> Path:
    """Keep an executed lesson (written whole or not at all)."""
    target = path(lesson, cache)
    return files.write_text(target, nbformat.writes(notebook))


def run_missing(lessons: list[Lesson], cache: Path, workers: int,
                progress=lambda line: None) -> list[str]:
    """Execute the lessons that have no executed copy, ``workers`` at a time (each in
    its own kernel); return their ids."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    missing = [x for x in lessons if not path(x, cache).is_file()]
    if not missing:
        return []
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(missing)))) as pool:
        futures = {pool.submit(executed, lesson, cache): lesson for lesson in missing}
        for future in as_completed(futures):
            future.result()  # a lesson that fails raises here, naming itself
            progress(f"executed {futures[future].id}")
    return [x.id for x in missing]


def executed(lesson: Lesson, cache: Path) -> tuple[nbformat.NotebookNode, bool]:
    """The lesson with its outputs, and whether it had to be executed now."""
    from medai.course.execute import execute

    kept = path(lesson, cache)
    if kept.is_file():
        return nbformat.read(kept, as_version=4), False
    with tempfile.TemporaryDirectory(prefix=f"medai-site-{lesson.id}-") as work:
        built = Path(work) / lesson.source.with_suffix(".ipynb").name
        built.write_text(build.render(lesson.source), encoding="utf-8")
        notebook = execute(built, quiet_kernel=True)
    store(notebook, lesson, cache)
    return notebook, True
