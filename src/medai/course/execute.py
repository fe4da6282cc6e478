"""Run a built notebook top to bottom in a fresh kernel, as a student would."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat


class ExecutionFailed(RuntimeError):
    """A notebook cell raised; the message names the cell and the error."""


def execute(notebook_path: Path, timeout_per_cell: int = 300,
            allow_errors: bool = False, quiet_kernel: bool = False) -> nbformat.NotebookNode:
    """Execute with the notebook's own folder as working directory; return it with outputs.

    With ``allow_errors`` a failing cell is recorded and execution goes on, as
    when a student's unfinished notebook is graded. ``quiet_kernel`` drops the
    kernel process's own log lines (not the notebook's output)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout_per_cell,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(Path(notebook_path).parent)}},
    )
    try:
        client.execute(**({"stderr": subprocess.DEVNULL} if quiet_kernel else {}))
    except CellExecutionError as err:
        last_line = str(err).strip().splitlines()[-1]
        raise ExecutionFailed(f"{notebook_path.name}: {last_line}") from None
    return notebook


def stderr_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Text written to stderr by any cell (warnings a student would see)."""
    return [
        output.text
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stderr"
    ]


def count_figures(notebook: nbformat.NotebookNode) -> int:
    return sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs
    )
