"""`medai check`'s pieces that need no grading: reading mutants (and the clear error for a
malformed one), the reference answers, a submission written from answers, the kill rate."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from medai.course.sources import SourceError
from medai.grading import qa
from medai.grading.leaks import SOLUTION_BEGIN, SOLUTION_END
from medai.grading.qa import Mutant, Outcome

ANSWER_META = ('nbgrader={"grade": false, "grade_id": "%s", "locked": false, '
               '"schema_version": 3, "solution": true, "task": false}')
TEST_META = ('nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, '
             '"schema_version": 3, "solution": false, "task": false}')
SOURCE = f'''# %% [markdown]
# # Assignment 1

# %% {ANSWER_META % "q1_answer"}
def ppv(tp, fp):
    ### {SOLUTION_BEGIN}
    return tp / (tp + fp)
    ### {SOLUTION_END}

# %% {TEST_META}
assert ppv(1, 1) == 0.5

# %% {ANSWER_META % "q2_answer"}
### {SOLUTION_BEGIN}
npv = 0.9
### {SOLUTION_END}
'''


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_mutant_says_what_it_does_and_which_answers_it_replaces(tmp_path):
    write(tmp_path, "b_swapped.py", (
        "# %% [markdown]\n# ## Divides by   the\n# wrong  count.\n#\n# Details here.\n\n"
        '# %% nbgrader={"grade_id": "q1_answer"}\ndef ppv(tp, fp):\n    return fp / (tp + fp)\n\n'
        "# %%\n# a helper cell without a grade_id is not an answer\nx = 1\n\n"
        '# %% nbgrader={"grade_id": "q2_answer"}\nnpv = 0.1\n'))
    write(tmp_path, "a_other.py", '# %% [markdown]\n# Other.\n\n# %% nbgrader={"grade_id": '
                                  '"q2_answer"}\nnpv = 0.2\n')
    write(tmp_path, "notes.txt", "not a mutant")
    assert qa.load_mutants(tmp_path) == [
        Mutant("a_other", "Other.", {"q2_answer": "npv = 0.2"}),
        Mutant("b_swapped", "Divides by the wrong count.",
               {"q1_answer": "def ppv(tp, fp):\n    return fp / (tp + fp)",
                "q2_answer": "npv = 0.1"}),
    ]
    assert qa.load_mutants(tmp_path / "none") == [], "an assignment without mutants"


@pytest.mark.parametrize("text", [
    '# %% nbgrader={"grade_id": "q1_answer"}\nx = 1\n',  # no markdown cell
    "# %% [markdown]\n# Wrong.\n\n# %%\nx = 1\n",  # no grade_id
    '# %% [markdown]\n# Wrong.\n\n# %% nbgrader={"grade_id": "q1_answer"\nx = 1\n',  # torn
], ids=["no_description", "no_grade_id", "torn_metadata"])
def test_a_malformed_mutant_is_a_clear_source_error(tmp_path, text):
    path = write(tmp_path, "broken.py", text)
    with pytest.raises(SourceError) as err:
        qa.load_mutants(tmp_path)
    assert str(path) in str(err.value)
    assert "needs a markdown cell saying what it does" in str(err.value)


def test_a_mutant_that_is_not_text_is_a_clear_source_error(tmp_path):
    path = write(tmp_path, "broken.py", b"# %% [markdown]\n# \xff\n")
    with pytest.raises(SourceError, match="not UTF-8") as err:
        qa.load_mutants(tmp_path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("metadata", ["null", '["grade_id"]', '"grade_id of q1"'])
def test_nbgrader_metadata_that_is_not_a_mapping_is_a_clear_source_error(tmp_path, metadata):
    write(tmp_path, "broken.py", f"# %% [markdown]\n# Wrong.\n\n# %% nbgrader={metadata}\nx = 1\n")
    with pytest.raises(SourceError, match="broken.py"):
        qa.load_mutants(tmp_path)


def test_reference_answers_are_the_solutions_without_their_markers(tmp_path):
    source = write(tmp_path, "a1.py", SOURCE)
    assert qa.reference_answers(source) == {
        "q1_answer": "def ppv(tp, fp):\n    return tp / (tp + fp)",
        "q2_answer": "npv = 0.9",
    }


def test_a_submission_is_the_released_notebook_with_the_answers_put_in(tmp_path):
    from medai.course.sources import read_source

    released = tmp_path / "release" / "a1" / "a1.ipynb"
    released.parent.mkdir(parents=True)
    nbformat.write(read_source(write(tmp_path, "a1.py", SOURCE)), released)
    path = qa.submit(released, tmp_path / "submitted", "mutant-x", {"q2_answer": "npv = 0.1"})
    assert path == tmp_path / "submitted" / "mutant-x" / "a1" / "a1.ipynb"
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source
             for c in nbformat.read(path, as_version=4).cells}
    assert cells["q2_answer"] == "npv = 0.1"
    assert SOLUTION_BEGIN in cells["q1_answer"], "an answer not given stays as released"
    assert cells["q1_tests"] == "assert ppv(1, 1) == 0.5"


def test_the_kill_rate_counts_mutants_that_lost_points_and_only_mutants():
    def outcome(name: str, passed: bool, expected: str = "less") -> Outcome:
        return Outcome(name, "what it does", 1.0, expected, passed)

    outcomes = [outcome("reference", False, "full"), outcome("blank", True, "zero"),
                outcome("mutant-a", True), outcome("mutant-b", False), outcome("mutant-c", True),
                outcome("alternative-x", False, "full")]
    assert qa.kill_rate(outcomes) == (2, 3)
    assert qa.kill_rate(outcomes[:2]) == (0, 0)


def test_a_scoped_mutant_keeps_the_answers_above_its_last_test_and_stops_there(tmp_path):
    from medai.course import sources

    notebook = sources.read_source(write(tmp_path, "a1.py", SOURCE))
    reference = qa.reference_answers(tmp_path / "a1.py")
    assert qa.last_test(notebook, ("q1_tests",)) == "q1_tests"
    # q2's answer comes after q1's test: it stays as released, and the run stops there
    assert qa.answers_through(notebook, reference, ("q1_tests",)) == {
        "q1_answer": reference["q1_answer"]}
