"""Parallel, resumable autograding on top of nbgrader's own Autograde converter.

Each submission is one job. Jobs go through a standard
``concurrent.futures.Executor``: a local process pool by default, or a Dask
cluster's executor (``--scheduler ADDRESS``). Each worker runs nbgrader's
Autograde for one student and commits to the real gradebook (any SQLAlchemy
URL; SQLite is switched to WAL so readers never block writers).

Resuming: after a job's grades are committed, the parent writes a small ledger
entry (submission digest + assignment digest + score) atomically. A later run
skips students whose ledger entry matches the current submission and
assignment, and regrades everything else. A run killed at any moment (even
``kill -9``) loses at most the ledger entries of jobs in flight; those are
graded again, and nbgrader's update-or-create writes make that idempotent, so
no grade is lost or duplicated. Workers die with the parent (PR_SET_PDEATHSIG)
so an orphan never races a new run.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from medai import files
from medai.course import manifest as course_manifest
from medai.course.manifest import Manifest
from medai.grading import submission_checks

GradeStatus = Literal["graded", "failed", "unchanged"]


@dataclass(frozen=True)
class StudentResult:
    student: str
    status: GradeStatus  # "unchanged": up to date from an earlier run
    score: float | None
    max_score: float | None
    reason: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Job:
    course_yml: str
    assignment: str
    student: str
    kernel_threads: int | None = None  # BLAS/OpenMP threads for the student's kernel
    stop_after: str | None = None  # the last cell to execute (medai check's mutants only)


def _digest_files(paths: Iterable[Path], root: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            hasher.update(str(path.relative_to(root)).encode() + b"\0")
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def submission_digest(folder: Path) -> str:
    """Content digest of everything a student submitted for one assignment."""
    return _digest_files(folder.rglob("*"), folder)


def assignment_digest(m: Manifest, assignment_id: str) -> str:
    """Digest of the instructor's sources: changing a test regrades the class."""
    folder = m.course_folder("source", assignment_id)
    return _digest_files(folder.rglob("*"), folder)


def ledger_file(m: Manifest, assignment_id: str, student: str) -> Path:
    return m.ledger(assignment_id) / f"{student}.json"


def _write_ledger(path: Path, entry: dict) -> None:
    files.write_text(path, json.dumps(entry, indent=1))


def _read_ledger(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None  # missing or torn: grade again


def _die_with_parent() -> None:
    """Worker initializer: SIGKILL this worker when the grading process dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_loaded: dict[tuple[str, int], Manifest] = {}


def _manifest(path: str) -> Manifest:
    """The course manifest, parsed once per worker while the file is unchanged:
    reading it (and the points of every notebook) is a tenth of a small job."""
    key = (path, os.stat(path).st_mtime_ns)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = course_manifest.load(path)
    return _loaded[key]


def grade_one(job: Job) -> StudentResult:
    """Autograde one submission with nbgrader (runs in a worker process)."""
    from sqlalchemy.exc import SAWarning

    from medai.grading import nbgrader_api

    started = time.perf_counter()
    m = _manifest(job.course_yml)
    released = m.course_folder("release", job.assignment)
    submission = m.course_folder("submitted", job.assignment, job.student)
    from medai import i18n

    language = i18n.preferred(m.language)  # the TA's, for the reasons and remarks
    reasons = submission_checks.problems(released, submission, language)
    if reasons:
        return StudentResult(job.student, "failed", None, None, "; ".join(reasons),
                             time.perf_counter() - started)
    api = nbgrader_api.api(m, job.kernel_threads, job.stop_after)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=SAWarning)  # nbgrader internals, not news
        result = api.autograde(job.assignment, job.student)
    seconds = time.perf_counter() - started
    if not result["success"]:
        return StudentResult(job.student, "failed", None, None, nbgrader_api.failure(result),
                             seconds)
    remarks = "; ".join(submission_checks.notes(released, submission, language))
    with api.gradebook as gb:
        submitted = gb.find_submission(job.assignment, job.student)
        return StudentResult(job.student, "graded", submitted.score, submitted.max_score,
                             remarks, seconds)


def _use_wal(url: str) -> None:
    """SQLite gradebooks: WAL lets several workers commit without 'database is locked'."""
    prefix = "sqlite:///"
    if url.startswith(prefix):
        connection = sqlite3.connect(url[len(prefix):], timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
        finally:
            connection.close()


def kernel_threads(workers: int) -> int:
    """Each local worker's share of this machine's cores: two kernels running
    two BLAS threads each on two cores slowed every submission by 12%."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores // max(1, workers))


def make_executor(workers: int, scheduler: str | None) -> tuple[Executor, Callable[[], None]]:
    """A local process pool, or the executor of the Dask cluster at ``scheduler``."""
    if scheduler:
        from distributed import Client

        client = Client(scheduler)
        return client.get_executor(), client.close
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_die_with_parent,
    )
    return pool, lambda: pool.shutdown(wait=True, cancel_futures=True)


def plan(m: Manifest, assignment_id: str, students: list[str], force: bool, source: str
         ) -> tuple[list[str], list[StudentResult]]:
    """Split students into those to grade and those already graded from the same files
    (``source`` is the assignment digest)."""
    todo, unchanged = [], []
    for student in students:
        folder = m.course_folder("submitted", assignment_id, student)
        entry = _read_ledger(ledger_file(m, assignment_id, student))
        current = entry is not None and not force and entry.get("source") == source \
            and entry.get("submission") == submission_digest(folder)
        autograded = m.course_folder("autograded", assignment_id, student)
        if current and entry.get("status") == "failed":
            unchanged.append(StudentResult(student, "failed", None, None,
                                           entry.get("reason", "") + " (unchanged since last run)"))
        elif current and autograded.is_dir():
            unchanged.append(StudentResult(student, "unchanged", entry["score"],
                                           entry["max_score"]))
        else:
            todo.append(student)
    return todo, unchanged


def grade_class(
    m: Manifest,
    assignment_id: str,
    students: list[str],
    workers: int = 2,
    scheduler: str | None = None,
    force: bool = False,
    on_result: Callable[[StudentResult], None] | None = None,
    stop_after: dict[str, str] | None = None,
) -> list[StudentResult]:
    """Grade every student that needs it, in parallel; return one result per student.
    ``stop_after`` (student -> grade_id) stops those submissions after that cell (for
    `medai check`); their results are not kept in the ledger, which holds whole grades."""
    source = assignment_digest(m, assignment_id)
    todo, results = plan(m, assignment_id, students, force, source)
    for result in results:
        if on_result:
            on_result(result)
    if not todo:
        return results
    _use_wal(m.resolved_gradebook_url())
    executor, close = make_executor(workers, scheduler)
    # a Dask worker's cores are not known here: its kernels keep the manifest's limit
    threads = None if scheduler else kernel_threads(workers)
    stop_after = stop_after or {}
    try:
        futures = {
            executor.submit(grade_one, Job(str(m.path), assignment_id, student, threads,
                                           stop_after.get(student))): student
            for student in todo
        }
        for future in as_completed(futures):
            student = futures[future]
            try:
                result = future.result()
            except Exception as err:  # a worker that died must not stop the class
                result = StudentResult(student, "failed", None, None,
                                       f"grading worker failed: {type(err).__name__}: {err}")
                infrastructure = True
            else:
                infrastructure = False
            if not infrastructure and student not in stop_after:  # its whole grade
                folder = m.course_folder("submitted", assignment_id, student)
                _write_ledger(ledger_file(m, assignment_id, student), {
                    **asdict(result), "source": source,
                    "submission": submission_digest(folder),
                })
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        close()
    return sorted(results, key=lambda r: students.index(r.student))
