"""`medai similarity ASSIGNMENT`: which students' answers are suspiciously alike.

Only what a student wrote is compared: the answer cells of each submitted notebook (the
cells nbgrader marks ``solution: true``) and any code cell the student added, with every
line of the released skeleton (the ``def`` line, the docstring, ``YOUR CODE HERE``)
removed and the skeleton's fingerprints discarded. Code is fingerprinted as MOSS does,
with copydetect's filter and winnowing (pygments tokens, every name replaced by ``V``,
strings by ``S``, comments and whitespace dropped) over a stable hash, so renamed
variables, reformatting, moved statements and new comments change little. Answers
written in prose (markdown answer cells) are fingerprinted on their lower-cased words.

A passage that more than ``common`` submissions share (MOSS's ``-m``: by default the
larger of 10 and 30% of the class) is taken as the usual way of writing it and ignored.
Each answer cell is compared with the same cell of the other notebook: the share of the
smaller answer's fingerprints that the other has too. A pair's score is the mean of these
shares over the cells either student wrote something in, so each question weighs the
same, and two independent students who happen to write one short answer alike score
about one question's share. Pairs at or above the threshold are listed, with their
matching passages side by side, in one self-contained HTML page for the instructor
(``reports/similarity/<id>.html`` in the course directory, which is never released).
Nothing leaves the machine.

A high score is a reason for a person to read two answers, not a verdict.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from medai import files
from medai.course.manifest import Manifest
from medai.grading.nbgrader_api import GradingError

# a pair is flagged when, on average over the questions, half of an answer is in the other
THRESHOLD = 0.5
# copydetect's noise threshold k, in characters of filtered code (`V=V.V(V)` is 8; its
# default of 25 is for whole files: answer cells are short, and a k spanning two short
# statements loses the match when they are swapped) and the winnowing window: every
# common passage of NOISE + WINDOW - 1 characters is guaranteed to share a fingerprint
NOISE = 16
WINDOW = 4
# prose is compared on lower-cased words: k characters is about six words
PROSE_NOISE = 40
COMMON_MIN = 10
COMMON_SHARE = 0.3
# the code cells a student added, compared as one more answer cell
ADDED = "cells the student added"
# the highest pairs shown side by side in the report (all flagged pairs are listed)
SHOWN = 100


@dataclass
class Cell:
    """One answer cell of one student: its text without the skeleton, its fingerprints."""

    notebook: str
    grade_id: str
    kind: str  # "code" or "markdown"
    text: str
    fingerprint: Fingerprint | None = None

    @property
    def hashes(self) -> set:
        return self.fingerprint.hashes if self.fingerprint is not None else set()


@dataclass
class Passage:
    """A cell of a flagged pair: both texts with the matching passages marked (HTML)."""

    notebook: str
    grade_id: str
    shared: int
    left: str
    right: str


@dataclass
class Pair:
    first: str
    second: str
    score: float
    shared: int
    passages: list[Passage] = field(default_factory=list)


@dataclass
class Result:
    assignment: str
    threshold: float
    students: list[str]
    scores: list[float]  # every pair's score, for the distribution
    flagged: list[Pair]
    skipped: dict[str, str]  # student -> why their submission was not compared
    empty: list[str]  # students with no answer of their own in any cell
    common: int  # fingerprints in more than this many submissions were ignored
    seconds: float

    @property
    def pairs(self) -> int:
        return len(self.scores)


@dataclass
class Fingerprint:
    """A text's winnowed fingerprints, with what copydetect's ``compare_files`` reads to
    find the matching passages (``hash_idx``: fingerprint -> positions in ``filtered``;
    ``offsets`` map those back to ``raw_code``)."""

    raw_code: str
    filtered_code: str
    offsets: object
    hashes: set
    hash_idx: dict
    k: int
    token_coverage: int = 1


def _fingerprint(text: str, kind: str, window: int | None = None) -> Fingerprint:
    """copydetect's filter (pygments tokens; names -> V, strings -> S, comments and layout
    dropped) and winnowing, over a stable hash of each k-gram (copydetect's own uses
    Python's ``hash``, salted per process: the same class would score a little
    differently on every run)."""
    import numpy as np
    from copydetect.utils import filter_code, winnow

    if kind == "code":
        raw, k = text, NOISE
        filtered, offsets = filter_code(text, "answer.py", "python")
    else:
        raw = filtered = _prose(text)
        offsets, k = np.array([]), PROSE_NOISE
    hashes = np.array([int.from_bytes(hashlib.blake2b(filtered[i:i + k].encode(),
                                                      digest_size=8).digest(),
                                      "little", signed=True)
                       for i in range(len(filtered) - k + 1)], dtype=np.int64)
    positions: dict[int, list[int]] = {}
    if len(hashes):
        selected, index = winnow(hashes, window or WINDOW, remove_duplicates=False)
        for h, i in zip(selected.tolist(), index.tolist(), strict=True):
            positions.setdefault(h, []).append(i)
    return Fingerprint(raw, filtered, offsets, set(positions), positions, k,
                       max(1, len(filtered)))


def _prose(text: str) -> str:
    """Markdown answer text as lower-case words separated by single spaces."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _answer_cells(notebook, released: bool = False) -> dict[str, tuple[str, str]]:
    """grade_id -> (cell type, source) of every cell a student is meant to write in, and
    under ADDED the code cells the student added (no nbgrader id: a new cell runs at
    grading time too). In the released notebook, ADDED is all of its code: a student's new
    cell that repeats the handout is not their own work."""
    cells, added = {}, []
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader")
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        if isinstance(meta, dict) and meta.get("solution") and meta.get("grade_id"):
            cells[meta["grade_id"]] = (cell.cell_type, source)
        if cell.cell_type == "code" and (released or not isinstance(meta, dict)
                                         or not meta.get("grade_id")):
            added.append(source)
    cells[ADDED] = ("code", "\n".join(added))
    return cells


def _without_skeleton(text: str, skeleton: str) -> str:
    """The student's lines that are not lines of the released cell (compared stripped)."""
    given = {line.strip() for line in skeleton.splitlines() if line.strip()}
    kept = "\n".join(line for line in text.splitlines() if line.strip() not in given)
    # dedented: without its `def` line, a function's body reads better from column 0
    return textwrap.dedent(kept.strip("\n")).strip()


def _read(path: Path):
    import nbformat

    try:
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not UTF-8 text") from None
    except (json.JSONDecodeError, nbformat.reader.NotJSONError):
        raise ValueError(f"{path.name} is not valid JSON (not a notebook)") from None
    except Exception as err:  # nbformat's many ways of saying "not a notebook"
        raise ValueError(f"{path.name} is not a readable notebook ({type(err).__name__}: "
                         f"{str(err).splitlines()[0] if str(err) else ''})") from None
    if not hasattr(notebook, "cells"):
        raise ValueError(f"{path.name} has no cells")
    return notebook


def released_skeleton(m: Manifest, assignment_id: str) -> dict[str, dict[str, tuple]]:
    """notebook file name -> grade_id -> (cell type, released source) of the answer cells."""
    released = m.course_folder("release", assignment_id)
    notebooks = sorted(released.glob("*.ipynb")) if released.is_dir() else []
    if not notebooks:
        raise GradingError(f"{assignment_id} has not been generated (no notebooks in "
                           f"{released}); run `medai release {assignment_id}` first: the "
                           "released skeleton is what is removed before comparing")
    return {path.name: _answer_cells(_read(path), released=True) for path in notebooks}


def load_answers(m: Manifest, assignment_id: str,
                 skeleton: dict[str, dict[str, tuple]]) -> tuple[dict, dict]:
    """student -> [Cell] of their answers without the skeleton, and student -> why skipped."""
    from medai.grading import pipeline

    answers, skipped = {}, {}
    root = m.course_folder("submitted")
    for student in pipeline.submitted_students(m, assignment_id):
        cells, problems = [], []
        for name, released in skeleton.items():
            path = root / student / assignment_id / name
            submitted = {}
            if not path.is_file():
                problems.append(f"no {name}")
            else:
                try:
                    submitted = _answer_cells(_read(path))
                except ValueError as err:
                    problems.append(str(err))
            # every student has every released answer cell, in order (empty if missing)
            for grade_id, (kind, given) in released.items():
                text = _without_skeleton(submitted.get(grade_id, ("", ""))[1], given)
                cells.append(Cell(name, grade_id, "code" if kind == "code" else "markdown",
                                  text))
        if len(problems) == len(skeleton):
            skipped[student] = "; ".join(problems)
        else:
            if problems:
                skipped[student] = "partly compared: " + "; ".join(problems)
            answers[student] = cells
    return answers, skipped


def _fingerprint_class(answers: dict, skeleton: dict, common: int | None) -> int:
    """Fingerprint every cell; drop the skeleton's and the common fingerprints."""
    # every k-gram of the released cell (no winnowing), so that none of its passages stays
    released = {(name, grade_id): _fingerprint(text, kind, window=1).hashes
                for name, cells in skeleton.items() for grade_id, (kind, text) in cells.items()}
    for cells in answers.values():
        for cell in cells:
            if cell.text:
                cell.fingerprint = _fingerprint(cell.text, cell.kind)
    limit = common if common is not None else max(COMMON_MIN,
                                                   math.floor(COMMON_SHARE * len(answers)))
    seen = Counter((c.notebook, c.grade_id, h) for cells in answers.values()
                   for c in cells for h in c.hashes)
    for cells in answers.values():
        for cell in cells:
            if cell.fingerprint is None:
                continue
            given = released[cell.notebook, cell.grade_id]
            dropped = {h for h in cell.hashes
                       if h in given or seen[cell.notebook, cell.grade_id, h] > limit}
            cell.fingerprint.hashes = cell.hashes - dropped
            for h in dropped:
                cell.fingerprint.hash_idx.pop(h, None)
    return limit


def _mark(text: str, slices) -> str:
    """The text, HTML-escaped, with the character ranges in ``slices`` in <mark>."""
    out, at = [], 0
    ranges = zip(list(slices[0]), list(slices[1]), strict=True) if len(slices[0]) else []
    for start, end in sorted((int(a), int(b)) for a, b in ranges):
        start, end = max(start, at), min(end, len(text))
        if end <= start:
            continue
        out += [html.escape(text[at:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _passages(left: list[Cell], right: list[Cell]) -> list[Passage]:
    from copydetect import compare_files

    found = []
    for a, b in zip(left, right, strict=True):
        shared = len(a.hashes & b.hashes)
        if not shared:
            continue
        _, _, (slices_a, slices_b) = compare_files(a.fingerprint, b.fingerprint)
        found.append(Passage(a.notebook, a.grade_id, shared,
                             _mark(a.fingerprint.raw_code, slices_a),
                             _mark(b.fingerprint.raw_code, slices_b)))
    return found


def _scores(answers: dict[str, list[Cell]], students: list[str]):
    """Every pair's score, and its number of shared fingerprints, as n x n arrays.

    For each answer cell, the share of the smaller answer's fingerprints that the other
    answer has too; a pair's score is the mean of these shares over the cells either of
    the two wrote something of their own in. Each question weighs the same, whatever its
    length (a paragraph of prose has many more fingerprints than a line of code). The
    shared counts of all pairs at once are a product of sparse student x fingerprint
    matrices, one per cell (every student has the released answer cells, in order)."""
    import numpy as np
    from scipy import sparse

    n = len(students)
    cells = len(answers[students[0]]) if students else 0
    total, written, shared_all = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n))
    for i in range(cells):
        index, rows, columns = {}, [], []
        for row, student in enumerate(students):
            for h in answers[student][i].hashes:
                rows.append(row)
                columns.append(index.setdefault(h, len(index)))
        if not index:
            continue
        held = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, len(index)))
        shared = (held @ held.T).toarray()
        size = np.asarray(held.sum(axis=1)).ravel()
        smaller = np.minimum.outer(size, size)
        total += np.divide(shared, smaller, out=np.zeros((n, n)), where=smaller > 0)
        written += np.logical_or.outer(size > 0, size > 0)
        shared_all += shared
    score = np.divide(total, written, out=np.zeros((n, n)), where=written > 0)
    return score, shared_all


def compare(m: Manifest, assignment_id: str, threshold: float = THRESHOLD,
            common: int | None = None) -> Result:
    """Every pair of the class's submissions scored; the pairs at or above ``threshold``
    with their matching passages."""
    started = time.perf_counter()
    try:
        m.assignment(assignment_id)
    except KeyError as err:
        raise GradingError(str(err.args[0])) from None
    if not 0 < threshold <= 1:
        raise GradingError(f"the threshold is a share of fingerprints, between 0 and 1 (not "
                           f"{threshold:g})")
    from medai.grading import pipeline

    skeleton = released_skeleton(m, assignment_id)
    if not pipeline.submitted_students(m, assignment_id):
        raise GradingError(f"no submissions for {assignment_id} in "
                           f"{m.course_folder('submitted')}/<student>/{assignment_id}/; "
                           f"collect them first (medai collect {assignment_id})")
    answers, skipped = load_answers(m, assignment_id, skeleton)
    limit = _fingerprint_class(answers, skeleton, common)
    students = sorted(answers)
    empty = [s for s in students if not any(c.text for c in answers[s])]
    score, shared = _scores(answers, students)
    scores, flagged = [], []
    for a, b in combinations(range(len(students)), 2):
        scores.append(float(score[a, b]))
        if score[a, b] >= threshold:
            flagged.append(Pair(students[a], students[b], float(score[a, b]),
                                int(shared[a, b])))
    flagged.sort(key=lambda p: (-p.score, p.first, p.second))
    for pair in flagged[:SHOWN]:
        pair.passages = _passages(answers[pair.first], answers[pair.second])
    return Result(assignment_id, threshold, students, scores, flagged, skipped, empty,
                  limit, time.perf_counter() - started)


# -- the page -----------------------------------------------------------------------------

_STYLE = """body{font-family:sans-serif;max-width:75em;margin:2em auto;padding:0 1em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;vertical-align:top}
.caution{background:#fff4d6;border:1px solid #e0b94f;padding:.6em 1em}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.6em}
pre{background:#f6f6f6;padding:.5em;line-height:1.45;overflow-x:auto;white-space:pre-wrap;margin:0}
mark{background:#ffd54f}h3{margin-top:1.5em}"""


def _histogram(scores: list[float], threshold: float) -> str:
    """Inline SVG: how many pairs got each score (20 bins), the threshold as a red line."""
    bins = [0] * 20
    for score in scores:
        bins[min(int(score * 20), 19)] += 1
    width, height, left, bottom = 600, 220, 50, 30
    top = max(bins) or 1
    bar = (width - left - 10) / 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'role="img" aria-label="histogram of pair scores">']
    for i, count in enumerate(bins):
        if count:
            # a square-root scale, so that the few high pairs stay visible beside the many
            h = (height - bottom - 20) * math.sqrt(count / top)
            x, y = left + i * bar, height - bottom - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" '
                         f'height="{h:.1f}" fill="#5b8bd0"><title>{i / 20:.2f}-'
                         f'{(i + 1) / 20:.2f}: {count} pairs</title></rect>'
                         f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" font-size="10" '
                         f'text-anchor="middle">{count}</text>')
    for tick in range(0, 11, 2):
        x = left + tick / 10 * (width - left - 10)
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="11" '
                     f'text-anchor="middle">{tick / 10:.1f}</text>')
    x = left + threshold * (width - left - 10)
    parts.append(f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{height - bottom}" '
                 'stroke="#c62828" stroke-width="2" stroke-dasharray="4 3"/>'
                 f'<text x="{x + 4:.1f}" y="20" font-size="11" fill="#c62828">threshold '
                 f'{threshold:.2f}</text>'
                 f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
                 f'y2="{height - bottom}" stroke="#333"/></svg>')
    return "".join(parts)


def render(result: Result) -> str:
    """The report as one self-contained HTML page; every student text is escaped."""
    e = html.escape
    title = f"Similarity report: {e(result.assignment)}"
    out = [f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<title>{title}'
           f"</title>\n<style>{_STYLE}</style>\n</head><body>\n<h1>{title}</h1>",
           '<p class="caution"><strong>Caution.</strong> A similarity score is evidence for '
           "a person to review, not a verdict. Short answers to a precise question converge; "
           "shared sources, help sessions and the released skeleton make answers alike too. "
           "Read both answers side by side, and hear the students, before concluding "
           "anything.</p>",
           f"<p>{len(result.students)} submissions compared, {result.pairs} pairs; "
           f"<strong>{len(result.flagged)} pair(s) at or above the threshold "
           f"{result.threshold:.2f}</strong>. Each answer cell is compared with the same cell "
           "of the other notebook: the share of the smaller answer's fingerprints (winnowed "
           "token sequences; names and literals normalised, comments and layout ignored; "
           "prose on its words) that the other has too. A pair's score is the mean of these "
           "shares over the cells either student wrote in, so each question weighs the "
           "same. The released skeleton was removed first, and passages found in more than "
           f"{result.common} submissions were ignored as the usual way of writing them.</p>",
           "<h2>Distribution of pair scores</h2>", _histogram(result.scores, result.threshold)]
    if result.flagged:
        out.append("<h2>Pairs above the threshold</h2><table><tr><th>#</th><th>student</th>"
                   "<th>student</th><th>score</th><th>shared fingerprints</th></tr>")
        out += [(f'<tr><td><a href="#pair-{i}">{i}</a></td>' if i <= SHOWN else
                 f"<tr><td>{i}</td>")
                + f"<td>{e(p.first)}</td><td>{e(p.second)}</td><td>{p.score:.2f}</td>"
                f"<td>{p.shared}</td></tr>"
                for i, p in enumerate(result.flagged, 1)]
        out.append("</table>")
        if len(result.flagged) > SHOWN:
            out.append(f"<p>The {SHOWN} highest pairs are shown side by side below.</p>")
        for i, p in enumerate(result.flagged[:SHOWN], 1):
            out.append(f'<h2 id="pair-{i}">{i}. {e(p.first)} and {e(p.second)}: '
                       f"{p.score:.2f}</h2>")
            for passage in p.passages:
                out.append(f"<h3>{e(passage.notebook)}, {e(passage.grade_id)} "
                           f"({passage.shared} shared fingerprints)</h3>"
                           f'<div class="side"><div><strong>{e(p.first)}</strong>'
                           f"<pre>{passage.left}</pre></div><div><strong>{e(p.second)}"
                           f"</strong><pre>{passage.right}</pre></div></div>")
    else:
        out.append("<h2>Pairs above the threshold</h2><p>None.</p>")
    if result.skipped:
        out.append("<h2>Submissions not compared</h2><ul>")
        out += [f"<li>{e(s)}: {e(why)}</li>" for s, why in sorted(result.skipped.items())]
        out.append("</ul>")
    if result.empty:
        out.append(f"<h2>No answer of their own</h2><p>{e(', '.join(result.empty))}</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def default_target(m: Manifest, assignment_id: str) -> Path:
    """reports/similarity/<id>.html in the instructor's course directory (never released)."""
    return m.course_directory / "reports" / "similarity" / f"{assignment_id}.html"


def write(m: Manifest, assignment_id: str, target: Path | None = None,
          threshold: float = THRESHOLD) -> tuple[Result, Path]:
    result = compare(m, assignment_id, threshold)
    target = Path(target) if target else default_target(m, assignment_id)
    return result, files.write_text(target, render(result))


def summary(result: Result) -> list[str]:
    """A few lines for the terminal."""
    n = len(result.students)
    lines = [f"{result.assignment}: {n} submission{'' if n == 1 else 's'}, {result.pairs} pairs "
             f"compared in {result.seconds:.1f} s; {len(result.flagged)} pair(s) at or above "
             f"{result.threshold:.2f}"]
    lines += [f"  {p.score:.2f}  {p.first}  {p.second}" for p in result.flagged[:20]]
    if len(result.flagged) > 20:
        lines.append(f"  ... and {len(result.flagged) - 20} more in the report")
    lines += [f"not compared: {s}: {why}" for s, why in sorted(result.skipped.items())]
    if result.empty:
        lines.append(f"no answer of their own: {', '.join(result.empty)}")
    return lines


def command(args) -> int:
    """`medai similarity ASSIGNMENT [--threshold T] [--out PATH]` (registered in medai.cli,
    which this module does not import: imports point one way)."""
    from medai.course import manifest

    try:
        m = manifest.load(args.course)
    except (manifest.ManifestError, FileNotFoundError) as err:
        raise GradingError(f"{err}\nFix course.yml and run `medai course check`.") from None
    result, target = write(m, args.assignment, Path(args.out) if args.out else None,
                           args.threshold)
    for line in summary(result):
        print(line)
    try:
        shown = target.relative_to(m.root)
    except ValueError:
        shown = target
    print(f"report written to {shown} (evidence for a person to review, not a verdict)")
    return 0
