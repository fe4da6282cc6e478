"""Time and peak memory to load each dataset at its default size, in a fresh process.

Budget (DESIGN.md section 3): a synthetic generator at its default size runs in
<= 5 s and <= 300 MB on 2 cores. Real bundled datasets are measured too.
The figure includes importing the libraries the loader needs (what a student
waits for), and the peak resident memory of the whole process.

    python benchmarks/dataset_budgets.py [--out benchmarks/results/dataset_budgets.json]
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

BUDGET = {"seconds": 5.0, "peak_rss_mb": 300.0}


def measure_one(name: str) -> dict:
    """Run in a child process: load one dataset and report wall time and peak RSS."""
    started = time.perf_counter()
    from medai import datasets

    datasets.load(name)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb, 1)}


def main() -> int:
    if os.environ.get("MEDAI_BENCH_DATASET"):
        print(json.dumps(measure_one(os.environ["MEDAI_BENCH_DATASET"])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"
                                             / "dataset_budgets.json"))
    args = parser.parse_args()

    from medai.datasets import catalog, registry

    entries = catalog.entries()
    records = []
    with tempfile.TemporaryDirectory(prefix="medai-bench-data-") as cache:
        for name in registry.available():
            kind = entries.get(name, {}).get("kind", "?")
            if kind == "download":
                continue  # optional and network-bound: not part of the offline budget
            env = dict(os.environ, MEDAI_BENCH_DATASET=name, MEDAI_DATA=cache)
            done = subprocess.run([sys.executable, __file__], env=env,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                records.append({"name": name, "kind": kind,
                                "error": done.stderr.strip().splitlines()[-1]})
                continue
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            within = all(figures[k] <= BUDGET[k] for k in BUDGET)
            records.append({"name": name, "kind": kind, **figures,
                            "budget_applies": kind == "synthetic", "within_budget": within})
    report = {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "budget": BUDGET,
        "datasets": records,
    }
    written = result_files.save(report, Path(args.out))
    print(f"{'dataset':26} {'kind':15} {'seconds':>8} {'peak MB':>8}  budget (synthetic)")
    over = 0
    for r in records:
        if "error" in r:
            over += 1
            print(f"{r['name']:26} {r['kind']:15} ERROR {r['error']}")
            continue
        verdict = ("ok" if r["within_budget"] else "OVER") if r["budget_applies"] else "-"
        over += r["budget_applies"] and not r["within_budget"]
        print(f"{r['name']:26} {r['kind']:15} {r['seconds']:8.2f} {r['peak_rss_mb']:8.0f}  "
              f"{verdict}")
    print(f"written to {' and '.join(str(w) for w in written)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
