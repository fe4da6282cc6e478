"""Submissions from an LMS's bulk download, into nbgrader's ``submitted/`` folder.

Canvas ("Download Submissions") names each file
``<lastfirst>[_LATE]_<user id>_<submission id>_<file name>`` and appends ``-1``,
``-2`` to a file name it has seen before. Moodle ("Download all submissions")
puts each student's files in a folder (or under a file prefix)
``<Full Name>_<participant id>_assignsubmission_file_``; the participant id is
per assignment, so students are found by name. The roster maps both to
student ids (Canvas: its ``lms_id`` column; Moodle: first and last name).

Every file is accounted for: collected, already there, kept (a different
file is already in ``submitted/`` and ``replace`` was not asked), or reported
with the reason (unknown student, ambiguous name, duplicate, not a notebook of
the assignment). Nothing in ``submitted/`` is overwritten unless asked, and
then the old file is kept beside it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from medai import files
from medai.delivery.roster import Member
from medai.errors import MedaiError

LAYOUTS = ("canvas", "moodle")
CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_LATE)?_(?P<user>\d+)_(?P<submission>\d+)_"
                    r"(?P<file>.+)$")
MOODLE = re.compile(r"(?:^|/)(?P<name>[^/]+?)_(?P<participant>\d+)_assignsubmission_"
                    r"(?:file|onlinetext)_(?:/|_?)(?P<file>[^/]*)$")
_RESUBMITTED = re.compile(r"^(?P<stem>.+?)(?:-\d+| \(\d+\))$")


class LmsImportError(MedaiError, ValueError):
    """The download cannot be read at all; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    """One file of the download, as the LMS named it."""

    path: str  # inside the zip
    name: str  # the student's name as the LMS wrote it
    lms_id: str  # Canvas user id, Moodle participant id
    file: str  # the file name the student uploaded (as the LMS kept it)
    late: bool = False


@dataclass
class Report:
    collected: dict[str, list[str]] = field(default_factory=dict)  # student -> notebooks
    unchanged: list[str] = field(default_factory=list)  # student/notebook already there
    kept: list[str] = field(default_factory=list)  # a different file is there; not replaced
    replaced: list[str] = field(default_factory=list)  # old one kept beside, as asked
    late: list[str] = field(default_factory=list)  # students the LMS marked late
    problems: list[str] = field(default_factory=list)  # files not collected, with why


def parse(path: str, layout: str) -> Entry | None:
    """The LMS's naming of one file in the download, or None if it is not in the layout."""
    if layout == "canvas":
        found = CANVAS.match(PurePosixPath(path).name)
        return found and Entry(path, found["name"], found["user"], found["file"],
                               bool(found["late"]))
    found = MOODLE.search(path)
    return found and Entry(path, found["name"], found["participant"], found["file"])


def detect(paths: list[str]) -> str:
    """Which LMS made the download, from its file names."""
    counts = {layout: sum(parse(p, layout) is not None for p in paths) for layout in LAYOUTS}
    best = max(counts, key=counts.get)
    if not counts[best]:
        raise LmsImportError("no file is named as Canvas or Moodle name a bulk download "
                             "(e.g. 'parkhyunwoo_4101_88_a1.ipynb' or 'Hyunwoo Park_17_"
                             "assignsubmission_file_/a1.ipynb'); give --lms, or use --zip "
                             "with --pattern")
    return best


def _plain(text: str) -> str:
    """A name compared as the LMS may have written it: no accents, case or spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def student_for(entry: Entry, layout: str, students: list[Member]) -> tuple[str | None, str]:
    """The student id for a file, or None and why not."""
    if layout == "canvas":
        by_id = [s for s in students if s.lms_id and s.lms_id == entry.lms_id]
        if by_id:
            return by_id[0].username, ""
        by_name = [s for s in students if _plain(s.last_name + s.first_name) == _plain(entry.name)]
    else:
        by_name = [s for s in students if _plain(entry.name) in
                   (_plain(s.first_name + s.last_name), _plain(s.last_name + s.first_name))]
    if len(by_name) == 1:
        return by_name[0].username, ""
    if len(by_name) > 1:
        return None, (f"{entry.name!r} matches {', '.join(s.username for s in by_name)}: give "
                      "each their lms_id in the roster")
    return None, (f"{entry.name!r} (LMS id {entry.lms_id}) is not in the roster: add them, with "
                  "lms_id for Canvas")


def notebook_for(file_name: str, released: set[str]) -> str | None:
    """The released notebook a submitted file is, allowing the LMS's renaming of a file
    submitted again ('a1-1.ipynb', 'a1 (1).ipynb')."""
    if file_name in released:
        return file_name
    stem, suffix = Path(file_name).stem, Path(file_name).suffix
    again = _RESUBMITTED.match(stem)
    if again and f"{again['stem']}{suffix}" in released:
        return f"{again['stem']}{suffix}"
    return None


def read_archive(archive: Path) -> tuple[zipfile.ZipFile, list[str]]:
    try:
        opened = zipfile.ZipFile(archive)
        if opened.testzip() is not None:
            opened.close()
            raise zipfile.BadZipFile
    except FileNotFoundError:
        raise LmsImportError(f"{archive}: no such file") from None
    except (OSError, zipfile.BadZipFile):
        raise LmsImportError(f"{archive} is not a readable zip file; download it again from "
                             "the LMS") from None
    names = [n for n in opened.namelist() if not n.endswith("/")]
    unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
    if unsafe:
        opened.close()
        raise LmsImportError(f"{archive} holds paths outside itself ({unsafe[0]!r}); "
                             "it did not come from an LMS")
    return opened, names


def bring_in(archive: Path, layout: str | None, students: list[Member], released: set[str],
             submitted: Path, assignment: str, replace: bool = False) -> Report:
    """Place each student's notebooks in ``submitted/<student>/<assignment>/``."""
    opened, names = read_archive(archive)
    with opened:
        return _bring_in(opened, names, layout or detect(names), students, released,
                         submitted, assignment, replace)


def _bring_in(opened: zipfile.ZipFile, names: list[str], layout: str, students: list[Member],
              released: set[str], submitted: Path, assignment: str, replace: bool) -> Report:
    report = Report()
    chosen: dict[tuple[str, str], list[Entry]] = {}
    for name in names:
        entry = parse(name, layout)
        if entry is None:
            report.problems.append(f"{name}: not named as {layout} names a submission")
            continue
        notebook = notebook_for(entry.file, released)
        if notebook is None:
            report.problems.append(f"{name}: {entry.file!r} is not a notebook of {assignment} "
                                   f"({', '.join(sorted(released))})")
            continue
        student, why = student_for(entry, layout, students)
        if student is None:
            report.problems.append(f"{name}: {why}")
            continue
        chosen.setdefault((student, notebook), []).append(entry)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for (student, notebook), entries in sorted(chosen.items()):
        if len(entries) > 1:
            report.problems.append(
                f"{student}: {len(entries)} files for {notebook} "
                f"({', '.join(e.path for e in entries)}); none taken: keep one in the "
                "download and run again")
            continue
        entry = entries[0]
        if entry.late and student not in report.late:
            report.late.append(student)
        data = opened.read(entry.path)
        target = submitted / student / assignment / notebook
        where = f"{student}/{notebook}"
        if target.is_file():
            if target.read_bytes() == data:
                report.unchanged.append(where)
                continue
            if not replace:
                report.kept.append(where)
                continue
            shutil.copy2(target, target.with_name(f"{notebook}.before-{stamp}"))
            report.replaced.append(where)
        files.write_bytes(target, data)
        report.collected.setdefault(student, []).append(notebook)
    return report
