"""nbgrader's application, configured from the manifest, and what it reports.

The one place medai starts nbgrader's API (and with it the gradebook), puts the
environment's tools on PATH for it, and reads a failed run's log down to the line
that says why. The pipeline and the parallel engine both build on it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

from medai.course.manifest import Manifest
from medai.delivery import exchange
from medai.errors import MedaiError
from medai.grading import settings
from medai.grading.sandbox.execute import DEATH_REASON_STARTS


class GradingError(MedaiError, RuntimeError):
    """A step that could not be done, with what to do about it."""


def path_with_tools(path: str) -> str:
    """PATH with this environment's bin/ first: nbgrader shells out to `alembic` and
    Jupyter starts `python` by name, even when medai runs as .venv/bin/medai without the
    environment activated."""
    bindir = str(Path(sys.executable).parent)
    parts = path.split(os.pathsep) if path else []
    return path if bindir in parts else os.pathsep.join((bindir, *parts))


def tools_on_path() -> None:
    os.environ["PATH"] = path_with_tools(os.environ.get("PATH", ""))


def api(manifest: Manifest, kernel_threads: int | None = None,
        stop_after: str | None = None):
    """nbgrader's API configured from the manifest; ``kernel_threads`` lowers the
    manifest's thread limit for student kernels (a worker's share of the cores);
    ``stop_after`` (`medai check` only) names the last cell to execute."""
    tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = settings.config_for(manifest)
    if kernel_threads is not None:
        limits = config.SandboxedKernelManager.limits
        config.SandboxedKernelManager.limits = dataclasses.replace(
            limits, threads=min(limits.threads, kernel_threads))
    if stop_after is not None:
        config.SandboxedExecute.stop_after = stop_after
    # nbgrader checks that its exchange folder is writable on every start.
    try:
        exchange.ensure(manifest)
    except exchange.ExchangeError as err:
        raise GradingError(str(err)) from None
    exchange.protect_course_directory(manifest)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def failure(result: dict) -> str:
    """The most telling line of an nbgrader failure, not the whole log."""
    text = "\n".join(filter(None, (result.get("log"), result.get("error"))))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:  # the sandbox's own account of a dead kernel says why it died
        for start in DEATH_REASON_STARTS:
            if start in line:
                return line[line.index(start):]
    generic = ("Please see the", "NbGraderException", "Traceback", "There was an error processing")
    for marker in ("[ERROR]", "Error:", "Exception:"):
        for line in lines:
            if marker in line and not any(g in line for g in generic):
                return line
    return lines[-1] if lines else "unknown error"


