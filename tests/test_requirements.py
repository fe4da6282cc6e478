"""The requirements table and the rubrics, read and checked without grading anything
(`medai check` grades; tests/test_assignment_qa.py runs it on every assignment)."""

from __future__ import annotations

import pytest
from helpers import REPO

from medai.course import manifest, sources
from medai.grading import qa, requirements, rubrics

COURSE = manifest.load(REPO / "course" / "course.yml")
SOURCES = [COURSE.assignment_sources(a)[0] for a in COURSE.ready_assignments()]

ASSIGNMENT = """# %% [markdown]
# ## Question 1 · Counting (2 points)
#
# Return the **number** of positives; an empty list has `0`.

# %% nbgrader={"grade_id": "q1_answer", "solution": true, "schema_version": 3}
def count(xs):
    return sum(xs)

# %% nbgrader={"grade": true, "grade_id": "q1_tests", "points": 2, "schema_version": 3}
assert count([1, 0]) == 1

# %% [markdown]
# ## Question 2 · Why (2 points, graded by hand)
#
# **Rubric** (2 points)
#
# | points | the answer |
# |---|---|
# | 1 | names the cause |
# | 1 | names a remedy |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q2_why", "points": 2, "solution": true}
# Because.
"""

TABLE = """- question: q1
  says: "an empty list has 0"
  tests: [q1_tests]
  mutants: [empty_list_crashes]
"""


def write(tmp_path, table=TABLE, assignment=ASSIGNMENT):
    (tmp_path / "a9.py").write_text(assignment)
    (tmp_path / requirements.FILE).write_text(table)
    return sources.read_source(tmp_path / "a9.py"), requirements.load(tmp_path)


def test_a_true_table_has_no_problems(tmp_path):
    notebook, table = write(tmp_path)
    assert table == [requirements.Requirement("q1", "an empty list has 0", ("q1_tests",),
                                              ("empty_list_crashes",))]
    assert requirements.problems(table, notebook, ["empty_list_crashes"]) == []
    assert rubrics.problems(notebook) == []


def test_untrue_or_incomplete_tables_are_named(tmp_path):
    notebook, table = write(tmp_path, TABLE.replace("an empty list has 0", "an empty list has 1")
                            .replace("q1_tests]", "q1_tests, q9_tests]"))
    found = requirements.problems(table, notebook, ["empty_list_crashes", "off_by_one"])
    assert any("is not in the assignment's text" in p for p in found)
    assert any("'q9_tests' is not a test cell" in p for p in found)
    assert any("mutant 'off_by_one' breaks no listed requirement" in p for p in found)
    assert requirements.problems([], notebook, [])[0].startswith("no requirements.yml")


def test_a_requirement_is_proven_only_by_a_mutant_losing_points_in_its_test(tmp_path):
    _, table = write(tmp_path)
    full = {"q1_tests": 2.0}
    assert requirements.unproven(table, {"empty_list_crashes": {"q1_tests": 0.0}}, full) == []
    kept = requirements.unproven(table, {"empty_list_crashes": {"q1_tests": 2.0}}, full)
    assert kept and "keeps full points in q1_tests" in kept[0]


@pytest.mark.parametrize("bad, message", [
    ("- question: q1\n  says: x\n", "needs tests, mutants"),
    ("- question: q1\n  says: x\n  tests: [t]\n  mutants: [m]\n  note: y\n", "unknown key"),
    ("[unclosed", "not valid YAML"),
    ("question: q1\n", "must be a list"),
])
def test_a_malformed_table_says_what_is_wrong(tmp_path, bad, message):
    (tmp_path / requirements.FILE).write_text(bad)
    with pytest.raises(requirements.RequirementsError, match=message):
        requirements.load(tmp_path)


def test_a_rubric_must_add_up_to_the_points(tmp_path):
    notebook, _ = write(tmp_path, assignment=ASSIGNMENT.replace("# | 1 | names a remedy |\n", ""))
    assert rubrics.problems(notebook) == ["q2_why: the rubric's points add up to 1, the cell "
                                          "is worth 2"]
    notebook, _ = write(tmp_path, assignment=ASSIGNMENT.replace("**Rubric**", "Rubric"))
    assert "has no **Rubric** table" in rubrics.problems(notebook)[0]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_every_assignment_has_its_table_rubrics_and_alternatives(source):
    """The static half of `medai check`: the grading half runs in test_assignment_qa."""
    notebook = sources.read_source(source)
    mutants = [m.name for m in qa.load_mutants(source.parent / "mutants")]
    assert requirements.problems(requirements.load(source.parent), notebook, mutants) == []
    assert rubrics.problems(notebook) == []
    assert len(qa.load_mutants(source.parent / "alternatives")) >= 3, (
        "keep at least three correct answers written another way in alternatives/")
