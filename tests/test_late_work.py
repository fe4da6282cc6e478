"""Late work: the course's penalty policy and the students' extensions, applied by
`medai grade` and `medai export`, shown in feedback and in the report."""

from __future__ import annotations

import csv
import math

import pytest
from helpers import autograded_points, copy_course
from submissions import reference_answers, submit

from medai.cli import main
from medai.course import manifest
from medai.grading import late, pipeline, report

DAY = 86400
POLICY = late.LatePolicy(penalty_per_day=0.1, grace_minutes=15, zero_after_days=7)


def test_the_penalty_counts_started_days_after_the_grace_period():
    assert POLICY.penalty(10, 0) == 0 and POLICY.penalty(10, -5) == 0
    assert POLICY.penalty(10, 14 * 60) == 0, "inside the 15 minutes of grace"
    assert math.isclose(POLICY.penalty(10, 16 * 60), 1.0), "a minute into day one: 10 %"
    assert math.isclose(POLICY.penalty(10, 1.5 * DAY), 2.0), "a day and a half: two days"
    assert math.isclose(POLICY.penalty(10, 7 * DAY), 7.0)
    assert POLICY.penalty(10, 7 * DAY + 16 * 60) == 10, "after seven days: no points"
    assert late.LatePolicy().penalty(10, 30 * DAY) == 0, "no policy, no penalty"
    assert late.LatePolicy(penalty_per_day=0.5).penalty(4, 5 * DAY) == 4, "never below zero"


def _write(tmp_path, text: str):
    path = tmp_path / "extensions.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_extensions_file_is_read_and_every_fault_is_listed(tmp_path):
    good = _write(tmp_path, "username,assignment,extra_days,reason\n"
                            "kim01,a1,2,hospital stay\nlee02,a2,0.5,\n")
    assert late.read_extensions(good, {"a1", "a2"}) == {("kim01", "a1"): 2.0,
                                                        ("lee02", "a2"): 0.5}
    bad = _write(tmp_path, "username,assignment,extra_days,reason\n"
                           "kim01,a99,2,\nlee02,a1,two,\nlee02,a1,1,\n,a1,1,\n")
    with pytest.raises(late.ExtensionsError) as caught:
        late.read_extensions(bad, {"a1"})
    message = str(caught.value)
    assert "line 2: assignment 'a99' is not in course.yml" in message
    assert "line 3: extra_days 'two' must be a number" in message
    assert "line 4: a second extension for lee02 on a1" in message
    assert "line 5: no username" in message
    with pytest.raises(late.ExtensionsError, match="needs the header"):
        late.read_extensions(_write(tmp_path, "student,days\nkim01,2\n"), {"a1"})


def test_a_policy_that_makes_no_sense_is_refused(tmp_path):
    course_yml = copy_course(tmp_path)
    text = course_yml.read_text(encoding="utf-8")
    course_yml.write_text(text.replace("penalty_per_day: 0.1", "penalty_per_day: 10")
                          .replace("grace_minutes: 15", "grace_hours: 1"), encoding="utf-8")
    with pytest.raises(manifest.ManifestError) as caught:
        manifest.load(course_yml)
    assert "grading.late_work.penalty_per_day" in str(caught.value)
    assert "grading.late_work.grace_hours: unknown setting" in str(caught.value)


A1 = "a1_diagnostic_metrics"


@pytest.mark.slow
def test_late_work_in_grades_export_report_and_feedback(tmp_path, capsys):
    """a1 is due 2027-03-23 23:59 KST. on_time hands in before; late hands in 36 hours
    after (two started days: 20 % off); excused as late, with a 2-day extension; very_late
    ten days after (zero). The extension is then withdrawn and the export follows."""
    m = manifest.load(copy_course(tmp_path))
    pipeline.generate(m, "a1")
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    handed_in = {"on_time": "2027-03-23 20:00:00+09:00", "late": "2027-03-25 11:59:00+09:00",
                 "excused": "2027-03-25 11:59:00+09:00",
                 "very_late": "2027-04-02 23:59:00+09:00"}
    for student, when in handed_in.items():
        notebook = submit(released, m.course_directory / "submitted", student, answers)
        (notebook.parent / "timestamp.txt").write_text(when)
    extensions = m.path.parent / "extensions.csv"
    extensions.write_text("username,assignment,extra_days,reason\nexcused,a1,2,illness\n")
    pipeline.grade(m, "a1", workers=2)
    full = autograded_points("a1")

    assert main(["--course", str(m.path), "export", "--to", str(tmp_path / "g.csv")]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "g.csv").open())}
    score = {s: float(rows[s]["a1"]) for s in handed_in}
    assert score == {"on_time": full, "late": pytest.approx(0.8 * full),
                     "excused": full, "very_late": 0.0}

    data = report.collect(m, "a1")
    assert sorted(s for s, *_ in data["late"]) == ["late", "very_late"]
    page = report.render(data)
    assert "Late submissions (2)" in page and "very_late: 240.0 h late" in page

    assert main(["--course", str(m.path), "feedback", "a1"]) == 0
    feedback = (m.course_directory / "feedback" / "late" / "a1" / f"{A1}.html").read_text()
    assert "Late submission penalty" in feedback

    extensions.write_text("username,assignment,extra_days,reason\n")  # withdrawn
    assert main(["--course", str(m.path), "export", "--to", str(tmp_path / "g2.csv")]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "g2.csv").open())}
    assert float(rows["excused"]["a1"]) == pytest.approx(0.8 * full)
    capsys.readouterr()
