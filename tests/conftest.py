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
from helpers import CHROMIUM, CHROMIUM_ARGS, KOREAN_RUNS, SCRATCH, copy_course, shared_folder

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


@pytest.fixture(scope="session")
def executed_lessons(tmp_path_factory) -> Path:
    """Every ready lesson executed once per test run in English, and KOREAN_RUNS in Korean
    too, two at a time (each in its own kernel), by whichever worker asks first; kept by
    their cells' hash (medai.site.executed) for test_lessons and the website test.
    MEDAI_TEST_EXECUTED_LESSONS names a folder kept between runs, to iterate on the site."""
    from medai.course import manifest
    from medai.site import executed

    course = manifest.load(manifest.default_manifest_path())
    lessons = course.ready_lessons()
    workers = min(2, os.cpu_count() or 1)
    with shared_folder(tmp_path_factory, "executed-lessons") as folder:
        cache = Path(os.environ.get("MEDAI_TEST_EXECUTED_LESSONS") or folder)
        executed.run_missing(lessons, cache, workers=workers)
        if "ko" in course.languages:
            executed.run_missing([x for x in lessons if x.id in KOREAN_RUNS], cache,
                                 workers=workers, languages=("ko",))
    return cache


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: run `make test` (it installs it)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
