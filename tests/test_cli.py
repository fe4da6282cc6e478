"""Mistakes a user can make get one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, autograded_points, grade_points

from medai.cli import main


def run_medai(*args, cwd):
    medai = Path(sys.executable).with_name("medai")
    return subprocess.run([str(medai), *args], cwd=cwd, capture_output=True, text=True)


def test_unknown_assignment(course_copy, capsys):
    assert main(["--course", str(course_copy), "release", "a99"]) == 2
    err = capsys.readouterr().err
    assert "unknown assignment 'a99'" in err and "a1" in err


def test_planned_assignment_cannot_be_released(course_copy, capsys):
    text = course_copy.read_text()
    ready_a4 = "title: DICOM to Hounsfield units and a de-identified copy\n    status: ready"
    assert ready_a4 in text
    course_copy.write_text(text.replace(ready_a4, ready_a4.replace("ready", "planned")))
    assert main(["--course", str(course_copy), "release", "a4"]) == 2
    assert "a4' is planned in course.yml" in capsys.readouterr().err


def test_grading_before_release(course_copy, capsys):
    assert main(["--course", str(course_copy), "grade", "a1"]) == 2
    assert "run `medai release a1`" in capsys.readouterr().err


@pytest.mark.slow
def test_grading_with_no_submissions(course_copy, capsys):
    assert main(["--course", str(course_copy), "release", "a1"]) == 0
    assert main(["--course", str(course_copy), "grade", "a1"]) == 2
    assert "no submissions for a1" in capsys.readouterr().err


@pytest.mark.slow
def test_a_broken_submission_is_reported_and_the_class_still_graded(course_copy, capsys):
    from submissions import reference_answers, submit

    root = course_copy.parent.parent
    assert main(["--course", str(course_copy), "release", "a1"]) == 0
    released = root / "assignments" / "release" / "a1" / "a1_diagnostic_metrics.ipynb"
    submitted = root / "assignments" / "submitted"
    answers = reference_answers(root / "assignments" / "source" / "a1" / "a1_diagnostic_metrics.py")
    submit(released, submitted, "good", answers)
    broken = submitted / "broken" / "a1" / "a1_diagnostic_metrics.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [ this is not json')
    empty = submitted / "empty" / "a1" / "a1_diagnostic_metrics.ipynb"
    empty.parent.mkdir(parents=True)
    empty.write_text("")
    renamed = submitted / "renamed" / "a1" / "a1_diagnostic_metrics-Copy1.ipynb"
    renamed.parent.mkdir(parents=True)
    renamed.write_bytes(released.read_bytes())
    before = broken.read_bytes()
    assert main(["--course", str(course_copy), "grade", "a1"]) == 1
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert rows["broken"].split()[1] == "failed"
    assert "a1_diagnostic_metrics.ipynb: not valid JSON" in rows["broken"]
    assert "a1_diagnostic_metrics.ipynb: the file is empty" in rows["empty"]
    assert ("missing a1_diagnostic_metrics.ipynb (found a1_diagnostic_metrics-Copy1.ipynb)"
            in rows["renamed"])
    full, total = autograded_points("a1"), sum(grade_points("a1").values())
    assert rows["good"].split()[1:5] == ["graded", f"{full:g}", "/", f"{total:g}"]
    assert "4 submissions: 1 graded now, 0 unchanged since the last run, 3 failed" in out
    assert broken.read_bytes() == before, "grading never modifies a submission"


def test_outside_a_course_the_error_says_what_to_do(tmp_path):
    result = run_medai("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "no course/course.yml" in result.stderr and "MEDAI_COURSE" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_checks_the_course(course_copy):
    result = run_medai("course", "check", cwd=course_copy.parent.parent)
    assert result.returncode == 0, result.stderr
    assert "medai101" in result.stdout


def test_output_cut_short_by_a_pipe_is_not_an_error():
    """`medai datasets info NAME | head`: the reader is gone before medai writes."""
    medai = Path(sys.executable).with_name("medai")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([str(medai), "datasets", "info", "ehr_cohort"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_version_and_course_info(course_copy, capsys):
    import re

    import pytest

    declared = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(),
                         re.M)[1]
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"medai-course {declared} (") and ("git" in line or "not a" in line)
    assert main(["--course", str(course_copy), "course", "info"]) == 0
    out = capsys.readouterr().out
    assert f"medai-course {declared}" in out and "not a git checkout" in out
    assert f"exchange:   {course_copy.parent.parent / 'exchange'}" in out


def test_changes_between_two_versions(course_copy, capsys):
    root = course_copy.parents[1]

    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "term 1")
    git("tag", "v0.1.0")
    lesson = root / "notebooks" / "dx01_clinical_prediction" / "dx01_clinical_prediction.py"
    lesson.write_text(lesson.read_text() + "\n# %% [markdown]\n# A correction.\n")
    mutant = next((root / "assignments" / "source" / "a1" / "mutants").glob("*.py"))
    mutant.write_text(mutant.read_text() + "\n")
    git("commit", "-qam", "corrections")
    git("tag", "v0.1.1")
    course = ["--course", str(course_copy)]
    assert main([*course, "changes", "v0.1.0", "v0.1.1"]) == 0
    out = capsys.readouterr().out
    assert "lesson dx01 Clinical prediction basics: dx01_clinical_prediction.py" in out
    assert "assignment a1: its mutants or alternatives only" in out
    assert main([*course, "changes", "v0.1.1"]) == 0
    assert "no change to the course" in capsys.readouterr().out
    assert main([*course, "changes", "v9.9.9"]) == 2
    assert "unknown revision" in capsys.readouterr().err
