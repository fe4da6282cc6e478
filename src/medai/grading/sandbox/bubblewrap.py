"""bubblewrap: whether it works here, and the command line that decides what a kernel sees.

Also, for a root grader, handing the working copy to the kernel's fresh uid and
taking it back afterwards.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import site
import stat
import subprocess
import sys
from functools import cache

from medai.grading.sandbox.limits import Limits, SandboxError

log = logging.getLogger(__name__)

NOT_ISOLATED = (
    "student code is NOT isolated: install bubblewrap (apt-get install bubblewrap); "
    "only the resource limits apply, the kernel can read and write everything the grader "
    "can and reach the network"
)

#: A working copy with more entries than this is not handed to the sandbox uid.
_MAX_WORKING_COPY_ENTRIES = 50_000

_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = (
    "alternatives", "ca-certificates", "ca-certificates.conf", "fonts", "group", "host.conf",
    "hosts", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "locale.alias", "localtime",
    "mime.types", "nsswitch.conf", "os-release", "passwd", "protocols", "services", "ssl",
    "timezone",
)


def running_as_root() -> bool:
    return os.geteuid() == 0


def namespace_args() -> list[str]:
    """bubblewrap's namespace options for this grader.

    Root: no user namespace (inside one the kernel would still be uid 0 to the
    kernel's process accounting, and RLIMIT_NPROC never applies to uid 0); the
    kernel drops to its own uid with setpriv instead. Others: a user namespace
    too, in which the sandbox cannot create further user namespaces.
    """
    if running_as_root():
        return [
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try",
        ]
    return ["--unshare-all", "--unshare-user", "--disable-userns"]


@cache
def bwrap_path() -> str | None:
    """Path of a bubblewrap that works here (installed is not enough: user
    namespaces can be disabled), else None."""
    path = shutil.which("bwrap")
    if path is None:
        return None
    probe = [path, *namespace_args(), "--ro-bind", "/", "/", "--", "true"]
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
    path = bwrap_path()
    if path is None:
        return ""
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def sandbox_available() -> bool:
    """True if kernels will run inside bubblewrap (installed and working here)."""
    return bwrap_path() is not None


def describe(limits: Limits | None = None) -> str:
    """One line for logs: how student code is isolated and limited."""
    limits = limits or Limits()
    if sandbox_available():
        user = "own uid" if running_as_root() else "user namespace"
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
    args = [*namespace_args(), "--die-with-parent", "--new-session",
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


# ownership of the working copy for a root grader


def _walk(top: str):
    """``top`` and every entry below it, without following symlinks."""
    yield top
    for root, dirs, files in os.walk(top, followlinks=False):
        for name in dirs + files:
            yield os.path.join(root, name)


def hand_over(working_copy: str, uid: int) -> dict[str, tuple[int, int]]:
    """Give the working copy to ``uid``; returns the previous owners."""
    owners: dict[str, tuple[int, int]] = {}
    for path in _walk(working_copy):
        info = os.lstat(path)
        owners[path] = (info.st_uid, info.st_gid)
        if len(owners) > _MAX_WORKING_COPY_ENTRIES:
            give_back(working_copy, uid, owners)
            raise SandboxError(
                f"{working_copy} has more than {_MAX_WORKING_COPY_ENTRIES} entries: "
                "that is not a submission's working copy"
            )
        os.lchown(path, uid, uid)
    return owners


def give_back(working_copy: str, uid: int, owners: dict[str, tuple[int, int]]) -> None:
    """Undo :func:`hand_over`; what the kernel created goes to the folder's owner,
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
