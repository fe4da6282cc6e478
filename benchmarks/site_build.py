"""Build time of the course website: from a cold cache (every lesson executed), then again
with nothing changed.

Budgets (issue 14): cold under 5 minutes, unchanged under 30 s, on 2 cores.

    python benchmarks/site_build.py [--out benchmarks/results/site_build.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import result_files

from medai.course import manifest
from medai.site import builder

BUDGET = {"cold_seconds": 300, "unchanged_seconds": 30}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(result_files.RESULTS / "site_build.json"))
    args = parser.parse_args()
    m = manifest.load(manifest.default_manifest_path())
    with tempfile.TemporaryDirectory(prefix="medai-bench-site-") as tmp:
        out, cache = Path(tmp) / "site", Path(tmp) / "cache"
        started = time.perf_counter()
        cold = builder.build(m, out, cache)
        cold_seconds = time.perf_counter() - started
        started = time.perf_counter()
        warm = builder.build(m, out, cache)
        warm_seconds = time.perf_counter() - started
    report = {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count()},
        "pages": cold.pages,
        "lessons_executed_cold": len(cold.executed),
        "cold_seconds": round(cold_seconds, 1),
        "unchanged_seconds": round(warm_seconds, 1),
        "lessons_executed_unchanged": len(warm.executed),
        "budget": BUDGET,
        "within_budget": cold_seconds <= BUDGET["cold_seconds"]
        and warm_seconds <= BUDGET["unchanged_seconds"],
    }
    written = result_files.save(report, Path(args.out))
    for key, value in report.items():
        print(f"{key:28} {value}")
    print(f"written to {' and '.join(str(w) for w in written)}")
    return 0 if report["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
