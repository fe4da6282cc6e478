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
from typing import Literal

from medai import files
from medai.course import build, lesson_plan
from medai.course.manifest import Manifest
from medai.delivery import exchange
from medai.errors import MedaiError

INDEX = "course.json"
# files in a lesson folder that students do not get (the text source and the notes with
# the exercises' answers are the instructor's)
NOT_PUBLISHED = ("*.py", lesson_plan.NOTES_FILE, ".ipynb_checkpoints", "__pycache__", ".*")


class LessonsError(MedaiError, RuntimeError):
    """Lessons cannot be published or synced; the message says what to do."""


def published_folder(exchange_root: Path, course_id: str, language: str = "en") -> Path:
    """Where a course's lessons in one language are published: lessons/ (English),
    lessons_ko/ (Korean)."""
    return exchange_root / course_id / folder_name(language)


def folder_name(language: str = "en") -> str:
    return "lessons" if language == "en" else f"lessons_{language}"


def publish(m: Manifest) -> Path:
    """Build every ready lesson in each of the course's languages and put the notebooks
    (with their images) in the exchange; return the English folder.

    Edited notebooks in notebooks/ are the instructor's own: the published copy is
    always built from the text source, never taken from them."""
    found = [publish_language(m, language) for language in m.languages]
    return found[0]


def publish_language(m: Manifest, language: str) -> Path:
    root = exchange.ensure(m)
    target = published_folder(root, m.course_id, language)
    course = target.parent  # as nbgrader makes it: every student passes through
    course.mkdir(exist_ok=True)
    if course.stat().st_uid == os.geteuid():
        course.chmod(0o755)
    staging = target.with_name(f".{target.name}-{m.course_id}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    write_published(m, staging, language=language)
    for path in (staging, *staging.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    old = target.with_name(f".{target.name}-{m.course_id}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def write_published(m: Manifest, folder: Path, version: str | None = None,
                    language: str = "en") -> None:
    """Write what students receive into an empty ``folder``: one folder per ready lesson
    (the built notebook in ``language`` and its images, never the text source or a
    translation file) and an index naming the course version and what it changed. The
    exchange and the package both hold this."""
    from medai import __version__
    from medai.course import changelog

    version = version or __version__
    folder.mkdir(parents=True)
    entries = []
    for lesson in m.ready_lessons():
        if lesson.source is None:
            continue
        source_folder = lesson.source.parent
        copy = folder / source_folder.name
        shutil.copytree(source_folder, copy,
                        ignore=shutil.ignore_patterns(*NOT_PUBLISHED, "*.ipynb", "*.yml"))
        notebook = copy / lesson.source.with_suffix(".ipynb").name
        notebook.write_text(build.render(lesson.source, version, language), encoding="utf-8")
        entries.append({"id": lesson.id, "title": lesson.title, "module": lesson.module,
                        "notebook": f"{source_folder.name}/{notebook.name}"})
    history = changelog.read(m.root / "CHANGELOG.md")
    news = changelog.entry_for(history, version) or changelog.entry_for(
        history, changelog.UNRELEASED)
    index = {"course_id": m.course_id, "title": m.title, "term": m.term,
             "timezone": m.timezone, "version": version, "language": language,
             "whats_new": news.text if news and not news.empty else "",
             "lessons": entries}
    (folder / INDEX).write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n",
                                encoding="utf-8")


def packaged(language: str = "en") -> Path | None:
    """The lessons installed with the medai package (a wheel built by `python -m build`),
    or None in a checkout, where they come from the exchange."""
    from importlib import resources

    folder = Path(str(resources.files("medai") / folder_name(language)))
    return folder if (folder / INDEX).is_file() else None


# what syncing did to a lesson in a student's workspace ("news": WHATS_NEW.md, the
# workspace moved to another course version)
SyncState = Literal["new", "updated", "unchanged", "kept", "news"]


@dataclass(frozen=True)
class Synced:
    path: Path  # in the student's workspace
    state: SyncState  # "kept": theirs, the new version beside it
    #             or "news" (WHATS_NEW.md: the workspace moved to another course version)
    beside: Path | None = None  # where the new version went, for "kept"


def read_index(published: Path) -> dict:
    try:
        return json.loads((published / INDEX).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonsError(
            f"no lessons published in {published}; the instructor runs `medai publish`"
        ) from None


WHATS_NEW = "WHATS_NEW.md"
SYNCED_VERSION = ".medai/lessons-version"


def sync(published: Path, workspace: Path) -> list[Synced]:
    """Bring published lessons into ``workspace/lessons`` without losing a student's work."""
    index = read_index(published)  # a clear error before anything is copied
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
    if any(r.state != "unchanged" for r in results):
        note = _note_whats_new(index, workspace)
        if note:
            results.append(Synced(note, "news"))
    return results


def _note_whats_new(index: dict, workspace: Path) -> Path | None:
    """Write lessons/WHATS_NEW.md when the workspace moves to another course version."""
    version = index.get("version")
    record = workspace / SYNCED_VERSION
    before = record.read_text("utf-8").strip() if record.is_file() else None
    if not version or version == before:
        return None
    lines = [f"# What's new in {index.get('title', 'the course')} {version}", ""]
    if before:
        lines += [f"Your lessons were updated from version {before}. A lesson you had "
                  "opened, edited or run is still yours; its new version is beside it as "
                  "`<lesson>.updated.ipynb`.", ""]
    lines += [index.get("whats_new") or "Corrections and improvements.", ""]
    note = workspace / "lessons" / WHATS_NEW
    note.write_text("\n".join(lines), encoding="utf-8")
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(version + "\n", encoding="utf-8")
    return note


def _sync_notebook(source: Path, target: Path) -> Synced:
    published = build.notebook_state(source).recorded
    mine = build.notebook_state(target)
    if mine.recorded == published:
        return Synced(target, "unchanged")
    if mine.touched:
        beside = target.with_name(f"{target.stem}.updated.ipynb")
        shutil.copyfile(source, beside)
        return Synced(target, "kept", beside)
    with files.replacing(target) as partial:
        shutil.copyfile(source, partial)
    return Synced(target, "updated")
