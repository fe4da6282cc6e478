"""Grading throughput: `nbgrader autograde` (serial) against `medai grade --workers N`,
on a1 (diagnostic metrics: light, scikit-learn) and a5 (MONAI segmentation: torch and
MONAI imports, a small training run).

For each assignment, N submissions (reference, partly wrong, blank and broken) are graded
on the same machine in one run, each time in a private copy of the course, and the scores
must be equal:

* by `nbgrader autograde` with the course's configuration and cold kernels
  (``MEDAI_PREWARM=0``: the sandboxed, guarded execution, each kernel importing its
  libraries again), the baseline of the speed-up;
* by `nbgrader autograde` with nbgrader's own Execute (no sandbox, no guarded tests);
* by `medai grade --workers N`, whose kernels are forked from a pre-warmed template.

Also the grading overhead per submission: the time one worker takes to grade a
submission against the notebook's own compute, excluding imports: the same notebook,
hidden tests included, executed plainly (nbclient) in a fresh kernel that had imported
the setup cell's modules before the clock started. Run it on an otherwise idle machine.

    python benchmarks/grade_throughput.py [--a1 40] [--a5 40] [--workers 2]

An assignment given 0 submissions is not measured; its earlier record in the results
file is kept (each record names the revision and time it was measured).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import result_files
from result_files import REPO

from medai.course import manifest, revision, workspace
from medai.grading import engine, nbgrader_api, pipeline, qa
from medai.grading.sandbox import warm

#: assignment -> (notebook, the mutant that plays the partly wrong submission)
ASSIGNMENTS = {
    "a1": ("a1_diagnostic_metrics", "ties_ignored_in_auroc"),
    "a5": ("a5_segmentation", "dice_includes_background"),
}
KINDS = ("reference", "wrong", "blank", "reference", "wrong", "broken", "reference", "wrong")


def make_class(m: manifest.Manifest, root: Path, assignment: str, n: int
               ) -> manifest.Manifest:
    notebook, mutant = ASSIGNMENTS[assignment]
    rehearsal = manifest.load(workspace.copy_course(m, root))
    pipeline.generate(rehearsal, assignment)
    source = rehearsal.course_directory / "source" / assignment
    released = rehearsal.course_directory / "release" / assignment / f"{notebook}.ipynb"
    reference = qa.reference_answers(source / f"{notebook}.py")
    submitted = rehearsal.course_directory / "submitted"
    wrong = next(x.answers for x in qa.load_mutants(source / "mutants") if x.name == mutant)
    for i in range(n):
        kind, student = KINDS[i % len(KINDS)], f"student{i:03d}"
        if kind == "broken":
            target = submitted / student / assignment / f"{notebook}.ipynb"
            target.parent.mkdir(parents=True)
            target.write_text("{ broken")
            continue
        answers = {"reference": reference, "blank": {}, "wrong": {**reference, **wrong}}[kind]
        qa.submit(released, submitted, student, answers)
    return rehearsal


def run_plainly(notebook_path: Path) -> float:
    """Execute a notebook in a fresh, unsandboxed kernel, errors allowed, after importing
    its setup modules; return the seconds its cells took (the notebook's own compute)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(notebook, kernel_name="python3", allow_errors=True, timeout=300,
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(notebook_path.parent)}})
    imports = "\n".join(f"import {name}" for name in warm.warm_imports(notebook))
    with client.setup_kernel():
        client.execute_cell(nbformat.v4.new_code_cell(imports), 0)
        started = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        return time.perf_counter() - started


STOCK_EXECUTE = """
# benchmark: nbgrader's own Execute instead of medai's sandboxed, guarded one
from nbgrader.preprocessors import Execute
c.Autograde.autograde_preprocessors = [
    Execute if getattr(p, "__name__", "") == "SandboxedExecute" else p
    for p in c.Autograde.autograde_preprocessors
]
"""


def nbgrader_autograde(course: manifest.Manifest, assignment: str) -> float:
    """Seconds `nbgrader autograde` takes in the course's folder, with cold kernels (the
    broken submissions make it exit non-zero; the scores are compared afterwards)."""
    env = dict(os.environ, PATH=nbgrader_api.path_with_tools(os.environ.get("PATH", "")),
               MEDAI_PREWARM="0")
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", assignment],
                   cwd=course.path.parent, env=env, capture_output=True)
    return time.perf_counter() - started


def scores(m: manifest.Manifest, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment)}


def measure(m: manifest.Manifest, assignment: str, students: int, workers: int,
            tmp: Path) -> dict:
    """One assignment's figures (see the module docstring)."""
    notebook = ASSIGNMENTS[assignment][0]
    serial = make_class(m, tmp / f"{assignment}-serial", assignment, students)
    stock = make_class(m, tmp / f"{assignment}-stock", assignment, students)
    with (stock.path.parent / "nbgrader_config.py").open("a") as config:
        config.write(STOCK_EXECUTE)
    parallel = make_class(m, tmp / f"{assignment}-parallel", assignment, students)
    serial_seconds = nbgrader_autograde(serial, assignment)
    stock_seconds = nbgrader_autograde(stock, assignment)

    started = time.perf_counter()
    results = pipeline.grade(parallel, assignment, workers=workers)
    parallel_seconds = time.perf_counter() - started

    nbgrader_scores, medai_scores = scores(serial, assignment), scores(parallel, assignment)
    stock_scores = scores(stock, assignment)
    graded = [r for r in results if r.status == "graded"]
    same = bool(graded) and all(
        nbgrader_scores[r.student] == stock_scores[r.student] == medai_scores[r.student]
        for r in graded)

    # Overhead: the same submissions graded one at a time by a worker's code path
    # (engine.grade_one, in this process, its template already warm) and executed
    # plainly, interleaved so that machine load hits both alike.
    samples = [r.student for r in graded][:4]
    engine.grade_one(engine.Job(str(parallel.path), assignment, samples[0]))  # warm up
    own, pipeline_seconds = [], []
    for student in samples:
        path = parallel.course_directory / "autograded" / student / assignment
        own.append(run_plainly(path / f"{notebook}.ipynb"))
        pipeline_seconds.append(
            engine.grade_one(engine.Job(str(parallel.path), assignment, student)).seconds)
    warm.close_all()
    own_mean = statistics.mean(own)
    per_submission = statistics.mean(pipeline_seconds)
    return {
        "submissions": students,
        "nbgrader_autograde_serial_seconds": round(serial_seconds, 1),
        "medai_grade_parallel_seconds": round(parallel_seconds, 1),
        "speed_up": round(serial_seconds / parallel_seconds, 2),
        "nbgrader_autograde_serial_unsandboxed_seconds": round(stock_seconds, 1),
        "speed_up_over_unsandboxed": round(stock_seconds / parallel_seconds, 2),
        "scores_equal": same,
        "graded": len(graded),
        "failed": sum(r.status == "failed" for r in results),
        "notebook_compute_seconds_mean": round(own_mean, 2),
        "medai_seconds_per_submission_one_worker": round(per_submission, 2),
        "overhead_per_submission": round(per_submission / own_mean - 1, 3),
        "medai_seconds_per_submission_in_parallel": round(
            statistics.mean(r.seconds for r in graded), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a1", type=int, default=40, help="submissions of a1")
    parser.add_argument("--a5", type=int, default=40, help="submissions of a5")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"
                                             / "grade_throughput.json"))
    args = parser.parse_args()
    m = manifest.load(manifest.default_manifest_path())
    report = {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count()},
        "workers": args.workers,
        "targets": {"a1": ">= 2.5x", "a5": ">= 3.5x", "overhead_per_submission": "<= 0.10"},
    }
    earlier = json.loads(Path(args.out).read_text()) if Path(args.out).exists() else {}
    measured = {"measured": report["measured"], "revision": revision.describe(REPO)}
    with tempfile.TemporaryDirectory(prefix="medai-bench-grade-") as tmp:
        for assignment, students in (("a1", args.a1), ("a5", args.a5)):
            if students:
                report[assignment] = {**measured, **measure(m, assignment, students,
                                                            args.workers, Path(tmp))}
            elif isinstance(earlier.get(assignment), dict):
                report[assignment] = {"revision": earlier.get("revision"),
                                      "measured": earlier.get("measured"),
                                      **earlier[assignment]}
    written = result_files.save(report, Path(args.out))
    for key, value in report.items():
        if isinstance(value, dict) and key not in ("machine", "targets"):
            for inner, figure in value.items():
                print(f"{key} {inner:46} {figure}")
        else:
            print(f"{key:49} {value}")
    print(f"written to {' and '.join(str(w) for w in written)}")
    return 0 if all(report[a]["scores_equal"] for a in ASSIGNMENTS if a in report) else 1


if __name__ == "__main__":
    sys.exit(main())
