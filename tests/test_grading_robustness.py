"""Every kind of broken submission gets a clear status; the class is still graded and no
submission is modified. Each case is a real a1 notebook graded by `medai grade` in the sandbox."""

from __future__ import annotations

import hashlib

import nbformat
import pytest
import yaml
from helpers import autograded_points, copy_course, grade_points
from nbformat.v4 import new_code_cell
from submissions import reference_answers, submit

from medai.course import manifest
from medai.grading import pipeline

pytestmark = pytest.mark.slow
A1 = "a1_diagnostic_metrics"
FULL = autograded_points("a1")  # the written answer waits for a human

# Extra code cells a student might leave in an otherwise correct notebook.
EXTRA_CELLS = {
    "interruptible_infinite_loop": "while True:\n    pass",
    "memory_bomb": "hog = bytearray(4 * 1024**3)",
    "huge_file": "with open('big.bin', 'wb') as f:\n    f.write(b'0' * 500 * 1024**2)",
    "sys_exit": "import sys\nsys.exit(3)",
    "gigabytes_of_output": (
        "chunk = 'x' * (1024**2 - 1)\nfor _ in range(3 * 1024):\n    print(chunk)"),
}
# Cases whose notebook cannot finish: the submission fails with a reason.
FATAL_CELLS = {
    "fork_bomb": (
        "import os, time\n"
        "try:\n"
        "    while True:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(60)\n"
        "            os._exit(0)\n"
        "except OSError as err:\n"
        "    print('fork stopped:', err)",
        "processes filled the sandbox's limit of 48"),
    "kernel_crash": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "Kernel died"),
    "uninterruptible_loop": (
        "import time\nwhile True:\n    try:\n        time.sleep(1)\n"
        "    except KeyboardInterrupt:\n        pass", "Timeout waiting for execute reply"),
}


def _restructure(notebook, case: str) -> None:
    cells = notebook.cells
    index = {c.metadata.get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(cells)}
    if case == "deleted_test_cell":
        del cells[index["q4_tests"]]
    elif case == "duplicated_test_cell":
        cells.insert(index["q2_tests"], nbformat.from_dict(dict(cells[index["q2_tests"]])))
    elif case == "reordered_cells":
        q4 = cells.pop(index["q4_tests"])
        cells.insert(index["q1_answer"], q4)  # a test cell before the answer it tests
    elif case == "retyped_test_cell":
        cells[index["q3_tests"]].cell_type = "markdown"
        cells[index["q3_tests"]].pop("outputs", None)
        cells[index["q3_tests"]].pop("execution_count", None)
    elif case == "unknown_kernel":
        notebook.metadata["kernelspec"] = {"name": "python2-medai-missing",
                                           "display_name": "Python 2", "language": "python"}


STRUCTURE = ["deleted_test_cell", "retyped_test_cell", "unknown_kernel"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust")
    course_yml = copy_course(root)
    data = yaml.safe_load(course_yml.read_text())
    data["grading"]["sandbox"] = {"memory_mb": 1024, "cell_timeout_s": 30,
                                  "notebook_timeout_s": 90, "max_file_size_mb": 50,
                                  "max_output_mb": 5, "max_processes": 48}
    course_yml.write_text(yaml.safe_dump(data, sort_keys=False))
    m = manifest.load(course_yml)
    pipeline.generate(m, "a1")
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    submitted = m.course_directory / "submitted"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")

    def with_extra_cell(student: str, code: str) -> None:
        path = submit(released, submitted, student, answers)
        notebook = nbformat.read(path, as_version=4)
        setup = next(i for i, c in enumerate(notebook.cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
        notebook.cells.insert(setup + 1, new_code_cell(code))
        nbformat.write(notebook, path)

    submit(released, submitted, "correct", answers)
    for case, code in {**EXTRA_CELLS, **{k: v[0] for k, v in FATAL_CELLS.items()}}.items():
        with_extra_cell(case, code)
    for case in [*STRUCTURE, "duplicated_test_cell", "reordered_cells"]:
        path = submit(released, submitted, case, answers)
        notebook = nbformat.read(path, as_version=4)
        _restructure(notebook, case)
        nbformat.write(notebook, path)
    for case, content in (("invalid_json", b'{"cells": ['), ("empty_file", b""),
                          ("not_utf8", b'{"cells": "\xff\xfe"}')):
        target = submitted / case / "a1" / f"{A1}.ipynb"
        target.parent.mkdir(parents=True)
        target.write_bytes(content)
    renamed = submit(released, submitted, "renamed_notebook", answers)
    renamed.rename(renamed.with_name("Copy of a1.ipynb"))
    stray = submitted / "missing_notebook" / "a1" / "answers.txt"  # the notebook never came
    stray.parent.mkdir(parents=True)
    stray.write_text("I will send it tomorrow\n")

    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in submitted.rglob("*")
              if p.is_file()}
    results = {r.student: r for r in pipeline.grade(m, "a1", workers=2)}
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in submitted.rglob("*")
             if p.is_file()}
    return results, before, after, m.course_directory / "autograded"


def test_the_correct_submission_is_graded(graded):
    results, *_ = graded
    assert (results["correct"].status, results["correct"].score) == ("graded", FULL)


@pytest.mark.parametrize("case", [*EXTRA_CELLS, *STRUCTURE])
def test_survivable_mistakes_still_earn_their_points(graded, case):
    results, *_ = graded
    assert (results[case].status, results[case].score) == ("graded", FULL), results[case]


def test_gigabytes_of_output_are_cut_at_the_limit(graded):
    *_, autograded = graded
    notebook = autograded / "gigabytes_of_output" / "a1" / f"{A1}.ipynb"
    assert notebook.stat().st_size < 6 * 1024**2, "the output limit of 5 MB was not applied"
    assert "output limit of 5 MB reached" in notebook.read_text()


def test_deleted_cells_are_put_back_and_noted(graded):
    results, *_ = graded
    assert "cells q4_tests were deleted and put back" in results["deleted_test_cell"].reason


def test_a_reordered_notebook_is_graded_as_it_runs_and_flagged(graded):
    results, *_ = graded
    reordered = results["reordered_cells"]
    # q4's test now runs before auroc is defined: those 2 points are lost, the rest stand.
    assert (reordered.status, reordered.score) == ("graded", FULL - grade_points("a1")["q4_tests"])
    assert "not in the released order" in reordered.reason


def test_a_duplicated_grade_cell_is_refused_with_a_reason(graded):
    results, *_ = graded
    assert results["duplicated_test_cell"].status == "failed"
    assert "q2_tests appears more than once" in results["duplicated_test_cell"].reason


@pytest.mark.parametrize("case", FATAL_CELLS)
def test_fatal_notebooks_fail_with_a_reason(graded, case):
    results, *_ = graded
    assert results[case].status == "failed"
    assert FATAL_CELLS[case][1] in results[case].reason, results[case].reason


@pytest.mark.parametrize("case, reason", [
    ("invalid_json", "not valid JSON"), ("empty_file", "the file is empty"),
    ("not_utf8", "not UTF-8"), ("renamed_notebook", "found Copy of a1.ipynb"),
    ("missing_notebook", "found no notebooks"),
])
def test_unreadable_submissions_fail_with_a_reason(graded, case, reason):
    results, *_ = graded
    assert results[case].status == "failed" and reason in results[case].reason


def test_no_submission_is_modified(graded):
    _, before, after, _ = graded
    assert before == after
