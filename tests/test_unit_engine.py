"""The grading engine's planning, without nbgrader: who is graded, who is skipped as
unchanged, what the ledger holds, what changes a digest, each worker's share of the cores.
(test_grading_engine.py grades real submissions; it is slow.)"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import REPO

from medai.course import manifest
from medai.grading import engine
from medai.grading.engine import StudentResult

A1 = "a1"


@pytest.fixture
def m(tmp_path) -> manifest.Manifest:
    """The course's manifest with its course folder (nbgrader's) in tmp_path."""
    course = manifest.load(REPO / "course" / "course.yml")
    return dataclasses.replace(course, course_directory=tmp_path / "assignments")


def submit(m, student: str, text: str = "{}", name: str = "a1.ipynb") -> Path:
    folder = m.course_directory / "submitted" / student / A1
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def graded_before(m, student: str, source: str, status: str = "graded", reason: str = "",
                  autograded: bool = True) -> None:
    """What a finished earlier run leaves: the ledger entry and nbgrader's autograded/."""
    folder = m.course_directory / "submitted" / student / A1
    engine._write_ledger(engine.ledger_file(m, A1, student), {
        "student": student, "status": status, "score": 3.0 if status == "graded" else None,
        "max_score": 5.0 if status == "graded" else None, "reason": reason, "seconds": 1.0,
        "source": source, "submission": engine.submission_digest(folder)})
    if autograded:
        (m.course_directory / "autograded" / student / A1).mkdir(parents=True, exist_ok=True)


# --- digests -----------------------------------------------------------------------------

def test_submission_digest_changes_with_content_names_and_files_only(tmp_path):
    folder = tmp_path / "s01"
    (folder / "data").mkdir(parents=True)
    (folder / "a1.ipynb").write_text('{"cells": []}')
    (folder / "data" / "x.csv").write_text("1,2\n")
    first = engine.submission_digest(folder)
    assert engine.submission_digest(folder) == first
    os.utime(folder / "a1.ipynb", (0, 0))
    assert engine.submission_digest(folder) == first, "a touched file is not a changed one"

    (folder / "a1.ipynb").write_text('{"cells": [1]}')
    edited = engine.submission_digest(folder)
    assert edited != first
    (folder / "a1.ipynb").write_text('{"cells": []}')
    assert engine.submission_digest(folder) == first, "the content, not the history"

    (folder / "data" / "x.csv").rename(folder / "x.csv")
    assert engine.submission_digest(folder) != first, "a moved file is a change"
    (folder / "x.csv").rename(folder / "data" / "x.csv")
    (folder / "empty.txt").write_text("")
    assert engine.submission_digest(folder) != first, "so is a new empty file"


def test_the_same_files_elsewhere_have_the_same_digest(tmp_path):
    for student in ("s01", "s02"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "a1.ipynb").write_text("{}")
    assert (engine.submission_digest(tmp_path / "s01")
            == engine.submission_digest(tmp_path / "s02"))
    assert engine.submission_digest(tmp_path / "none") == engine.submission_digest(
        tmp_path / "s01" / "nothing-here"), "a missing folder is an empty submission"
    assert engine.submission_digest(tmp_path / "none") != engine.submission_digest(
        tmp_path / "s01")


def test_assignment_digest_follows_that_assignments_sources_only(m):
    source = m.course_directory / "source"
    (source / A1 / "mutants").mkdir(parents=True)
    (source / "a2").mkdir()
    (source / A1 / "a1.py").write_text("# %%\nx = 1\n")
    (source / "a2" / "a2.py").write_text("# %%\ny = 1\n")
    first = engine.assignment_digest(m, A1)
    (source / "a2" / "a2.py").write_text("# %%\ny = 2\n")
    assert engine.assignment_digest(m, A1) == first, "another assignment's edit"
    (source / A1 / "mutants" / "wrong.py").write_text("# %%\nx = 2\n")
    assert engine.assignment_digest(m, A1) != first, "a new mutant changes the tests' proof"
    (source / A1 / "mutants" / "wrong.py").unlink()
    assert engine.assignment_digest(m, A1) == first
    (source / A1 / "a1.py").write_text("# %%\nx = 1  # a changed test\n")
    assert engine.assignment_digest(m, A1) != first


# --- the ledger --------------------------------------------------------------------------

def test_ledger_entries_are_written_whole_and_read_back(m):
    path = engine.ledger_file(m, A1, "s01")
    assert path == m.ledger(A1) / "s01.json", "one place names the ledger"
    assert engine._read_ledger(path) is None, "no entry: grade"
    entry = {"student": "s01", "status": "graded", "score": 2.5, "source": "abc"}
    engine._write_ledger(path, entry)
    assert engine._read_ledger(path) == entry
    assert [p.name for p in path.parent.iterdir()] == ["s01.json"], "no partial file left"
    path.write_text('{"student": "s01", "sta')
    assert engine._read_ledger(path) is None, "a torn entry: grade again"


# --- plan --------------------------------------------------------------------------------

def test_without_a_ledger_everyone_is_graded_in_roster_order(m):
    for student in ("s02", "s01"):
        submit(m, student)
    todo, unchanged = engine.plan(m, A1, ["s02", "s01", "s03"], force=False, source="S")
    assert todo == ["s02", "s01", "s03"] and unchanged == []


def test_a_student_graded_from_the_same_files_is_not_graded_again(m):
    for student in ("s01", "s02"):
        submit(m, student)
        graded_before(m, student, source="S")
    submit(m, "s03")
    todo, unchanged = engine.plan(m, A1, ["s01", "s02", "s03"], force=False, source="S")
    assert todo == ["s03"]
    assert unchanged == [StudentResult("s01", "unchanged", 3.0, 5.0),
                         StudentResult("s02", "unchanged", 3.0, 5.0)]


@pytest.mark.parametrize("change", ["force", "resubmitted", "tests_changed",
                                    "autograded_deleted", "ledger_torn"])
def test_every_reason_to_grade_again(m, change):
    submit(m, "s01")
    graded_before(m, "s01", source="S")
    source, force = "S", False
    if change == "force":
        force = True
    elif change == "resubmitted":
        submit(m, "s01", text='{"cells": ["new"]}')
    elif change == "tests_changed":
        source = "S2"
    elif change == "autograded_deleted":
        (m.course_directory / "autograded" / "s01" / A1).rmdir()
    else:
        engine.ledger_file(m, A1, "s01").write_text("{")
    assert engine.plan(m, A1, ["s01"], force=force, source=source) == (["s01"], [])


def test_an_unchanged_failure_is_reported_again_without_grading(m):
    submit(m, "s01", text="{ not a notebook")
    graded_before(m, "s01", source="S", status="failed", reason="a1.ipynb: not valid JSON",
                  autograded=False)
    todo, unchanged = engine.plan(m, A1, ["s01"], force=False, source="S")
    assert todo == []
    assert unchanged == [StudentResult("s01", "failed", None, None,
                                       "a1.ipynb: not valid JSON (unchanged since last run)")]
    assert engine.plan(m, A1, ["s01"], force=True, source="S") == (["s01"], [])
    submit(m, "s01", text="{}")
    assert engine.plan(m, A1, ["s01"], force=False, source="S") == (["s01"], [])


# --- grade_class around a fake worker ----------------------------------------------------

@pytest.fixture
def fake_workers(monkeypatch, m):
    """grade_class with threads for processes and a worker that only pretends to grade:
    'crash' loses its worker, 'broken' fails to grade, anyone else gets 4 of 5."""
    jobs: list[engine.Job] = []
    pools: list[str | None] = []

    def grade_one(job: engine.Job) -> StudentResult:
        jobs.append(job)
        if job.student == "crash":
            raise RuntimeError("worker lost")
        if job.student == "broken":
            return StudentResult(job.student, "failed", None, None, "a1.ipynb: empty")
        (m.course_directory / "autograded" / job.student / A1).mkdir(parents=True,
                                                                    exist_ok=True)
        return StudentResult(job.student, "graded", 4.0, 5.0, seconds=0.5)

    def make_executor(workers, scheduler):
        pools.append(scheduler)
        pool = ThreadPoolExecutor(max_workers=workers)
        return pool, pool.shutdown

    monkeypatch.setattr(engine, "grade_one", grade_one)
    monkeypatch.setattr(engine, "make_executor", make_executor)
    return jobs, pools


def test_a_run_records_outcomes_and_the_next_one_grades_only_what_needs_it(m, fake_workers):
    jobs, pools = fake_workers
    students = ["s01", "broken", "crash", "s02"]
    for student in students:
        submit(m, student)
    (m.course_directory / "source" / A1).mkdir(parents=True)
    (m.course_directory / "source" / A1 / "a1.py").write_text("# %%\n")
    seen: list[str] = []
    first = engine.grade_class(m, A1, students, workers=2,
                               on_result=lambda r: seen.append(r.student))
    assert [r.student for r in first] == students, "results in roster order"
    assert [r.status for r in first] == ["graded", "failed", "failed", "graded"]
    assert "grading worker failed: RuntimeError: worker lost" in first[2].reason
    assert sorted(seen) == sorted(students)
    assert {j.kernel_threads for j in jobs} == {engine.kernel_threads(2)}
    assert {j.course_yml for j in jobs} == {str(m.path)}
    ledger = {p.stem: json.loads(p.read_text()) for p in m.ledger(A1).iterdir()}
    assert sorted(ledger) == ["broken", "s01", "s02"], "a lost worker is not the student's"
    assert ledger["s01"]["score"] == 4.0 and ledger["s01"]["source"] == (
        engine.assignment_digest(m, A1))
    gradebook = m.resolved_gradebook_url().removeprefix("sqlite:///")
    with sqlite3.connect(gradebook) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)

    jobs.clear()
    second = {r.student: r for r in engine.grade_class(m, A1, students, workers=2)}
    assert [j.student for j in jobs] == ["crash"]
    assert second["s01"] == StudentResult("s01", "unchanged", 4.0, 5.0)
    assert second["broken"].reason == "a1.ipynb: empty (unchanged since last run)"

    jobs.clear()
    (m.course_directory / "source" / A1 / "a1.py").write_text("# %%\nassert True\n")
    engine.grade_class(m, A1, students, workers=2)
    assert sorted(j.student for j in jobs) == sorted(students), "new tests: everyone"
    assert pools == [None, None, None]


def test_nothing_to_grade_starts_no_workers(m, fake_workers):
    jobs, pools = fake_workers
    submit(m, "s01")
    graded_before(m, "s01", source=engine.assignment_digest(m, A1))
    [result] = engine.grade_class(m, A1, ["s01"], workers=2)
    assert result.status == "unchanged" and jobs == [] and pools == []


def test_a_cluster_workers_kernels_keep_the_manifests_thread_limit(m, fake_workers):
    jobs, pools = fake_workers
    submit(m, "s01")
    engine.grade_class(m, A1, ["s01"], workers=2, scheduler="tcp://scheduler:8786")
    assert pools == ["tcp://scheduler:8786"]
    assert [j.kernel_threads for j in jobs] == [None]


# --- kernel_threads ----------------------------------------------------------------------

def test_each_worker_gets_its_share_of_the_cores(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    assert [engine.kernel_threads(w) for w in (1, 2, 3, 8, 100)] == [8, 4, 2, 1, 1]
    assert engine.kernel_threads(0) == 8, "no division by zero"


def test_without_affinity_the_cpu_count_is_shared(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert engine.kernel_threads(2) == 3
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert engine.kernel_threads(2) == 1
