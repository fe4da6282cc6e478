"""The kernel manager: starts a student's kernel under its limits inside bubblewrap, and
supervises it (the notebook watchdog, the process-limit watcher, kill and reap).

nbclient starts it with ``cwd=`` the submission's working copy; jupyter_client's
private start, launch, kill and cleanup coroutines are overridden, so
pyproject.toml pins jupyter_client to the range they are known in.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from queue import Empty
from typing import Any, Literal

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_core.utils import run_sync
from traitlets import Bool, DottedObjectName, Instance, List, Type, Unicode

from medai.grading.sandbox import bubblewrap, warm
from medai.grading.sandbox.limits import Limits, SandboxError
from medai.teach import variant

log = logging.getLogger(__name__)

#: Where IPython, Jupyter and matplotlib keep their state inside the sandbox.
_SANDBOX_STATE = "/tmp"

#: Fresh uids for kernels of a root grader come from this range (unlikely to be in use).
_UID_BASE, _UID_SPAN = 1_900_000_000, 100_000_000

#: Grader variables a kernel may inherit; everything else is dropped.
_CAPPED_STREAM = "medai.grading.kernel_output.CappedOutStream"
_PASS_ENV = (
    "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "TZ", "TERM",
    "MPLBACKEND", "PYDEVD_DISABLE_FILE_VALIDATION", "JPY_SESSION_NAME",
)
_THREAD_ENV = (
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS",
)


# why the manager killed a kernel itself
KillReason = Literal["notebook_timeout", "process_limit"]


def _autograded_student(working_copy: str | None) -> str | None:
    """The student of an nbgrader working copy ``autograded/<student>/<assignment>``, where
    `medai grade`, `nbgrader autograde` and the Formgrader's button all run a submission:
    its kernel gets that student's variant of the data."""
    if not working_copy:
        return None
    parts = os.path.normpath(working_copy).split(os.sep)
    return parts[-2] if len(parts) >= 3 and parts[-3] == "autograded" else None


class SandboxedKernelManager(KernelManager):
    """A KernelManager whose kernel runs under resource limits and, where
    bubblewrap works, inside a sandbox that sees only its working copy.

    Start it with ``cwd=`` the submission's working copy (nbclient does so with
    the notebook's folder). ``killed_for`` says why the manager killed the
    kernel (``"notebook_timeout"``), or is None.
    """

    limits = Instance(Limits, args=(), help="Resource limits for the kernel.").tag(config=True)
    extra_read_only = List(
        Unicode(),
        help="More paths the kernel may read (never a folder containing the working copy).",
    ).tag(config=True)
    prewarm = Bool(
        True,
        help="Fork kernels from a template that imported ``warm_imports`` already "
             "(medai.grading.sandbox.warm), where the grader is root and bubblewrap works.",
    ).tag(config=True)
    warm_imports = List(
        Unicode(), allow_none=True, default_value=None,
        help="Modules the notebook's locked cells import (set per notebook by "
             "SandboxedExecute); None starts the kernel cold.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.killed_for: KillReason | None = None
        self.sandboxed: bool = False
        self.sandbox_uid: int | None = None
        self.working_copy: str | None = None
        self.runtime_dir: str | None = None
        self._owners: dict[str, tuple[int, int]] | None = None
        self._watchdog: threading.Timer | None = None
        self._process_watch: threading.Event | None = None
        #: a pre-warmed kernel: its template, its folder in the pool, the kernel itself
        self._template: warm.Zygote | None = None
        self._slot: str | None = None
        self._forked: warm.ForkedKernel | None = None
        #: the kernel process's last stdout/stderr lines, kept at cleanup
        self.exit_log: str = ""

    # -- start ------------------------------------------------------------------

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        cwd = kw.get("cwd")
        if not cwd:
            raise SandboxError(
                "a sandboxed kernel needs cwd= (the submission's working copy)"
            )
        self.working_copy = os.path.realpath(os.path.abspath(cwd))
        if not os.path.isdir(self.working_copy):
            raise SandboxError(f"working copy {self.working_copy} is not a folder")
        kw["cwd"] = self.working_copy
        self.killed_for = None
        self.sandboxed = bubblewrap.sandbox_available()
        if not self.sandboxed:
            log.warning("%s (kernel for %s)", bubblewrap.NOT_ISOLATED, self.working_copy)
            if bubblewrap.running_as_root():
                log.warning("the grader runs as root: the process limit does not apply "
                            "to a kernel that is not sandboxed")
        if self._use_template():
            self._take_slot()
        elif self.runtime_dir is None or not os.path.isdir(self.runtime_dir):
            self.runtime_dir = os.path.realpath(tempfile.mkdtemp(prefix="medai-kernel-"))
        # the sockets and the connection file live in the runtime folder, the
        # only place besides the working copy that both sides see
        self.transport = "ipc"
        self.ip = os.path.join(self.runtime_dir, "kernel")
        self.connection_file = os.path.join(self.runtime_dir, "connection.json")
        if self.sandboxed and bubblewrap.running_as_root() and self.sandbox_uid is None:
            self.sandbox_uid = _fresh_uid()
            self._owners = bubblewrap.hand_over(self.working_copy, self.sandbox_uid)
        try:
            kw["env"] = self._kernel_env(kw.get("env") or dict(os.environ))
            # the student's variant of the data (medai.teach.variant); never in a template
            student = _autograded_student(self.working_copy)
            if student:
                kw["env"][variant.GRADER_VARIABLE] = student
            kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
            if self.sandbox_uid is not None:
                os.chown(self.runtime_dir, self.sandbox_uid, self.sandbox_uid)
                os.chown(self.connection_file, self.sandbox_uid, self.sandbox_uid)
        except BaseException:
            self._release()
            raise
        return kernel_cmd, kw

    def _use_template(self) -> bool:
        """Whether this kernel is forked from a pre-warmed template."""
        spec_argv = self.kernel_spec.argv if self.kernel_spec else []
        return bool(self.prewarm and self.warm_imports is not None and self.sandboxed
                    and warm.available() and any("ipykernel" in a for a in spec_argv)
                    and os.environ.get("MEDAI_PREWARM", "1") != "0")

    def _take_slot(self) -> None:
        """A template for this notebook's imports, and a folder of a fresh uid in its pool
        holding a copy of the working copy and the kernel's runtime folder."""
        assert self.working_copy is not None
        template_env = self._kernel_env(dict(os.environ), home="/tmp", runtime="/tmp")
        self._template = warm.template(list(self.warm_imports or []), self.limits,
                                       list(self.extra_read_only), template_env)
        self.sandbox_uid = _fresh_uid()
        self._slot = self._template.new_slot(self.working_copy)
        warm.copy_in(self.working_copy, self._work(), self.sandbox_uid)
        os.chown(self._slot, self.sandbox_uid, self.sandbox_uid)
        self.runtime_dir = os.path.join(self._slot, "runtime")

    def _work(self) -> str:
        """A pre-warmed kernel's working folder (its copy of the working copy)."""
        assert self._slot is not None and self.working_copy is not None
        return warm.work_folder(self._slot, self.working_copy)

    def _kernel_env(self, given: dict[str, str], home: str | None = None,
                    runtime: str | None = None) -> dict[str, str]:
        """A fresh environment: nothing of the grader's but locale and kernel-spec settings."""
        home = home or (self._work() if self._slot else self.working_copy)
        runtime = runtime or self.runtime_dir
        assert home is not None and runtime is not None
        spec_env = set(self.kernel_spec.env) if self.kernel_spec else set()
        env = {k: v for k, v in given.items() if k in _PASS_ENV or k in spec_env}
        state = _SANDBOX_STATE if self.sandboxed else os.path.join(runtime, "state")
        bindir = os.path.dirname(sys.executable)
        env.update({
            "PATH": os.pathsep.join([bindir, "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": home,
            "USER": "student",
            "LOGNAME": "student",
            "TMPDIR": "/tmp" if self.sandboxed else os.path.join(runtime, "state"),
            "MPLCONFIGDIR": f"{state}/matplotlib",
            "IPYTHONDIR": f"{state}/ipython",
            "JUPYTER_CONFIG_DIR": f"{state}/jupyter-config",
            "JUPYTER_DATA_DIR": f"{state}/jupyter-data",
            "JUPYTER_RUNTIME_DIR": runtime,
            # what ipykernel sets before any notebook code: a template imports matplotlib
            # (MONAI does) before ipykernel runs, so it must be there from the start
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "XDG_CACHE_HOME": f"{state}/cache",
            "XDG_CONFIG_HOME": f"{state}/config",
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "MEDAI_OFFLINE": "1",
            "MALLOC_ARENA_MAX": str(self.limits.threads),
            # OpenMP threads that spin while waiting burn the CPU other kernels need
            "OMP_WAIT_POLICY": "PASSIVE",
            "MEDAI_MAX_OUTPUT_BYTES": str(self.limits.max_output_mb * 1024 * 1024),
        })
        env.setdefault("LANG", "C.UTF-8")
        for name in _THREAD_ENV:
            env[name] = str(self.limits.threads)
        # generated datasets are written to a data folder of the kernel's own: a
        # shared one would let one submission plant files that another one loads
        env["MEDAI_DATA"] = f"{state}/medai-data"
        if not self.sandboxed:
            os.makedirs(os.path.join(runtime, "state"), exist_ok=True)
        return env

    def sandbox_command(self, kernel_cmd: list[str]) -> list[str]:
        """The kernel command wrapped in prlimit and, where it works, bubblewrap."""
        prlimit = shutil.which("prlimit")
        if prlimit is None:
            raise SandboxError("prlimit (util-linux) is missing: cannot limit the kernel")
        if any("ipykernel" in part for part in kernel_cmd):
            # stdout and stderr capped inside the kernel (see kernel_output); no
            # input history database, which a graded kernel never reads back
            kernel_cmd = [*kernel_cmd, f"--IPKernelApp.outstream_class={_CAPPED_STREAM}",
                          "--HistoryManager.enabled=False"]
        limited = [prlimit, *self.limits.prlimit_args(), "--", *kernel_cmd]
        if not self.sandboxed:
            return limited
        assert self.working_copy is not None and self.runtime_dir is not None
        bwrap = bubblewrap.bwrap_path()
        assert bwrap is not None
        args = bubblewrap.bwrap_args(self.working_copy, self.runtime_dir, self.limits,
                          list(self.extra_read_only))
        if self.sandbox_uid is None:
            return [bwrap, *args, "--", *limited]
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise SandboxError("setpriv (util-linux) is missing: cannot drop root in the sandbox")
        uid = str(self.sandbox_uid)
        # bubblewrap keeps only these two capabilities, and setpriv gives them up
        # when it switches to the sandbox uid
        return [
            bwrap, *args, "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
            setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            *limited,
        ]

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if self._template is not None:
            self._fork_kernel(kernel_cmd, kw["env"])
            return
        wrapped = self.sandbox_command(kernel_cmd)
        self.log.debug("sandboxed kernel command: %s", wrapped)
        assert self.runtime_dir is not None
        # The kernel's own stdout/stderr (not the notebook's outputs) go to a
        # file, not the grader's terminal; RLIMIT_FSIZE caps it.
        with open(os.path.join(self.runtime_dir, "kernel.log"), "ab") as kernel_log:
            kw.setdefault("stdout", kernel_log)
            kw.setdefault("stderr", kernel_log)
            await super()._async_launch_kernel(wrapped, **kw)
        self._start_watchdog()

    def _fork_kernel(self, kernel_cmd: list[str], env: dict[str, str]) -> None:
        """Start the kernel as a fork of the template (in place of launching a command)."""
        assert self._template is not None and self._slot is not None
        assert self.sandbox_uid is not None and self.runtime_dir is not None
        argv = kernel_cmd[kernel_cmd.index("-f"):] if "-f" in kernel_cmd else [
            "-f", self.connection_file]
        argv += [f"--IPKernelApp.outstream_class={_CAPPED_STREAM}",
                 "--HistoryManager.enabled=False"]
        self._forked = self._template.fork(
            self.sandbox_uid, self._work(), env, argv,
            os.path.join(self.runtime_dir, "kernel.log"))
        provisioner = self.provisioner
        assert provisioner is not None
        provisioner.process = self._forked
        provisioner.pid = self._forked.pid
        provisioner.pgid = None
        provisioner.cwd = self._work()
        self._reconcile_connection_info(provisioner.connection_info)
        self._start_watchdog()

    def stop_at_the_process_limit(self) -> bool:
        """Kill the sandbox if the kernel's child processes, with its threads, hold it
        near its process limit; return whether it did.

        Killed children would stay zombies, still counted, until the kernel waits
        for them, which it never does; and raising the kernel's limit needs
        CAP_SYS_RESOURCE, which a grader in a container usually lacks. Below the
        limit nothing is touched (joblib's worker processes, for example, are
        meant to outlive a cell)."""
        import psutil

        process = self._running_process()
        if process is None or not process.pid:
            return False
        try:
            top = psutil.Process(process.pid)
            tree = [top, *top.children(recursive=True)]
        except psutil.Error:
            return False
        processes = used = 0  # the kernel and what it started; zombies still count
        for task in tree:
            try:
                if os.path.basename((task.cmdline() or [""])[0]) in _WRAPPERS:
                    continue
                used += task.num_threads()
            except psutil.ZombieProcess:
                used += 1
            except psutil.Error:  # gone since the listing
                continue
            processes += 1
        if processes < 2 or used < self.limits.max_processes - PROCESS_HEADROOM:
            return False
        log.error("%d processes started in %s filled the sandbox's process limit (%d): "
                  "killing its kernel", processes - 1, self.working_copy,
                  self.limits.max_processes)
        self.killed_for = "process_limit"
        self._kill_sandbox(process)
        return True

    def kernel_log(self, lines: int = 20) -> str:
        """The last lines the kernel process wrote to its stdout/stderr."""
        if not self.runtime_dir:
            return ""
        try:
            with open(os.path.join(self.runtime_dir, "kernel.log"), "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 64 * 1024))
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # -- the notebook watchdog --------------------------------------------------

    def _start_watchdog(self) -> None:
        self._stop_watchdog()
        timer = threading.Timer(self.limits.notebook_timeout_s, self._notebook_timeout)
        timer.daemon = True
        timer.start()
        self._watchdog = timer
        stop = self._process_watch = threading.Event()
        threading.Thread(target=self._watch_processes, args=(stop,), daemon=True).start()

    def _stop_watchdog(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        if self._process_watch is not None:
            self._process_watch.set()
            self._process_watch = None

    def _watch_processes(self, stop: threading.Event) -> None:
        """Every PROCESS_WATCH_S, while the kernel runs: stop it at the process limit
        (the cell that filled it would otherwise hang until the cell timeout)."""
        while not stop.wait(PROCESS_WATCH_S):
            if self._running_process() is None or self.stop_at_the_process_limit():
                return

    def _notebook_timeout(self) -> None:
        process = self._running_process()
        if process is None:
            return
        self.killed_for = "notebook_timeout"
        log.error("notebook in %s ran longer than %s s: killing its kernel",
                  self.working_copy, self.limits.notebook_timeout_s)
        self._kill_sandbox(process)

    def _running_process(self) -> subprocess.Popen | None:
        """The sandbox's outermost process while it runs, else None."""
        process = getattr(self.provisioner, "process", None)
        return process if process is not None and process.poll() is None else None

    def _kill_and_reap(self) -> None:
        """Kill the sandbox, if it runs, and wait for it to be gone."""
        process = self._running_process()
        if process is None:
            return
        self._kill_sandbox(process)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.warning("the sandbox of %s outlived SIGKILL by 10 s", self.working_copy)

    def _kill_sandbox(self, process: subprocess.Popen) -> None:
        """SIGKILL the kernel's process group: bubblewrap, and with it (its PID
        namespace and --die-with-parent) every process of the sandbox."""
        pgid = getattr(self.provisioner, "pgid", None)
        try:
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
            else:
                process.kill()
        except ProcessLookupError:
            pass

    # -- interrupt, shutdown ----------------------------------------------------

    async def _async_interrupt_kernel(self) -> None:
        # A signal to bubblewrap's process group does not reach the kernel,
        # which runs in its own session: ask the kernel itself, over the
        # control channel (ipykernel interrupts its own process group).
        if self.sandboxed and self.has_kernel:
            msg = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, msg)
            return
        await super()._async_interrupt_kernel()

    async def _async_kill_kernel(self, restart: bool = False) -> None:
        # jupyter_client kills, then polls every 0.1 s until the process is gone;
        # waiting for the process itself saves that idle tenth of a second per kernel
        if not restart:
            self._kill_and_reap()
        await super()._async_kill_kernel(restart=restart)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if not restart:
            self._stop_watchdog()
            self._kill_and_reap()
            self.exit_log = self.kernel_log()
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._release()

    # jupyter_client binds its public methods to its own coroutines: rebind them
    cleanup_resources = run_sync(_async_cleanup_resources)

    def _release(self) -> None:
        if self._template is not None and self._slot is not None:
            assert self.working_copy is not None
            if self._forked is not None:
                self._template.finish(self._forked, self._slot, self.working_copy)
            else:
                shutil.rmtree(self._slot, ignore_errors=True)
            self.runtime_dir = None  # it was inside the slot
        self._template = self._slot = self._forked = None
        if self._owners is not None and self.working_copy and self.sandbox_uid is not None:
            bubblewrap.give_back(self.working_copy, self.sandbox_uid, self._owners)
        self._owners = None
        self.sandbox_uid = None
        if self.runtime_dir:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
            self.runtime_dir = None

    def __del__(self) -> None:
        self._stop_watchdog()
        super().__del__()


def _fresh_uid() -> int:
    return _UID_BASE + secrets.randbelow(_UID_SPAN)


_WRAPPERS = {"bwrap", "setpriv", "prlimit"}
"""Programs around the kernel in the sandbox, not counted against its process limit
(bubblewrap runs as root; setpriv and prlimit exec the kernel)."""


PROCESS_HEADROOM = 8
"""Processes and threads a kernel needs free to run its next cell (ipykernel
starts a thread per request, OpenBLAS its pool)."""
PROCESS_WATCH_S = 1.0


class PromptKernelClient(AsyncKernelClient):
    """A kernel client that is ready as soon as the kernel answers.

    jupyter_client's ``wait_for_ready`` ends by waiting for 0.2 s of silence on IOPub,
    to drop the status messages of its ``kernel_info`` requests. nbclient ignores every
    IOPub message that does not answer the cell it runs, so that wait only idles a
    grading worker's core, once per submission."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if reply["msg_type"] == "kernel_info_reply":
                    try:  # IOPub is connected once it carries this request's status
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    wait_for_ready = _async_wait_for_ready


class AsyncSandboxedKernelManager(SandboxedKernelManager, AsyncKernelManager):
    """The asynchronous variant, which nbgrader's Execute preprocessor needs."""

    client_class = DottedObjectName("medai.grading.sandbox.kernel.PromptKernelClient")
    client_factory = Type(klass=PromptKernelClient)

    interrupt_kernel = SandboxedKernelManager._async_interrupt_kernel
    cleanup_resources = SandboxedKernelManager._async_cleanup_resources
