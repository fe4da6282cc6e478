"""Benchmark figures are kept per course version, and a comparison marks regressions."""

from __future__ import annotations

import json
import sys

from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import compare_versions  # noqa: E402
import result_files  # noqa: E402


def test_each_run_is_kept_under_its_version(tmp_path, monkeypatch):
    monkeypatch.setattr(result_files, "RESULTS", tmp_path / "results")
    written = result_files.save({"notebooks": []}, tmp_path / "results" / "nb.json")
    version = result_files.course_version()
    assert written[1] == tmp_path / "results" / "versions" / version / "nb.json"
    for path in written:
        record = json.loads(path.read_text())
        assert record["version"] == version and record["revision"]


def _record(seconds, dice, within=True):
    return {"dx01": {"name": "dx01", "seconds": seconds, "peak_rss_mb": 300.0,
                     "within_budget": within, "key_results": {"dice": dice}}}


def test_comparison_marks_slower_notebooks_and_moved_key_results():
    same = compare_versions.compare(_record(10.0, 0.81), _record(10.5, 0.81))
    assert [marked for *_, marked in same] == [False]
    slower = compare_versions.compare(_record(10.0, 0.81), _record(13.0, 0.81))
    assert slower[0][2] and "+30%" in slower[0][1]
    moved = compare_versions.compare(_record(10.0, 0.81), _record(10.0, 0.76))
    assert moved[0][2] and "dice 0.81 -> 0.76" in moved[0][1]
    jitter = compare_versions.compare(_record(10.0, 0.81), _record(10.0, 0.805))
    assert not jitter[0][2], "torch's run-to-run jitter of half a percent is not a change"
    over = compare_versions.compare(_record(10.0, 0.81), _record(10.0, 0.81, within=False))
    assert over[0][2] and "OVER BUDGET" in over[0][1]
