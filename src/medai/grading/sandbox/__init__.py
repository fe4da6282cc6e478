"""The sandbox that student code runs in while nbgrader autogrades it.

Four modules, one job each: :mod:`.limits` (what a kernel may use; light, the
manifest validates against it), :mod:`.bubblewrap` (detection and the command
line: what the sandbox sees), :mod:`.kernel` (the kernel manager: starting,
supervising, killing and reaping the kernel) and :mod:`.execute` (the wiring into
nbgrader's autograde).

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

import importlib

# public name -> the module that defines it; imported on first use, so that reading
# course.yml (which needs Limits) does not import jupyter_client or nbgrader
_HOMES = {
    "Limits": "limits", "SandboxError": "limits", "ADDRESS_SPACE_HEADROOM_MB": "limits",
    "NOT_ISOLATED": "bubblewrap", "sandbox_available": "bubblewrap", "describe": "bubblewrap",
    "bwrap_args": "bubblewrap",
    "SandboxedKernelManager": "kernel", "AsyncSandboxedKernelManager": "kernel",
    "sandboxed_execute_class": "execute", "SandboxedExecute": "execute",
    "DEATH_REASON_STARTS": "execute", "death_reason": "execute", "configure": "execute",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
