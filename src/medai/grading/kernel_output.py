"""stdout and stderr of a graded kernel, capped at the source.

A submission that prints gigabytes would otherwise push all of it through
ZeroMQ to the grader, which must receive and parse every message before the
next cell's reply arrives: under load the tests after it then time out and a
correct answer loses its points. The sandbox starts ipykernel with this class
as ``IPKernelApp.outstream_class``: after ``$MEDAI_MAX_OUTPUT_BYTES`` of text
(stdout and stderr together) the kernel stops sending output and says so
once. The grader keeps its own cap as well (``SandboxedExecute.output``).
"""

from __future__ import annotations

import os
import threading

from ipykernel.iostream import OutStream

_lock = threading.Lock()
_sent = 0
_announced = False


def _budget() -> int:
    try:
        return int(os.environ.get("MEDAI_MAX_OUTPUT_BYTES", ""))
    except ValueError:
        return 10 * 1024 * 1024


class CappedOutStream(OutStream):
    """An ipykernel output stream that drops text beyond the notebook's output budget."""

    def write(self, string: str) -> int | None:  # type: ignore[override]
        global _sent, _announced
        if not isinstance(string, str):
            return super().write(string)  # raises ipykernel's own TypeError
        with _lock:
            room = _budget() - _sent
            _sent += len(string)
            announce = room < len(string) and not _announced
            if announce:
                _announced = True
        if room >= len(string):
            return super().write(string)
        if announce:
            super().write(string[:max(room, 0)])
            super().write(
                f"\n[output limit of {_budget() // 2**20} MB reached: the kernel sends no "
                "further output]\n"
            )
        return len(string)
