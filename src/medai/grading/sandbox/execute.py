"""The sandbox wired into nbgrader: an Execute preprocessor whose kernels are sandboxed,
with an output cap, and the account of a kernel that died.

``settings`` puts :func:`sandboxed_execute_class` in the one autograde preprocessor
list; :func:`configure` sets the limits it and the kernel manager apply.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from jupyter_core.utils import run_sync
from traitlets import Enum, Integer, Unicode

from medai.grading.sandbox import bubblewrap, warm
from medai.grading.sandbox.kernel import AsyncSandboxedKernelManager, SandboxedKernelManager
from medai.grading.sandbox.limits import Limits

log = logging.getLogger(__name__)


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

        stop_after = Unicode(
            None, allow_none=True,
            help="grade_id of the last cell to run: each code cell after it is not "
                 "executed and shows an error saying so, so no test after it earns points. "
                 "`medai check` sets it to judge a mutant by the tests it names alone.",
        ).tag(config=True)
        _last_index: float = float("inf")  # set per notebook from stop_after

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("kernel_manager_class", AsyncSandboxedKernelManager)
            super().__init__(*args, **kwargs)
            self._output_bytes = 0
            self._output_capped = False

        def create_kernel_manager(self):
            km = super().create_kernel_manager()
            if isinstance(km, SandboxedKernelManager):
                # what a pre-warmed template imports for this notebook's kernels
                km.warm_imports = warm.warm_imports(self.nb)
            self.last_kernel_manager = km
            return km

        def preprocess(self, nb, resources=None, km=None):
            from nbclient.exceptions import DeadKernelError

            self.last_kernel_manager = None
            self._last_index = last_cell_to_run(nb, self.stop_after)
            try:
                return super().preprocess(nb, resources, km)
            except DeadKernelError as err:
                raise DeadKernelError(death_reason(self.last_kernel_manager)) from err

        async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                     store_history=True):
            if cell.cell_type == "code" and cell_index > self._last_index:
                cell.outputs = [not_executed(self.stop_after)]
                return cell
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)

        execute_cell = run_sync(async_execute_cell)

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


def last_cell_to_run(nb, stop_after: str | None) -> float:
    """The index of the cell ``stop_after`` names (every cell runs when it is None or
    names no cell)."""
    from medai.course import sources

    if stop_after is not None:
        for index, cell in enumerate(nb.cells):
            if sources.grade_id(cell) == stop_after:
                return index
    return float("inf")


def not_executed(stop_after: str | None):
    from nbformat.v4 import new_output

    text = (f"not executed: this run stopped after the cell {stop_after!r} "
            "(medai check judges a mutant by the tests it names)")
    return new_output("error", ename="NotExecuted", evalue=text, traceback=[text])


DEATH_REASON_STARTS = ("Kernel killed:", "Kernel died:")
"""How the sandbox's own account of a dead kernel begins (see ``death_reason``);
the grading summary looks for it in nbgrader's log."""


def death_reason(km: Any) -> str:
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
    """Set ``limits`` on the sandboxed Execute, its kernel manager and nbgrader's output
    trimming; returns ``c``. Which preprocessors autograde runs is declared once, in
    :func:`medai.grading.settings.autograde_preprocessors`."""
    limits = limits or Limits()
    c.SandboxedKernelManager.limits = limits
    c.SandboxedExecute.max_output_mb = limits.max_output_mb
    c.Execute.timeout = limits.cell_timeout_s
    c.Execute.interrupt_on_timeout = True
    c.LimitOutput.max_lines = limits.max_output_lines
    c.LimitOutput.max_traceback = limits.max_traceback_lines
    log.info(bubblewrap.describe(limits))
    return c


def __getattr__(name: str):
    if name == "SandboxedExecute":  # made on first use (see sandboxed_execute_class)
        return sandboxed_execute_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
