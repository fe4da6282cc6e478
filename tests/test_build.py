"""Text sources -> notebooks: deterministic, checkable, and never with outputs in git."""

from __future__ import annotations

import json
import subprocess

import pytest
from helpers import REPO

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


def test_committed_notebooks_have_no_outputs():
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    for path in tracked:
        notebook = json.loads((REPO / path).read_text())
        for cell in notebook["cells"]:
            assert not cell.get("outputs"), f"{path} is committed with outputs; strip them"


def test_repository_notebooks_are_up_to_date():
    """Any built notebook present in the working tree matches its source."""
    m = manifest.load(manifest.default_manifest_path())
    present = [s for s in build.sources(m) if s.with_suffix(".ipynb").exists()]
    if not present:
        pytest.skip("no notebooks built in this checkout")
    stale = [r.notebook for r in build.build_all(m, check=True) if r.state == "stale"]
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
