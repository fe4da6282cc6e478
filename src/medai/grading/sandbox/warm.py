"""Pre-warmed kernels: a template process that imported an assignment's libraries once
(:mod:`.zygote`, inside its own bubblewrap sandbox) forks each submission's kernel, so a
kernel no longer spends seconds importing torch and MONAI again.

How submissions stay apart
--------------------------
The template runs no student code. Each kernel it forks is a fresh process (module
state, environment and threads are its own: nothing flows back into the template) with:

* its own uid, from the same unused range as a cold kernel's; root inside the sandbox
  hands it over, then the kernel has no capabilities and ``no_new_privs``;
* its own working copy: the submission's files are copied into a 0700 folder of that
  uid inside the template's pool, and what the kernel wrote there is copied back to the
  submission's folder afterwards (symlinks as links, never followed);
* its own limits (the same ``RLIMIT_*`` values as a cold kernel's, on a process whose
  CPU and process counts start at zero);
* its own session, environment and log, and none of the template's descriptors.

When a kernel ends, every process of its uid is killed (a daemon it left behind goes
too), the template empties ``/tmp`` and ``/dev/shm`` and removes System V IPC objects,
and the folder is deleted, before the next kernel is forked. Kernels of one template run
one after the other (one template per grading worker), and a template is used only with
the limits and read-only paths it was started with.

Only a root grader gets warm kernels (the uid switch needs root); otherwise, or where
bubblewrap does not work, kernels start cold as before.
"""

from __future__ import annotations

import ast
import atexit
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from medai.grading.sandbox import bubblewrap
from medai.grading.sandbox.limits import Limits, SandboxError

log = logging.getLogger(__name__)

#: Seconds a template may take to import its libraries.
WARM_UP_TIMEOUT_S = 300
#: Seconds to wait for the template's answer to a request.
REPLY_TIMEOUT_S = 30


#: Modules a library imports on the first use of a feature nearly every notebook uses:
#: torch imports torch._dynamo at an optimiser's first step (1.7 s on 2 cores), which
#: each submission that trains a model would otherwise pay again.
FIRST_USE_IMPORTS = {"torch": ("torch._dynamo",)}


def warm_imports(notebook) -> list[str]:
    """The modules imported at the top level of a notebook's locked cells (instructor
    code that nbgrader restores before grading), in order, without duplicates, each
    followed by what its library imports on first use (FIRST_USE_IMPORTS)."""
    found: list[str] = []
    for cell in notebook.get("cells", []):
        grading = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not grading.get("locked") or grading.get("solution"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                companions = FIRST_USE_IMPORTS.get(name.partition(".")[0], ())
                found.extend(x for x in (name, *companions) if x not in found)
    return found


def kill_uid(uid: int) -> int:
    """SIGKILL every process whose real uid is ``uid``; return how many there were."""
    import psutil

    killed = 0
    for process in psutil.process_iter(["uids"]):
        uids = process.info.get("uids")
        if uids is not None and uid in (uids.real, uids.effective):
            try:
                process.kill()
                killed += 1
            except psutil.Error:
                continue
    return killed


class Zygote:
    """One template sandbox: started once, forks kernels one at a time."""

    def __init__(self, modules: list[str], limits: Limits, extra_read_only: list[str],
                 env: dict[str, str]) -> None:
        self.modules = list(modules)
        self.limits = limits
        self.pool = os.path.realpath(tempfile.mkdtemp(prefix="medai-warm-"))
        os.chmod(self.pool, 0o711)  # a kernel's uid may pass through to its own folder
        self._messages: list[dict] = []
        self._exits: dict[int, int] = {}
        self._changed = threading.Condition()
        bwrap = bubblewrap.bwrap_path()
        if bwrap is None:
            raise SandboxError("pre-warmed kernels need a working bubblewrap")
        args = [a for a in bubblewrap.bwrap_args(self.pool, self.pool, limits, extra_read_only)
                if a != "--die-with-parent"]  # it ends when its stdin closes instead
        command = [bwrap, *args, "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                   sys.executable, "-m", "medai.grading.sandbox.zygote", self.pool,
                   *self.modules]
        self._log = open(os.path.join(self.pool, "zygote.log"), "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
            env=env, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        ready = self._next("ready", WARM_UP_TIMEOUT_S)
        self.imported, self.failed = ready["imported"], ready["failed"]
        log.info("pre-warmed kernel template ready (%s imported%s)",
                 ", ".join(self.imported),
                 f"; could not import {', '.join(self.failed)}" if self.failed else "")

    # -- the conversation -------------------------------------------------------

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            message = json.loads(line)
            with self._changed:
                if "exited" in message:
                    self._exits[int(message["exited"])] = int(message["status"])
                else:
                    self._messages.append(message)
                self._changed.notify_all()
        with self._changed:
            self._messages.append({"gone": True})
            self._changed.notify_all()

    def _next(self, key: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for message in self._messages:
                    if key in message or "gone" in message:
                        self._messages.remove(message)
                        if "gone" in message:
                            self._messages.append(message)
                            raise SandboxError("the pre-warmed kernel template has exited: "
                                               + self.log_tail())
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SandboxError(f"the pre-warmed kernel template did not answer "
                                       f"{key!r} within {timeout:.0f} s")
                self._changed.wait(left)

    def _ask(self, request: dict, key: str, timeout: float = REPLY_TIMEOUT_S) -> dict:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError) as err:
            raise SandboxError("the pre-warmed kernel template has exited") from err
        return self._next(key, timeout)

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self) -> str:
        try:
            with open(os.path.join(self.pool, "zygote.log"), "rb") as f:
                return f.read()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    # -- kernels ----------------------------------------------------------------

    def new_slot(self, working_copy: str) -> str:
        """A fresh folder in the pool, with the kernel's working folder (named like the
        submission's) and ``runtime`` inside."""
        slot = tempfile.mkdtemp(prefix="kernel-", dir=self.pool)
        for sub in (work_folder(slot, working_copy), os.path.join(slot, "runtime")):
            os.mkdir(sub, 0o700)
        return slot

    def fork(self, uid: int, cwd: str, env: dict[str, str], argv: list[str],
             log_path: str) -> ForkedKernel:
        reply = self._ask({"op": "fork", "uid": uid, "cwd": cwd, "env": env, "argv": argv,
                           "log": log_path, "rlimits": self.limits.rlimits()}, "forked")
        inner = int(reply["forked"])
        return ForkedKernel(self, inner, self._host_pid(inner), uid)

    def _host_pid(self, inner: int) -> int | None:
        """The host's pid of the sandbox's process ``inner`` (from /proc's NSpid)."""
        import psutil

        try:
            tree = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return None
        for process in tree:
            try:
                with open(f"/proc/{process.pid}/status") as status:
                    for line in status:
                        if line.startswith("NSpid:") and int(line.split()[-1]) == inner:
                            return process.pid
            except (OSError, ValueError):
                continue
        return None

    def exit_status(self, inner: int) -> int | None:
        with self._changed:
            if inner in self._exits:
                return self._exits[inner]
        return None if self.alive() else -signal.SIGKILL

    def wait_exit(self, inner: int, timeout: float | None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while inner not in self._exits and self.alive():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired(f"kernel {inner}", timeout or 0)
                self._changed.wait(0.5 if left is None else min(left, 0.5))
            return self._exits.get(inner, -signal.SIGKILL)

    def finish(self, kernel: ForkedKernel, slot: str, working_copy: str) -> None:
        """After a kernel: kill what is left of its uid, bring its files back, clean up."""
        kill_uid(kernel.uid)
        try:
            kernel.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.warning("a pre-warmed kernel outlived SIGKILL by 10 s")
        copy_back(work_folder(slot, working_copy), working_copy)
        if self.alive():
            self._ask({"op": "clean"}, "cleaned")
        shutil.rmtree(slot, ignore_errors=True)

    def close(self) -> None:
        if self.process.stdin:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()
        shutil.rmtree(self.pool, ignore_errors=True)


class ForkedKernel:
    """A kernel forked by a template, shaped like the ``subprocess.Popen`` that
    jupyter_client's provisioner keeps: poll, wait, signals, kill."""

    def __init__(self, zygote: Zygote, inner: int, pid: int | None, uid: int) -> None:
        self.zygote = zygote
        self.inner = inner
        self.pid = pid or 0
        self.uid = uid
        self.stdin = self.stdout = self.stderr = None

    @property
    def returncode(self) -> int | None:
        return self.poll()

    def poll(self) -> int | None:
        return self.zygote.exit_status(self.inner)

    def wait(self, timeout: float | None = None) -> int:
        return self.zygote.wait_exit(self.inner, timeout)

    def send_signal(self, signum: int) -> None:
        if self.pid and self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        kill_uid(self.uid)


def work_folder(slot: str, working_copy: str) -> str:
    """The kernel's copy of the working copy: same name (an assignment's folder), so a
    notebook sees the same folder name as a cold kernel."""
    name = os.path.basename(working_copy.rstrip("/"))
    return os.path.join(slot, "work" if name in ("", "runtime") else name)


def copy_in(working_copy: str, work: str, uid: int) -> None:
    """The submission's files into the kernel's folder, owned by its uid."""
    shutil.copytree(working_copy, work, symlinks=True, dirs_exist_ok=True)
    for path in bubblewrap._walk(work):
        os.lchown(path, uid, uid)


def copy_back(work: str, working_copy: str) -> None:
    """What the kernel wrote, back into the submission's folder, owned by that folder's
    owner (a TA's autograded folder stays the TA's, as a cold kernel leaves it)."""
    if not os.path.isdir(work):
        return
    folder = os.stat(working_copy)
    me = folder.st_uid, folder.st_gid
    for root, dirs, names in os.walk(work, followlinks=False):
        target_root = os.path.join(working_copy, os.path.relpath(root, work))
        os.makedirs(target_root, exist_ok=True)
        for name in dirs:
            target = os.path.join(target_root, name)
            if not os.path.lexists(target):
                os.makedirs(target)
                os.chown(target, *me)
        for name in names:
            source, target = os.path.join(root, name), os.path.join(target_root, name)
            if os.path.lexists(target) and (os.path.islink(target) or os.path.isdir(target)):
                continue  # never write through a link, never replace a folder
            if _unchanged(source, target):
                continue
            try:
                if os.path.islink(source):
                    os.symlink(os.readlink(source), target)
                else:
                    shutil.copyfile(source, target, follow_symlinks=False)
                    os.chown(target, *me)
            except OSError:
                continue


def _unchanged(source: str, target: str) -> bool:
    """Same size and modification time: the file copied in and not written since."""
    try:
        a, b = os.lstat(source), os.lstat(target)
    except OSError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


_templates: dict[tuple, Zygote] = {}
_templates_lock = threading.Lock()


def template(modules: list[str], limits: Limits, extra_read_only: list[str],
             env: dict[str, str]) -> Zygote:
    """The running template for these imports and limits, started on first use."""
    key = (tuple(modules), limits, tuple(extra_read_only))
    with _templates_lock:
        zygote = _templates.get(key)
        if zygote is not None and zygote.alive():
            return zygote
        if zygote is not None:
            zygote.close()
        if not _templates:
            atexit.register(close_all)
        zygote = _templates[key] = Zygote(modules, limits, extra_read_only, env)
        return zygote


def close_all() -> None:
    """Stop every template of this process (at exit, and in tests)."""
    with _templates_lock:
        for zygote in _templates.values():
            zygote.close()
        _templates.clear()


def available() -> bool:
    """Whether kernels can be pre-warmed here: bubblewrap works and the grader is root."""
    return bubblewrap.sandbox_available() and bubblewrap.running_as_root()
