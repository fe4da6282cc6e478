"""Where the benchmarks keep their figures: the latest run, and one copy per course version.

Each results file names the course version and source revision it measured;
``results/versions/<version>/`` keeps the last run of every version, so that
``compare_versions.py`` can show what a new version made slower, heavier or
different in its key results.
"""

from __future__ import annotations

import json
from pathlib import Path

from medai.course import revision

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def course_version() -> str:
    """The checkout's version (pyproject.toml, which the installed metadata can lag), with
    "+dev" when the checkout is not that version's tag: figures filed under a version are
    the tagged version's own."""
    import subprocess

    import medai

    version = revision.project_version(REPO) or medai.__version__
    tag = subprocess.run(["git", "-C", str(REPO), "describe", "--tags", "--exact-match"],
                         capture_output=True, text=True).stdout.strip()
    return version if tag == f"v{version}" else f"{version}+dev"


def cpu_model() -> str:
    """The processor, since torch's results and every timing depend on it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "unknown"


def save(report: dict, out: Path) -> list[Path]:
    """Write ``report`` (stamped with version, revision and processor) to ``out`` and to
    the version's own folder; return both paths."""
    version = course_version()
    stamped = {"version": version, "revision": revision.describe(REPO), **report}
    if isinstance(stamped.get("machine"), dict):
        stamped["machine"] = {**stamped["machine"], "cpu_model": cpu_model()}
    text = json.dumps(stamped, indent=2) + "\n"
    written = []
    for path in (Path(out), RESULTS / "versions" / version / Path(out).name):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    return written
