"""What changed between two course versions' benchmark records: time, memory, key results.

    python benchmarks/compare_versions.py 0.1.0 0.2.0

Reads results/versions/<version>/notebook_budgets.json (written by
notebook_budgets.py) for each version. A notebook 25 % slower or heavier, over
its budget, or with a key result that moved by more than 2 % is marked; the exit status is 1
when anything is marked, so a release script can stop on it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import result_files

SLOWER = 1.25  # a quarter more time or memory is a regression worth a look
# Figures of scikit-learn lessons repeat exactly under the same seed; torch training does
# not across CPUs (oneDNN picks kernels by instruction set), and moves held-out figures of
# the same version by up to about 1 % between two machines. More than 2 % is a change.
KEY_RESULT_TOLERANCE = 0.02


def load(version: str, name: str = "notebook_budgets.json") -> dict[str, dict]:
    path = result_files.RESULTS / "versions" / version / name
    if not path.is_file():
        known = sorted(p.name for p in (result_files.RESULTS / "versions").glob("*"))
        raise SystemExit(f"no benchmark record for version {version} ({path}); recorded: "
                         f"{', '.join(known) or 'none'}. Run benchmarks/notebook_budgets.py "
                         "on that version's checkout.")
    return {r["name"]: r for r in json.loads(path.read_text())["notebooks"]}


def compare(old: dict[str, dict], new: dict[str, dict]) -> list[tuple[str, str, bool]]:
    """(notebook, what changed, marked) for every notebook of either version."""
    lines = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            lines.append((name, "added" if a is None else "removed", False))
            continue
        if "error" in a or "error" in b:
            lines.append((name, f"error: {b.get('error') or a.get('error')}", "error" in b))
            continue
        parts, marked = [], not b.get("within_budget", True)
        for key, unit in (("seconds", "s"), ("peak_rss_mb", "MB")):
            ratio = b[key] / a[key] if a[key] else math.inf
            marked |= ratio >= SLOWER
            parts.append(f"{a[key]:.1f} -> {b[key]:.1f} {unit} ({ratio - 1:+.0%})")
        for figure in sorted(set(a.get("key_results", {})) | set(b.get("key_results", {}))):
            x, y = a.get("key_results", {}).get(figure), b.get("key_results", {}).get(figure)
            if x is None or y is None or not math.isclose(x, y, rel_tol=KEY_RESULT_TOLERANCE):
                parts.append(f"{figure} {x:.4g} -> {y:.4g}" if None not in (x, y)
                             else f"{figure} {x} -> {y}")
                marked = True
        if not b.get("within_budget", True):
            parts.append("OVER BUDGET")
        lines.append((name, "; ".join(parts), marked))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new", nargs="?", default=None,
                        help="default: this checkout's version")
    args = parser.parse_args()
    new_version = args.new or result_files.course_version()
    lines = compare(load(args.old), load(new_version))
    print(f"benchmarks {args.old} -> {new_version}")
    for name, text, marked in lines:
        print(f"{'!' if marked else ' '} {name:26} {text}")
    flagged = sum(marked for _, _, marked in lines)
    print(f"{flagged} notebook(s) marked" if flagged else "no regression")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
