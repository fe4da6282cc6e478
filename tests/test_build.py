"""Text sources -> notebooks: deterministic, checkable, and never with outputs in git."""

from __future__ import annotations

import json
import subprocess

import nbformat
import pytest
from helpers import REPO, copy_course

from medai.cli import main
from medai.course import build, manifest


def test_build_is_byte_identical_across_runs(course_copy):
    m = manifest.load(course_copy)
    first = {r.notebook: r.notebook.read_bytes() for r in build.build_all(m)}
    assert len(first) >= 2
    results = build.build_all(m)
    assert {r.state for r in results} == {"unchanged"}
    assert {r.notebook: r.notebook.read_bytes() for r in results} == first


def test_built_notebook_is_clean_and_keeps_nbgrader_metadata(course_copy):
    m = manifest.load(course_copy)
    source = m.assignment_sources(m.assignment("a1"))[0]
    notebook = json.loads(build.render(source))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    grade_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in notebook["cells"]
                 if "nbgrader" in c["metadata"]]
    assert "q1_tests" in grade_ids and len(grade_ids) == len(set(grade_ids))
    assert all(set(c["metadata"]) <= {"nbgrader", "tags"} for c in notebook["cells"])


def test_check_reports_stale_and_missing_notebooks(course_copy, capsys):
    m = manifest.load(course_copy)
    assert main(["--course", str(course_copy), "build", "--check"]) == 1
    assert "missing" in capsys.readouterr().out
    assert main(["--course", str(course_copy), "build"]) == 0
    assert main(["--course", str(course_copy), "build", "--check"]) == 0
    lesson = m.ready_lessons()[0].source
    lesson.write_text(lesson.read_text() + "\n# %%\nprint('edited')\n")
    assert main(["--course", str(course_copy), "build", "--check"]) == 1
    assert "stale" in capsys.readouterr().out


def test_malformed_source_is_a_clear_error(course_copy, capsys):
    m = manifest.load(course_copy)
    m.ready_lessons()[0].source.write_bytes(b"# %%\nprint('\xff\xfe')\n")
    assert main(["--course", str(course_copy), "build"]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "dx01_clinical_prediction.py" in err


@pytest.fixture(scope="module")
def built_course(tmp_path_factory):
    """A copy of the course after a build: its manifest and what the build did."""
    m = manifest.load(copy_course(tmp_path_factory.mktemp("built")))
    return m, build.build_all(m)


def _outputs(path) -> list[int]:
    """Indexes of the cells of a notebook file that carry outputs or an execution count."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [i for i, c in enumerate(cells) if c.get("outputs") or c.get("execution_count")]


def test_notebooks_reach_git_only_without_outputs(built_course):
    """Every notebook the build writes is ignored by git where the repository's manifest puts
    its source (a copy someone ran is never committed), leaves the build with no outputs,
    and any notebook that is committed all the same has none."""
    m, results = built_course
    # every source, and each lesson once more per other language (dx01_….ko.ipynb)
    translated = len(m.ready_lessons()) * (len(m.languages) - 1)
    assert len(results) == len(build.sources(m)) + translated >= 2
    assert {r.state for r in results} == {"written"}
    for r in results:
        assert _outputs(r.notebook) == [], f"{r.notebook.name} is built with outputs"
    where = [r.notebook.relative_to(m.root).as_posix() for r in results]
    assert all((REPO / r.source.relative_to(m.root)).is_file() for r in results), (
        "the copy keeps the repository's layout")
    check = subprocess.run(["git", "check-ignore", "--stdin"], cwd=REPO, capture_output=True,
                           text=True, input="\n".join(where) + "\n")
    assert check.returncode in (0, 1), check.stderr  # 1: none ignored
    not_ignored = sorted(set(where) - set(check.stdout.splitlines()))
    assert not_ignored == [], f"git would commit these built notebooks: {not_ignored}"
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    for path in tracked:
        assert _outputs(REPO / path) == [], f"{path} is committed with outputs; strip them"


def test_built_notebooks_are_up_to_date_with_their_sources(built_course, capsys, tmp_path):
    """`medai build --check` finds every freshly built notebook up to date, opening or running
    one in JupyterLab does not make it stale, and any notebook built in this checkout (a
    developer's tree; none in a fresh clone) is up to date too."""
    m, results = built_course
    capsys.readouterr()
    assert main(["--course", str(m.path), "build", "--check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(lines) == sorted(
        f"{'unchanged':9} {r.notebook.relative_to(m.root)}" for r in results)

    source = tmp_path / results[0].source.name
    source.write_bytes(results[0].source.read_bytes())
    assert build.build_file(source).state == "written"
    ran = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    ran.metadata["language_info"] = {"name": "python", "version": "3.12.1"}
    for n, cell in enumerate(c for c in ran.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
        cell.metadata["scrolled"] = True
    nbformat.write(ran, source.with_suffix(".ipynb"))
    assert build.build_file(source, check=True).state == "unchanged", "run, not stale"
    source.write_text(source.read_text() + "\n# %%\nprint('edited')\n")
    assert build.build_file(source, check=True).state == "stale"

    checkout = manifest.load(REPO / "course" / "course.yml")
    present = [s for s in build.sources(checkout) if s.with_suffix(".ipynb").exists()]
    stale = [s for s in present if build.build_file(s, check=True).state == "stale"]
    assert stale == [], "run `medai build`"


def test_built_notebooks_carry_the_version_without_going_stale_on_a_new_one(course_copy,
                                                                           monkeypatch):
    import medai

    m = manifest.load(course_copy)
    source = m.ready_lessons()[0].source
    build.build_file(source)
    notebook = json.loads(source.with_suffix(".ipynb").read_text())
    version_line = f"<sub>medai-course {medai.__version__}</sub>"
    assert "".join(notebook["cells"][0]["source"]).rstrip().endswith(version_line), "visible"
    assert notebook["metadata"]["medai"]["version"] == medai.__version__
    monkeypatch.setattr(medai, "__version__", "99.0.0")
    assert build.build_file(source, check=True).state == "unchanged", (
        "a new version alone changes no one's copy")
