"""`medai check ASSIGNMENT`: prove an assignment's autograder before students meet it.

In a private copy of the course, the reference solution must earn every
autograded point, the blank release none, every mutant (a plausible wrong
solution kept in ``source/<id>/mutants/``) must lose points in the test cells
the requirements table names for it (a mutant it does not name: anywhere), and every
alternative (a correct solution written another way, in
``source/<id>/alternatives/``) must earn every point: no correct answer may
lose points. The kill rate is the share of mutants caught.

A mutant or an alternative is a jupytext percent file: its first markdown cell
says what it does; each code cell carries ``nbgrader={"grade_id": ...}`` of the
answer cell it replaces, and its source is the answer.

Before grading, the check reads the assignment's requirements table
(:mod:`medai.grading.requirements`) and the rubrics of hand-graded questions
(:mod:`medai.grading.rubrics`); after grading, it proves each requirement: a
mutant the table names must lose points in the test cells the table names.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from medai.course import manifest, sources, workspace
from medai.course.manifest import Manifest
from medai.grading import pipeline, requirements, rubrics
from medai.grading.leaks import SOLUTION_BEGIN, SOLUTION_END


@dataclass(frozen=True)
class Mutant:
    name: str
    mistake: str
    answers: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    submission: str
    mistake: str
    score: float | None
    expected: str  # "full", "zero" or "less"
    passed: bool
    reason: str = ""
    scope: tuple[str, ...] = ()  # the test cells the score counts (empty: the notebook)


@dataclass(frozen=True)
class CheckReport:
    outcomes: list[Outcome]
    requirements: int  # rows in the requirements table
    proven: int  # rows whose every named mutant loses points in the named tests
    problems: list[str]  # the table's and the rubrics' faults, and unproven requirements
    variants: int = 1  # distinct variants of the data among the graded submissions

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes) and not self.problems


def reference_answers(source: Path) -> dict[str, str]:
    """grade_id -> the instructor's answer with the solution markers removed."""
    answers = {}
    for cell in sources.read_source(source).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers[meta["grade_id"]] = "\n".join(
                line for line in cell.source.split("\n")
                if SOLUTION_BEGIN not in line and SOLUTION_END not in line
            )
    return answers


def submit(released: Path, submitted_root: Path, student: str, answers: dict[str, str]) -> Path:
    """Write the released notebook with these answers into submitted/<student>/<assignment>/."""
    notebook = nbformat.read(released, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    target = submitted_root / student / released.parent.name / released.name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


def load_mutants(folder: Path) -> list[Mutant]:
    mutants = []
    for path in sorted(folder.glob("*.py")):
        notebook = sources.read_source(path)
        markdown = [c.source for c in notebook.cells if c.cell_type == "markdown"]
        damaged = [i for i, c in enumerate(notebook.cells)
                   if "nbgrader" in c.metadata and not isinstance(c.metadata["nbgrader"], dict)]
        if damaged:
            raise sources.SourceError(f"{path}: cell {damaged[0]} has nbgrader metadata that is "
                                      'not a mapping; write nbgrader={"grade_id": "..."}')
        answers = {sources.grade_id(c): c.source for c in notebook.cells
                   if c.cell_type == "code" and sources.grade_id(c)}
        if not markdown or not answers:
            raise sources.SourceError(f"{path}: needs a markdown cell saying what it does and "
                                    "at least one code cell with a grade_id")
        first_paragraph = markdown[0].strip().split("\n\n")[0].lstrip("# ")
        mutants.append(Mutant(path.stem, " ".join(first_paragraph.split()), answers))
    return mutants


def _cell_scores(m: Manifest, assignment_id: str, notebook: str,
                 students: list[str]) -> dict[str, dict[str, float]]:
    """student -> grade_id -> score, from the gradebook of a graded check."""
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        for student in students:
            try:
                graded = gb.find_submission_notebook(notebook, assignment_id, student)
            except MissingEntry:
                continue  # the submission failed to grade: its outcome says why
            scores[student] = {g.name: float(g.score or 0) for g in graded.grades}
    return scores


def named_tests(table: list[requirements.Requirement]) -> dict[str, tuple[str, ...]]:
    """mutant -> the test cells the requirements table says it breaks."""
    found: dict[str, list[str]] = {}
    for r in table:
        for name in r.mutants:
            found.setdefault(name, [])
            found[name] += [t for t in r.tests if t not in found[name]]
    return {name: tuple(tests) for name, tests in found.items()}


def last_test(notebook, tests: tuple[str, ...]) -> str:
    """The grade_id of whichever of ``tests`` comes last in the notebook."""
    order = [sources.grade_id(c) for c in notebook.cells]
    return order[max(order.index(t) for t in tests)]


def answers_through(notebook, reference: dict[str, str], tests: tuple[str, ...]) -> dict[str, str]:
    """The reference answers of the cells above the last of ``tests``. A mutant is proven
    by those tests alone, and they run before any later cell: later answers stay as
    released, and the check stops executing after the last of ``tests``, which spares
    running the rest of the notebook (a training run, say) for every mutant."""
    order = [sources.grade_id(c) for c in notebook.cells]
    last = order.index(last_test(notebook, tests))
    return {k: v for k, v in reference.items() if k in order and order.index(k) < last}


# a variant assignment's reference is graded as this many students, so on as many variants
# of the data (each mutant and alternative, graded as a student of its own, adds one)
VARIANT_REFERENCES = 3


def reference_names(variants: bool) -> list[str]:
    extra = range(2, VARIANT_REFERENCES + 1) if variants else ()
    return ["reference", *(f"reference-{n}" for n in extra)]


def check(m: Manifest, assignment_id: str, workers: int = 2) -> CheckReport:
    from medai.teach import variant

    assignment = m.assignment(assignment_id)
    if len(assignment.notebooks) != 1:
        raise pipeline.GradingError("medai check handles one notebook per assignment for now")
    with tempfile.TemporaryDirectory(prefix=f"medai-check-{assignment_id}-") as tmp:
        rehearsal = manifest.load(workspace.copy_course(m, Path(tmp)))
        source = rehearsal.assignment_sources(assignment)[0]
        released = pipeline.generate(rehearsal, assignment_id) / source.with_suffix(".ipynb").name
        submitted = rehearsal.course_folder("submitted")
        mutants = load_mutants(source.parent / "mutants")
        alternatives = load_mutants(source.parent / "alternatives")
        notebook = sources.read_source(source)
        table = requirements.load(source.parent)
        problems = (requirements.problems(table, notebook, [x.name for x in mutants])
                    + rubrics.problems(notebook))
        reference = reference_answers(source)
        points = sources.test_points(notebook)
        tests_of = {k: v for k, v in named_tests(table).items() if all(t in points for t in v)}
        references = reference_names(assignment.variants)
        for name in references:
            submit(released, submitted, name, reference)
        submit(released, submitted, "blank", {})
        for mutant in mutants:
            before = (answers_through(notebook, reference, tests_of[mutant.name])
                      if mutant.name in tests_of else reference)
            submit(released, submitted, f"mutant-{mutant.name}", {**before, **mutant.answers})
        for other in alternatives:
            submit(released, submitted, f"alternative-{other.name}",
                   {**reference, **other.answers})
        stops = {f"mutant-{name}": last_test(notebook, tests)
                 for name, tests in tests_of.items()}
        results = {r.student: r for r in pipeline.grade(rehearsal, assignment_id,
                                                        workers=workers, force=True,
                                                        stop_after=stops)}
        full = sum(points.values())
        cells = _cell_scores(rehearsal, assignment_id, source.stem,
                             [f"mutant-{x.name}" for x in mutants])

    def outcome(student: str, mistake: str, expected: str) -> Outcome:
        result = results[student]
        score = result.score
        if result.status == "failed":
            return Outcome(student, mistake, None, expected, False, result.reason)
        passed = {"full": score == full, "zero": score == 0, "less": score < full}[expected]
        return Outcome(student, mistake, score, expected, passed)

    def caught(mutant: Mutant) -> Outcome:
        """A mutant the table names is caught when it loses points in the tests named."""
        student = f"mutant-{mutant.name}"
        if mutant.name not in tests_of or results[student].status == "failed":
            return outcome(student, mutant.mistake, "less")
        scope = tests_of[mutant.name]
        score = sum(cells.get(student, {}).get(t, 0.0) for t in scope)
        return Outcome(student, mutant.mistake, score, "less",
                       score < sum(points[t] for t in scope), scope=scope)

    def on_variant(student: str) -> str:
        return (f" (variant {variant.seed(assignment_id, student):08x})"
                if assignment.variants else "")

    outcomes = [outcome(name, "the instructor's solution" + on_variant(name), "full")
                for name in references]
    outcomes.append(outcome("blank", "the released notebook, unchanged", "zero"))
    outcomes += [caught(x) for x in mutants]
    outcomes += [outcome(f"alternative-{x.name}", x.mistake, "full") for x in alternatives]
    by_mutant = {x.name: cells[f"mutant-{x.name}"] for x in mutants
                 if f"mutant-{x.name}" in cells}
    unproven = [requirements.unproven([r], by_mutant, points) for r in table]
    problems += [message for found in unproven for message in found]
    seeds = {variant.seed(assignment_id, student) for student in results}
    return CheckReport(outcomes, len(table), sum(not found for found in unproven), problems,
                       len(seeds) if assignment.variants else 1)


def kill_rate(outcomes: list[Outcome]) -> tuple[int, int]:
    mutants = [o for o in outcomes if o.submission.startswith("mutant-")]
    return sum(o.passed for o in mutants), len(mutants)
