"""course.yml validation: every problem reported at once, with file and field."""

from __future__ import annotations

import pytest
import yaml
from traitlets.config import PyFileConfigLoader

from medai.cli import main
from medai.course import manifest


def edit(course_yml, change):
    data = yaml.safe_load(course_yml.read_text())
    change(data)
    course_yml.write_text(yaml.safe_dump(data, sort_keys=False))


def messages(course_yml):
    return [str(p) for p in manifest.check(course_yml)]


def test_the_real_manifest_is_valid(capsys):
    assert manifest.check(manifest.default_manifest_path()) == []
    assert main(["course", "check"]) == 0
    assert "OK" in capsys.readouterr().out


def test_unknown_lesson(course_copy):
    edit(course_copy, lambda d: d["weeks"][0]["lessons"].append("dx99"))
    assert messages(course_copy) == [
        "course/course.yml: weeks[0].lessons[1]: unknown lesson 'dx99'"
    ]


def test_missing_file(course_copy):
    (course_copy.parent.parent / "notebooks" / "dx01_clinical_prediction"
     / "dx01_clinical_prediction.py").unlink()
    assert messages(course_copy) == [
        "course/course.yml: lessons[0].source: missing file "
        "notebooks/dx01_clinical_prediction/dx01_clinical_prediction.py"
    ]


def test_missing_assignment_notebook(course_copy):
    edit(course_copy, lambda d: d["assignments"][0]["notebooks"].append("a1_extra"))
    assert messages(course_copy) == [
        "course/course.yml: assignments[0].notebooks[1]: missing file "
        "assignments/source/a1/a1_extra.py"
    ]


def test_duplicate_id(course_copy):
    appended = []

    def duplicate(d):
        appended.append(len(d["lessons"]))
        d["lessons"].append(dict(d["lessons"][1]))
    edit(course_copy, duplicate)
    [message] = messages(course_copy)
    assert message.startswith(
        f"course/course.yml: lessons[{appended[0]}].id: duplicate id 'dx02'")


def test_points_that_do_not_add_up(course_copy):
    edit(course_copy, lambda d: d["assignments"][0].update(points=12))
    assert messages(course_copy) == [
        "course/course.yml: assignments[0].points: points do not add up: the manifest says 12 "
        "but the grade cells of its notebooks add up to 13"
    ]


def test_week_with_no_content(course_copy):
    def empty_week(d):
        d["weeks"][7] = {"week": 8}
        del d["weeks"][14]
    edit(course_copy, empty_week)
    assert messages(course_copy) == [
        "course/course.yml: weeks[7]: week 8 has no content (lessons, assignments or activities)",
        "course/course.yml: weeks: week 15 has no content (it is not in the plan)",
    ]


def test_every_problem_is_reported_at_once(course_copy, capsys):
    def break_everything(d):
        d["weeks"][0]["lessons"] = ["nope"]
        d["assignments"][0]["points"] = 3
        d["lessons"][0]["module"] = "radiology"
        d["tracks"][1]["extends"] = "basic"
        d["assignments"][0]["due"] = "next tuesday"
    edit(course_copy, break_everything)
    assert main(["--course", str(course_copy), "course", "check"]) == 1
    out = capsys.readouterr().out
    for field in ("weeks[0].lessons[0]", "assignments[0].points", "lessons[0].module",
                  "tracks[1].extends", "assignments[0].due"):
        assert f"course/course.yml: {field}:" in out, field


def test_broken_yaml_is_a_clear_error(course_copy, capsys):
    course_copy.write_text("course:\n  id: x\n  title: [unclosed\n")
    [problem] = manifest.check(course_copy)
    assert problem.field == "line 4" or problem.field.startswith("line ")
    assert "invalid YAML" in problem.message
    assert main(["--course", str(course_copy), "release", "a1"]) == 2
    assert "invalid YAML" in capsys.readouterr().err


def test_tracks_extend_the_core():
    m = manifest.load(manifest.default_manifest_path())
    core_lessons, core_assignments = m.track_contents("core")
    clinician_lessons, clinician_assignments = m.track_contents("clinician")
    assert set(core_lessons) < set(clinician_lessons)
    assert set(core_assignments) <= set(clinician_assignments)
    assert clinician_assignments[:len(core_assignments)] == core_assignments
    assert "dx01" in core_lessons


def test_nbgrader_config_is_derived_from_the_manifest(course_copy):
    config_file = course_copy.parent / "nbgrader_config.py"
    config = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
    m = manifest.load(course_copy)
    assert config.CourseDirectory.course_id == m.course_id == "medai101"
    assert config.CourseDirectory.root == str(course_copy.parent.parent / "assignments")
    assert config.CourseDirectory.db_url == (
        f"sqlite:///{course_copy.parent.parent / 'assignments' / 'gradebook.db'}"
    )
    assert "a1_diagnostic_metrics.py" in config.CourseDirectory.ignore


def test_gradebook_url_can_be_overridden(course_copy, monkeypatch):
    monkeypatch.setenv("MEDAI_GRADEBOOK_URL", "postgresql://grader@localhost/medai")
    assert manifest.load(course_copy).resolved_gradebook_url() == (
        "postgresql://grader@localhost/medai"
    )


def test_lesson_targets_are_parsed_and_checked(course_copy):
    data = yaml.safe_load(course_copy.read_text())
    data["lessons"][0]["targets"] = {"held-out Dice": ">= 0.90", "RMSE": "<=1.15"}
    course_copy.write_text(yaml.safe_dump(data, sort_keys=False))
    assert manifest.load(course_copy).lessons[0].targets == {
        "held-out Dice": (">=", 0.90), "RMSE": ("<=", 1.15)}
    data["lessons"][0]["targets"] = {"Dice": "at least 0.9"}
    course_copy.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(manifest.ManifestError, match=r"lessons\[0\].targets.Dice"):
        manifest.load(course_copy)


def test_changelog_names_the_package_version(course_copy, capsys):
    import medai
    from medai.cli import main as medai_main

    changelog = course_copy.parents[1] / "CHANGELOG.md"
    changelog.write_text(f"# Changelog\n\n## [Unreleased]\n\n## [{medai.__version__}] - "
                         "2026-12-06\n")
    assert medai_main(["--course", str(course_copy), "course", "check"]) == 0
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n## [9.0.0] - 2027-01-01\n")
    assert medai_main(["--course", str(course_copy), "course", "check"]) == 1
    assert f"the newest entry is 9.0.0 but the package is {medai.__version__}" in \
        capsys.readouterr().out


def test_a_track_teaches_the_lessons_of_its_assignments(course_copy):
    """Engineer-track students once got a3 without dx05, its only lesson."""
    data = yaml.safe_load(course_copy.read_text())
    core = next(t for t in data["tracks"] if t["id"] == "core")
    core["lessons"].remove("dx05")
    course_copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    messages = [p.message for p in manifest.check(course_copy)]
    assert "core sets a3 but does not teach dx05, which it relies on: add the lesson to the " \
        "track or move the assignment" in messages
    assert any(m.startswith("engineer sets a3 but does not teach dx05") for m in messages)
