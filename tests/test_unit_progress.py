"""The live progress line and the closing summary a TA sees while a class is graded."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from medai.grading import progress
from medai.grading.engine import StudentResult
from medai.grading.progress import Progress, summary


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch):
    """progress's clock, set by the test (seconds)."""
    now = SimpleNamespace(t=1000.0)
    monkeypatch.setattr(progress, "time", SimpleNamespace(monotonic=lambda: now.t))
    return now


def graded(student="s01", score=4.0):
    return StudentResult(student, "graded", score, 5.0, seconds=12.0)


def test_the_line_counts_and_estimates_from_submissions_graded_now(clock):
    log = io.StringIO()
    bar = Progress(4, stream=log, width=8)
    assert bar.line() == "[........] 0/4 done, 0 failed, 4 remaining, about 0s left"
    bar.update(StudentResult("s00", "unchanged", 4.0, 5.0))
    assert log.getvalue().splitlines()[-1] == (
        "[##......] 1/4 done, 0 failed, 3 remaining, about 0s left"), (
        "a reused result took no time: no estimate from it")
    clock.t += 30
    bar.update(graded())
    clock.t += 15
    bar.update(StudentResult("s02", "failed", None, None, "empty"))
    # 45 s for two graded now, one left: about 22 s
    assert log.getvalue().splitlines()[-1] == (
        "[######..] 3/4 done, 1 failed, 1 remaining, about 22s left")
    assert (bar.done, bar.failed, bar.reused) == (3, 1, 1)
    clock.t += 100
    bar.update(graded("s03"))
    assert log.getvalue().splitlines()[-1] == (
        "[########] 4/4 done, 1 failed, 0 remaining, about 0s left")
    assert log.getvalue().count("\n") == 4 and "\r" not in log.getvalue(), "one line each"
    bar.close()
    assert log.getvalue().count("\n") == 4


def test_minutes_are_shown_as_minutes(clock):
    bar = Progress(10, stream=io.StringIO())
    clock.t += 65
    bar.update(graded())
    assert bar.line().endswith("about 9m45s left")


def test_on_a_terminal_the_line_is_redrawn_in_place(clock):
    screen = Terminal()
    bar = Progress(2, stream=screen, width=4)
    bar.update(graded())
    assert screen.getvalue() == "[##..] 1/2 done, 0 failed, 1 remaining, about 0s left\r"
    bar.close()
    assert screen.getvalue().endswith("\r\n")


def test_an_empty_class_does_not_divide_by_zero():
    assert Progress(0, stream=io.StringIO(), width=3).line().startswith("[###] 0/0 done")


def test_summary_has_a_row_per_student_counts_and_score_statistics():
    results = [graded("s01", 5.0), graded("s02", 2.0),
               StudentResult("s03", "unchanged", 4.0, 5.0),
               StudentResult("s04", "failed", None, None, "a1.ipynb: the file is empty")]
    lines = summary(results, elapsed=125.0).splitlines()
    assert lines[0].split() == ["student", "status", "score", "seconds", "reason"]
    assert lines[1].split() == ["s01", "graded", "5", "/", "5", "12.0"]
    assert lines[4].split()[:4] == ["s04", "failed", "-", "0.0"]
    assert lines[4].endswith("a1.ipynb: the file is empty")
    assert lines[5] == ""
    assert lines[6] == ("4 submissions: 2 graded now, 1 unchanged since the last run, 1 failed; "
                        "2m05s in all")
    assert lines[7] == "scores: mean 3.67, median 4, min 2, max 5 (of 5)"


def test_summary_of_a_class_that_all_failed_has_no_statistics():
    text = summary([StudentResult("s01", "failed", None, None, "x")], elapsed=3.4)
    assert text.splitlines()[-1] == (
        "1 submissions: 0 graded now, 0 unchanged since the last run, 1 failed; 3s in all")
    assert "scores:" not in text


def test_the_median_of_an_even_class_is_the_mean_of_the_middle_two():
    text = summary([graded("s01", 0.0), graded("s02", 10.0)], elapsed=1.0)
    assert "median 5," in text
