"""Per-student variants: each student's data follow their id, in their session and when
graded, and a result typed in from another student's data loses its points."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from helpers import copy_course, grade_points
from submissions import reference_answers, submit

from medai.course import manifest
from medai.grading import nbgrader_api, pipeline
from medai.grading.sandbox.kernel import _autograded_student
from medai.teach import variant

A8 = "a8_treatment_effect"


def test_the_seed_follows_the_student_and_the_assignment():
    assert variant.seed("a8", "kim01") == variant.seed("a8", "kim01")
    assert len({variant.seed("a8", s) for s in ("kim01", "lee02", "park03")}) == 3
    assert variant.seed("a8", "kim01") != variant.seed("a1", "kim01")
    assert 0 <= variant.seed("a8", "kim01") < 2**32


def test_the_grader_decides_the_student_then_the_hub_then_the_account(monkeypatch):
    monkeypatch.delenv(variant.GRADER_VARIABLE, raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    import getpass

    assert variant.student_id() == getpass.getuser()
    monkeypatch.setenv("JUPYTERHUB_USER", "kim01")
    assert variant.student_id() == "kim01"
    monkeypatch.setenv(variant.GRADER_VARIABLE, "lee02")
    assert variant.student_id() == "lee02"


def test_the_student_sees_their_variant(monkeypatch, capsys):
    monkeypatch.setenv(variant.GRADER_VARIABLE, "kim01")
    monkeypatch.setenv("MEDAI_LANG", "en")
    seed = variant.show("a8")
    out = capsys.readouterr().out
    assert seed == variant.seed("a8", "kim01") and f"{seed:08x}" in out and "kim01" in out
    monkeypatch.setenv("MEDAI_LANG", "ko")
    variant.show("a8")
    assert "변형" in capsys.readouterr().out


def test_a_working_copy_of_nbgrader_autograde_names_its_student():
    assert _autograded_student("/srv/c/autograded/kim01/a8") == "kim01"
    assert _autograded_student("/srv/c/autograded/kim01/a8/") == "kim01"
    assert _autograded_student("/srv/c/submitted/kim01/a8") is None
    assert _autograded_student("/tmp/work") is None and _autograded_student(None) is None


def test_variants_must_be_true_or_false(tmp_path):
    course_yml = copy_course(tmp_path)
    text = course_yml.read_text(encoding="utf-8")
    course_yml.write_text(text.replace("    variants: true", '    variants: "yes"'),
                          encoding="utf-8")
    with pytest.raises(manifest.ManifestError, match="variants.*true or false"):
        manifest.load(course_yml)


def _ipw_of_the_cohort(student: str) -> float:
    """What a8's reference computes as cohort_effect for ``student`` (their variant)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from medai import datasets

    cohort = datasets.load("observational_cohort", n_patients=5000,
                           seed=variant.seed("a8", student))
    p = cohort["patients"]
    X = p.assign(female=(p["sex"] == "F").astype(int))[
        ["age", "female", "weight_kg", "diabetes", "smoker", "egfr", "baseline_sbp"]]
    t, y = p["treated"].to_numpy(), p["sbp_12w"].to_numpy()
    e = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(
        X.to_numpy(float), t).predict_proba(X.to_numpy(float))[:, 1]
    w1, w0 = t / e, (1 - t) / (1 - e)
    return float((w1 * y).sum() / w1.sum() - (w0 * y).sum() / w0.sum())


@pytest.mark.slow
def test_a_result_typed_in_for_one_student_fails_for_another(tmp_path):
    """kim01 types in the effect their own data give; park03 hands in kim01's notebook. Each
    is graded on their own variant: kim01 keeps every point, park03 loses Question 4's.
    park03 is graded by plain `nbgrader autograde`, as the Formgrader's button does."""
    m = manifest.load(copy_course(tmp_path))
    pipeline.generate(m, "a8")
    released = m.course_directory / "release" / "a8" / f"{A8}.ipynb"
    answers = reference_answers(m.course_directory / "source" / "a8" / f"{A8}.py")
    typed = {**answers, "q4_value": f"cohort_effect = {_ipw_of_the_cohort('kim01')!r}\n"}
    submitted = m.course_directory / "submitted"
    for student, chosen in (("kim01", typed), ("lee02", answers), ("park03", typed)):
        submit(released, submitted, student, chosen)
    results = {r.student: r for r in pipeline.grade(m, "a8", ["kim01", "lee02"], workers=2)}
    nbgrader = os.path.join(os.path.dirname(sys.executable), "nbgrader")
    env = dict(os.environ, PATH=nbgrader_api.path_with_tools(os.environ.get("PATH", "")))
    subprocess.run([nbgrader, "autograde", "a8", "--student", "park03"], check=True,
                   cwd=m.path.parent, capture_output=True, env=env)
    from nbgrader.api import Gradebook

    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions("a8")}
    points = grade_points("a8")
    full = sum(v for k, v in points.items() if k.endswith("_tests"))
    assert results["kim01"].status == results["lee02"].status == "graded"
    assert scores["kim01"] == scores["lee02"] == full
    assert scores["park03"] == full - points["q4_tests"]
    for student in ("kim01", "park03"):
        graded = nbformat.read(m.course_directory / "autograded" / student / "a8" /
                               f"{A8}.ipynb", as_version=4)
        setup = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get(
            "grade_id") == "setup")
        printed = json.dumps(setup.outputs)
        assert f"{variant.seed('a8', student):08x}" in printed and student in printed
    assert not np.isclose(_ipw_of_the_cohort("kim01"), _ipw_of_the_cohort("park03"))
