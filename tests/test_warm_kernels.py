# ruff: noqa: F811 - the fixtures imported from test_sandbox are used by name
"""Pre-warmed kernels (medai.grading.sandbox.warm): forked from a template that imported
the assignment's libraries, each still a sandbox of its own.

The sandbox's protection tests of tests/test_sandbox.py run here again on forked kernels
(the same test functions, with their kernels taken from a template), and two submissions
in a row prove that nothing of the first reaches the second: modules, environment, files
in /tmp, /dev/shm and the home folder, System V shared memory, threads and processes.
"""

from __future__ import annotations

import textwrap

import pytest
import test_sandbox
from test_sandbox import (  # noqa: F401 - fixtures and tests, run again on forked kernels
    SECRET,
    course,
    kernel,
    test_a_few_background_processes_are_left_alone,
    test_a_fork_bomb_stops_the_kernel_with_its_reason,
    test_cannot_read_outside_working_copy,
    test_correct_computation_works,
    test_cpu_time_limit_kills_busy_kernel,
    test_generated_dataset_loads_into_a_private_data_folder,
    test_memory_bomb_fails_and_grader_survives,
    test_no_network,
    test_notebook_watchdog_kills_infinite_loop,
    test_output_is_capped_inside_the_kernel,
)

from medai.grading.sandbox import bubblewrap, warm

pytestmark = pytest.mark.slow

IMPORTS = ["numpy", "sklearn.linear_model"]


class WarmKernel(test_sandbox.Kernel):
    """A kernel forked from a template; fails if it was started cold instead."""

    warm_imports = IMPORTS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        assert self.km._forked is not None, "the kernel was not forked from a template"


@pytest.fixture(scope="module", autouse=True)
def forked_kernels():
    """Every kernel of this module, also those the imported tests start, is forked."""
    if not warm.available():
        pytest.fail("pre-warmed kernels need a working bubblewrap and a root grader "
                    "(CI runs as root): install bubblewrap")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(test_sandbox, "Kernel", WarmKernel)
        yield
    warm.close_all()


def test_the_template_did_the_imports(kernel):
    out, error = kernel.run("""
        import sys
        print(sorted(m for m in ("numpy", "sklearn.linear_model") if m in sys.modules))
    """)
    assert error is None, error
    assert out.strip() == "['numpy', 'sklearn.linear_model']"
    assert kernel.km._template.imported[-2:] == IMPORTS


def test_the_course_folder_is_not_even_a_skeleton(kernel, course):
    out, error = kernel.run(f"""
        import os
        print(os.path.exists({str(course["root"])!r}), os.getcwd().startswith({
            str(course["root"])!r}))
    """)
    assert error is None, error
    assert out.split() == ["False", "False"]


def test_files_written_come_back_to_the_working_copy(course):
    k = WarmKernel(course["alice"])
    try:
        _, error = k.run("""
            import os
            os.makedirs("out", exist_ok=True)
            open("out/result.txt", "w").write("ok")
            os.symlink("/etc/passwd", "link")
        """)
        assert error is None, error
    finally:
        k.stop()
    assert (course["alice"] / "out" / "result.txt").read_text() == "ok"
    assert (course["alice"] / "link").is_symlink(), "a link comes back as a link"
    assert (course["alice"] / "data.csv").read_text().startswith("x,y")
    (course["alice"] / "out" / "result.txt").unlink()
    (course["alice"] / "out").rmdir()
    (course["alice"] / "link").unlink()


LEAVE_TRACES = """
import os, subprocess, sys, threading, time
import numpy
os.environ["MEDAI_LEAK"] = "first"
numpy.medai_leak = "first"
sys.modules["medai_leak"] = numpy
for folder in ("/tmp", "/dev/shm", os.environ["HOME"]):
    with open(os.path.join(folder, "medai_leak.txt"), "w") as f:
        f.write("{secret}")
    os.chmod(os.path.join(folder, "medai_leak.txt"), 0o666)
from multiprocessing import shared_memory
segment = shared_memory.SharedMemory(name="medai_leak", create=True, size=64)
segment.buf[:5] = b"first"
threading.Thread(target=time.sleep, args=(600,), name="medai_leak", daemon=False).start()
daemon = subprocess.Popen(["sleep", "600"], start_new_session=True)
print(os.getuid(), daemon.pid, os.getcwd())
"""

LOOK_FOR_TRACES = """
import glob, os, sys, threading
import numpy
found = []
if "MEDAI_LEAK" in os.environ: found.append("environment")
if hasattr(numpy, "medai_leak") or "medai_leak" in sys.modules: found.append("modules")
for folder in ("/tmp", "/dev/shm", os.environ["HOME"]):
    if os.path.exists(os.path.join(folder, "medai_leak.txt")): found.append(folder)
if any("medai_leak" in t.name for t in threading.enumerate()): found.append("threads")
for status in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        if open(status, "rb").read().startswith(b"sleep"): found.append("processes")
    except OSError:
        pass
try:
    from multiprocessing import shared_memory
    shared_memory.SharedMemory(name="medai_leak")
    found.append("shared memory")
except FileNotFoundError:
    pass
print("found:", sorted(set(found)), os.getuid(), os.getcwd())
"""


def test_nothing_of_one_submission_reaches_the_next(course):
    """The issue's isolation test: a submission that leaves state behind in modules,
    files, environment, shared memory, threads and processes, then the next one."""
    import psutil

    first = WarmKernel(course["alice"])
    try:
        out, error = first.run(LEAVE_TRACES.format(secret=SECRET))
        assert error is None, error
        first_uid, daemon_pid, first_cwd = out.split()
        # the probe sees every trace where they were left (so it can fail below)
        out, error = first.run(LOOK_FOR_TRACES)
        assert error is None, error
        assert out.startswith("found: ['/dev/shm', '/tmp', " + repr(first_cwd) + ", "
                              "'environment', 'modules', 'processes', 'shared memory', "
                              "'threads'] "), out
        template = first.km._template
        assert psutil.pid_exists(first.km._forked.pid)
    finally:
        first.stop()
    # the daemon the first submission started went with it
    assert not any(p.info["uids"] and p.info["uids"].real == int(first_uid)
                   for p in psutil.process_iter(["uids"]))

    second = WarmKernel(course["bob"])
    try:
        assert second.km._template is template, "the same template forks the next kernel"
        out, error = second.run(LOOK_FOR_TRACES)
        assert error is None, error
        assert out.startswith("found: [] "), out
        _, _, second_uid, second_cwd = out.split()
        assert second_uid != first_uid and second_cwd != first_cwd
        # the first submission's folder is gone, and it was not the second's to read
        out, error = second.run(f"print(open({first_cwd + '/medai_leak.txt'!r}).read())")
        assert SECRET not in out and error is not None
    finally:
        second.stop()
    assert (course["alice"] / "medai_leak.txt").read_text() == SECRET  # came back
    (course["alice"] / "medai_leak.txt").unlink()


def test_without_root_kernels_start_cold(monkeypatch):
    monkeypatch.setattr(bubblewrap, "running_as_root", lambda: False)
    assert not warm.available()


def test_imports_come_from_the_locked_cells_only():
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(
            "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
            "from . import nothing\nx = 1",
            metadata={"nbgrader": {"locked": True, "solution": False}}),
        nbformat.v4.new_code_cell("import torch", metadata={
            "nbgrader": {"locked": False, "solution": True}}),
        nbformat.v4.new_code_cell(textwrap.dedent("""
            import numpy
            if True:
                import pandas
            """), metadata={"nbgrader": {"locked": True}}),
        nbformat.v4.new_code_cell("import rdkit"),
    ])
    assert warm.warm_imports(notebook) == ["numpy", "sklearn.linear_model"]
    # what torch imports at an optimiser's first step comes with it, once
    notebook.cells[1].metadata["nbgrader"] = {"locked": True, "solution": False}
    notebook.cells[1].source = "import torch\nfrom torch import nn"
    assert warm.warm_imports(notebook) == ["numpy", "sklearn.linear_model", "torch",
                                           "torch._dynamo"]
