"""Cutting versions of a course copy in its own git repository: each refusal names what to do,
and a version is tagged only when CHANGELOG.md covers what changed."""

from __future__ import annotations

import subprocess

import pytest

from medai.cli import main

FIRST = """# Changelog

## [Unreleased]

## [0.1.0] - 2026-12-06

### Added
- The first term's lessons and assignments.
"""


def _git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True).stdout


def _commit(root, message):
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", message)


def _set_version(root, version):
    (root / "pyproject.toml").write_text(f'[project]\nname = "medai-course"\nversion = '
                                         f'"{version}"\n')


def _add_entry(root, version, text):
    changelog = root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(
        "## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - 2027-03-01\n\n{text}\n", 1))


def _cut(course_yml, capsys, *extra):
    code = main(["--course", str(course_yml), "course", "cut", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def repo(course_copy):
    root = course_copy.parents[1]
    (root / "CHANGELOG.md").write_text(FIRST)
    _set_version(root, "0.1.0")
    _git(root, "init", "-q")
    _git(root, "config", "user.name", "Prof")
    _git(root, "config", "user.email", "prof@example.org")
    _commit(root, "the course")
    return course_copy


def test_a_term_of_versions(repo, capsys):
    root = repo.parents[1]
    code, out = _cut(repo, capsys)
    assert code == 0 and "(the first version)" in out, out
    assert "v0.1.0" in _git(root, "tag")
    message = _git(root, "tag", "-n9", "v0.1.0")
    assert "### Added" in message and "The first term's lessons" in message

    # A correction to a lesson: a patch, and the entry must name the lesson.
    source = root / "notebooks" / "dx01_clinical_prediction" / "dx01_clinical_prediction.py"
    source.write_text(source.read_text() + "\n# %% [markdown]\n# A corrected sentence.\n")
    code, out = _cut(repo, capsys, "--check")
    assert code == 2 and "uncommitted changes" in out
    assert "v0.1.0 exists already: raise the version in pyproject.toml" in out
    _commit(root, "dx01: correction")
    _set_version(root, "0.1.1")
    _commit(root, "0.1.1")
    code, out = _cut(repo, capsys)
    assert code == 2 and "the newest entry is 0.1.0 but the package is 0.1.1" in out
    _add_entry(root, "0.1.1", "### Fixed\n- A typo.")
    _commit(root, "changelog")
    code, out = _cut(repo, capsys)
    assert code == 2
    assert "lesson dx01 changed since v0.1.0 but the [0.1.1] entry does not name it" in out
    _add_entry(root, "0.1.1x", "")  # an entry that is not a version is refused too
    _commit(root, "bad heading")
    code, out = _cut(repo, capsys)
    assert code == 2 and "'## [0.1.1x]' is not '## [X.Y.Z] - YYYY-MM-DD'" in out
    changelog = root / "CHANGELOG.md"
    changelog.write_text(FIRST.replace("## [Unreleased]\n", "## [Unreleased]\n\n## [0.1.1] - "
                                       "2027-03-01\n\n### Fixed\n- dx01: a typo.\n", 1))
    _commit(root, "changelog names dx01")
    code, out = _cut(repo, capsys)
    assert code == 0 and "a patch step" in out and "v0.1.1" in _git(root, "tag")

    # A changed assignment after its release is a major version.
    a1 = root / "assignments" / "source" / "a1" / "a1_diagnostic_metrics.py"
    a1.write_text(a1.read_text() + "\n# %% [markdown]\n# One more hint.\n")
    _set_version(root, "0.1.2")
    _add_entry(root, "0.1.2", "### Changed\n- a1: one more hint.")
    _commit(root, "a1 hint")
    code, out = _cut(repo, capsys)
    assert code == 2 and "0.1.1 -> 0.1.2 is a patch step, but: assignment a1 changed (major" \
        in out
    assert "v0.1.2" not in _git(root, "tag")
    # Unreleased notes left behind are refused as well.
    text = changelog.read_text().replace("0.1.2] - 2027-03-01", "1.0.0] - 2027-03-01")
    changelog.write_text(text.replace("## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n"
                                      "- Something not yet sorted.\n", 1))
    _set_version(root, "1.0.0")
    _commit(root, "1.0.0")
    code, out = _cut(repo, capsys)
    assert code == 2 and "[Unreleased] still lists changes; move them under [1.0.0]" in out
    changelog.write_text(text)
    _commit(root, "1.0.0 entry")
    code, out = _cut(repo, capsys)
    assert code == 0 and "a major step" in out and "v1.0.0" in _git(root, "tag")


def test_mutants_only_and_a_new_lesson(repo, capsys):
    root = repo.parents[1]
    assert _cut(repo, capsys)[0] == 0
    mutants = root / "assignments" / "source" / "a7" / "mutants"
    first = next(mutants.glob("*.py"))
    first.write_text(first.read_text() + "\n")
    lesson = root / "notebooks" / "dx99_new" / "dx99_new.py"
    lesson.parent.mkdir()
    lesson.write_text((root / "notebooks" / "dx01_clinical_prediction" /
                       "dx01_clinical_prediction.py").read_text())
    import yaml

    data = yaml.safe_load(repo.read_text())
    data["lessons"].append({**data["lessons"][0], "id": "dx99", "title": "A new lesson",
                            "source": "notebooks/dx99_new/dx99_new.py"})
    repo.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    _set_version(root, "0.1.1")
    _add_entry(root, "0.1.1", "### Added\n- dx99, a new lesson.")
    _commit(root, "dx99")
    code, out = _cut(repo, capsys)
    assert code == 2 and "0.1.0 -> 0.1.1 is a patch step, but: lesson dx99 is new (minor)" in out
    assert "a7" not in out, "a change to mutants only is no change for students"
