"""An assignment's requirements table: what each question asks, and the proof it is tested.

``source/<id>/requirements.yml`` (instructor-only: nbgrader never releases it)
lists every sentence of a question that constrains behaviour, quoted from the
question, with the test cells that check it and the mutants that break it::

    - question: q1
      says: "inputs are matched by position, whatever their index"
      tests: [q1_tests]
      mutants: [series_aligned_by_index]

``problems`` finds what is wrong in the table itself (a quote that is not in
the assignment, an unknown test or mutant, a test cell or mutant no
requirement names); ``unproven`` takes the per-cell scores of a graded check
and names each requirement whose mutants do not lose points in its tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from medai.course import sources
from medai.errors import MedaiError

FILE = "requirements.yml"


class RequirementsError(MedaiError, ValueError):
    """The requirements file cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class Requirement:
    question: str
    says: str
    tests: tuple[str, ...]
    mutants: tuple[str, ...]


def load(folder: Path) -> list[Requirement]:
    """The table in ``folder/requirements.yml``; an empty list when there is none."""
    path = Path(folder) / FILE
    if not path.is_file():
        return []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as err:
        raise RequirementsError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(entries, list):
        raise RequirementsError(f"{path}: must be a list of requirements")
    table = []
    for number, entry in enumerate(entries, 1):
        where = f"{path}, requirement {number}"
        if not isinstance(entry, dict):
            raise RequirementsError(f"{where}: must be a mapping with question, says, tests, "
                                    "mutants")
        missing = [k for k in ("question", "says", "tests", "mutants") if not entry.get(k)]
        unknown = sorted(set(entry) - {"question", "says", "tests", "mutants"})
        if missing or unknown:
            raise RequirementsError(
                f"{where}: " + "; ".join(filter(None, [
                    missing and f"needs {', '.join(missing)}",
                    unknown and f"unknown key(s) {', '.join(unknown)}"])))
        lists = {k: entry[k] if isinstance(entry[k], list) else [entry[k]]
                 for k in ("tests", "mutants")}
        table.append(Requirement(str(entry["question"]), str(entry["says"]),
                                 tuple(map(str, lists["tests"])),
                                 tuple(map(str, lists["mutants"]))))
    return table


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`]", "", text)).strip().lower()


def problems(table: list[Requirement], notebook: nbformat.NotebookNode,
             mutant_names: list[str]) -> list[str]:
    """What makes the table untrue to the assignment or incomplete."""
    if not table:
        return [f"no {FILE}: list each requirement a question states, the test that checks "
                "it and a mutant that breaks it"]
    text = _words("\n".join(c.source for c in notebook.cells if c.cell_type == "markdown"))
    tests = list(sources.test_points(notebook))
    found = []
    for r in table:
        if _words(r.says) not in text:
            found.append(f"{r.question}: {r.says!r} is not in the assignment's text; quote the "
                         "question")
        found += [f"{r.question}: {t!r} is not a test cell (test cells: {', '.join(tests)})"
                  for t in r.tests if t not in tests]
        found += [f"{r.question}: no mutant {x!r} in mutants/" for x in r.mutants
                  if x not in mutant_names]
    named_tests = {t for r in table for t in r.tests}
    named_mutants = {x for r in table for x in r.mutants}
    found += [f"test cell {t!r} checks no listed requirement" for t in tests
              if t not in named_tests]
    found += [f"mutant {x!r} breaks no listed requirement" for x in mutant_names
              if x not in named_mutants]
    return found


def unproven(table: list[Requirement], cell_scores: Mapping[str, Mapping[str, float]],
             full: Mapping[str, float]) -> list[str]:
    """Requirements a named mutant does not break: it keeps full points in every test the
    requirement names. ``cell_scores``: mutant name -> grade_id -> score; ``full``:
    grade_id -> the cell's points."""
    found = []
    for r in table:
        for name in r.mutants:
            scores = cell_scores.get(name)
            if scores is None:
                continue  # a mutant that failed to grade fails the check on its own
            if all(scores.get(t, 0.0) >= full.get(t, 0.0) for t in r.tests):
                found.append(f"{r.question}: mutant {name!r} keeps full points in "
                             f"{', '.join(r.tests)}, so no test proves {r.says!r}")
    return found
