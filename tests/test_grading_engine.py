"""The grading engine: parallel, equal to nbgrader's serial autograde, resumable, on a real
Dask cluster and a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from helpers import autograded_points, copy_course, grade_points, mutant_answers
from submissions import reference_answers, submit

from medai.cli import main
from medai.course import manifest
from medai.grading import engine, nbgrader_api, pipeline, sandbox

pytestmark = pytest.mark.slow
A1 = "a1_diagnostic_metrics"


def make_class(root: Path, students: dict[str, str]) -> manifest.Manifest:
    """A released a1 with one submission per student: 'ref', 'blank', 'wrong' or 'broken'."""
    course_yml = copy_course(root)
    m = manifest.load(course_yml)
    pipeline.generate(m, "a1")
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    for student, kind in students.items():
        if kind == "broken":
            target = m.course_directory / "submitted" / student / "a1" / f"{A1}.ipynb"
            target.parent.mkdir(parents=True)
            target.write_text("{ not a notebook")
            continue
        chosen = {"ref": answers, "blank": {},
                  "wrong": {**answers, **mutant_answers("ties_ignored_in_auroc")}}[kind]
        submit(released, m.course_directory / "submitted", student, chosen)
    return m


def gradebook_scores(m: manifest.Manifest) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("a1")}


CLASS = {"s01": "ref", "s02": "blank", "s03": "wrong", "s04": "ref", "s05": "broken",
         "s06": "wrong"}
FULL = autograded_points("a1")
WRONG = FULL - grade_points("a1")["q4_tests"]  # the ties_ignored_in_auroc mutant
EXPECTED = {"s01": FULL, "s02": 0.0, "s03": WRONG, "s04": FULL, "s06": WRONG}


def test_parallel_scores_equal_nbgrader_autograde(tmp_path):
    serial = make_class(tmp_path / "serial", CLASS)
    nbgrader = Path(sys.executable).with_name("nbgrader")
    env = dict(os.environ, PATH=nbgrader_api.path_with_tools(os.environ.get("PATH", "")))
    done = subprocess.run([str(nbgrader), "autograde", "a1"], cwd=serial.path.parent,
                          capture_output=True, text=True, env=env)
    assert "s05" in done.stdout + done.stderr  # nbgrader itself fails on the broken one
    parallel = make_class(tmp_path / "parallel", CLASS)
    results = pipeline.grade(parallel, "a1", workers=2)
    nbgrader_scores = gradebook_scores(serial)
    assert {s: nbgrader_scores[s] for s in EXPECTED} == gradebook_scores(parallel) == EXPECTED
    # nbgrader records the unreadable notebook as a 0; medai leaves the gradebook alone
    # and reports the submission as failed with its reason.
    assert nbgrader_scores["s05"] == 0.0
    by_student = {r.student: r for r in results}
    assert by_student["s05"].status == "failed" and "not valid JSON" in by_student["s05"].reason
    assert all(by_student[s].seconds > 0 for s in EXPECTED)


def test_each_kernel_gets_its_workers_share_of_the_cores(tmp_path):
    """Two kernels with two BLAS threads each on two cores slow each other down."""
    m = make_class(tmp_path, {})
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    show = "import os\nprint('BLAS threads:', os.environ['OPENBLAS_NUM_THREADS'])\n"
    answers["q1_answer"] = show + answers["q1_answer"]
    submit(released, m.course_directory / "submitted", "s01", answers)
    [result] = pipeline.grade(m, "a1", workers=2)
    assert result.score == FULL
    cores = len(os.sched_getaffinity(0))
    configured = sandbox.Limits(**m.sandbox_limits).threads
    text = (m.course_directory / "autograded" / "s01" / "a1" / f"{A1}.ipynb").read_text()
    assert f"BLAS threads: {max(1, min(configured, cores // 2))}" in text
    assert engine.kernel_threads(1) == cores
    assert engine.kernel_threads(10 * cores) == 1


def test_second_run_grades_only_what_changed(tmp_path, capsys):
    m = make_class(tmp_path, {"s01": "ref", "s02": "blank", "s03": "broken"})
    first = pipeline.grade(m, "a1", workers=2)
    assert [r.status for r in first] == ["graded", "graded", "failed"]
    # s02 resubmits a correct notebook; nothing else changes.
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    submit(released, m.course_directory / "submitted", "s02", answers)
    second = {r.student: r for r in pipeline.grade(m, "a1", workers=2)}
    assert second["s01"].status == "unchanged" and second["s01"].score == FULL
    assert second["s02"].status == "graded" and second["s02"].score == FULL
    assert second["s03"].status == "failed" and "unchanged since last run" in second["s03"].reason
    assert gradebook_scores(m) == {"s01": FULL, "s02": FULL}
    forced = pipeline.grade(m, "a1", workers=2, force=True)
    assert [r.status for r in forced] == ["graded", "graded", "failed"]


def test_kill_minus_nine_then_resume_loses_and_duplicates_nothing(tmp_path):
    students = {f"s{i:02d}": ("ref" if i % 2 else "blank") for i in range(8)}
    m = make_class(tmp_path, students)
    medai = Path(sys.executable).with_name("medai")
    run = subprocess.Popen([str(medai), "--course", str(m.path), "grade", "a1", "--workers", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    ledger = m.course_directory / ".medai" / "ledger" / "a1"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(ledger.glob("*.json"))) < 2:
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    finished_before = {p.stem for p in ledger.glob("*.json")}
    assert 2 <= len(finished_before) < len(students), "the kill must land mid-run"
    time.sleep(1)  # workers die with their parent (PR_SET_PDEATHSIG)

    resumed = pipeline.grade(m, "a1", workers=2)
    statuses = {r.student: r.status for r in resumed}
    assert {s for s, st in statuses.items() if st == "unchanged"} == finished_before
    assert all(st in ("graded", "unchanged") for st in statuses.values())
    expected = {s: (FULL if kind == "ref" else 0.0) for s, kind in students.items()}
    assert gradebook_scores(m) == expected
    from nbgrader.api import Gradebook

    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        assert gb.db.execute(
            __import__("sqlalchemy").text("select count(*) from submitted_assignment")
        ).scalar() == len(students), "one submission row per student, none duplicated"
    for entry in ledger.glob("*.json"):
        assert json.loads(entry.read_text())["status"] == "graded"


def test_grading_on_a_dask_cluster(tmp_path):
    from distributed import LocalCluster

    m = make_class(tmp_path, {"s01": "ref", "s02": "wrong", "s03": "broken"})
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        results = pipeline.grade(m, "a1", scheduler=cluster.scheduler_address)
    assert [(r.student, r.status, r.score) for r in results] == [
        ("s01", "graded", FULL), ("s02", "graded", WRONG), ("s03", "failed", None)]
    assert gradebook_scores(m) == {"s01": FULL, "s02": WRONG}


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)")
    return found[-1].parent


@pytest.fixture
def postgres_url():
    """A throwaway PostgreSQL server on a Unix socket (no TCP), run as the postgres user."""
    bindir = _postgres_bin()
    home = Path(tempfile.mkdtemp(prefix="medai-pg-"))
    home.chmod(0o777)
    data, sockets = home / "data", home / "sockets"
    sockets.mkdir()
    sockets.chmod(0o777)
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust"], check=True, capture_output=True)
    port = "54329"
    subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l",
                    str(home / "log"), "-o", f"-k {sockets} -p {port} -c listen_addresses=''",
                    "start"], check=True, capture_output=True)
    try:
        subprocess.run([str(bindir / "createdb"), "-h", str(sockets), "-p", port, "-U",
                        "postgres", "medai"], check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@/medai?host={sockets}&port={port}"
    finally:
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                        "stop"], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def test_grading_into_a_postgresql_gradebook(tmp_path, postgres_url, monkeypatch):
    monkeypatch.setenv("MEDAI_GRADEBOOK_URL", postgres_url)
    m = make_class(tmp_path, {"s01": "ref", "s02": "blank", "s03": "wrong"})
    assert m.resolved_gradebook_url().startswith("postgresql+psycopg://")
    results = pipeline.grade(m, "a1", workers=2)
    assert [r.score for r in results] == [FULL, 0.0, WRONG]
    assert gradebook_scores(m) == {"s01": FULL, "s02": 0.0, "s03": WRONG}
    assert not (m.course_directory / "gradebook.db").exists()
    assert main(["--course", str(m.path), "export"]) == 0
    assert (m.course_directory / "grades.csv").read_text().count("\n") == 4


def test_progress_and_summary_are_shown(tmp_path, capsys):
    m = make_class(tmp_path, {"s01": "ref", "s02": "broken"})
    assert main(["--course", str(m.path), "grade", "a1", "--workers", "2"]) == 1
    captured = capsys.readouterr()
    assert "2/2 done, 1 failed, 0 remaining" in captured.err
    assert "2 submissions: 1 graded now, 0 unchanged since the last run, 1 failed" in captured.out
    assert f"scores: mean {FULL:.2f}" in captured.out
