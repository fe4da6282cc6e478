"""The grading sandbox, with real kernels: each test fails if its protection is missing.

Kernels are started through SandboxedKernelManager with cwd = a student's working
copy inside a fake course folder (source/, gradebook.db, another student's copy).
Without a working bubblewrap the tests that need it fail with "install bubblewrap":
they never skip, since CI installs it.
"""

from __future__ import annotations

import http.server
import logging
import os
import site
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest
from traitlets.config import Config

from medai.grading import sandbox
from medai.grading.sandbox import Limits, SandboxedKernelManager, bubblewrap

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SECRET = "the hidden answer is 42"


def _require_bwrap() -> None:
    if not sandbox.sandbox_available():
        pytest.fail("bubblewrap is missing or does not work here: install bubblewrap "
                    "(apt-get install -y bubblewrap); student code would not be isolated")


class Kernel:
    """A started sandboxed kernel and a blocking client, with a helper to run code."""

    #: modules a pre-warmed template imports (tests/test_warm_kernels.py); None: cold
    warm_imports: list[str] | None = None

    def __init__(self, cwd: Path, limits: Limits | None = None) -> None:
        self.km = SandboxedKernelManager(kernel_name="python3", limits=limits or Limits())
        self.km.warm_imports = self.warm_imports
        self.km.start_kernel(cwd=str(cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=60)
        except BaseException:
            log = self.km.kernel_log()
            self.stop()
            raise RuntimeError(f"the sandboxed kernel did not start; its log:\n{log}") from None

    def run(self, code: str, timeout: float = 60) -> tuple[str, str | None]:
        """stdout of ``code`` and "ErrorName: message" of its exception (or None)."""
        out: list[str] = []
        error: list[str] = []

        def hook(msg: dict) -> None:
            content = msg["content"]
            if msg["msg_type"] == "stream":
                out.append(content["text"])
            elif msg["msg_type"] == "error":
                error.append(f"{content['ename']}: {content['evalue']}")

        self.kc.execute_interactive(textwrap.dedent(code), timeout=timeout, output_hook=hook)
        return "".join(out), (error[0] if error else None)

    def run_until_dead(self, code: str, within: float = 30) -> float:
        """Send ``code`` and wait up to ``within`` seconds for the kernel to die;
        return the seconds waited."""
        started = time.monotonic()
        self.kc.execute(textwrap.dedent(code))
        while self.km.is_alive() and time.monotonic() - started < within:
            time.sleep(0.2)
        return time.monotonic() - started

    def stop(self) -> None:
        self.kc.stop_channels()
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        else:
            self.km.cleanup_resources()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> dict[str, Path]:
    """A fake course folder around one student's working copy."""
    root = tmp_path_factory.mktemp("course")
    (root / "source" / "a1").mkdir(parents=True)
    (root / "source" / "a1" / "answers.txt").write_text(SECRET)
    (root / "gradebook.db").write_text(SECRET)
    bob = root / "autograded" / "bob" / "a1"
    bob.mkdir(parents=True)
    (bob / "bob.txt").write_text(SECRET)
    alice = root / "autograded" / "alice" / "a1"
    alice.mkdir(parents=True)
    (alice / "data.csv").write_text("x,y\n1,2\n3,4\n5,6\n")
    # world-readable like a real course folder (pytest makes 0700 folders):
    # only the sandbox, not file permissions, may keep the secrets
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return {"root": root, "alice": alice, "bob": bob}


@pytest.fixture(scope="module")
def kernel(course):
    """One sandboxed kernel shared by the tests that do not kill it."""
    _require_bwrap()
    k = Kernel(course["alice"])
    yield k
    k.stop()


def test_correct_computation_works(kernel):
    out, error = kernel.run("""
        import numpy as np
        from sklearn.linear_model import LinearRegression
        data = np.loadtxt("data.csv", delimiter=",", skiprows=1)
        model = LinearRegression().fit(data[:, :1], data[:, 1])
        print(f"slope={model.coef_[0]:.2f}")
    """)
    assert error is None
    assert "slope=1.00" in out


def test_no_network(kernel):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        out, error = kernel.run(f"""
            import socket
            socket.create_connection(("127.0.0.1", {port}), timeout=5)
            print("connected")
        """)
    finally:
        server.shutdown()
        server.server_close()
    assert "connected" not in out
    assert error is not None and error.startswith(("ConnectionRefusedError", "OSError")), error


@pytest.mark.parametrize("where", ["source", "gradebook", "other student", "repo assignments"])
def test_cannot_read_outside_working_copy(kernel, course, where):
    path = {
        "source": course["root"] / "source" / "a1" / "answers.txt",
        "gradebook": course["root"] / "gradebook.db",
        "other student": course["bob"] / "bob.txt",
        "repo assignments": REPO / "assignments" / "gradebook.db",
    }[where]
    out, error = kernel.run(f"print(open({str(path)!r}).read())")
    assert SECRET not in out
    assert error is not None and error.startswith(("FileNotFoundError", "PermissionError")), error
    # nor does its folder show it: it is absent, or (a parent of the working
    # copy) an empty skeleton holding only the way down to the working copy
    out, error = kernel.run(f"print(__import__('os').listdir({str(path.parent)!r}))")
    assert path.name not in out
    assert error is None or error.startswith(("FileNotFoundError", "PermissionError")), error


def test_course_folder_is_a_bare_skeleton(kernel, course):
    out, error = kernel.run(f"""
        import os
        print(sorted(os.listdir({str(course["root"])!r})),
              sorted(os.listdir({str(course["root"] / "autograded")!r})))
    """)
    assert error is None
    assert out.split() == ["['autograded']", "['alice']"]


def test_writes_only_inside_working_copy(kernel, course):
    name = f"medai-sandbox-probe-{uuid.uuid4().hex}"
    site_packages = Path(site.getsitepackages()[0])
    outside = [
        course["root"] / name,                      # the course folder
        course["root"] / "gradebook.db",            # the gradebook
        course["bob"] / name,                       # another student
        REPO / name,                                # the repository
        site_packages / f"{name}.py",               # installed packages (read-only)
    ]
    for target in outside:
        _, error = kernel.run(f"open({str(target)!r}, 'w').write('x')")
        # What matters is the host, checked below. Inside, the write fails
        # (absent, read-only or not the sandbox user's), except where a parent
        # of the working copy lies on the sandbox's private /tmp and a
        # non-root grader's sandbox user owns that skeleton: then it lands there.
        if target.parent == site_packages:
            # read-only whatever the file permissions (a TA's own venv is writable to them)
            assert error is not None and "Read-only file system" in error, error
    assert (course["root"] / "gradebook.db").read_text() == SECRET
    for target in outside:
        if target.name.startswith(name):
            assert not target.exists(), f"{target} was written from inside the sandbox"

    out, error = kernel.run(f"""
        open("result.txt", "w").write("ok")
        open("/tmp/{name}", "w").write("private")
        print(open("/tmp/{name}").read())
    """)
    assert error is None and "private" in out
    assert (course["alice"] / "result.txt").read_text() == "ok"
    assert not (Path("/tmp") / name).exists(), "/tmp of the sandbox is not private"


def test_generated_dataset_loads_into_a_private_data_folder(kernel, course):
    from medai.datasets.cache import data_dir

    before = set(data_dir().rglob("*")) if data_dir().exists() else set()
    out, error = kernel.run("""
        import os
        from medai import datasets
        series = datasets.load("ct_phantom_series", seed=4242)
        print(len(series.paths), os.environ["MEDAI_DATA"], str(series.paths[0]).startswith("/tmp/"))
    """)
    assert error is None, error
    count, folder, private = out.split()
    assert int(count) > 10 and private == "True", out
    assert folder != str(data_dir())
    after = set(data_dir().rglob("*")) if data_dir().exists() else set()
    assert after == before, "the kernel wrote into the grader's data folder"


def test_output_is_capped_inside_the_kernel(course):
    """Two gigabytes printed in a loop: the kernel sends about the budget and one notice,
    and the cell ends in seconds instead of flooding the grader."""
    _require_bwrap()
    k = Kernel(course["alice"], Limits(max_output_mb=1))
    try:
        started = time.perf_counter()
        out, error = k.run("""
            chunk = "x" * (1024 * 1024 - 1)
            for _ in range(2048):
                print(chunk)
            import sys
            print("still running", file=sys.stderr)
        """, timeout=120)
        seconds = time.perf_counter() - started
    finally:
        k.stop()
    assert error is None, error
    assert "output limit of 1 MB reached" in out
    assert len(out) < 1.2 * 1024 * 1024, f"{len(out)} characters reached the grader"
    assert "still running" not in out
    assert seconds < 60, f"the capped cell took {seconds:.0f} s"


def test_file_size_limit(kernel, course):
    out, error = kernel.run("""
        written = 0
        try:
            with open("big.bin", "wb") as f:
                for _ in range(500):
                    f.write(b"\\0" * 2**20)
                    written += 1
        finally:
            print(f"written={written}MB")
    """)
    try:
        assert error is not None and "File too large" in error, error
        assert (course["alice"] / "big.bin").stat().st_size <= 100 * 2**20
    finally:
        kernel.run("import os; os.remove('big.bin')")


def test_memory_bomb_fails_and_grader_survives(kernel):
    out, error = kernel.run("""
        import numpy as np
        chunks = []
        try:
            for _ in range(40):                      # 40 x 100 MB = 4 GB, touched
                chunks.append(np.ones(100 * 2**20 // 8))
        finally:
            print(f"allocated={len(chunks) * 100}MB")
            del chunks
    """)
    assert error is not None and error.startswith("MemoryError"), error
    allocated = int(out.split("allocated=")[1].split("MB")[0])
    assert allocated <= Limits().memory_mb
    # the kernel itself is still usable afterwards
    out, error = kernel.run("print(6 * 7)")
    assert error is None and "42" in out


def test_fork_bomb_is_stopped(course):
    _require_bwrap()
    limits = Limits(max_processes=32)
    k = Kernel(course["alice"], limits)
    report = course["alice"] / "fork.txt"
    try:
        uid = k.km.sandbox_uid
        # the report goes to a file: the kernel is killed at the limit (see below)
        k.kc.execute(textwrap.dedent("""
            import os, time
            children, failure = 0, None
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and children < 500:
                try:
                    pid = os.fork()
                except OSError as err:
                    failure = repr(err)
                    break
                if pid == 0:
                    time.sleep(60)
                    os._exit(0)
                children += 1
            with open("fork.txt", "w") as f:
                f.write(f"children={children} failure={failure}")
        """))
        deadline = time.monotonic() + 60
        while not (report.exists() and report.read_text()) and time.monotonic() < deadline \
                and k.km.killed_for is None:
            time.sleep(0.1)
        if not (report.exists() and report.read_text()):
            # on a loaded machine the manager's process watch may stop the kernel (8 short
            # of the limit) before the kernel's own fork fails and it writes its report
            assert k.km.killed_for == "process_limit", "the fork bomb was not stopped"
        else:
            out = report.read_text()
            children = int(out.split("children=")[1].split()[0])
            assert "Resource temporarily unavailable" in out, out
            assert children < limits.max_processes
    finally:
        k.stop()
    # the host is healthy, and nothing of the sandbox survived its kernel
    assert os.system("true") == 0
    if uid is not None:
        import psutil

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            left = [p for p in psutil.process_iter(["uids"]) if p.info["uids"].real == uid]
            if not left:
                break
            time.sleep(0.2)
        assert not left, f"{len(left)} sandbox processes outlived the kernel"


FORK_BOMB = """
    import os, time
    try:
        while True:
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
    except OSError as err:
        print('fork stopped:', err)
"""


def test_a_fork_bomb_stops_the_kernel_with_its_reason(course):
    """Its sleeping children hold the process limit, so the kernel could not start a
    thread for any later cell and would hang there: it is stopped at once instead."""
    _require_bwrap()
    k = Kernel(course["alice"], Limits(max_processes=48))
    try:
        elapsed = k.run_until_dead(FORK_BOMB)
        assert not k.km.is_alive(), "the kernel was left at its process limit"
        assert elapsed < 15
        assert k.km.killed_for == "process_limit"
        assert "filled the sandbox's limit of 48" in sandbox.death_reason(k.km)
    finally:
        k.stop()


def test_a_few_background_processes_are_left_alone(course):
    _require_bwrap()
    k = Kernel(course["alice"], Limits(max_processes=48))
    try:
        out, error = k.run("""
            import subprocess
            child = subprocess.Popen(["sleep", "30"])
        """)
        assert error is None, error
        assert not k.km.stop_at_the_process_limit()
        out, error = k.run("print(child.poll())")
        assert out.strip() == "None", "a process far below the limit was stopped"
    finally:
        k.stop()


def test_notebook_watchdog_kills_infinite_loop(course):
    _require_bwrap()
    k = Kernel(course["alice"], Limits(notebook_timeout_s=5))
    try:
        elapsed = k.run_until_dead("while True:\n    pass\n")
        assert not k.km.is_alive(), "the infinite loop was not stopped"
        assert k.km.killed_for == "notebook_timeout"
        assert elapsed < 15
    finally:
        k.stop()


def test_without_bwrap_warns_and_still_limits(course, monkeypatch, caplog):
    monkeypatch.setattr(bubblewrap, "sandbox_available", lambda: False)
    caplog.set_level(logging.WARNING, logger="medai.grading.sandbox")
    k = Kernel(course["alice"], Limits(memory_mb=1024))
    try:
        assert "install bubblewrap" in caplog.text
        assert "NOT isolated" in caplog.text
        assert not k.km.sandboxed
        out, error = k.run("""
            import numpy as np
            chunks = []
            try:
                for _ in range(40):
                    chunks.append(np.ones(100 * 2**20 // 8))
            finally:
                print(f"allocated={len(chunks) * 100}MB")
                del chunks
        """)
        assert error is not None and error.startswith("MemoryError"), error
        out, error = k.run("""
            import resource
            print(resource.getrlimit(resource.RLIMIT_FSIZE)[0] // 2**20,
                  resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        """)
        assert error is None and out.split() == ["100", "256"]
    finally:
        k.stop()
    assert "install bubblewrap" in sandbox.describe()


def test_cpu_time_limit_kills_busy_kernel(course):
    _require_bwrap()
    k = Kernel(course["alice"], Limits(cpu_seconds=2))
    try:
        k.run_until_dead("while True:\n    pass\n")
        assert not k.km.is_alive(), "the kernel was not stopped by its CPU-time limit"
        assert k.km.killed_for is None  # the limit, not the watchdog
    finally:
        k.stop()


def test_only_the_python_installation_is_exposed(tmp_path):
    """The repository's layout: .venv, medai's package folders and the base
    Python are bound read-only; never the repository (the course folder) itself."""
    working_copy = str(REPO / "assignments" / "autograded" / "s1" / "a1")
    args = sandbox.bwrap_args(working_copy, str(tmp_path), Limits())
    read_only = [args[i + 1] for i, arg in enumerate(args) if arg == "--ro-bind"]
    writable = [args[i + 1] for i, arg in enumerate(args) if arg == "--bind"]
    assert writable == [working_copy, str(tmp_path)]
    assert str(REPO / ".venv") in read_only or sys.prefix in read_only
    assert any(path.startswith(str(REPO / "src")) for path in read_only)
    for path in read_only:
        assert not working_copy.startswith(path.rstrip("/") + "/"), path
        assert not path.startswith(str(REPO / "assignments")), path
    assert "--unshare-net" in args or "--unshare-all" in args
    assert args.index("--tmpfs") < args.index("--bind")  # private /tmp first
    with pytest.raises(sandbox.SandboxError, match="contains the working copy"):
        sandbox.bwrap_args(working_copy, str(tmp_path), Limits(), [str(REPO)])


def test_configure_is_picked_up_by_nbgrader():
    from nbgrader.preprocessors import Execute

    from medai.grading import settings

    limits = Limits(cell_timeout_s=7, max_output_lines=50, max_output_mb=3)
    c = sandbox.configure(Config(), limits)
    executes = [pp for pp in settings.autograde_preprocessors()
                if isinstance(pp, type) and issubclass(pp, Execute)]
    assert executes == [sandbox.SandboxedExecute]

    pp = executes[0](config=c)
    assert issubclass(pp.kernel_manager_class, sandbox.AsyncSandboxedKernelManager)
    assert pp.timeout == 7
    assert pp.max_output_mb == 3
    pp.kernel_name = "python3"
    km = pp.create_kernel_manager()
    assert isinstance(km, SandboxedKernelManager)
    assert km.limits == limits

    from nbgrader.preprocessors import LimitOutput

    assert LimitOutput(config=c).max_lines == 50

    # plain nbgrader Execute ignores a configured kernel_manager_class: hence the subclass
    assert not issubclass(Execute(config=c).kernel_manager_class, SandboxedKernelManager)


def test_nbgrader_execute_runs_notebook_in_sandbox(course):
    """Through nbgrader's preprocessor: a cell over its timeout is interrupted
    (inside the sandbox, over the control channel) and the notebook goes on;
    output beyond max_output_mb is not recorded."""
    _require_bwrap()
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    c = sandbox.configure(Config(), Limits(cell_timeout_s=3, max_output_mb=1))
    nb = new_notebook(cells=[
        new_code_cell("import os\nprint(sorted(os.listdir('..')))"),
        new_code_cell("while True:\n    pass"),
        new_code_cell("print('alive after interrupt')"),
        new_code_cell("print('x' * 3 * 2**20)"),
        new_code_cell("print('not recorded')"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}})
    nb = nbformat.from_dict(nb)
    pp = sandbox.SandboxedExecute(config=c)
    nb, _ = pp.preprocess(nb, {"metadata": {"path": str(course["alice"])}})

    def text(cell):
        return "".join(o.get("text", "") + o.get("ename", "") for o in cell.outputs)

    # a cold kernel's folder is in a bare skeleton of the course; a pre-warmed one's is a
    # copy, beside its runtime folder (tests/test_warm_kernels.py)
    assert text(nb.cells[0]).strip() in ("['a1']", "['a1', 'runtime']")
    assert "CellTimeoutError" in text(nb.cells[1]) or "KeyboardInterrupt" in text(nb.cells[1])
    assert "alive after interrupt" in text(nb.cells[2])
    recorded = sum(len(text(cell)) for cell in nb.cells)
    assert recorded < 2 * 2**20
    assert "output limit" in text(nb.cells[3])
    assert "not recorded" not in text(nb.cells[4])


def test_nbgrader_execute_reports_watchdog_kill(course):
    _require_bwrap()
    import nbformat
    from nbclient.exceptions import DeadKernelError
    from nbformat.v4 import new_code_cell, new_notebook

    c = sandbox.configure(Config(), Limits(cell_timeout_s=60, notebook_timeout_s=4))
    nb = nbformat.from_dict(new_notebook(
        cells=[new_code_cell("while True:\n    pass")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    ))
    started = time.monotonic()
    with pytest.raises(DeadKernelError, match="longer than 4 s"):
        sandbox.SandboxedExecute(config=c).preprocess(
            nb, {"metadata": {"path": str(course["alice"])}})
    assert time.monotonic() - started < 30


def test_stop_after_runs_the_cells_up_to_it_and_credits_none_after(course):
    """`medai check`'s stop: the named cell runs, every later code cell shows an error
    saying it was not executed (so a later test cannot earn points) and never runs."""
    _require_bwrap()
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    from nbgrader.utils import determine_grade

    def graded(source, grade_id):
        return new_code_cell(source, metadata={"nbgrader": {
            "grade": True, "grade_id": grade_id, "locked": True, "points": 1,
            "solution": False, "schema_version": 3}})

    c = sandbox.configure(Config(), Limits())
    c.SandboxedExecute.stop_after = "q1_tests"
    nb = nbformat.from_dict(new_notebook(cells=[
        new_code_cell("open('stop_after.txt', 'w').write('setup')"),
        graded("assert 1 + 1 == 2\nprint('q1 ran')", "q1_tests"),
        new_markdown_cell("## Question 2"),
        new_code_cell("open('stop_after.txt', 'w').write('after the stop')"),
        graded("print('q2 ran')", "q2_tests"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}}))
    nb, _ = sandbox.SandboxedExecute(config=c).preprocess(
        nb, {"metadata": {"path": str(course["alice"])}})

    assert "q1 ran" in nb.cells[1].outputs[0]["text"]
    assert determine_grade(nb.cells[1]) == (1, 1)
    for later in (nb.cells[3], nb.cells[4]):
        assert [o["ename"] for o in later.outputs] == ["NotExecuted"]
        assert "stopped after the cell 'q1_tests'" in later.outputs[0]["evalue"]
    assert determine_grade(nb.cells[4]) == (0, 1)
    ran = course["alice"] / "stop_after.txt"
    assert ran.read_text() == "setup"
    ran.unlink()
