"""Lessons for students: published once by the instructor, synced into each workspace.

The instructor publishes the built lessons into the course's folder in the
exchange (readable by every student, writable only by the instructor). A
student's workspace receives them by :func:`sync`, which follows nbgitpuller's
rule: a lesson the student opened, edited or ran is theirs and is never
overwritten; a corrected version arrives beside it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from medai.course import build
from medai.course.manifest import Manifest
from medai.delivery import exchange

INDEX = "course.json"
# files in a lesson folder that students do not get (the text source is the instructor's)
NOT_PUBLISHED = ("*.py", ".ipynb_checkpoints", "__pycache__", ".*")


class LessonsError(RuntimeError):
    """Lessons cannot be published or synced; the message says what to do."""


def published_folder(exchange_root: Path, course_id: str) -> Path:
    return exchange_root / course_id / "lessons"


def publish(m: Manifest) -> Path:
    """Build every ready lesson and put the notebooks (with their images) in the exchange.

    Edited notebooks in notebooks/ are the instructor's own: the published copy is
    always built from the text source, never taken from them."""
    root = exchange.ensure(m)
    target = published_folder(root, m.course_id)
    course = target.parent  # as nbgrader makes it: every student passes through
    course.mkdir(exist_ok=True)
    if course.stat().st_uid == os.geteuid():
        course.chmod(0o755)
    staging = target.with_name(f".lessons-{m.course_id}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    entries = []
    for lesson in m.ready_lessons():
        if lesson.source is None:
            continue
        folder = lesson.source.parent
        copy = staging / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(*NOT_PUBLISHED, "*.ipynb"))
        notebook = copy / lesson.source.with_suffix(".ipynb").name
        notebook.write_text(build.render(lesson.source), encoding="utf-8")
        entries.append({"id": lesson.id, "title": lesson.title, "module": lesson.module,
                        "notebook": f"{folder.name}/{notebook.name}"})
    index = {"course_id": m.course_id, "title": m.title, "term": m.term,
             "timezone": m.timezone, "lessons": entries}
    (staging / INDEX).write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    for path in (staging, *staging.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    old = target.with_name(f".lessons-{m.course_id}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


@dataclass(frozen=True)
class Synced:
    path: Path  # in the student's workspace
    state: str  # "new", "updated", "unchanged" or "kept" (theirs; new version beside it)
    beside: Path | None = None  # where the new version went, for "kept"


def read_index(published: Path) -> dict:
    try:
        return json.loads((published / INDEX).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonsError(
            f"no lessons published in {published}; the instructor runs `medai publish`"
        ) from None


def sync(published: Path, workspace: Path) -> list[Synced]:
    """Bring published lessons into ``workspace/lessons`` without losing a student's work."""
    read_index(published)  # a clear error before anything is copied
    results = []
    for source in sorted(p for p in published.rglob("*") if p.is_file() and p.name != INDEX):
        relative = source.relative_to(published)
        target = workspace / "lessons" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            shutil.copyfile(source, target)
            results.append(Synced(target, "new"))
        elif source.suffix == ".ipynb":
            results.append(_sync_notebook(source, target))
        # other files (figures, data) are copied once; a student's change to them stays
    return results


def _sync_notebook(source: Path, target: Path) -> Synced:
    published = build.notebook_state(source).recorded
    mine = build.notebook_state(target)
    if mine.recorded == published:
        return Synced(target, "unchanged")
    if mine.touched:
        beside = target.with_name(f"{target.stem}.updated.ipynb")
        shutil.copyfile(source, beside)
        return Synced(target, "kept", beside)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    return Synced(target, "updated")
