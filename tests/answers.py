"""What counts as an answer, and finding one in a file a student could read (the package,
the website): every solution and hidden-test line of every assignment and every line of its
mutants (wrong answers) and alternatives (other correct ones), and the instructor's worked
answers to the lessons' exercises, less what the lessons themselves teach."""

from __future__ import annotations

import html
import json
import re

from medai.course import lesson_plan, manifest, sources
from medai.grading import leaks, qa


def region_lines(source: str) -> list[list[str]]:
    """The stripped lines of each solution or hidden-test region of a cell, in order."""
    regions, current = [], None
    for line in source.split("\n"):
        if any(marker in line for marker in (leaks.SOLUTION_BEGIN, leaks.HIDDEN_BEGIN)):
            current = []
        elif any(marker in line for marker in (leaks.SOLUTION_END, leaks.HIDDEN_END)):
            regions.append(current or [])
            current = None
        elif current is not None:
            current.append(line.strip())
    return regions


def answer_lines(m: manifest.Manifest) -> tuple[set[str], set[tuple[str, str]]]:
    """Every solution and hidden-test line of every assignment and every mutant's line
    (a plausible wrong answer) that is not in its source, less what the lessons teach (a
    lesson shows the technique an assignment applies, and students have the lessons);
    and each pair of such lines that follow one another in a region."""
    taught = {line.strip() for lesson in m.ready_lessons()
              for line in lesson.source.read_text().splitlines()}
    lines: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for assignment in m.ready_assignments():
        for source in m.assignment_sources(assignment):
            notebook = sources.read_source(source)
            secret = leaks.secret_lines(notebook) - taught
            lines |= secret
            for cell in notebook.cells:
                for region in region_lines(cell.source):
                    pairs |= {(a, b) for a, b in zip(region, region[1:])  # noqa: B905
                              if a in secret and b in secret}
            written = {line.strip() for cell in notebook.cells for line in cell.source.split("\n")}
            variants = [*qa.load_mutants(source.parent / "mutants"),
                        *qa.load_mutants(source.parent / "alternatives")]
            for mutant in variants:
                for code in mutant.answers.values():
                    region = [line.strip() for line in code.split("\n")]
                    wrong = {line for line in region if line not in written and line not in
                             taught and len(line) >= leaks.MIN_SECRET_LINE
                             and not line.startswith("#")}
                    lines |= wrong
                    pairs |= {(a, b) for a, b in zip(region, region[1:])  # noqa: B905
                              if a in wrong and b in wrong}
    for lesson in m.ready_lessons():  # the worked answers to the lessons' exercises
        notes = lesson_plan.notes_path(lesson.source)
        if notes.is_file():
            lines |= {line.strip() for line in notes.read_text(encoding="utf-8").splitlines()
                      if len(line.strip()) >= 40 and line.strip() not in taught}
    return lines, pairs


_TAG = re.compile(r"<[^>]+>")


def readable_text(name: str, data: bytes) -> str:
    """What a person reads in a file: a notebook's cell sources and outputs, a web page's
    text (highlighted code is split into tags), else the text."""
    text = data.decode("utf-8", "replace")
    if name.endswith(".ipynb"):
        return "\n".join(leaks._strings(json.loads(text)))
    if name.endswith(".html"):
        return html.unescape(_TAG.sub("", text))
    return text


def leaks_in(name: str, data: bytes, lines: set[str], pairs: set[tuple[str, str]]) -> list:
    """Answer lines in a file a student reads; in medai's own Python code, where a short
    line such as `return result` is ordinary, two lines of one answer in a row."""
    text = readable_text(name, data)
    if name.endswith(".py"):
        written = [line.strip() for line in text.splitlines()]
        return sorted(set(zip(written, written[1:], strict=False)) & pairs)
    present = {line.strip() for line in text.splitlines()}
    return sorted(present & lines) + [x for x in leaks.MARKERS if x in text]
