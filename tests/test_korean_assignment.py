"""One gradebook, two languages: a1 released in Korean is graded like the English one.

The reference gets the same points in both languages and each mutant loses the same
points; a Korean submission keeps its Korean questions and hints through grading (its
hidden tests are restored in Korean, with no "changed cell" warning), and its feedback
is Korean and holds no hidden test."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from helpers import copy_course, mutant_answers
from submissions import reference_answers, submit

from medai.cli import main
from medai.course import manifest, translation
from medai.grading import nbgrader_api

pytestmark = pytest.mark.slow

A1 = "a1_diagnostic_metrics"
MUTANTS = ("swapped_sensitivity_denominator", "interpolated_quantile_threshold",
           "ties_ignored_in_auroc", "bootstrap_without_replacement")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    course_yml = copy_course(root)
    m = manifest.load(course_yml)
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    submitted = m.course_directory / "submitted"
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    for language in ("en", "ko"):
        assert main(["--course", str(course_yml), "generate", "a1", "--lang", language]) == 0
        shutil.copyfile(released, root / f"{A1}.{language}.ipynb")
        submit(released, submitted, f"ref_{language}", answers)
        for number, name in enumerate(MUTANTS):
            submit(released, submitted, f"mutant{number}_{language}",
                   {**answers, **mutant_answers(name)})
    assert main(["--course", str(course_yml), "grade", "a1", "--workers", "2"]) == 0
    assert main(["--course", str(course_yml), "feedback", "a1"]) == 0
    api = nbgrader_api.api(m)
    with api.gradebook as gb:
        scores = {s.student.id: s.score for s in gb.find_assignment("a1").submissions}
    return m, scores, root


def test_the_korean_release_is_korean_with_the_same_grade_ids(graded):
    m, _, root = graded
    english = nbformat.read(str(root / f"{A1}.en.ipynb"), as_version=4)
    korean = nbformat.read(str(root / f"{A1}.ko.ipynb"), as_version=4)
    assert korean.metadata["medai"]["language"] == "ko"
    assert [c.metadata.get("nbgrader") for c in korean.cells] != []
    for mine, theirs in zip(korean.cells, english.cells, strict=True):
        ours = dict(mine.metadata.get("nbgrader", {}), checksum=None)
        assert ours == dict(theirs.metadata.get("nbgrader", {}), checksum=None)
        if theirs.cell_type == "code":
            assert translation.same_code(theirs.source, mine.source)
    assert "임상 질문" in korean.cells[0].source or any(
        "문제" in c.source for c in korean.cells if c.cell_type == "markdown")
    assert "BEGIN HIDDEN" not in nbformat.writes(korean)
    released = m.course_directory / "release" / "a1"
    assert sorted(p.name for p in released.iterdir()) == [f"{A1}.ipynb"], \
        "no translation file (it holds hidden-test messages) is released"


def test_every_student_gets_the_same_points_in_both_languages(graded):
    _, scores, _ = graded
    assert scores["ref_ko"] == scores["ref_en"] > 0
    for number, name in enumerate(MUTANTS):
        english, korean = scores[f"mutant{number}_en"], scores[f"mutant{number}_ko"]
        assert korean == english < scores["ref_en"], name


def test_a_korean_submission_stays_korean_and_restores_its_hidden_tests(graded):
    m, _, root = graded
    graded_nb = nbformat.read(
        str(m.course_directory / "autograded" / "ref_ko" / "a1" / f"{A1}.ipynb"), as_version=4)
    released = nbformat.read(str(root / f"{A1}.ko.ipynb"), as_version=4)
    by_id = {c.metadata.nbgrader.grade_id: c for c in graded_nb.cells
             if c.metadata.get("nbgrader", {}).get("grade_id")}
    for cell in released.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") and cell.cell_type == "markdown":
            assert by_id[meta["grade_id"]].source == cell.source  # the Korean question
    hidden = [c for c in by_id.values() if "BEGIN HIDDEN TESTS" in c.source]
    assert hidden, "the hidden tests ran"
    assert any(any("\uac00" <= ch <= "\ud7a3" for ch in c.source) for c in hidden), \
        "hidden tests restored in Korean (their hints)"

    fresh = nbgrader_api.api(m).autograde("a1", "ref_ko", force=True)
    assert fresh["success"], fresh["log"]
    assert "has changed" not in fresh["log"]  # no Korean cell taken for an edited one


def test_korean_feedback_is_korean_and_hides_the_hidden_tests(graded):
    m, _, _ = graded
    page = (m.course_directory / "feedback" / "ref_ko" / "a1" / f"{A1}.html").read_text(
        encoding="utf-8")
    assert "채점 기준" in page or "임상" in page
    assert "BEGIN HIDDEN TESTS" not in page


def test_the_instructor_report_in_korean(graded, caplog):
    import warnings

    from medai.grading import report

    m, scores, _ = graded
    data = report.collect(m, "a1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Hangul glyph in a chart would warn
        page = report.render(data, "ko")
    assert '<html lang="ko">' in page and "채점 보고서: a1" in page
    assert f"채점된 제출물 {len(scores)}건" in page and page.count("<img") == 3
    assert "findfont" not in caplog.text
