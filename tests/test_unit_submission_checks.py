"""What is wrong with a submission, said before nbgrader meets it (problems), and what a TA
should look at in one that grades (notes): small files written to tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from medai.grading.submission_checks import notes, problems

NAME = "a1_metrics.ipynb"
IDS = ["q1_answer", "q1_tests", "q2_answer", "q2_tests"]


def notebook(grade_ids: list[str]):
    cells = [new_markdown_cell("# Assignment 1")]
    cells += [new_code_cell(f"# {grade_id}", metadata={"nbgrader": {"grade_id": grade_id}})
              for grade_id in grade_ids]
    return new_notebook(cells=cells)


def write(folder: Path, name: str, grade_ids: list[str] = IDS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook(grade_ids), folder / name)
    return folder / name


@pytest.fixture
def released(tmp_path) -> Path:
    write(tmp_path / "release", NAME)
    return tmp_path / "release"


@pytest.fixture
def submitted(tmp_path) -> Path:
    (tmp_path / "submitted").mkdir()
    return tmp_path / "submitted"


def test_an_intact_submission_has_no_problems_and_no_notes(released, submitted):
    write(submitted, NAME)
    write(submitted, "scratch.ipynb", ["my_own"])  # an extra notebook of the student's
    (submitted / "data.csv").write_text("a,b\n")
    assert problems(released, submitted) == []
    assert notes(released, submitted) == []


def test_a_renamed_notebook_is_missing_and_the_reason_names_what_was_found(released,
                                                                           submitted):
    write(submitted, "Copy of a1_metrics.ipynb")
    assert problems(released, submitted) == [
        f"missing {NAME} (found Copy of a1_metrics.ipynb); the file must keep its name"]
    assert notes(released, submitted) == [], "nothing to compare it with"


def test_an_empty_folder_says_there_are_no_notebooks(released, submitted):
    [reason] = problems(released, submitted)
    assert reason.startswith(f"missing {NAME} (found no notebooks)")


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "the file is empty"),
    (b"  \n", "the file is empty"),
    (b'{"cells": [\xff]}', "not UTF-8 text (bad byte at offset 11)"),
    (b'{"cells": [}', "not valid JSON (line 1, column 12)"),
    (json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                 "worksheets": []}).encode(), "nbformat 3 is not supported"),
    (json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": []}).encode(),
     "not a valid Jupyter notebook ('metadata' is a required property)"),
    (b"[1, 2]", "not a valid Jupyter notebook"),
], ids=["empty", "blank", "not_utf8", "bad_json", "nbformat3", "no_metadata", "a_list"])
def test_a_damaged_notebook_is_refused_with_a_one_line_reason(released, submitted, content,
                                                              reason):
    (submitted / NAME).write_bytes(content)
    [found] = problems(released, submitted)
    assert found.startswith(f"{NAME}: {reason}")
    assert "\n" not in found


def test_a_copied_grade_cell_is_refused(released, submitted):
    write(submitted, NAME, IDS + ["q1_tests", "q2_answer", "q2_answer"])
    assert problems(released, submitted) == [
        f"{NAME}: grade cell q1_tests, q2_answer appears more than once (a copied test or "
        "answer cell); delete the copy and resubmit"]


def test_each_notebook_of_an_assignment_is_checked(tmp_path):
    write(tmp_path / "release", "part1.ipynb")
    write(tmp_path / "release", "part2.ipynb")
    write(tmp_path / "submitted", "part1.ipynb")
    (tmp_path / "submitted" / "part2.ipynb").write_text("")
    [reason] = problems(tmp_path / "release", tmp_path / "submitted")
    assert reason.startswith("part2.ipynb: the file is empty")


def test_moved_and_deleted_cells_are_noted(released, submitted):
    write(submitted, NAME, ["q1_answer", "q2_tests", "q2_answer", "extra"])
    assert notes(released, submitted) == [
        f"{NAME}: graded cells are not in the released order, so a test may have run "
        "before its answer",
        f"{NAME}: cells q1_tests were deleted and put back from the release for grading",
    ]
    assert problems(released, submitted) == [], "neither stops grading"


def test_a_deletion_alone_is_not_a_reordering(released, submitted):
    write(submitted, NAME, ["q1_answer", "q2_answer", "q2_tests"])
    assert notes(released, submitted) == [
        f"{NAME}: cells q1_tests were deleted and put back from the release for grading"]


@pytest.mark.parametrize("metadata", [None, "q1_tests"])
def test_a_cell_with_broken_nbgrader_metadata_is_a_reason_not_a_crash(released, submitted,
                                                                      metadata):
    damaged = notebook(IDS)
    damaged.cells[1].metadata["nbgrader"] = metadata  # JupyterLab's metadata editor allows it
    nbformat.write(damaged, submitted / NAME)
    [reason] = problems(released, submitted)
    assert reason.startswith(f"{NAME}: ")
