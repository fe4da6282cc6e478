"""Every verb, each in a fresh process on a fresh course, given bad input: one line that
says what is wrong, exit code 2, never a traceback.

A fresh process matters: PATH and other process state fixed by one verb must not
hide another verb's bug (`medai report a1` before any release once died on a
missing `alembic`, unseen because an earlier verb in the same test process had
put it on PATH).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers import copy_course

from medai import cli
from medai.course import manifest

# each verb of `medai --help` with input it must refuse: (arguments, words the line names)
BAD_INPUT = {
    "course check": (["course", "check"], "course.yml"),  # a broken manifest, below
    "course plan": (["--course", "nowhere/course.yml", "course", "plan"], "not found"),
    "course info": (["--course", "nowhere/course.yml", "course", "info"], "not found"),
    "course cut": (["course", "cut"], "pyproject.toml"),  # not a checkout
    "build": (["--course", "nowhere/course.yml", "build"], "not found"),
    "generate": (["generate", "a99"], "a99"),
    "release": (["release", "a99"], "a99"),
    "collect": (["collect", "a1", "--from-lms", "missing.zip"], "missing.zip"),
    "grade": (["grade", "a99"], "a99"),
    "feedback": (["feedback", "a99"], "a99"),
    "check": (["check", "a99"], "a99"),
    "report a99": (["report", "a99"], "a99"),
    "report before release": (["report", "a1"], "a1"),
    "export": (["export", "--to", "course"], "course"),  # a folder
    "similarity": (["similarity", "a99"], "a99"),
    "contest check": (["contest", "check", "nope"], "nope"),
    "contest score": (["contest", "score", "hit_finding", "missing.ipynb", "--student", "s1"],
                      "missing.ipynb"),
    "contest board": (["contest", "board", "nope"], "nope"),
    "datasets info": (["datasets", "info", "no_such_dataset"], "no_such_dataset"),
    "datasets verify": (["datasets", "verify", "no_such_dataset"], "no_such_dataset"),
    "changes": (["changes", "v9.9.9"], "v9.9.9"),
    "publish": (["publish"], "dx01"),  # a lesson source that is not text, below
    "site": (["site", "--cache", "course/course.yml"], "course/course.yml"),
    "lab": (["lab", "--no-browser"], "dx01"),
    "hub": (["hub", "--roster", "missing.csv"], "missing.csv"),
    "translate sync": (["translate", "sync", "notebooks/nowhere.py"], "nowhere.py"),
    "translate check": (["translate", "check", "--lang", "fr"], "'fr'"),
    "student start": (["student", "start", "ws", "--exchange", "no/exchange",
                       "--course-id", "medai101", "--no-lab"], "no/exchange"),
}


# verbs that take no input, run as they are
NO_INPUT = {"datasets list": ["datasets", "list"]}


def verbs() -> set[str]:
    """Every leaf verb of the command line."""
    found = set()

    def walk(parser, prefix):
        actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
        if not actions:
            found.add(prefix.strip())
        for action in actions:
            for name, sub in action.choices.items():
                walk(sub, f"{prefix} {name}")

    walk(cli.parser(), "")
    return found


def test_every_verb_is_tried():
    tried = {name.split(" before")[0].replace("report a99", "report") for name in BAD_INPUT}
    tried |= set(NO_INPUT)
    assert verbs() <= tried, f"add bad input for {sorted(verbs() - tried)}"


def run(arguments: list[str], cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDAI_")}
    env["PATH"] = "/usr/bin:/bin"  # nothing of this environment's tools: medai must add them
    env["MEDAI_DATA"] = str(cwd / "data")
    return subprocess.run([sys.executable, "-m", "medai.cli", *arguments], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_bad_input_gives_one_line_and_exit_code_2(tmp_path):
    course_yml = copy_course(tmp_path / "course")
    root = course_yml.parent.parent
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "course.yml").write_text("course: {id: x}\nlessons: 3\n")
    (root / "exchange").mkdir(exist_ok=True)

    def one(name):
        arguments, named = BAD_INPUT[name]
        if name == "course check":
            arguments = ["--course", str(broken / "course.yml"), *arguments]
        elif name in ("publish", "lab"):
            other = copy_course(tmp_path / name)
            lesson = manifest.load(other).lesson("dx01").source
            lesson.write_bytes(b"\xff\xfe not text")
            arguments = ["--course", str(other), *arguments]
        elif not arguments[0].startswith("--"):
            arguments = ["--course", str(course_yml), *arguments]
        cwd = root if name != "course cut" else tmp_path  # not a git checkout
        return name, named, run(arguments, cwd)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, BAD_INPUT))
        quiet = list(pool.map(lambda arguments: run(arguments, root), NO_INPUT.values()))
    for done in quiet:
        assert done.returncode == 0 and not done.stderr, done.stderr
    for name, named, done in results:
        lines = done.stderr.strip().splitlines()
        assert "Traceback" not in done.stderr, (name, done.stderr)
        assert done.returncode in (1, 2), (name, done.returncode, done.stderr)
        assert lines and lines[0].startswith("medai:") or name == "course check", (name, lines)
        assert named in done.stderr + done.stdout, (name, named, done.stderr)
