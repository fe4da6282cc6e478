"""The whole nbgrader cycle on a temporary copy of the course, with the real tools:
release -> submissions -> autograde -> feedback -> export."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest
import yaml
from helpers import autograded_points, grade_points
from submissions import reference_answers, submit

import medai
from medai.cli import main
from medai.course import manifest, sources
from medai.grading import leaks, nbgrader_api, pipeline, settings

pytestmark = pytest.mark.slow

A1 = "a1_diagnostic_metrics"
POINTS = grade_points("a1")
WRITTEN = "q6_tradeoff"  # the written answer, graded by hand
FULL = autograded_points("a1")
# "wrong" makes two mistakes kept as mutants: a q3 threshold and a q4 AUROC
SCORES = {"ref": FULL, "blank": 0.0, "wrong": FULL - POINTS["q3_tests"] - POINTS["q4_tests"]}


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """Release a1, submit three students, autograde, feedback and export once for the module."""
    from helpers import copy_course, mutant_answers

    root = tmp_path_factory.mktemp("course")
    course_yml = copy_course(root)
    m = manifest.load(course_yml)
    assert main(["--course", str(course_yml), "release", "a1"]) == 0

    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    submitted = m.course_directory / "submitted"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    submit(released, submitted, "ref", answers)
    submit(released, submitted, "blank", {})
    # Two plausible mistakes (kept as a1 mutants) that hidden tests must catch.
    wrong = {**answers, **mutant_answers("interpolated_quantile_threshold"),
             **mutant_answers("ties_ignored_in_auroc")}
    submit(released, submitted, "wrong", wrong)

    grade_exit = main(["--course", str(course_yml), "grade", "a1"])
    feedback_exit = main(["--course", str(course_yml), "feedback", "a1"])
    export_exit = main(["--course", str(course_yml), "export"])
    return m, {"grade": grade_exit, "feedback": feedback_exit, "export": export_exit}


def test_every_step_succeeds(graded_course):
    _, exits = graded_course
    assert exits == {"grade": 0, "feedback": 0, "export": 0}


def test_exported_scores_are_exact(graded_course):
    m, _ = graded_course
    with (m.course_directory / "grades.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        rows = {row["student_id"]: row for row in reader}
        header = reader.fieldnames
    assert header[:7] == ["student_id", "last_name", "first_name", "email", "a1", "a1 max",
                          "a1 version"]
    assert header[7:] == [f"a1:{grade_id}" for grade_id in POINTS]
    assert set(rows) == {"ref", "blank", "wrong"}
    # the written answer waits for a human grader
    assert {s: float(rows[s]["a1"]) for s in rows} == SCORES
    assert {rows[s]["a1 max"] for s in rows} == {str(sum(POINTS.values()))}
    # each student's row says which release of the course they worked on and were graded on
    assert {rows[s]["a1 version"] for s in rows} == {medai.__version__}
    assert [rows["wrong"][f"a1:q{i}_tests"] for i in range(1, 5)] == ["3.0", "2.0", "0.0", "0.0"]
    assert rows["ref"][f"a1:{WRITTEN}"] == "", "ungraded written answers stay empty"
    assert rows["blank"][f"a1:{WRITTEN}"] == "0.0", "an untouched answer scores 0"


def test_nbgrader_format_export(graded_course, tmp_path):
    m, _ = graded_course
    target = tmp_path / "nbgrader.csv"
    assert main(["--course", str(m.path), "export", "--format", "nbgrader", "--to",
                 str(target)]) == 0
    with target.open(newline="") as handle:
        # one row per assignment in the gradebook and student (every scheduled assignment)
        rows = {row["student_id"]: row for row in csv.DictReader(handle)
                if row["assignment"] == "a1"}
    raw = {s: float(rows[s]["raw_score"]) for s in rows}
    assert raw == SCORES


def test_cell_scores_name_what_was_wrong(graded_course):
    from nbgrader.api import Gradebook

    m, _ = graded_course
    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        wrong = gb.find_submission_notebook(A1, "a1", "wrong")
        scores = {g.name: g.auto_score for g in wrong.grades}
        needs_manual = [g.name for g in wrong.grades if g.needs_manual_grade]
    # The written answer was edited, so nbgrader leaves it to a human grader.
    assert scores == {**POINTS, "q3_tests": 0, "q4_tests": 0, WRITTEN: None}
    assert needs_manual == [WRITTEN]


def test_released_notebook_has_no_answers(graded_course):
    m, _ = graded_course
    source = sources.read_source(m.course_directory / "source" / "a1" / f"{A1}.py")
    secrets = leaks.secret_lines(source)
    assert len(secrets) > 20, "the leak check needs the real solution and hidden-test lines"
    release = m.course_directory / "release" / "a1"
    assert sorted(p.name for p in release.iterdir()) == [f"{A1}.ipynb"]
    text = (release / f"{A1}.ipynb").read_text()
    assert leaks.find_leaks(text, secrets) == []
    notebook = nbformat.reads(text, as_version=4)
    stubs = [c for c in notebook.cells
             if c.cell_type == "code" and "raise NotImplementedError()" in c.source]
    coded = [g for g in POINTS if g.endswith("_tests")]
    assert len(stubs) == len(coded), "each coded answer becomes a stub"


def test_feedback_shows_no_hidden_tests(graded_course):
    m, _ = graded_course
    source = sources.read_source(m.course_directory / "source" / "a1" / f"{A1}.py")
    hidden = leaks.secret_lines(source, kinds=("hidden",))
    pages = sorted((m.course_directory / "feedback").glob(f"*/a1/{A1}.html"))
    assert [p.parent.parent.name for p in pages] == ["blank", "ref", "wrong"]
    for page in pages:
        text = page.read_text()
        assert leaks.find_leaks(text, hidden) == [], page
    wrong = (m.course_directory / "feedback" / "wrong" / "a1" / f"{A1}.html").read_text()
    # The public hint still reaches the student.
    assert "return one of the observed scores" in wrong
    assert "hidden tests run here" in wrong


def test_nbgrader_alone_leaks_hidden_tests_into_feedback(graded_course, tmp_path):
    """The gap this project closes: nbgrader's own feedback shows hidden tests."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    m, _ = graded_course
    config = settings.config_for(m)
    del config.GenerateFeedback["preprocessors"]
    config.CourseDirectory.feedback_directory = "feedback_plain"
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    assert api.generate_feedback("a1", "wrong")["success"]
    page = m.course_directory / "feedback_plain" / "wrong" / "a1" / f"{A1}.html"
    source = sources.read_source(m.course_directory / "source" / "a1" / f"{A1}.py")
    assert leaks.find_leaks(page.read_text(), leaks.secret_lines(source, kinds=("hidden",)))


def test_untouched_test_cells_raise_no_checksum_warning(graded_course):
    """nbgrader 1961: every locked test cell with hidden tests used to be reported as
    changed in every fresh submission; an edited locked cell must still be reported."""
    import shutil

    m, _ = graded_course
    api = nbgrader_api.api(m)
    fresh = api.autograde("a1", "ref", force=True)
    assert fresh["success"], fresh["log"]
    assert "has changed" not in fresh["log"]

    # A student who deletes an assert from a locked test cell is reported, and the
    # gradebook's cell (hidden tests included) is what runs.
    submitted = m.course_directory / "submitted"
    shutil.copytree(submitted / "ref", submitted / "edits_tests")
    path = submitted / "edits_tests" / "a1" / f"{A1}.ipynb"
    nb = nbformat.read(path, as_version=4)
    locked = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("locked")
                  and c.metadata.nbgrader.get("grade") and "assert" in c.source)
    locked.source = locked.source.replace("assert", "pass  #", 1)
    nbformat.write(nb, path)
    try:
        edited = api.autograde("a1", "edits_tests", force=True)
    finally:  # the module's other tests see the three students of the fixture
        with api.gradebook as gb:
            gb.remove_student("edits_tests")
        for folder in ("submitted", "autograded"):
            shutil.rmtree(m.course_directory / folder / "edits_tests", ignore_errors=True)
    assert edited["success"], edited["log"]
    assert f"Attribute 'checksum' for cell {locked.metadata.nbgrader.grade_id} has changed" \
        in edited["log"]


WARN_SOURCE = Path(__file__).with_name("data") / "warn.py"


def test_library_warning_does_not_zero_a_correct_answer(tmp_path):
    from helpers import copy_course
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    course_yml = copy_course(tmp_path)
    data = yaml.safe_load(course_yml.read_text())
    data["assignments"].append({
        "id": "warn", "module": "diagnosis", "title": "Warnings", "status": "ready",
        "notebooks": ["warn"], "points": 1, "due": "2027-03-23T23:59:00+09:00",
    })
    course_yml.write_text(yaml.safe_dump(data, sort_keys=False))
    (tmp_path / "assignments" / "source" / "warn").mkdir()
    source = tmp_path / "assignments" / "source" / "warn" / "warn.py"
    source.write_text(WARN_SOURCE.read_text())
    m = manifest.load(course_yml)

    pipeline.generate(m, "warn")
    released = m.course_directory / "release" / "warn" / "warn.ipynb"
    submit(released, m.course_directory / "submitted", "student", reference_answers(source))
    [result] = pipeline.grade(m, "warn")
    assert (result.status, result.score, result.max_score) == ("graded", 1.0, 1.0)

    # nbgrader's default pipeline scores the same submission 0: the warning is on stderr.
    config = settings.config_for(m)
    del config.Autograde["autograde_preprocessors"]
    config.CourseDirectory.autograded_directory = "autograded_plain"
    config.CourseDirectory.db_url = f"sqlite:///{tmp_path / 'plain.db'}"
    plain = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    with plain.gradebook as gb:
        gb.update_or_create_assignment("warn")
    assert plain.generate_assignment("warn")["success"]
    assert plain.autograde("warn", "student")["success"]
    with plain.gradebook as gb:
        assert gb.find_submission("warn", "student").score == 0.0
    autograded = Path(m.course_directory / "autograded_plain" / "student" / "warn" / "warn.ipynb")
    assert "UndefinedMetricWarning" in autograded.read_text()


def test_instructor_report(graded_course):
    from medai.grading import report

    m, _ = graded_course
    data = report.collect(m, "a1")
    assert data["scores"] == SCORES
    rates = {q["question"]: q["failure_rate"] for q in data["questions"]}
    assert rates["q1_tests"] == pytest.approx(1 / 3) and rates["q4_tests"] == pytest.approx(2 / 3)
    assert sorted(data["needs_manual_grading"]) == [("ref", WRITTEN), ("wrong", WRITTEN)]
    assert len(data["seconds"]) == 3 and all(v > 0 for v in data["seconds"].values())
    assert main(["--course", str(m.path), "report", "a1"]) == 0
    page = (m.course_directory / "reports" / "a1.html").read_text()
    assert page.count("data:image/png;base64,") == 3
    assert "Waiting for manual grading (2)" in page
