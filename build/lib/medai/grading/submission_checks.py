"""Say what is wrong with a submission before nbgrader meets it.

nbgrader's own failure for a damaged notebook is a generic exception; a TA
needs the reason in one line, and the student needs to know what to resubmit.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat


def problems(released: Path, submitted: Path) -> list[str]:
    """Reasons this submission cannot be graded as it is (empty when it can)."""
    expected = sorted(p.name for p in released.glob("*.ipynb"))
    found = sorted(p.name for p in submitted.glob("*.ipynb"))
    reasons = []
    for name in expected:
        if name not in found:
            others = ", ".join(n for n in found if n not in expected) or "no notebooks"
            reasons.append(f"missing {name} (found {others}); the file must keep its name")
            continue
        reason = _notebook_problem(submitted / name)
        if reason:
            reasons.append(f"{name}: {reason}")
    return reasons


def _notebook_problem(path: Path) -> str | None:
    raw = path.read_bytes()
    if not raw.strip():
        return "the file is empty; the student should resubmit the saved notebook"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"not UTF-8 text (bad byte at offset {err.start}); the file is damaged"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return f"not valid JSON (line {err.lineno}, column {err.colno}); the file is damaged"
    try:
        notebook = nbformat.from_dict(data)
        if notebook.get("nbformat") != 4:
            return f"nbformat {notebook.get('nbformat')!r} is not supported; save it as version 4"
        nbformat.validate(notebook)
    except Exception as err:  # nbformat raises several kinds; one line is enough here
        return f"not a valid Jupyter notebook ({str(err).splitlines()[0]})"
    return None
