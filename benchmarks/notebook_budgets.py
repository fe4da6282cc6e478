"""Wall time and peak memory of every ready lesson and assignment reference solution.

Budgets (DESIGN.md section 3, on 2 cores): lecture <= 120 s and <= 1.0 GB;
assignment reference solution <= 60 s and <= 1.0 GB. Each reference solution runs in a
fresh process whose kernel is its child, so the kernel's peak resident memory
is read from getrusage(RUSAGE_CHILDREN) once the kernel has exited.

A lesson runs as a student runs it on the hub: through a real JupyterLab server on
loopback, its cells sent one by one over the kernel's websocket. A 1 GB pod's cgroup
counts the server and the kernel together, so besides each one's peak (VmHWM) the
benchmark samples the resident memory of the whole process tree every 0.1 s and records
its peak (``pod_peak_mb``): at most 750 MB for the kernel and under 1 GB for the pod.

    python benchmarks/notebook_budgets.py [--out benchmarks/results/notebook_budgets.json]
                                          [--only im03 a7_qsar ...]

With --only, the named lessons or reference notebooks are measured again and
their records replace the old ones in the results file; the rest are kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import result_files

from medai.course import build, manifest
from medai.course.execute import execute
from medai.teach import key_results

DEFAULT_OUT = Path(__file__).parent / "results" / "notebook_budgets.json"
LESSON_BUDGET = {"seconds": 120, "peak_rss_mb": 750, "pod_peak_mb": 1000}
SOLUTION_BUDGET = {"seconds": 60, "peak_rss_mb": 1024}


def measure_one(notebook: Path) -> dict:
    """Run in a child process: execute one notebook, report wall time and kernel peak RSS."""
    started = time.perf_counter()
    executed = execute(notebook)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures = {"seconds": round(seconds, 2), "peak_rss_mb": round(peak_kb / 1024, 1)}
    results = key_results.read(executed)
    if results:
        figures.update(key_results=results, published=key_results.published(executed))
    return figures


def measure(kind: str, name: str, source: Path, workdir: Path, language: str = "en") -> dict:
    notebook = workdir / f"{name}.ipynb"
    notebook.write_text(build.render(source, language=language), encoding="utf-8")
    if kind == "lesson":
        import lab_memory

        figures = lab_memory.run_in_jupyterlab(notebook)
        if "error" in figures:
            return {"kind": kind, "name": name, "error": figures["error"]}
        within = all(figures[k] <= LESSON_BUDGET[k] for k in LESSON_BUDGET)
        return {"kind": kind, "name": name, **figures, "budget": LESSON_BUDGET,
                "within_budget": within}
    env = dict(os.environ, MEDAI_BENCH_ONE=str(notebook))
    done = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"kind": kind, "name": name, "error": done.stderr.strip().splitlines()[-1]}
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    within = all(figures[k] <= SOLUTION_BUDGET[k] for k in SOLUTION_BUDGET)
    return {"kind": kind, "name": name, **figures, "budget": SOLUTION_BUDGET,
            "within_budget": within}


def main() -> int:
    if os.environ.get("MEDAI_BENCH_ONE"):
        print(json.dumps(measure_one(Path(os.environ["MEDAI_BENCH_ONE"]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="measure only these lessons or reference notebooks again")
    args = parser.parse_args()
    m = manifest.load(manifest.default_manifest_path())
    # each lesson in each language (dx01, dx01.ko): a translation runs the English code,
    # and this measures that it does so within the same budget
    notebooks = [("lesson", lesson.id + ("" if language == "en" else f".{language}"),
                  lesson.source, language)
                 for language in m.languages for lesson in m.ready_lessons()]
    notebooks += [("reference solution", source.stem, source, "en")
                  for assignment in m.ready_assignments()
                  for source in m.assignment_sources(assignment)]
    names = [name for _, name, _, _ in notebooks]
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        print(f"unknown notebook(s) {', '.join(unknown)}; known: {', '.join(names)}",
              file=sys.stderr)
        return 2
    kept = {}
    earlier = Path(args.out) if Path(args.out).exists() else DEFAULT_OUT
    if args.only and earlier.exists():
        kept = {r["name"]: r for r in json.loads(earlier.read_text())["notebooks"]}
    records = []
    with tempfile.TemporaryDirectory(prefix="medai-bench-") as tmp:
        for kind, name, source, language in notebooks:
            if args.only and name not in args.only:
                if name in kept:  # not asked for: the last measurement stands
                    records.append(kept[name])
            else:
                records.append(measure(kind, name, source, Path(tmp), language))
    report = {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "notebooks": records,
    }
    written = result_files.save(report, Path(args.out))
    print(f"{'kind':20} {'notebook':28} {'seconds':>8} {'peak MB':>8} {'pod MB':>7}  budget")
    for r in records:
        if "error" in r:
            print(f"{r['kind']:20} {r['name']:28} ERROR {r['error']}")
            continue
        verdict = "ok" if r["within_budget"] else "OVER"
        b = r["budget"]
        pod = f"{r['pod_peak_mb']:7.0f}" if "pod_peak_mb" in r else " " * 7
        print(f"{r['kind']:20} {r['name']:28} {r['seconds']:8.1f} {r['peak_rss_mb']:8.0f} {pod}  "
              f"{verdict} ({', '.join(f'{k} <= {v}' for k, v in b.items())})")
    print(f"written to {' and '.join(str(w) for w in written)}")
    return 0 if all(r.get("within_budget") for r in records) else 1


if __name__ == "__main__":
    sys.exit(main())
