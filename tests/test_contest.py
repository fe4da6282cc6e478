"""`medai contest`: a class contest end to end on a test class, with the real sandbox.

Ten students submit notebooks with different models to a breast-cancer AUROC contest:
one ties another, one fails, one returns bad predictions, one runs too long, one goes
over the daily limit, one tries to read the hidden labels, one submits a file that is
not a notebook. Then the public and the private board. Like tests/test_sandbox.py, the
test that needs isolation fails (never skips) without a working bubblewrap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import statistics
from pathlib import Path

import nbformat
import pytest
import yaml
from helpers import copy_course, shared_folder
from nbformat.v4 import new_code_cell, new_notebook

from medai import cli
from medai.course import manifest
from medai.grading import contest, sandbox

pytestmark = pytest.mark.slow

SEOUL = dt.timezone(dt.timedelta(hours=9))
DAY1 = dt.datetime(2030, 1, 7, 9, 0, tzinfo=SEOUL)
DAY2 = DAY1 + dt.timedelta(days=1)
CLOSES = dt.datetime(2030, 1, 20, 23, 59, tzinfo=SEOUL)

TEST_CONTEST = {
    "id": "bc_cup", "title": "Malignant or benign? <the class cup>",
    "dataset": "breast_cancer_wisconsin", "target": "malignant", "metric": "auroc",
    "seed": 7, "test_fraction": 0.4, "public_fraction": 0.5, "submissions_per_day": 2,
    "time_limit_s": 20, "opens": "2030-01-06T09:00:00+09:00",
    "closes": CLOSES.isoformat(),
}

LOGISTIC = '''
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

def predict(train, test_features):
    X = train.drop(columns=["malignant"])
    model = make_pipeline(StandardScaler(), LogisticRegression(C={C}, max_iter=2000))
    model.fit(X, train["malignant"])
    return model.predict_proba(test_features[X.columns])[:, 1]
'''
FOREST = '''
from sklearn.ensemble import RandomForestClassifier

def predict(train, test_features):
    X = train.drop(columns=["malignant"])
    model = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1)
    model.fit(X, train["malignant"])
    return model.predict_proba(test_features[X.columns])[:, 1]
'''
ONE_FEATURE = '''
def predict(train, test_features):
    return test_features["{column}"]          # bigger nuclei, more likely malignant
'''
PREDICTIONS_CSV = '''
import pandas as pd
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

train = pd.read_csv("train.csv")
test = pd.read_csv("test_features.csv")
X = train.drop(columns=["malignant"])
model = make_pipeline(StandardScaler(), KNeighborsClassifier(15)).fit(X, train["malignant"])
pd.DataFrame({"id": test["id"], "prediction": model.predict_proba(test[X.columns])[:, 1]}) \\
    .sample(frac=1, random_state=0).to_csv("predictions.csv", index=False)
'''
FAILS = '''
raise ValueError("<script>alert('board')</script> my model is not ready")
'''
HALF = '''
def predict(train, test_features):
    return [0.5] * (len(test_features) // 2)
'''
NAN = '''
import numpy as np

def predict(train, test_features):
    out = np.full(len(test_features), 0.3)
    out[3] = np.nan
    return out
'''
SLOW = '''
import time
time.sleep(600)
'''
CHEAT = '''
import glob, os
import pandas as pd

found = {{}}
for path in [{labels!r}, {course!r} + "/.medai/contests/bc_cup/labels.csv",
             "../labels.csv", "../../labels.csv", "../../../labels.csv"]:
    try:
        found[path] = pd.read_csv(path)
    except Exception as err:
        pass
for pattern in ["/tmp/**/*.csv", {course!r} + "/**/*.csv",
                os.path.dirname({course!r}) + "/**/*.csv", os.path.expanduser("~") + "/**/*.csv"]:
    for path in glob.glob(pattern, recursive=True):
        try:
            table = pd.read_csv(path)
        except Exception:
            continue
        if "label" in table.columns:
            found[path] = table

def predict(train, test_features):
    for table in found.values():      # the hidden labels, if any file held them
        return test_features["id"].map(dict(zip(table["id"], table["label"]))).astype(float)
    return [0.5] * len(test_features)
'''


def _notebook(folder: Path, name: str, *sources: str) -> Path:
    path = folder / f"{name}.ipynb"
    notebook = new_notebook(cells=[new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the course with the test contest added to course.yml (one per run)."""
    with shared_folder(tmp_path_factory, "contest-course") as root:
        course_yml = root / "course" / "course.yml"
        if not course_yml.is_file():
            _course(root)
    return course_yml


def _course(root: Path) -> Path:
    course_yml = copy_course(root)
    data = yaml.safe_load(course_yml.read_text(encoding="utf-8"))
    data["contests"] = [*data.get("contests", []), TEST_CONTEST,
                        {**TEST_CONTEST, "id": "diabetes_cup", "title": "Progression",
                         "dataset": "diabetes_progression", "target": "progression",
                         "metric": "rmse"}]
    course_yml.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                          encoding="utf-8")
    return course_yml


@pytest.fixture(scope="module")
def contest_run(course, tmp_path_factory):
    """Every submission of the class, scored in order (once per run, shared by the
    workers through the ledger); returns (manifest, [(student, record)])."""
    m = manifest.load(course)
    with shared_folder(tmp_path_factory, "contest-class") as shared:
        if not (shared / "done").is_file():
            _score_the_class(m, shared)
            (shared / "done").write_text("scored")
    students = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
                "judy"}
    records = [r for r in contest.ledger(m, "bc_cup") if r.student in students]
    return m, [(r.student, r) for r in sorted(records, key=lambda r: (r.student, r.number))]


def _score_the_class(m, notebooks: Path) -> None:
    home = contest.prepare(m, "bc_cup")
    labels = str(home / "labels.csv")
    plan = [  # (student, notebook, submitted at)
        ("alice", _notebook(notebooks, "alice", LOGISTIC.format(C=1.0)), DAY1),
        ("bob", _notebook(notebooks, "bob", FOREST), DAY1 + dt.timedelta(minutes=5)),
        ("carol", _notebook(notebooks, "carol", ONE_FEATURE.format(column="worst radius")),
         DAY1 + dt.timedelta(minutes=10)),
        # dave hands in alice's notebook an hour later: the same score, ranked after her
        ("dave", _notebook(notebooks, "dave", LOGISTIC.format(C=1.0)),
         DAY1 + dt.timedelta(hours=1)),
        ("erin", _notebook(notebooks, "erin", FAILS), DAY1 + dt.timedelta(minutes=20)),
        ("frank", _notebook(notebooks, "frank1", HALF), DAY1 + dt.timedelta(minutes=25)),
        ("frank", _notebook(notebooks, "frank2", NAN), DAY1 + dt.timedelta(minutes=26)),
        ("heidi", _notebook(notebooks, "heidi", CHEAT.format(
            labels=labels, course=str(m.course_directory))), DAY1 + dt.timedelta(minutes=30)),
        ("ivan", _notebook(notebooks, "ivan", PREDICTIONS_CSV), DAY1 + dt.timedelta(minutes=35)),
        ("judy", _notebook(notebooks, "judy", SLOW), DAY1 + dt.timedelta(minutes=40)),
        # grace: a weak model, a better one, then a third run the same day (over the limit)
        ("grace", _notebook(notebooks, "grace1", ONE_FEATURE.format(column="mean texture")),
         DAY1 + dt.timedelta(hours=2)),
        ("grace", _notebook(notebooks, "grace2", LOGISTIC.format(C=0.01)),
         DAY1 + dt.timedelta(hours=3)),
        ("grace", _notebook(notebooks, "grace3", FOREST), DAY1 + dt.timedelta(hours=4)),
        # 23:30 UTC on day 1 is 08:30 on day 2 in Seoul: a new day of the limit
        ("grace", _notebook(notebooks, "grace4", LOGISTIC.format(C=100.0)),
         (DAY2 - dt.timedelta(minutes=30)).astimezone(dt.timezone.utc)),
    ]
    for student, path, at in plan:
        contest.score(m, "bc_cup", student, path, at=at)


def _by(results, student):
    return [r for s, r in results if s == student]


def test_statuses_limit_and_ledger(contest_run):
    m, results = contest_run
    status = {s: [r.status for r in _by(results, s)] for s, _ in results}
    assert status["alice"] == status["bob"] == status["carol"] == status["ivan"] == ["scored"]
    assert status["erin"] == ["error"] and "ValueError" in _by(results, "erin")[0].reason
    assert status["frank"] == ["invalid", "invalid"]
    assert "predictions for" in _by(results, "frank")[0].reason
    assert "NaN" in _by(results, "frank")[1].reason
    assert status["judy"] == ["timeout"]
    assert status["grace"] == ["scored", "scored", "over-limit", "scored"]
    grace = _by(results, "grace")
    assert [r.counted for r in grace] == [True, True, False, True]
    assert grace[2].public_score is None and "2 of 2 runs" in grace[2].reason
    assert [r.day for r in grace] == ["2030-01-07"] * 3 + ["2030-01-08"]
    # failures of the student's code count toward the limit; the refused run does not
    assert all(r.counted for r in _by(results, "erin") + _by(results, "frank"))
    # every submission has its own record, written once, numbered in order
    base = contest.folder(m, "bc_cup") / "ledger"
    assert sorted(p.name for p in (base / "grace").glob("*.json")) == \
        ["0001.json", "0002.json", "0003.json", "0004.json"]
    assert not list(base.rglob("*.partial-*"))
    assert len(results) == 14
    assert (base / "grace" / "0003.ipynb").is_file()  # the notebook scored, kept
    seconds = [r.seconds for _, r in results if r.status == "scored"]
    print(f"\ncontest scoring time per scored submission: median "
          f"{statistics.median(seconds):.2f} s, mean {statistics.mean(seconds):.2f} s, "
          f"max {max(seconds):.2f} s "
          f"(n={len(seconds)}; timeout run {_by(results, 'judy')[0].seconds:.1f} s)")


def test_sandboxed_notebook_cannot_read_the_labels(contest_run):
    if not sandbox.sandbox_available():
        pytest.fail("bubblewrap is missing or does not work here: install bubblewrap "
                    "(apt-get install -y bubblewrap); student code would not be isolated")
    m, results = contest_run
    # the file heidi's notebook opened by name is there, outside the sandbox
    labels = contest.folder(m, "bc_cup") / "labels.csv"
    assert "id,label,part" in labels.read_text().splitlines()[0]
    heidi = _by(results, "heidi")[0]
    assert heidi.status == "scored"
    assert heidi.public_score == 0.5 and heidi.private_score == 0.5, \
        "a notebook read the hidden labels from inside the sandbox"


def test_public_board_ranks_ties_and_hides_the_private_split(contest_run, tmp_path, capsys):
    m, results = contest_run
    rows = contest.board(m, "bc_cup")
    ranked = [r.student for r in rows if r.rank]
    assert set(ranked) == {"alice", "bob", "carol", "dave", "grace", "heidi", "ivan"}
    alice, dave = (next(r for r in rows if r.student == s) for s in ("alice", "dave"))
    assert alice.score == dave.score and alice.rank < dave.rank  # a tie: earlier first
    scores = [r.score for r in rows if r.rank]
    assert scores == sorted(scores, reverse=True)
    assert all(r.score == round(r.score, 3) for r in rows if r.rank)
    # grace's entry is her best public score among her scored runs
    grace = [r.public_score for r in _by(results, "grace") if r.status == "scored"]
    assert next(r for r in rows if r.student == "grace").score == round(max(grace), 3)
    unranked = {r.student: r.note for r in rows if not r.rank and r.student != "kim"}
    assert set(unranked) == {"erin", "frank", "judy"}
    assert unranked["judy"] == "no score (last run: timeout)"

    out = tmp_path / "board.html"
    assert cli.main(["--course", str(m.path), "contest", "board", "bc_cup",
                     "--html", str(out)]) == 0
    text = capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "my model is not ready" not in page  # erin's message
    assert "&lt;the class cup&gt;" in page
    for _, r in results:  # no private score, not even a longer public one, is shown
        if r.private_score is not None:
            for shown in (text, page):
                assert f"{r.private_score:.6f}" not in shown
                assert f"{r.public_score:.6f}" not in shown


def test_private_board_after_closing(contest_run, capsys):
    m, results = contest_run
    with pytest.raises(contest.ContestError, match="hidden until the contest closes"):
        contest.board(m, "bc_cup", private=True)
    assert cli.main(["--course", str(m.path), "contest", "board", "bc_cup", "--private"]) == 2
    assert "--reveal" in capsys.readouterr().err
    after = contest.board(m, "bc_cup", private=True, now=CLOSES + dt.timedelta(minutes=1))
    revealed = contest.board(m, "bc_cup", private=True, reveal=True)
    assert after == revealed
    scored = {s: r for s, r in results if r.status == "scored"}
    for row in after:
        if row.rank:
            entry = max((r for s, r in results if s == row.student and r.status == "scored"),
                        key=lambda r: (round(r.public_score, 3), -r.time.timestamp()))
            assert row.score == round(entry.private_score, 3)
            assert row.public_score == round(entry.public_score, 3)
    private = [r.score for r in after if r.rank]
    assert private == sorted(private, reverse=True)
    assert "heidi" in scored


def test_cli_score_and_clear_errors(contest_run, tmp_path, capsys):
    m, _ = contest_run
    course = ["--course", str(m.path)]
    bad = tmp_path / "broken.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    assert cli.main([*course, "contest", "score", "bc_cup", str(bad), "--student", "kim",
                     "--at", (DAY2 + dt.timedelta(hours=3)).isoformat()]) == 1
    out = capsys.readouterr().out
    assert "malformed" in out and "not a readable Jupyter notebook" in out
    assert "does not count" in out
    assert cli.main([*course, "contest", "score", "nope", str(bad), "--student", "kim"]) == 2
    assert "unknown contest 'nope'" in capsys.readouterr().err
    assert cli.main([*course, "contest", "score", "bc_cup", str(tmp_path / "missing.ipynb"),
                     "--student", "kim"]) == 2
    assert "no such notebook" in capsys.readouterr().err
    assert cli.main([*course, "contest", "score", "bc_cup", str(bad), "--student",
                     "../etc"]) == 2
    assert "not a student id" in capsys.readouterr().err
    late = _notebook(tmp_path, "late", ONE_FEATURE.format(column="mean radius"))
    assert cli.main([*course, "contest", "score", "bc_cup", str(late), "--student", "kim",
                     "--at", (CLOSES + dt.timedelta(hours=1)).isoformat()]) == 1
    assert "not-open" in capsys.readouterr().out
    assert cli.main([*course, "contest", "check", "bc_cup"]) == 0
    out = capsys.readouterr().out
    assert "training rows" in out and "public, " in out
    assert "public data" in out  # a public dataset's labels can be looked up: said


def test_rmse_contest_and_starter_notebook(course):
    """The starter notebook a contest writes is itself a valid submission (RMSE here)."""
    m = manifest.load(course)
    kit = contest.release_folder(m, "diabetes_cup")
    contest.prepare(m, "diabetes_cup")
    info = json.loads((contest.folder(m, "diabetes_cup") / "contest.json").read_text())
    assert info["data_seed"] is None  # a public dataset: no seed to draw
    done = contest.score(m, "diabetes_cup", "lee", kit / "diabetes_cup.ipynb", at=DAY1)
    assert done.status == "scored", done.reason
    assert 40 < done.public_score < 80 and 40 < done.private_score < 80  # RMSE, sane
    rows = contest.board(m, "diabetes_cup")
    assert rows[0].student == "lee" and rows[0].rank == 1
    # the kit never holds a label file; the test rows carry no target
    assert sorted(p.name for p in kit.iterdir()) == \
        ["diabetes_cup.ipynb", "test_features.csv", "train.csv"]
    assert "progression" not in (kit / "test_features.csv").read_text().splitlines()[0]


def test_synthetic_contest_draws_a_secret_data_seed(course):
    m = manifest.load(course)
    c = m.contest("hit_finding")
    assert "seed" not in c.options
    home = contest.prepare(m, "hit_finding")
    info = json.loads((home / "contest.json").read_text())
    assert isinstance(info["data_seed"], int)
    assert oct(home.stat().st_mode & 0o777) == "0o700"
    # course.yml changed after the kit went out: refused, with the way out
    changed = dataclasses.replace(m, contests=tuple(
        dataclasses.replace(x, seed=1) if x.id == "hit_finding" else x for x in m.contests))
    with pytest.raises(contest.ContestError, match="prepared with other settings"):
        contest.prepare(changed, "hit_finding")


def test_record_never_overwrites(course, tmp_path):
    m = dataclasses.replace(manifest.load(course), course_directory=tmp_path)
    first = contest.Submission("bc_cup", "zed", 1, DAY1.isoformat(), "2030-01-07", "error",
                               "x", True, None, None, 0.0, "0")
    a = contest._record(m, first, None)
    b = contest._record(m, first, None)  # the same number again: the next one is taken
    assert (a.name, b.name) == ("0001.json", "0002.json")
    assert json.loads(a.read_text())["number"] == 1 and json.loads(b.read_text())["number"] == 2


def test_manifest_rejects_bad_contests(course, tmp_path):
    data = yaml.safe_load(course.read_text(encoding="utf-8"))
    data["contests"] = [{**TEST_CONTEST, "metric": "accuracy", "dataset": "no_such_data",
                         "public_fraction": 1.5, "split": "by scaffold", "opens":
                         "2030-02-01T00:00:00+09:00", "closes": "2030-01-01", "colour": 1}]
    bad = course.with_name("bad.yml")
    bad.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(manifest.ManifestError) as caught:
        manifest.load(bad)
    text = str(caught.value)
    for expected in ("contests[0].metric", "contests[0].public_fraction", "contests[0].split",
                     "contests[0].closes", "contests[0].colour"):
        assert expected in text, text
    data["contests"] = [{**TEST_CONTEST, "dataset": "no_such_data",
                         "opens": "2030-02-01T00:00:00+09:00"}]
    bad.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    problems = "\n".join(map(str, manifest.check(bad)))
    assert "unknown dataset 'no_such_data'" in problems
    assert "opens after it closes" in problems
