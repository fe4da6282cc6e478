"""The template process of pre-warmed kernels: it runs inside a bubblewrap sandbox, imports
an assignment's heavy libraries once, and forks one fresh kernel per submission.

Run as ``python -m medai.grading.sandbox.zygote POOL MODULE...`` by :mod:`.warm`, which talks to
it in JSON lines over its stdin and stdout:

* ``{"op": "fork", "uid": ..., "cwd": ..., "env": {...}, "argv": [...], "log": ...,
  "rlimits": [[name, soft, hard], ...]}`` -> ``{"forked": pid}`` (pid in the sandbox);
* ``{"op": "clean"}`` -> ``{"cleaned": [...]}``: empties ``/tmp`` and ``/dev/shm`` of
  everything a kernel left there and removes System V IPC objects;
* unasked, ``{"exited": pid, "status": code}`` when a kernel has exited.

It never runs student code itself: only the forked child does, after it has become a
fresh session with its own uid (no capabilities, ``no_new_privs``), its own limits, its
own working folder, environment and log, and no descriptor of the template's. The
template stays root inside the sandbox only to hand out those uids; it exits when its
stdin closes (the grader is gone).
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys

_PR_SET_NO_NEW_PRIVS = 38
_SCRATCH = ("/tmp", "/dev/shm")


def _send(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def warm_up(modules: list[str]) -> tuple[list[str], list[str]]:
    """Import what the kernels will need (ipykernel and the assignment's libraries);
    a module that fails to import is left for the kernel to fail on itself."""
    imported, failed = [], []
    for name in ["ipykernel.kernelapp", "medai.grading.kernel_output", *modules]:
        try:
            importlib.import_module(name)
            imported.append(name)
        except Exception:  # noqa: BLE001 - the kernel reports the same error to the student
            failed.append(name)
    return imported, failed


def _become_kernel(request: dict) -> None:
    """In the forked child: shed everything of the template, then run ipykernel."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    for name, soft, hard in request["rlimits"]:
        resource.setrlimit(getattr(resource, name), (soft, hard))
    uid = int(request["uid"])
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [sys.executable, "-m", "ipykernel_launcher", *request["argv"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=request["argv"])


def fork_kernel(request: dict) -> int:
    """Fork one kernel; the parent returns its pid, the child never returns."""
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        _become_kernel(request)
    except BaseException as err:  # noqa: BLE001 - say why on the kernel's log, then exit
        status = 1
        try:
            os.write(2, f"medai zygote: the kernel could not start: {err!r}\n".encode())
        except OSError:
            pass
    finally:
        os._exit(status)


def clean(pool: str) -> list[str]:
    """Remove what kernels left in the sandbox's shared scratch space (they ran as other
    uids, so nothing of the template's own is there to keep); mounts (the pool, bound
    from the grader's side) are left alone."""
    removed = []
    for folder in _SCRATCH:
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            if os.path.ismount(path) or _contains(path, pool):
                continue
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    continue
            removed.append(path)
    ipcrm = shutil.which("ipcrm")
    if ipcrm:
        subprocess.run([ipcrm, "--all"], capture_output=True, check=False)
    return removed


def _contains(folder: str, path: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send({"exited": pid, "status": os.waitstatus_to_exitcode(status)})


def serve(pool: str, modules: list[str]) -> None:
    """Warm up, say so, then answer requests until stdin closes."""
    imported, failed = warm_up(modules)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    _send({"ready": True, "imported": imported, "failed": failed})
    commands = sys.stdin.buffer
    pending = b""
    while True:
        readable, _, _ = select.select([commands.fileno(), wake_read], [], [])
        if wake_read in readable:
            os.read(wake_read, 4096)
            _reap()
        if commands.fileno() not in readable:
            continue
        chunk = os.read(commands.fileno(), 65536)
        if not chunk:
            return
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            if request["op"] == "fork":
                _send({"forked": fork_kernel(request)})
            elif request["op"] == "clean":
                _send({"cleaned": clean(pool)})


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
