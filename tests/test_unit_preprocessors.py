"""medai's nbgrader preprocessors, each on a small notebook built in memory (no kernel, no
nbgrader run): the gap each one closes, and a notebook each must leave alone."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from medai.grading import leaks
from medai.grading.leaks import HIDDEN_BEGIN, HIDDEN_END, SOLUTION_BEGIN, SOLUTION_END
from medai.grading.preprocessors import (
    HIDDEN_PLACEHOLDER,
    HideHiddenTests,
    RefuseLeakedAnswers,
    RestoreHiddenTests,
    StderrIsNotFailure,
    strip_hidden_region,
)

PUBLIC = "assert ppv(1, 1) == 0.5, 'PPV of one true and one false positive'"
HIDDEN = "assert math.isnan(ppv(0, 0)), 'no positive predictions'"
TEST_SOURCE = f"{PUBLIC}\n### {HIDDEN_BEGIN}\n{HIDDEN}\n### {HIDDEN_END}\nprint('done')"
ANSWER = "return tp / (tp + fp) if tp + fp else float('nan')"


def nbgrader_meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
                  points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def grade_test_cell(source: str = TEST_SOURCE, outputs=(), grade_id: str = "q1_tests"):
    cell = new_code_cell(source, metadata=nbgrader_meta(grade_id, grade=True, solution=False,
                                                        locked=True, points=2.0))
    cell.outputs = list(outputs)
    return cell


def answer_cell(source: str, grade_id: str = "q1_answer"):
    return new_code_cell(source, metadata=nbgrader_meta(grade_id, grade=False, solution=True,
                                                        locked=False))


def warnings_of(preprocessor_class, **kwargs):
    """A preprocessor whose log is kept in a string, and that string's buffer."""
    buffer = io.StringIO()
    log = logging.getLogger(f"test_unit_preprocessors.{preprocessor_class.__name__}")
    log.handlers[:] = [logging.StreamHandler(buffer)]
    log.setLevel(logging.WARNING)
    log.propagate = False
    return preprocessor_class(log=log, **kwargs), buffer


# --- StderrIsNotFailure ------------------------------------------------------------------

def test_a_warning_on_stderr_no_longer_zeroes_a_passing_test_cell():
    from nbgrader.utils import determine_grade

    warned = [new_output("stream", name="stderr", text="ConvergenceWarning: lbfgs failed\n"),
              new_output("stream", name="stdout", text="done\n")]
    cell = grade_test_cell(outputs=warned)
    assert determine_grade(cell) == (0, 2.0), "nbgrader alone: stderr text costs the points"
    nb, _ = StderrIsNotFailure().preprocess(new_notebook(cells=[cell]), {})
    out = nb.cells[0].outputs
    assert [(o.name, o.text) for o in out] == [("stdout", "ConvergenceWarning: lbfgs failed\n"),
                                               ("stdout", "done\n")]
    assert determine_grade(nb.cells[0]) == (2.0, 2.0)


def test_a_real_error_still_costs_the_points():
    from nbgrader.utils import determine_grade

    error = new_output("error", ename="AssertionError", evalue="PPV is wrong",
                       traceback=["Traceback", "AssertionError: PPV is wrong"])
    cell = grade_test_cell(outputs=[new_output("stream", name="stderr", text="warn\n"), error])
    nb, _ = StderrIsNotFailure().preprocess(new_notebook(cells=[cell]), {})
    assert nb.cells[0].outputs[1] == error, "an error output is left as it is"
    assert determine_grade(nb.cells[0]) == (0, 2.0)


def test_markdown_and_stdout_are_left_alone():
    markdown = new_markdown_cell("name: stderr")
    stdout = new_code_cell("print(1)", outputs=[new_output("stream", name="stdout", text="1\n")])
    before = nbformat.from_dict(new_notebook(cells=[markdown, stdout]))
    nb, _ = StderrIsNotFailure().preprocess(nbformat.from_dict(before), {})
    assert nb == before


# --- HideHiddenTests ---------------------------------------------------------------------

def test_strip_hidden_region_as_nbgrader_releases_it_and_as_feedback_shows_it():
    from nbgrader.preprocessors import ClearHiddenTests

    released = grade_test_cell()
    ClearHiddenTests().preprocess(new_notebook(cells=[released]), {})
    assert strip_hidden_region(TEST_SOURCE, placeholder=None) == released.source, (
        "RestoreHiddenTests recognises a released cell only if this equals nbgrader's cut")
    assert released.source == f"{PUBLIC}\nprint('done')"
    assert strip_hidden_region(TEST_SOURCE) == f"{PUBLIC}\n{HIDDEN_PLACEHOLDER}\nprint('done')"
    indented = f"if True:\n    ### {HIDDEN_BEGIN}\n    {HIDDEN}\n    ### {HIDDEN_END}\n"
    assert strip_hidden_region(indented) == f"if True:\n    {HIDDEN_PLACEHOLDER}\n"


def test_feedback_shows_neither_hidden_tests_nor_their_traceback():
    error = new_output("error", ename="AssertionError", evalue="no positive predictions",
                       traceback=["\x1b[0;31mAssertionError\x1b[0m Traceback",
                                  f"----> 3 {HIDDEN}", "AssertionError: no positive predictions"])
    bare = new_output("error", ename="ZeroDivisionError", evalue="",
                      traceback=["Traceback", f"----> 3 {HIDDEN}", "ZeroDivisionError"])
    cells = [grade_test_cell(outputs=[error]), grade_test_cell(outputs=[bare], grade_id="q2_tests")]
    secret = leaks.secret_lines(new_notebook(cells=[grade_test_cell()]))
    assert secret == {HIDDEN}
    assert leaks.find_leaks(nbformat.writes(new_notebook(cells=cells)), secret) != []

    nb, _ = HideHiddenTests().preprocess(new_notebook(cells=cells), {})
    text = nbformat.writes(nb)
    assert leaks.find_leaks(text, secret) == [], "no hidden line, no marker"
    assert nb.cells[0].source == f"{PUBLIC}\n{HIDDEN_PLACEHOLDER}\nprint('done')"
    assert nb.cells[0].outputs[0].traceback == ["AssertionError: no positive predictions"]
    assert nb.cells[1].outputs[0].traceback == ["ZeroDivisionError"]
    assert nb.cells[0].outputs[0].ename == "AssertionError", "the failure is still shown"


def test_answers_and_ordinary_cells_keep_their_source_and_traceback():
    traceback = ["Traceback", "----> 2 return tp / (tp + fp)", "ZeroDivisionError: division"]
    error = new_output("error", ename="ZeroDivisionError", evalue="division",
                       traceback=traceback)
    answer = answer_cell(f"def ppv(tp, fp):\n    return tp / (tp + fp)\n# {HIDDEN_BEGIN} (quoted)")
    answer.outputs = [error]
    manual = new_code_cell("x = 1  # written answer", metadata=nbgrader_meta(
        "q9_answer", grade=True, solution=True, locked=False, points=1.0))
    plain = new_code_cell(f"# {HIDDEN_BEGIN}\nx = 2\n# {HIDDEN_END}",
                          outputs=[nbformat.from_dict(error)])
    notes = new_markdown_cell(f"### {HIDDEN_BEGIN}\nnot code")
    before = nbformat.from_dict(new_notebook(cells=[answer, manual, plain, notes]))
    nb, _ = HideHiddenTests().preprocess(nbformat.from_dict(before), {})
    assert nb == before


# --- RestoreHiddenTests ------------------------------------------------------------------

@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """An nbgrader gradebook holding a1/nb as generate leaves it: a locked test cell with
    hidden tests, a locked test cell without, and an answer cell."""
    import nbgrader.api
    from nbgrader.api import Gradebook
    from nbgrader.utils import compute_checksum

    url = f"sqlite:///{tmp_path_factory.mktemp('gradebook') / 'gb.db'}"
    cells = [grade_test_cell(), grade_test_cell(PUBLIC, grade_id="q2_tests"),
             answer_cell("# YOUR CODE")]
    with pytest.MonkeyPatch.context() as patch:
        # a new gradebook asks the `alembic` command for its schema version (seconds under
        # load); what it stamps does not matter to these tests
        patch.setattr(nbgrader.api, "get_alembic_version", lambda: "unit-test")
        with Gradebook(url) as gb:
            gb.add_assignment("a1")
            gb.add_notebook("nb", "a1")
            for cell in cells:
                meta = cell.metadata.nbgrader
                if meta["grade"]:
                    gb.add_grade_cell(meta["grade_id"], "nb", "a1", max_score=meta["points"],
                                      cell_type="code")
                if meta["solution"]:
                    gb.add_solution_cell(meta["grade_id"], "nb", "a1")
                gb.add_source_cell(meta["grade_id"], "nb", "a1", source=cell.source,
                                   cell_type="code", locked=meta["locked"],
                                   checksum=compute_checksum(cell))
    return url


def autograde_sanitize(preprocessor_class, url: str, cells: list):
    preprocessor, log = warnings_of(preprocessor_class)
    resources = {"nbgrader": {"notebook": "nb", "assignment": "a1", "db_url": url}}
    nb, _ = preprocessor.preprocess(new_notebook(cells=cells), resources)
    return nb, log.getvalue()


def test_a_released_test_cell_gets_its_hidden_tests_back_without_a_warning(gradebook):
    from nbgrader.preprocessors import OverwriteCells

    released = grade_test_cell(strip_hidden_region(TEST_SOURCE, placeholder=None))
    nb, warned = autograde_sanitize(OverwriteCells, gradebook, [nbformat.from_dict(released)])
    assert "checksum" in warned and nb.cells[0].source == TEST_SOURCE, (
        "nbgrader alone restores the cell but warns for every untouched submission")
    nb, warned = autograde_sanitize(RestoreHiddenTests, gradebook, [released])
    assert nb.cells[0].source == TEST_SOURCE, "the hidden tests run at grading"
    assert warned == ""


def test_a_changed_test_cell_is_still_reported_and_overwritten(gradebook):
    edited = grade_test_cell(f"{PUBLIC.replace('0.5', '1.0')}\nprint('done')")
    nb, warned = autograde_sanitize(RestoreHiddenTests, gradebook, [edited])
    assert nb.cells[0].source == TEST_SOURCE
    assert "q1_tests" in warned and "checksum" in warned
    # the instructor's full cell (hidden tests included) handed in as it is: no warning
    nb, warned = autograde_sanitize(RestoreHiddenTests, gradebook, [grade_test_cell()])
    assert nb.cells[0].source == TEST_SOURCE and warned == ""


def test_answers_and_cells_without_hidden_tests_are_left_as_submitted(gradebook):
    answer = answer_cell(f"def ppv(tp, fp):\n    {ANSWER}")
    public = grade_test_cell(PUBLIC, grade_id="q2_tests")
    nb, warned = autograde_sanitize(RestoreHiddenTests, gradebook, [answer, public])
    assert nb.cells[0].source == f"def ppv(tp, fp):\n    {ANSWER}"
    assert nb.cells[1].source == PUBLIC
    assert warned == ""


def test_a_cell_the_gradebook_does_not_know_is_handled_as_nbgrader_does(gradebook):
    stray = grade_test_cell(strip_hidden_region(TEST_SOURCE, None), grade_id="q7_tests")
    nb, warned = autograde_sanitize(RestoreHiddenTests, gradebook, [stray])
    assert "q7_tests" in warned and "does not exist" in warned
    assert nb.cells[0].source == strip_hidden_region(TEST_SOURCE, None)
    assert "grade_id" not in nb.cells[0].metadata.nbgrader


# --- RefuseLeakedAnswers -----------------------------------------------------------------

def header(grade_id: str, **kind) -> str:
    """A jupytext cell header with nbgrader's metadata."""
    return f"# %% nbgrader={json.dumps(nbgrader_meta(grade_id, **kind)['nbgrader'])}"


INSTRUCTOR_SOURCE = f"""# %% [markdown]
# Write `ppv`.

{header("q1_answer", grade=False, solution=True, locked=False)}
def ppv(tp, fp):
    ### {SOLUTION_BEGIN}
    {ANSWER}
    ### {SOLUTION_END}

{header("q1_tests", grade=True, solution=False, locked=True, points=2)}
{TEST_SOURCE}
"""


def generated(folder: Path, *, clear_solutions: bool = True, clear_hidden: bool = True):
    """The student version nbgrader's generate makes of folder/a1_ppv.py (its cutting
    steps only), and the resources RefuseLeakedAnswers then receives."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    from medai.course.sources import read_source

    source = folder / "a1_ppv.py"
    source.write_text(INSTRUCTOR_SOURCE, encoding="utf-8")
    nb = read_source(source)
    resources = {"metadata": {"path": str(folder)}, "unique_key": "a1_ppv"}
    if clear_solutions:
        nb, resources = ClearSolutions().preprocess(nb, resources)
    if clear_hidden:
        nb, resources = ClearHiddenTests().preprocess(nb, resources)
    return nb, resources


def test_a_clean_student_version_passes_unchanged(tmp_path):
    nb, resources = generated(tmp_path)
    before = nbformat.from_dict(nb)
    after, _ = RefuseLeakedAnswers().preprocess(nb, resources)
    assert after == before
    assert "raise NotImplementedError()" in after.cells[1].source


@pytest.mark.parametrize(("step", "leaked"), [
    ("clear_solutions", ANSWER), ("clear_hidden", HIDDEN),
])
def test_a_surviving_answer_or_hidden_test_stops_generate(tmp_path, step, leaked):
    nb, resources = generated(tmp_path, **{step: False})
    with pytest.raises(RuntimeError) as err:
        RefuseLeakedAnswers().preprocess(nb, resources)
    message = str(err.value)
    assert "a1_ppv" in message and "would show an answer" in message
    assert repr(leaked) in message or any(m in message for m in leaks.MARKERS)


def test_an_answer_copied_into_a_markdown_hint_is_refused(tmp_path):
    nb, resources = generated(tmp_path)
    nb.cells.append(new_markdown_cell(f"Hint: `{ANSWER}`"))
    with pytest.raises(RuntimeError, match="a1_ppv"):
        RefuseLeakedAnswers().preprocess(nb, resources)


def test_without_a_text_source_beside_it_nothing_is_checked(tmp_path):
    nb, resources = generated(tmp_path, clear_solutions=False)
    (tmp_path / "a1_ppv.py").unlink()  # a notebook written in JupyterLab, not from a .py
    after, _ = RefuseLeakedAnswers().preprocess(nb, resources)
    assert ANSWER in after.cells[1].source


# --- where nbgrader runs them (settings) -------------------------------------------------

def test_each_preprocessor_is_wired_where_its_gap_is():
    from helpers import REPO
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearSolutions,
        GetGrades,
        LimitOutput,
        OverwriteCells,
        SaveAutoGrades,
    )

    from medai.course import manifest
    from medai.grading import settings
    from medai.grading.offline_math import MathToMathML

    c = settings.config_for(manifest.load(REPO / "course" / "course.yml"))
    sanitize = c.Autograde.sanitize_preprocessors
    assert RestoreHiddenTests in sanitize and OverwriteCells not in sanitize
    autograde = c.Autograde.autograde_preprocessors
    assert autograde[1] is StderrIsNotFailure, "right after execution"
    assert autograde.index(StderrIsNotFailure) < autograde.index(SaveAutoGrades)
    assert autograde.index(ClearMetadataPreprocessor) < autograde.index(LimitOutput)
    generate = c.GenerateAssignment.preprocessors
    assert generate[-1] is RefuseLeakedAnswers
    assert generate.index(ClearSolutions) < generate.index(RefuseLeakedAnswers)
    assert ClearHiddenTests in generate
    feedback = c.GenerateFeedback.preprocessors
    assert feedback[0] is GetGrades and {HideHiddenTests, MathToMathML} <= set(feedback)
