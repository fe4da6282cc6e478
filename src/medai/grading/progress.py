"""What a TA sees while a class is graded: a live progress line and a closing summary."""

from __future__ import annotations

import statistics
import sys
import time
from typing import TextIO

from medai.grading.engine import StudentResult


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """done / failed / remaining and an estimate of the time left, on one line.

    On a terminal the line is redrawn in place; in a log file each update is
    its own line, so CI and batch logs stay readable.
    """

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 24):
        self.total = total
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()
        self.done = self.failed = self.reused = 0

    def update(self, result: StudentResult) -> None:
        self.done += 1
        self.failed += result.status == "failed"
        self.reused += result.status == "unchanged"
        self.stream.write(self.line() + ("\r" if self.stream.isatty() else "\n"))
        self.stream.flush()

    def line(self) -> str:
        remaining = self.total - self.done
        graded_now = self.done - self.reused
        elapsed = time.monotonic() - self.started
        eta = elapsed / graded_now * remaining if graded_now and remaining else 0.0
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        return (f"[{bar}] {self.done}/{self.total} done, {self.failed} failed, "
                f"{remaining} remaining, about {_clock(eta)} left")

    def close(self) -> None:
        if self.stream.isatty():
            self.stream.write("\n")


def summary(results: list[StudentResult], elapsed: float, language: str = "en") -> str:
    """A closing table: one row per student, then counts and score statistics, in the
    TA's ``language``."""
    from medai.i18n import message

    t = language
    head = [message("student", t), message("status", t), message("score", t),
            message("seconds", t), message("reason", t)]
    rows = [f"{head[0]:24} {head[1]:10} {head[2]:>11} {head[3]:>8}  {head[4]}"]
    for r in results:
        score = f"{r.score:g} / {r.max_score:g}" if r.score is not None else "-"
        rows.append(f"{r.student:24} {r.status:10} {score:>11} {r.seconds:8.1f}  {r.reason}")
    graded = [r for r in results if r.score is not None]
    failed = sum(r.status == "failed" for r in results)
    reused = sum(r.status == "unchanged" for r in results)
    rows.append("")
    rows.append(message("{n} submissions: {now} graded now, {reused} unchanged since the "
                        "last run, {failed} failed; {time} in all", t, n=len(results),
                        now=len(results) - failed - reused, reused=reused, failed=failed,
                        time=_clock(elapsed)))
    if graded:
        scores = sorted(r.score for r in graded)
        rows.append(message("scores: mean {mean}, median {median}, min {low}, max {high} "
                            "(of {total})", t, mean=f"{sum(scores) / len(scores):.2f}",
                            median=f"{statistics.median(scores):g}", low=f"{scores[0]:g}",
                            high=f"{scores[-1]:g}", total=f"{graded[0].max_score:g}"))
    return "\n".join(rows)
