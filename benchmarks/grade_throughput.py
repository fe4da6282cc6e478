"""Grading throughput: `nbgrader autograde` (serial) against `medai grade --workers N`.

40 submissions of a1 (reference, partly wrong, blank and broken), graded on the
same machine in one run, each time in a private copy of the course, and the
scores must be equal: by `nbgrader autograde` with the course's configuration
(the sandboxed, guarded execution medai grade also uses: the speed-up measures
the engine, not a cheaper kernel), by `nbgrader autograde` with nbgrader's own
Execute (no sandbox, no guarded tests: what the sandbox costs) and by
`medai grade --workers N`. Also measures the grading overhead per submission: the time one
worker takes to grade a submission (sandboxed kernel, nbgrader's autograde
steps, gradebook writes) against the time the same notebook, with its hidden
tests, takes to execute plainly in a fresh kernel (nbclient), both on one
core's worth of work at a time. Run it on an otherwise idle machine.

    python benchmarks/grade_throughput.py [--students 40] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import result_files

from medai.course import manifest, workspace
from medai.grading import engine, nbgrader_api, pipeline, qa

A1 = "a1_diagnostic_metrics"
KINDS = ("reference", "wrong", "blank", "reference", "wrong", "broken", "reference", "wrong")


def make_class(m: manifest.Manifest, root: Path, n: int) -> manifest.Manifest:
    rehearsal = manifest.load(workspace.copy_course(m, root))
    pipeline.generate(rehearsal, "a1")
    released = rehearsal.course_directory / "release" / "a1" / f"{A1}.ipynb"
    reference = qa.reference_answers(rehearsal.course_directory / "source" / "a1" / f"{A1}.py")
    submitted = rehearsal.course_directory / "submitted"
    mutants = rehearsal.course_directory / "source" / "a1" / "mutants"
    wrong = next(x.answers for x in qa.load_mutants(mutants) if x.name == "ties_ignored_in_auroc")
    for i in range(n):
        kind, student = KINDS[i % len(KINDS)], f"student{i:03d}"
        if kind == "broken":
            target = submitted / student / "a1" / f"{A1}.ipynb"
            target.parent.mkdir(parents=True)
            target.write_text("{ broken")
            continue
        answers = {"reference": reference, "blank": {}, "wrong": {**reference, **wrong}}[kind]
        qa.submit(released, submitted, student, answers)
    return rehearsal


def run_plainly(notebook_path: Path) -> None:
    """Execute a notebook in a fresh, unsandboxed kernel, errors allowed."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(notebook_path, as_version=4)
    NotebookClient(notebook, kernel_name="python3", allow_errors=True, timeout=300,
                   shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(notebook_path.parent)}}).execute()


STOCK_EXECUTE = """
# benchmark: nbgrader's own Execute instead of medai's sandboxed, guarded one
from nbgrader.preprocessors import Execute
c.Autograde.autograde_preprocessors = [
    Execute if getattr(p, "__name__", "") == "SandboxedExecute" else p
    for p in c.Autograde.autograde_preprocessors
]
"""


def nbgrader_autograde(course: manifest.Manifest) -> float:
    """Seconds `nbgrader autograde a1` takes in the course's folder (the broken
    submissions make it exit non-zero; the scores are compared afterwards)."""
    env = dict(os.environ, PATH=nbgrader_api.path_with_tools(os.environ.get("PATH", "")))
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", "a1"],
                   cwd=course.path.parent, env=env, capture_output=True)
    return time.perf_counter() - started


def scores(m: manifest.Manifest) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("a1")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"
                                             / "grade_throughput.json"))
    args = parser.parse_args()
    m = manifest.load(manifest.default_manifest_path())
    with tempfile.TemporaryDirectory(prefix="medai-bench-grade-") as tmp:
        serial = make_class(m, Path(tmp) / "serial", args.students)
        stock = make_class(m, Path(tmp) / "stock", args.students)
        with (stock.path.parent / "nbgrader_config.py").open("a") as config:
            config.write(STOCK_EXECUTE)
        parallel = make_class(m, Path(tmp) / "parallel", args.students)
        serial_seconds = nbgrader_autograde(serial)
        stock_seconds = nbgrader_autograde(stock)

        started = time.perf_counter()
        results = pipeline.grade(parallel, "a1", workers=args.workers)
        parallel_seconds = time.perf_counter() - started

        nbgrader_scores, medai_scores = scores(serial), scores(parallel)
        stock_scores = scores(stock)
        graded = [r for r in results if r.status == "graded"]
        same = all(nbgrader_scores[r.student] == stock_scores[r.student]
                   == medai_scores[r.student] for r in graded)

        # Overhead: the same submissions graded one at a time by a warm worker's
        # code path (engine.grade_one, in this process) and executed plainly in a
        # fresh kernel (nbclient), interleaved so that machine load hits both alike.
        # The plain run executes the notebook as graded, hidden tests included
        # (the autograded copy), since that is the code the grader must run; its
        # kernel is killed at the end, as the grader's is, so that neither time
        # includes the interpreter's teardown.
        samples = [r.student for r in graded][:8]
        engine.grade_one(engine.Job(str(parallel.path), "a1", samples[0]))  # warm imports
        own, pipeline_seconds = [], []
        for student in samples:
            notebook = parallel.course_directory / "autograded" / student / "a1" / f"{A1}.ipynb"
            started = time.perf_counter()
            run_plainly(notebook)
            own.append(time.perf_counter() - started)
            pipeline_seconds.append(
                engine.grade_one(engine.Job(str(parallel.path), "a1", student)).seconds)
        own_mean = statistics.mean(own)
        per_submission = statistics.mean(pipeline_seconds)
        in_parallel = statistics.mean(r.seconds for r in graded)

    report = {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count()},
        "submissions": args.students,
        "workers": args.workers,
        "nbgrader_autograde_serial_seconds": round(serial_seconds, 1),
        "medai_grade_parallel_seconds": round(parallel_seconds, 1),
        "speed_up": round(serial_seconds / parallel_seconds, 2),
        "nbgrader_autograde_serial_unsandboxed_seconds": round(stock_seconds, 1),
        "speed_up_over_unsandboxed": round(stock_seconds / parallel_seconds, 2),
        "scores_equal": same,
        "graded": len(graded),
        "failed": sum(r.status == "failed" for r in results),
        "notebook_execution_seconds_mean": round(own_mean, 2),
        "medai_seconds_per_submission_one_worker": round(per_submission, 2),
        "overhead_per_submission": round(per_submission / own_mean - 1, 3),
        "medai_seconds_per_submission_two_workers": round(in_parallel, 2),
    }
    written = result_files.save(report, Path(args.out))
    for key, value in report.items():
        print(f"{key:46} {value}")
    print(f"written to {' and '.join(str(w) for w in written)}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
