"""Delivery without a hub: the exchange, published lessons, a student's workspace, roles.

The round trip release -> fetch -> submit -> collect runs through nbgrader's own
exchange apps, as the Assignments panel would call them.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import nbformat
import pytest

from medai.cli import main
from medai.course import build, manifest
from medai.delivery import exchange, lessons, roster, student
from medai.grading import nbgrader_api


def _run_all(notebook: Path) -> None:
    """What a student does: edit a cell and run it (outputs saved)."""
    nb = nbformat.read(notebook, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\nprint('my note')"
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="my note\n")]
    code.execution_count = 1
    nbformat.write(nb, notebook)


def test_opening_a_lesson_does_not_make_it_stale(course_copy):
    m = manifest.load(course_copy)
    source = m.ready_lessons()[0].source
    build.build_file(source)
    notebook = source.with_suffix(".ipynb")
    nb = nbformat.read(notebook, as_version=4)
    # what JupyterLab writes when it merely opens a notebook
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7",
                                    "mimetype": "text/x-python"}
    nbformat.write(nb, notebook)
    assert build.build_file(source, check=True).state == "unchanged"


def test_build_never_overwrites_an_edited_or_run_lesson(course_copy, capsys):
    m = manifest.load(course_copy)
    source = m.ready_lessons()[0].source
    build.build_file(source)
    notebook = source.with_suffix(".ipynb")
    _run_all(notebook)
    mine = notebook.read_bytes()
    source.write_text(source.read_text() + "\n# %%\nprint('a correction')\n")
    assert main(["--course", str(course_copy), "build"]) == 0
    out, err = capsys.readouterr()
    assert "kept" in out and "not overwritten" in err
    assert notebook.read_bytes() == mine, "the person's edits and outputs survive a build"
    # an untouched notebook is replaced by the new build
    notebook.unlink()
    build.build_file(source)
    source.write_text(source.read_text() + "\n# %%\nprint('another')\n")
    assert build.build_file(source).state == "written"
    assert "another" in notebook.read_text()


def test_exchange_location_setting_and_override(course_copy, tmp_path, monkeypatch):
    m = manifest.load(course_copy)
    assert exchange.configured(m) == m.root / "exchange"  # helpers.copy_course's own exchange
    monkeypatch.setenv("MEDAI_EXCHANGE", str(tmp_path / "shared"))
    assert exchange.location(m) == tmp_path / "shared"
    root = exchange.ensure(m)
    assert stat.S_IMODE(root.stat().st_mode) == 0o1777


def test_unreachable_exchange_falls_back_to_this_machine(course_copy, tmp_path):
    blocker = tmp_path / "a-file"  # a folder cannot be made under a file, even by root
    blocker.write_text("")
    text = course_copy.read_text()
    course_copy.write_text(text.replace("exchange: exchange", f"exchange: {blocker}/exchange"))
    m = manifest.load(course_copy)
    assert exchange.location(m) == m.root / ".exchange"


def test_course_directory_is_closed_to_other_users(course_copy):
    m = manifest.load(course_copy)
    m.course_directory.chmod(0o755)
    exchange.protect_course_directory(m)
    assert stat.S_IMODE(m.course_directory.stat().st_mode) & 0o007 == 0


def test_published_lessons_sync_without_losing_a_students_work(course_copy, tmp_path,
                                                              monkeypatch):
    import medai

    m = manifest.load(course_copy)
    published = lessons.publish(m)
    index = json.loads((published / "course.json").read_text())
    assert len(index["lessons"]) == len(m.ready_lessons())
    assert not list(published.rglob("*.py")), "text sources are not published"
    workspace = tmp_path / "student"
    first = lessons.sync(published, workspace)
    assert {s.state for s in first} == {"new", "news"}
    dx01 = next(s.path for s in first if s.path.name.startswith("dx01"))
    dx02 = next(s.path for s in first if s.path.name.startswith("dx02"))
    _run_all(dx01)
    mine = dx01.read_bytes()
    assert {s.state for s in lessons.sync(published, workspace)} == {"unchanged"}
    # the instructor corrects dx01 and dx02, records it as version 9.9.1, publishes again
    for lesson_id in ("dx01", "dx02"):
        source = m.lesson(lesson_id).source
        source.write_text(source.read_text() + "\n# %% [markdown]\n# A correction.\n")
    before = medai.__version__
    monkeypatch.setattr(medai, "__version__", "9.9.1")
    changelog = m.root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(
        "## [Unreleased]", "## [Unreleased]\n\n## [9.9.1] - 2027-04-01\n\n### Fixed\n"
        "- dx01 and dx02: a correction.", 1))
    lessons.publish(m)
    states = {s.path.name: s for s in lessons.sync(published, workspace)}
    assert states[dx01.name].state == "kept" and dx01.read_bytes() == mine
    assert "A correction." in states[dx01.name].beside.read_text()
    assert "medai-course 9.9.1" in states[dx01.name].beside.read_text()
    assert states[dx02.name].state == "updated" and "A correction." in dx02.read_text()
    news = states[lessons.WHATS_NEW]
    assert news.state == "news"
    note = news.path.read_text()
    assert "9.9.1" in note and f"from version {before}" in note
    assert "- dx01 and dx02: a correction." in note
    lines = student.describe(list(states.values()), workspace)
    assert any(line.startswith("kept") and "updated.ipynb" in line for line in lines)
    assert any(line.startswith("news") and lessons.WHATS_NEW in line for line in lines)


def test_student_config_names_only_the_course_and_the_exchange(tmp_path):
    course = student.Course("medai101", tmp_path / "exchange", "Asia/Seoul")
    folder = student.write_config(course, tmp_path / "ws")
    text = (folder / "nbgrader_config.py").read_text()
    assert "CourseDirectory.root" not in text and "db_url" not in text
    assert "path_includes_course = True" in text
    server = json.loads((folder / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"][
        "nbgrader.server_extensions.formgrader"] is False
    page = json.loads((folder / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] is True
    assert page["disabledExtensions"][student.NEWS_PLUGIN] is True, "no news from the internet"


@pytest.mark.slow
def test_release_fetch_submit_collect_through_the_exchange(course_copy, tmp_path, capsys,
                                                         monkeypatch):
    """The same user plays both roles here; the hub test repeats it with real accounts."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit
    from traitlets.config import Config

    m = manifest.load(course_copy)
    course = ["--course", str(course_copy)]
    assert main([*course, "release", "a1"]) == 0
    assert main([*course, "release", "a1"]) == 2
    assert "--force" in capsys.readouterr().err
    workspace = tmp_path / "ws"
    config = Config()
    config.CourseDirectory.course_id = m.course_id
    config.CourseDirectory.root = str(workspace)
    config.Exchange.root = str(exchange.location(m))
    config.Exchange.path_includes_course = True
    workspace.mkdir()
    monkeypatch.chdir(workspace)
    api = NbGraderAPI(config=config)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = "a1"
    fetch = ExchangeFetchAssignment(coursedir=coursedir, authenticator=api.authenticator,
                                    config=config)
    fetch.start()
    fetched = workspace / m.course_id / "a1"
    student_copy = nbformat.read(fetched / "a1_diagnostic_metrics.ipynb", as_version=4)
    import medai

    assert f"medai-course {medai.__version__}" in student_copy.cells[0].source
    assert student_copy.metadata["medai"]["version"] == medai.__version__
    ExchangeSubmit(coursedir=coursedir, authenticator=api.authenticator, config=config).start()
    assert main([*course, "collect", "a1"]) == 0
    student_id = os.environ.get("USER") or __import__("getpass").getuser()
    assert student_id in capsys.readouterr().out
    assert (m.course_directory / "submitted" / student_id / "a1" /
            "a1_diagnostic_metrics.ipynb").is_file()

    # a released assignment is frozen: a changed source is refused without --force
    source = m.assignment_sources(m.assignment("a1"))[0]
    source.write_text(source.read_text() + "\n# %% [markdown]\n# A clarification.\n")
    assert main([*course, "release", "a1"]) == 2
    assert "its source has changed since" in capsys.readouterr().err
    assert main([*course, "release", "a1", "--force"]) == 0
    capsys.readouterr()
    main([*course, "grade", "a1", "--workers", "1"])
    out = capsys.readouterr().out
    assert f"made on an earlier release of a1 and were graded against the current tests: " \
           f"{student_id}" in out


def test_roster_problems_are_listed_with_lines(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("username,role\nKim Prof,instructor\nlee,teacher\nlee,student\n")
    with pytest.raises(roster.RosterError) as err:
        roster.read(bad)
    text = str(err.value)
    assert "line 2" in text and "line 3" in text and "listed twice" in text
    from helpers import REPO

    members = roster.read(REPO / "course" / "roster.example.csv")
    assert {m.role for m in members} == {"instructor", "ta", "student"}


def test_hub_configuration_follows_course_yml_and_the_roster(course_copy, tmp_path):
    import yaml
    from helpers import REPO
    from traitlets.config.loader import PyFileConfigLoader

    from medai.delivery import hub

    m = manifest.load(course_copy)
    config_file, values_file = hub.write(m, REPO / "course" / "roster.example.csv",
                                         tmp_path / "hub")
    c = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
    assert c.JupyterHub.spawner_class is hub.CourseSpawner
    assert c.Authenticator.admin_users == {"kimprof"}
    assert c.JupyterHub.load_groups["formgrade-medai101"]["users"] == ["kimprof", "leeta"]
    assert set(c.JupyterHub.load_groups["nbgrader-medai101"]["users"]) == {
        "kimprof", "leeta", "parkstu", "choistu"}
    assert c.CourseSpawner.roles["parkstu"] == "student"
    assert c.CourseSpawner.exchange_root == str(m.root / "exchange")
    assert c.Spawner.mem_limit == "1024M" and c.JupyterHub.bind_url == m.hub["url"]
    values = yaml.safe_load(values_file.read_text())
    assert values["singleuser"]["memory"]["limit"] == "1024M"
    assert values["singleuser"]["storage"]["extraVolumeMounts"][0]["mountPath"] == str(
        m.root / "exchange")
    assert values["x-medai-exchange-claim"]["spec"]["accessModes"] == ["ReadWriteMany"]
    assert values["cull"] == {"enabled": True, "timeout": 3600}


@pytest.mark.slow
def test_collect_from_an_lms_zip(course_copy, tmp_path, capsys):
    import zipfile

    m = manifest.load(course_copy)
    course = ["--course", str(course_copy)]
    assert main([*course, "generate", "a1"]) == 0
    released = (m.course_directory / "release" / "a1" / "a1_diagnostic_metrics.ipynb")
    archive = tmp_path / "lms-download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for student_id in ("parkstu", "choistu"):
            zipped.write(released, f"submissions/{student_id}/a1_diagnostic_metrics.ipynb")
    assert main([*course, "collect", "a1", "--zip", str(archive)]) == 0
    assert "parkstu" in capsys.readouterr().out
    for student_id in ("parkstu", "choistu"):
        assert (m.course_directory / "submitted" / student_id / "a1" /
                "a1_diagnostic_metrics.ipynb").is_file()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK not really")
    assert main([*course, "collect", "a1", "--zip", str(broken)]) == 2
    assert "not a readable zip" in capsys.readouterr().err
    assert main([*course, "collect", "a1", "--zip", str(archive), "--pattern",
                 r".*/nobody-(?P<student_id>\w+)/(?P<file_id>.*)"]) == 2
    assert "matched the pattern" in capsys.readouterr().err


def test_student_start_keeps_an_edited_lesson_across_restarts(course_copy, tmp_path, capsys):
    m = manifest.load(course_copy)
    workspace = tmp_path / "me"
    start = ["--course", str(course_copy), "student", "start", str(workspace), "--no-lab"]
    assert main(["--course", str(course_copy), "publish"]) == 0
    assert main(start) == 0
    lesson = next((workspace / "lessons").rglob("dx01*.ipynb"))
    _run_all(lesson)
    mine = lesson.read_bytes()
    source = m.lesson("dx01").source
    source.write_text(source.read_text() + "\n# %% [markdown]\n# Corrected.\n")
    assert main(["--course", str(course_copy), "publish"]) == 0
    capsys.readouterr()
    assert main(start) == 0
    out = capsys.readouterr().out
    assert lesson.read_bytes() == mine
    assert "kept" in out and "updated.ipynb" in out


@pytest.mark.slow
def test_the_formgraders_generate_refuses_a_leaked_answer(course_copy):
    """The Formgrader calls nbgrader's API directly, without `medai release`."""

    m = manifest.load(course_copy)
    source = m.assignment_sources(m.assignment("a1"))[0]
    leaked = "_truth = _rng.integers(0, 2, 300)"
    assert leaked in source.read_text(), "a hidden-test line of a1"
    # an instructor pastes a hidden test into the question text
    source.write_text(source.read_text().replace(
        "# %% [markdown]", f"# %% [markdown]\n# Hint: `{leaked}`\n", 1))
    build.build_file(source)
    result = nbgrader_api.api(m).generate_assignment("a1")
    assert not result["success"]
    assert "would show an answer" in result["log"] + result.get("error", "")


def test_student_start_without_a_course_says_what_to_give(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no course checkout here, and no MEDAI_* variables
    assert main(["student", "start", str(tmp_path / "ws"), "--no-lab"]) == 2
    assert "--exchange and --course-id" in capsys.readouterr().err


def test_a_korean_student_gets_korean_lessons_and_a_korean_jupyterlab(course_copy, tmp_path,
                                                                      capsys, monkeypatch):
    """Lessons are published in every language of the course; `student start --lang ko`
    syncs the Korean ones (same names) and chooses JupyterLab's Korean interface, unless
    the student already chose a language there."""
    import json

    from medai.delivery import student

    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "lab-settings"))
    monkeypatch.delenv("MEDAI_LANG", raising=False)
    workspace = tmp_path / "me"
    assert main(["--course", str(course_copy), "publish"]) == 0
    assert main(["--course", str(course_copy), "student", "start", str(workspace),
                 "--no-lab", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert "수업 파일" in out and "새 파일" in out
    lesson = next((workspace / "lessons").rglob("dx01_clinical_prediction.ipynb"))
    notebook = json.loads(lesson.read_text(encoding="utf-8"))
    assert notebook["metadata"]["medai"]["language"] == "ko"
    assert "학습 목표" in json.dumps(notebook, ensure_ascii=False)
    assert not list((workspace / "lessons").rglob("*.yml")), "no translation file shipped"
    setting = tmp_path / "lab-settings" / student.LAB_LANGUAGE_SETTING
    assert json.loads(setting.read_text()) == {"locale": "ko_KR"}

    setting.write_text('{"locale": "en"}')  # the student switched JupyterLab to English
    assert main(["--course", str(course_copy), "student", "start", str(workspace),
                 "--no-lab", "--lang", "ko"]) == 0
    assert json.loads(setting.read_text()) == {"locale": "en"}
