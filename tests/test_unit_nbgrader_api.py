"""The one line a TA reads when nbgrader fails on a submission (nbgrader_api.failure), from
logs shaped like nbgrader's capture_log ones, and the PATH nbgrader's subprocesses get."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from medai.grading.nbgrader_api import failure, path_with_tools
from medai.grading.sandbox.execute import DEATH_REASON_STARTS

STARTED = "[INFO] Autograding submitted/s01/a1\n[INFO] Executing notebook with kernel: python3"
GENERIC = ("[ERROR] There was an error processing assignment: /course/submitted/s01/a1\n"
           "[ERROR] Traceback (most recent call last):\n"
           '  File "nbgrader/converters/base.py", line 420, in convert_notebooks\n'
           "    self.convert_single_notebook(notebook_filename)\n"
           "{exception}\n"
           "[ERROR] There was an error processing assignment 'a1' for student 's01'\n"
           "[ERROR] Please see the the above traceback for details on the specific errors on "
           "the above failures.")
NBGRADER_ERROR = ("Traceback (most recent call last):\n"
                  "nbgrader.converters.base.NbGraderException: Please see the the above "
                  "traceback for details on the specific errors on the above failures.")
SANDBOX = ("Kernel died: the student's code may have exceeded a sandbox limit (CPU time 60 s, "
           "memory 2048 MB, 64 processes) or crashed: MemoryError")


def nbgrader_result(exception: str, before: str = "") -> dict:
    log = "\n".join(filter(None, (STARTED, before, GENERIC.format(exception=exception))))
    return {"success": False, "log": log + "\n", "error": NBGRADER_ERROR}


def test_the_sandboxs_account_of_a_dead_kernel_wins():
    result = nbgrader_result(f"nbclient.exceptions.DeadKernelError: {SANDBOX}",
                             before="[ERROR] Kernel restarted unexpectedly")
    assert failure(result) == SANDBOX
    assert SANDBOX.startswith(DEATH_REASON_STARTS)


@pytest.mark.parametrize("reason", [
    "Kernel killed: the notebook ran longer than 600 s (medai sandbox watchdog)",
    "Kernel killed: the notebook's processes filled the sandbox's limit of 64, so no later "
    "cell could run (a fork bomb?)",
])
def test_each_way_the_sandbox_kills_a_kernel_is_found_in_the_error_too(reason):
    result = {"success": False, "log": f"{STARTED}\n[ERROR] Something else: went wrong\n",
              "error": f"Traceback (most recent call last):\n  DeadKernelError: {reason}\n"}
    assert failure(result) == reason


def test_otherwise_the_specific_error_line_not_nbgraders_generic_ones():
    timeout = ("nbclient.exceptions.CellTimeoutError: A cell timed out while it was being "
               "executed, after 60 seconds.")
    assert failure(nbgrader_result(f"    {timeout}")) == timeout, "stripped, one line"
    # nbclient's own message for a dead kernel is not the sandbox's (no colon, no reason)
    dead = "nbclient.exceptions.DeadKernelError: Kernel died"
    assert failure(nbgrader_result(dead)) == dead


def test_an_error_logged_by_nbgrader_comes_before_an_exception_line():
    logged = "[ERROR] Attribute 'cell_type' for cell q1 has changed and cannot be graded"
    result = nbgrader_result("ValueError: cell q1 is not a code cell", before=logged)
    assert failure(result) == logged


def test_without_any_telling_line_the_last_one_and_without_any_a_placeholder():
    result = {"success": False, "log": "[INFO] one\n\n[INFO] last words  \n"}
    assert failure(result) == "[INFO] last words"
    assert failure({"success": False, "error": "Traceback (most recent call last):"}) == (
        "Traceback (most recent call last):")
    assert failure({"success": False}) == "unknown error"
    assert failure({"success": False, "log": None, "error": "  \n"}) == "unknown error"


def test_nbgrader_finds_this_environments_tools_first():
    bindir = str(Path(sys.executable).parent)
    assert path_with_tools("/usr/bin:/bin") == os.pathsep.join((bindir, "/usr/bin", "/bin"))
    assert path_with_tools("") == bindir
    already = os.pathsep.join(("/usr/bin", bindir))
    assert path_with_tools(already) == already, "never added twice"
