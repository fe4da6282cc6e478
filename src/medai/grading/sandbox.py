"""The sandbox that student code runs in while nbgrader autogrades it.

The kernel, not the grader, is what runs inside the sandbox: nbgrader's
``Execute`` preprocessor starts each notebook's kernel through
:class:`SandboxedKernelManager` and talks to it over jupyter_client's ``ipc``
transport (Unix sockets in a private runtime folder), so the grader itself,
the gradebook and the course folder stay outside.

What is isolated, and how
-------------------------
* **Network**: none. The kernel runs in its own network namespace
  (bubblewrap ``--unshare-net``); even the grader's loopback is unreachable.
* **Files it can read**: the system (``/usr`` and the ``/lib``/``/bin``
  links, a short list of files from ``/etc``), the Python installation
  (``sys.prefix``, ``sys.base_prefix``, site-packages and medai's own
  package folders, also for an editable install), the medai data folder if it
  exists, and the submission's working copy. Nothing else exists inside: not
  ``source/``, not the gradebook, not the other students' folders, not the
  course folder. A folder that contains the working copy is never exposed
  (:class:`SandboxError` instead), so a Python installation inside the course
  folder is fine but the course folder as a whole never is.
* **Files it can write**: only the working copy (the ``cwd`` the kernel is
  started with), the private runtime folder that holds its sockets, and a
  private, size-capped ``/tmp`` and ``/dev/shm`` (RAM-backed, gone with the
  kernel). Everything else is read-only or absent (bubblewrap's own root and
  ``/dev`` are remounted read-only too), so nothing that decides a score
  (gradebook, release/source notebooks, installed packages) is writable.
* **Processes**: own PID namespace; bubblewrap's ``--die-with-parent`` takes
  every process of the sandbox down with the kernel, so nothing outlives the
  notebook. ``RLIMIT_NPROC`` caps the number of processes (threads count
  too: an idle ipykernel has about ten). Linux never applies
  that limit to uid 0, not even inside a user namespace (measured: a fork bomb
  went past 2000 processes under ``--nproc=64``), so when the grader runs as
  root bubblewrap is started without a user namespace and the kernel is
  switched (``setpriv``) to a fresh unprivileged uid with no capabilities and
  ``no_new_privs``; the working copy is handed to that uid for the run and
  given back afterwards. A non-root grader gets a user namespace from
  ``--unshare-all``, where the limit counts only the sandbox's processes.
  A fork bomb's children would otherwise hold the limit for the rest of the
  notebook, and the kernel, unable to start a thread, would hang in every
  later cell until the cell timeout: once a second a watcher checks, and when
  the kernel's child processes hold the sandbox within ``PROCESS_HEADROOM``
  of its limit the kernel is killed at once and the submission fails with
  that reason (``stop_at_the_process_limit``).
* **Memory**: ``RLIMIT_DATA = memory_mb`` caps what a memory bomb allocates
  (the heap, numpy/torch buffers, Python objects: every private writable
  mapping), and an allocation beyond it fails with ``MemoryError`` instead of
  the machine swapping or the OOM killer picking the grader.
  ``RLIMIT_AS`` alone would have to be far above ``memory_mb``: after
  ``import torch, monai`` a kernel has 1.2 GB of address space but 0.5 GB of
  data (code and reserved-but-unused regions count in AS, not in DATA), and
  glibc and OpenMP reserve more per thread on many-core machines. ``RLIMIT_AS``
  is still set, at ``memory_mb + 2048``, as a backstop for the mappings DATA
  does not count (shared memory). Thread pools and malloc arenas are capped to
  ``Limits.threads`` so the address space stays predictable. A cgroup would cap
  the whole sandbox at once, but is not writable for a non-root grader and is
  cgroup v1 on the grading machines, so it is not used.
* **CPU time** ``RLIMIT_CPU``; **open files** ``RLIMIT_NOFILE``; **size of
  each written file** ``RLIMIT_FSIZE`` (Python then sees ``OSError: [Errno
  27] File too large``); no core dumps.
* **Wall time**: per cell by nbclient (``Execute.timeout``, the kernel is
  interrupted); per notebook by a watchdog in the manager that kills the whole
  sandbox after ``notebook_timeout_s`` and records it in ``killed_for``.
* **Environment**: the kernel gets a fresh environment (no grader variables
  such as a gradebook URL); ``HOME`` is the working copy; IPython, Jupyter and
  matplotlib write under the private ``/tmp``.

What is not isolated
--------------------
* Limits other than the process count are per process: in theory
  ``max_processes`` processes could each use ``memory_mb`` and
  ``cpu_seconds``; the notebook watchdog still ends them all.
* Disk: ``max_file_size_mb`` caps each file, ``/tmp`` and ``/dev/shm`` are
  capped, but the total written into the working copy is not (no quota).
* Output size: the grader stops recording a notebook's outputs after
  ``max_output_mb`` (:class:`SandboxedExecute`), and nbgrader's
  ``LimitOutput`` then trims long streams and tracebacks to
  ``max_output_lines`` / ``max_traceback_lines`` in the saved notebook. One
  single message is still received whole (bounded by the kernel's memory).
* The Linux kernel is shared: this is namespaces plus limits, not a VM.
* A root grader's kernel runs as an unprivileged uid, so it can read only
  world-readable files even among those it is shown: a medai data folder
  with 0700 folders (``tempfile.mkdtemp``'s mode) is not readable to it.
* Without bubblewrap (:func:`sandbox_available` is False) only the resource
  limits and the clean environment apply; the kernel can read and write
  whatever the grader's user can and reach the network. A loud warning is
  logged for every kernel started that way.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import secrets
import shutil
import signal
import site
import stat
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_core.utils import run_sync
from traitlets import Enum, Instance, Integer, List, Unicode

log = logging.getLogger(__name__)

NOT_ISOLATED = (
    "student code is NOT isolated: install bubblewrap (apt-get install bubblewrap); "
    "only the resource limits apply, the kernel can read and write everything the grader "
    "can and reach the network"
)

#: Address space allowed beyond ``memory_mb`` (code, libraries, reserved regions).
ADDRESS_SPACE_HEADROOM_MB = 2048

#: Where IPython, Jupyter and matplotlib keep their state inside the sandbox.
_SANDBOX_STATE = "/tmp"

#: Fresh uids for kernels of a root grader come from this range (unlikely to be in use).
_UID_BASE, _UID_SPAN = 1_900_000_000, 100_000_000

#: A working copy with more entries than this is not handed to the sandbox uid.
_MAX_WORKING_COPY_ENTRIES = 50_000

_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = (
    "alternatives", "ca-certificates", "ca-certificates.conf", "fonts", "group", "host.conf",
    "hosts", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "locale.alias", "localtime",
    "mime.types", "nsswitch.conf", "os-release", "passwd", "protocols", "services", "ssl",
    "timezone",
)
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


class SandboxError(RuntimeError):
    """The sandbox cannot be set up safely; the kernel is not started."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one student notebook's kernel."""

    memory_mb: int = 2048
    """Memory one kernel process may allocate (RLIMIT_DATA); beyond it, MemoryError."""

    cpu_seconds: int = 600
    """CPU time per process (RLIMIT_CPU); the process is killed when it is used up."""

    cell_timeout_s: int = 120
    """Wall time per cell (nbgrader's ``Execute.timeout``); the kernel is interrupted."""

    notebook_timeout_s: int = 900
    """Wall time per notebook, from kernel start; the whole sandbox is killed then."""

    max_processes: int = 64
    """Processes and threads the sandbox may have at once (RLIMIT_NPROC; an idle
    kernel uses about ten)."""

    max_open_files: int = 256
    """Open file descriptors per process (RLIMIT_NOFILE)."""

    max_file_size_mb: int = 100
    """Largest file a process may write (RLIMIT_FSIZE): disk written per file."""

    max_output_mb: int = 10
    """Notebook output the grader records; later output is dropped with a note."""

    max_output_lines: int = 1000
    """nbgrader ``LimitOutput.max_lines``: stream lines kept per cell."""

    max_traceback_lines: int = 100
    """nbgrader ``LimitOutput.max_traceback``: traceback lines kept per error."""

    tmp_size_mb: int = 256
    """Size of the private RAM-backed ``/tmp`` (and of ``/dev/shm``)."""

    threads: int = 2
    """Threads for OpenMP/BLAS pools and glibc malloc arenas in the kernel."""

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"Limits.{field.name} must be a positive integer, not {value!r}")

    def prlimit_args(self) -> list[str]:
        """``prlimit`` options that apply these limits to the kernel process."""
        mb = 1024 * 1024
        return [
            f"--data={self.memory_mb * mb}",
            f"--as={(self.memory_mb + ADDRESS_SPACE_HEADROOM_MB) * mb}",
            # soft limit: SIGXCPU; hard limit a little later: SIGKILL
            f"--cpu={self.cpu_seconds}:{self.cpu_seconds + 5}",
            f"--nproc={self.max_processes}",
            f"--nofile={self.max_open_files}",
            f"--fsize={self.max_file_size_mb * mb}",
            "--core=0",
        ]


# ---------------------------------------------------------------------------
# detection


def _root() -> bool:
    return os.geteuid() == 0


def _namespace_args() -> list[str]:
    """bubblewrap's namespace options for this grader.

    Root: no user namespace (inside one the kernel would still be uid 0 to the
    kernel's process accounting, and RLIMIT_NPROC never applies to uid 0); the
    kernel drops to its own uid with setpriv instead. Others: a user namespace
    too, in which the sandbox cannot create further user namespaces.
    """
    if _root():
        return [
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try",
        ]
    return ["--unshare-all", "--unshare-user", "--disable-userns"]


@cache
def _bwrap() -> str | None:
    """Path of a bubblewrap that works here (installed is not enough: user
    namespaces can be disabled), else None."""
    path = shutil.which("bwrap")
    if path is None:
        return None
    probe = [path, *_namespace_args(), "--ro-bind", "/", "/", "--", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        log.error("bubblewrap at %s does not run: %s", path, err)
        return None
    if done.returncode != 0:
        log.error("bubblewrap at %s does not work here: %s", path,
                  done.stderr.decode(errors="replace").strip())
        return None
    return path


@cache
def _bwrap_version() -> str:
    path = _bwrap()
    if path is None:
        return ""
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def sandbox_available() -> bool:
    """True if kernels will run inside bubblewrap (installed and working here)."""
    return _bwrap() is not None


def describe(limits: Limits | None = None) -> str:
    """One line for logs: how student code is isolated and limited."""
    limits = limits or Limits()
    if sandbox_available():
        user = "own uid" if _root() else "user namespace"
        how = (f"sandbox: {_bwrap_version() or 'bubblewrap'} ({user}, no network, "
               "only its working copy writable)")
    else:
        how = "sandbox: NOT ISOLATED, install bubblewrap (resource limits only)"
    return (
        f"{how}; limits: memory {limits.memory_mb} MB, CPU {limits.cpu_seconds} s, "
        f"cell {limits.cell_timeout_s} s, notebook {limits.notebook_timeout_s} s, "
        f"{limits.max_processes} processes, {limits.max_open_files} open files, "
        f"{limits.max_file_size_mb} MB per file, output {limits.max_output_mb} MB"
    )


# ---------------------------------------------------------------------------
# what the sandbox sees


def _under(path: str, folder: str) -> bool:
    """True if ``path`` is ``folder`` or inside it (both absolute and normalized)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _package_paths(names: tuple[str, ...]) -> list[str]:
    """Folders (or files) the named packages are imported from, also for editable installs."""
    found: list[str] = []
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        if spec.submodule_search_locations:
            found.extend(spec.submodule_search_locations)
        elif spec.origin and os.path.isabs(spec.origin):
            found.append(spec.origin)
    # setuptools' editable finders map every package of the install to its folder
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("__editable__") and module_name.endswith("_finder"):
            mapping = getattr(module, "MAPPING", None)
            if isinstance(mapping, dict):
                found.extend(str(p) for p in mapping.values())
    return found


def _python_paths(extra: list[str]) -> list[str]:
    """The Python installation the kernel needs, as absolute paths (symlinked
    and real locations both)."""
    candidates = [
        sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
        os.path.dirname(sys.executable), os.path.dirname(os.path.realpath(sys.executable)),
        *site.getsitepackages(),
        *_package_paths(("medai", "medai.catalog", "ipykernel")),
        *extra,
    ]
    try:
        from medai.datasets.cache import data_dir

        candidates.append(str(data_dir()))
    except Exception:  # noqa: BLE001 - the data folder is optional
        pass
    paths: list[str] = []
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        for variant in (os.path.abspath(candidate), os.path.realpath(candidate)):
            if variant not in paths:
                paths.append(variant)
    return paths


def _minimal(paths: list[str], covered: list[str]) -> list[str]:
    """Drop paths already inside ``covered`` or inside another path of the list."""
    kept: list[str] = []
    for path in sorted(set(paths), key=lambda p: (p.count("/"), p)):
        if not any(_under(path, c) for c in [*covered, *kept]):
            kept.append(path)
    return sorted(kept)


def _guard(path: str, working_copy: str) -> None:
    """Refuse to expose a folder that contains the working copy (the course folder)."""
    if _under(working_copy, path):
        raise SandboxError(
            f"refusing to expose {path} read-only inside the sandbox: it contains the "
            f"working copy {working_copy}, i.e. the course folder with source/, the "
            "gradebook and other students' files. Install Python and medai outside the "
            "course folder, or grade a copy of the course elsewhere."
        )


def bwrap_args(
    working_copy: str,
    runtime_dir: str,
    limits: Limits,
    extra_read_only: list[str] | None = None,
) -> list[str]:
    """bubblewrap's options (without the executable and the command) for a kernel
    whose working copy and runtime folder are the given absolute, real paths."""
    args = [*_namespace_args(), "--die-with-parent", "--new-session",
            "--hostname", "sandbox"]
    system: list[str] = []
    for folder in _SYSTEM_DIRS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            _guard(folder, working_copy)
            args += ["--ro-bind", folder, folder]
            system.append(folder)
    for name in _ETC_FILES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    tmp_bytes = str(limits.tmp_size_mb * 1024 * 1024)
    # the private /tmp first: anything bound under /tmp afterwards lands on it
    args += ["--perms", "1777", "--size", tmp_bytes, "--tmpfs", "/tmp"]

    read_only = [
        p for p in _minimal(_python_paths(list(extra_read_only or [])), system)
        if not _under(p, working_copy) and not _under(p, runtime_dir)
    ]
    for path in read_only:
        _guard(path, working_copy)
    writable = [working_copy, runtime_dir]
    made: set[str] = set()
    # bubblewrap would create missing parents as 0700 root folders, which the
    # sandbox uid of a root grader cannot pass through
    for target in [*read_only, *writable]:
        parents = []
        parent = os.path.dirname(target)
        while parent not in ("/", ""):
            parents.append(parent)
            parent = os.path.dirname(parent)
        for parent in reversed(parents):
            if parent in made or parent == "/tmp" or any(_under(parent, s) for s in system):
                continue
            args += ["--perms", "0755", "--dir", parent]
            made.add(parent)
    for path in read_only:
        args += ["--ro-bind", path, path]
    for path in writable:
        args += ["--bind", path, path]
    args += [
        "--proc", "/proc",
        "--dev", "/dev",
        "--perms", "1777", "--size", tmp_bytes, "--tmpfs", "/dev/shm",
        # bubblewrap's own root and /dev are RAM-backed tmpfs: make them read-only
        # (the binds and tmpfs mounted on them stay as they are)
        "--remount-ro", "/dev",
        "--remount-ro", "/",
        # in its own PID namespace the kernel would take this for a dead parent and exit
        "--unsetenv", "JPY_PARENT_PID",
        "--chdir", working_copy,
    ]
    return args


# ---------------------------------------------------------------------------
# ownership of the working copy for a root grader


def _walk(top: str):
    """``top`` and every entry below it, without following symlinks."""
    yield top
    for root, dirs, files in os.walk(top, followlinks=False):
        for name in dirs + files:
            yield os.path.join(root, name)


def _hand_over(working_copy: str, uid: int) -> dict[str, tuple[int, int]]:
    """Give the working copy to ``uid``; returns the previous owners."""
    owners: dict[str, tuple[int, int]] = {}
    for path in _walk(working_copy):
        info = os.lstat(path)
        owners[path] = (info.st_uid, info.st_gid)
        if len(owners) > _MAX_WORKING_COPY_ENTRIES:
            _give_back(working_copy, uid, owners)
            raise SandboxError(
                f"{working_copy} has more than {_MAX_WORKING_COPY_ENTRIES} entries: "
                "that is not a submission's working copy"
            )
        os.lchown(path, uid, uid)
    return owners


def _give_back(working_copy: str, uid: int, owners: dict[str, tuple[int, int]]) -> None:
    """Undo :func:`_hand_over`; what the kernel created goes to the folder's owner,
    without setuid/setgid bits."""
    default = owners.get(working_copy, (0, 0))
    for path in _walk(working_copy):
        try:
            info = os.lstat(path)
            if info.st_uid != uid and info.st_gid != uid:
                continue
            os.lchown(path, *owners.get(path, default))
            if stat.S_ISREG(info.st_mode) and info.st_mode & (stat.S_ISUID | stat.S_ISGID):
                os.chmod(path, stat.S_IMODE(info.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))
        except FileNotFoundError:
            continue


# ---------------------------------------------------------------------------
# the kernel manager


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.killed_for: str | None = None
        self.sandboxed: bool = False
        self.sandbox_uid: int | None = None
        self.working_copy: str | None = None
        self.runtime_dir: str | None = None
        self._owners: dict[str, tuple[int, int]] | None = None
        self._watchdog: threading.Timer | None = None
        self._process_watch: threading.Event | None = None
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
        self.sandboxed = sandbox_available()
        if not self.sandboxed:
            log.warning("%s (kernel for %s)", NOT_ISOLATED, self.working_copy)
            if _root():
                log.warning("the grader runs as root: the process limit does not apply "
                            "to a kernel that is not sandboxed")
        if self.runtime_dir is None or not os.path.isdir(self.runtime_dir):
            self.runtime_dir = os.path.realpath(tempfile.mkdtemp(prefix="medai-kernel-"))
        # the sockets and the connection file live in the runtime folder, the
        # only place besides the working copy that both sides see
        self.transport = "ipc"
        self.ip = os.path.join(self.runtime_dir, "kernel")
        self.connection_file = os.path.join(self.runtime_dir, "connection.json")
        if self.sandboxed and _root() and self.sandbox_uid is None:
            self.sandbox_uid = _UID_BASE + secrets.randbelow(_UID_SPAN)
            self._owners = _hand_over(self.working_copy, self.sandbox_uid)
        try:
            kw["env"] = self._kernel_env(kw.get("env") or dict(os.environ))
            kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
            if self.sandbox_uid is not None:
                os.chown(self.runtime_dir, self.sandbox_uid, self.sandbox_uid)
                os.chown(self.connection_file, self.sandbox_uid, self.sandbox_uid)
        except BaseException:
            self._release()
            raise
        return kernel_cmd, kw

    def _kernel_env(self, given: dict[str, str]) -> dict[str, str]:
        """A fresh environment: nothing of the grader's but locale and kernel-spec settings."""
        assert self.working_copy is not None and self.runtime_dir is not None
        spec_env = set(self.kernel_spec.env) if self.kernel_spec else set()
        env = {k: v for k, v in given.items() if k in _PASS_ENV or k in spec_env}
        state = _SANDBOX_STATE if self.sandboxed else os.path.join(self.runtime_dir, "state")
        bindir = os.path.dirname(sys.executable)
        env.update({
            "PATH": os.pathsep.join([bindir, "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": self.working_copy,
            "USER": "student",
            "LOGNAME": "student",
            "TMPDIR": "/tmp" if self.sandboxed else os.path.join(self.runtime_dir, "state"),
            "MPLCONFIGDIR": f"{state}/matplotlib",
            "IPYTHONDIR": f"{state}/ipython",
            "JUPYTER_CONFIG_DIR": f"{state}/jupyter-config",
            "JUPYTER_DATA_DIR": f"{state}/jupyter-data",
            "JUPYTER_RUNTIME_DIR": self.runtime_dir,
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
            os.makedirs(os.path.join(self.runtime_dir, "state"), exist_ok=True)
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
        bwrap = _bwrap()
        assert bwrap is not None
        args = bwrap_args(self.working_copy, self.runtime_dir, self.limits,
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
        if process is None:
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
        if self._owners is not None and self.working_copy and self.sandbox_uid is not None:
            _give_back(self.working_copy, self.sandbox_uid, self._owners)
        self._owners = None
        self.sandbox_uid = None
        if self.runtime_dir:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
            self.runtime_dir = None

    def __del__(self) -> None:
        self._stop_watchdog()
        super().__del__()


_WRAPPERS = {"bwrap", "setpriv", "prlimit"}
"""Programs around the kernel in the sandbox, not counted against its process limit
(bubblewrap runs as root; setpriv and prlimit exec the kernel)."""


PROCESS_HEADROOM = 8
"""Processes and threads a kernel needs free to run its next cell (ipykernel
starts a thread per request, OpenBLAS its pool)."""
PROCESS_WATCH_S = 1.0


class AsyncSandboxedKernelManager(SandboxedKernelManager, AsyncKernelManager):
    """The asynchronous variant, which nbgrader's Execute preprocessor needs."""

    interrupt_kernel = SandboxedKernelManager._async_interrupt_kernel
    cleanup_resources = SandboxedKernelManager._async_cleanup_resources


# ---------------------------------------------------------------------------
# nbgrader


@cache
def sandboxed_execute_class() -> type:
    """``SandboxedExecute``: made on first use, so importing this module does not
    import nbgrader. It builds on medai's ProtectedExecute (guarded test cells)."""
    from medai.grading.protect import ProtectedExecute

    class SandboxedExecute(ProtectedExecute):
        """nbgrader's Execute with the sandboxed kernel manager and an output cap.

        (nbgrader's Execute passes ``kernel_manager_class`` to its constructor,
        which overrides configuration: a subclass is the only way to change it.)
        """

        max_output_mb = Integer(
            Limits().max_output_mb,
            help="Output (MB) recorded per notebook; later output is dropped with a note.",
        ).tag(config=True)

        # A graded kernel is thrown away: killing it skips the interpreter's
        # teardown of numpy, scikit-learn and the rest (0.3 s of CPU per submission).
        shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate",
                               help="How the kernel is stopped after the notebook.").tag(
                                   config=True)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("kernel_manager_class", AsyncSandboxedKernelManager)
            super().__init__(*args, **kwargs)
            self._output_bytes = 0
            self._output_capped = False

        def create_kernel_manager(self):
            km = super().create_kernel_manager()
            self.last_kernel_manager = km
            return km

        def preprocess(self, nb, resources=None, km=None):
            from nbclient.exceptions import DeadKernelError

            self.last_kernel_manager = None
            try:
                return super().preprocess(nb, resources, km)
            except DeadKernelError as err:
                raise DeadKernelError(_death_reason(self.last_kernel_manager)) from err

        def reset_execution_trackers(self) -> None:
            super().reset_execution_trackers()
            self._output_bytes = 0
            self._output_capped = False

        def _max_output_bytes(self) -> int:
            return self.max_output_mb * 1024 * 1024

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            size = len(str(content.get("text", ""))) + len(str(content.get("traceback", "")))
            size += sum(len(str(v)) for v in (content.get("data") or {}).values())
            self._output_bytes += size
            if self._output_bytes > self._max_output_bytes():
                if not self._output_capped:
                    self._output_capped = True
                    from nbformat.v4 import new_output

                    outs.append(new_output(
                        "stream", name="stderr",
                        text=f"[output limit of {self._max_output_bytes() // 2**20} MB "
                             "reached: further output of this notebook is not recorded]\n",
                    ))
                return None
            return super().output(outs, msg, display_id, cell_index)

    return SandboxedExecute


DEATH_REASON_STARTS = ("Kernel killed:", "Kernel died:")
"""How the sandbox's own account of a dead kernel begins (see ``_death_reason``);
the grading summary looks for it in nbgrader's log."""


def _death_reason(km: Any) -> str:
    """Why a sandboxed kernel died, for nbgrader's log; it begins with one of
    DEATH_REASON_STARTS (nbclient's own message, "Kernel died", has no colon)."""
    if not isinstance(km, SandboxedKernelManager):
        return "Kernel died"
    limits = km.limits
    if km.killed_for == "notebook_timeout":
        return (f"Kernel killed: the notebook ran longer than {limits.notebook_timeout_s} s "
                "(medai sandbox watchdog)")
    if km.killed_for == "process_limit":
        return (f"Kernel killed: the notebook's processes filled the sandbox's limit of "
                f"{limits.max_processes}, so no later cell could run (a fork bomb?)")
    tail = km.exit_log.strip().splitlines()[-5:]
    return (
        "Kernel died: the student's code may have exceeded a sandbox limit (CPU time "
        f"{limits.cpu_seconds} s, memory {limits.memory_mb} MB, {limits.max_processes} "
        "processes) or crashed" + (": " + " | ".join(tail) if tail else "")
    )


def configure(c, limits: Limits | None = None):
    """Make nbgrader autograde with sandboxed kernels under ``limits``; returns ``c``.

    Call it after ``settings.apply`` (which sets the autograde preprocessor
    list): it swaps nbgrader's ``Execute`` for :class:`SandboxedExecute` there.
    """
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute

    limits = limits or Limits()
    sandboxed = sandboxed_execute_class()
    c.SandboxedKernelManager.limits = limits
    c.SandboxedExecute.max_output_mb = limits.max_output_mb
    c.Execute.timeout = limits.cell_timeout_s
    c.Execute.interrupt_on_timeout = True
    c.LimitOutput.max_lines = limits.max_output_lines
    c.LimitOutput.max_traceback = limits.max_traceback_lines
    current = c.Autograde.get("autograde_preprocessors")
    if not current:
        current = list(Autograde.class_traits()["autograde_preprocessors"].default())
    c.Autograde.autograde_preprocessors = [
        sandboxed if (isinstance(pp, type) and issubclass(pp, Execute))
        or (isinstance(pp, str) and pp.endswith("Execute")) else pp
        for pp in current
    ]
    log.info(describe(limits))
    return c


def __getattr__(name: str):
    if name == "SandboxedExecute":
        return sandboxed_execute_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
