"""Executed lessons for the website, kept by the hash of their cells.

A lesson is executed once per change of its cells: the site reuses the copy
whose key matches, whoever executed it (an earlier `medai site`, or the test
that runs every lesson top to bottom).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat

from medai import files
from medai.course import build, sources
from medai.course.manifest import Lesson


def key(lesson: Lesson, language: str = "en") -> str:
    """The hash of the lesson's cells in ``language`` (a translation's edit counts)."""
    if language == "en":
        return build.cells_hash(sources.read_source(lesson.source))[:16]
    return build.built(lesson.source, "0", language).metadata[build.BUILD_KEY][
        "cells_sha256"][:16]


def path(lesson: Lesson, cache: Path, language: str = "en") -> Path:
    suffix = "" if language == "en" else f".{language}"
    return cache / f"{lesson.id}-{key(lesson, language)}{suffix}.ipynb"


def store(notebook: nbformat.NotebookNode, lesson: Lesson, cache: Path,
          language: str = "en") -> Path:
    """Keep an executed lesson (written whole or not at all)."""
    target = path(lesson, cache, language)
    return files.write_text(target, nbformat.writes(notebook))


def run_missing(lessons: list[Lesson], cache: Path, workers: int,
                progress=lambda line: None, languages: tuple[str, ...] = ("en",)
                ) -> list[str]:
    """Execute the lessons that have no executed copy in each language, ``workers`` at a
    time (each in its own kernel); return them as "id" (English) or "id.ko"."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    missing = [(x, language) for language in languages for x in lessons
               if not path(x, cache, language).is_file()]
    if not missing:
        return []
    names = [lesson.id + ("" if language == "en" else f".{language}")
             for lesson, language in missing]
    workers = max(1, min(workers, len(missing)))
    threads = max(1, (os.cpu_count() or 1) // workers)
    with ProcessPoolExecutor(max_workers=workers, initializer=_share_cores,
                             initargs=(threads,)) as pool:
        futures = {pool.submit(executed, lesson, cache, language): number
                   for number, (lesson, language) in enumerate(missing)}
        for future in as_completed(futures):
            future.result()  # a lesson that fails raises here, naming itself
            progress(f"executed {names[futures[future]]}")
    return names


# the thread pools of numpy's BLAS, OpenMP (torch, scikit-learn) and numexpr
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS")


def _share_cores(threads: int) -> None:
    """In a worker: its kernels use ``threads`` threads, so workers side by side do not
    oversubscribe the cores (kernels inherit the worker's environment)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)


def borrowed(lesson: Lesson, cache: Path, language: str) -> nbformat.NotebookNode:
    """The lesson in ``language`` with the outputs of its English run, cell by cell.

    For a quick site: a translation's code is the English code with its displayed texts
    swapped (``medai build --check`` proves it), so its numbers are the English numbers;
    only its figures and printed words stay in English. The English run must exist.
    """
    english, _ = executed(lesson, cache)
    translated = nbformat.reads(build.render(lesson.source, language=language), as_version=4)
    theirs = [c for c in english.cells if c.cell_type == "code"]
    mine = [c for c in translated.cells if c.cell_type == "code"]
    if len(theirs) != len(mine):
        raise ValueError(f"{lesson.id}: the {language} notebook has {len(mine)} code cells, "
                         f"the English {len(theirs)}; run `medai build --check`")
    for cell, english_cell in zip(mine, theirs, strict=True):
        cell.outputs = english_cell.outputs
        cell.execution_count = english_cell.execution_count
    translated.metadata[OUTPUTS_FROM] = "en"
    return translated


# notebook metadata naming the language whose run a borrowed notebook's outputs come from
OUTPUTS_FROM = "medai_outputs_from"


def executed(lesson: Lesson, cache: Path, language: str = "en"
             ) -> tuple[nbformat.NotebookNode, bool]:
    """The lesson in ``language`` with its outputs, and whether it had to be executed
    now."""
    from medai.course.execute import execute

    kept = path(lesson, cache, language)
    if kept.is_file():
        return nbformat.read(kept, as_version=4), False
    with tempfile.TemporaryDirectory(prefix=f"medai-site-{lesson.id}-") as work:
        built = Path(work) / build.notebook_path(lesson.source, language).name
        built.write_text(build.render(lesson.source, language=language), encoding="utf-8")
        notebook = execute(built, quiet_kernel=True)
    store(notebook, lesson, cache, language)
    return notebook, True
