"""Shared fixtures and pytest hooks. Tests write only to pytest's temporary folders.

Jupyter, IPython and matplotlib would otherwise write to the home directory;
they are pointed at a temporary folder before anything imports them.
Plain helpers and constants (REPO, copy_course, ...) are in helpers.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, SCRATCH, copy_course

for _var, _sub in (
    ("JUPYTER_CONFIG_DIR", "jupyter-config"),
    ("JUPYTER_DATA_DIR", "jupyter-data"),
    ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
    ("IPYTHONDIR", "ipython"),
    ("MPLCONFIGDIR", "matplotlib"),
    ("HOME", "home"),
    ("MEDAI_DATA", "medai-data"),
):
    os.environ[_var] = str(SCRATCH / _sub)
    (SCRATCH / _sub).mkdir(exist_ok=True)
for _var in ("MEDAI_COURSE", "MEDAI_GRADEBOOK_URL", "MEDAI_EXCHANGE"):
    os.environ.pop(_var, None)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(SCRATCH, ignore_errors=True)


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """Path to course.yml of a fresh copy of the course in a temporary folder."""
    return copy_course(tmp_path)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: run `make test` (it installs it)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
