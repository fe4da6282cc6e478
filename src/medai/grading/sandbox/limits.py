"""What one student kernel may use: checked when course.yml is read, applied at launch.

Importing this module is light (no jupyter_client): the manifest validates its
``grading.sandbox`` settings against :class:`Limits`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from medai.errors import MedaiError

#: Address space allowed beyond ``memory_mb`` (code, libraries, reserved regions).
ADDRESS_SPACE_HEADROOM_MB = 2048


class SandboxError(MedaiError, RuntimeError):
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

    def rlimits(self) -> list[tuple[str, int, int]]:
        """(``resource.RLIMIT_*`` name, soft, hard) for the kernel process."""
        mb = 1024 * 1024
        return [
            ("RLIMIT_DATA", self.memory_mb * mb, self.memory_mb * mb),
            ("RLIMIT_AS", (self.memory_mb + ADDRESS_SPACE_HEADROOM_MB) * mb,
             (self.memory_mb + ADDRESS_SPACE_HEADROOM_MB) * mb),
            # soft limit: SIGXCPU; hard limit a little later: SIGKILL
            ("RLIMIT_CPU", self.cpu_seconds, self.cpu_seconds + 5),
            ("RLIMIT_NPROC", self.max_processes, self.max_processes),
            ("RLIMIT_NOFILE", self.max_open_files, self.max_open_files),
            ("RLIMIT_FSIZE", self.max_file_size_mb * mb, self.max_file_size_mb * mb),
            ("RLIMIT_CORE", 0, 0),
        ]

    def prlimit_args(self) -> list[str]:
        """``prlimit`` options that apply :meth:`rlimits` to a cold kernel process."""
        return [f"--{name[len('RLIMIT_'):].lower()}={soft}:{hard}"
                for name, soft, hard in self.rlimits()]
