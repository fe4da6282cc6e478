"""Class contests: a hidden test split, sandboxed scoring, a daily limit and two leaderboards.

A contest is declared in course.yml (``contests:``, see
:class:`medai.course.manifest.Contest`) on a dataset of the catalog. What the
instructor's side keeps, in ``<course directory>/.medai/contests/<id>/`` (a 0700
folder that no sandbox ever sees):

* ``labels.csv``: ``id, label, part`` of every test row (``part`` is ``public`` or
  ``private``): the only file with the hidden labels;
* ``contest.json``: what was prepared (dataset, options, split, the data seed when medai
  drew one itself, the row counts);
* ``release/``: the students' kit: ``train.csv`` (features and the target),
  ``test_features.csv`` (``id`` and features, in a shuffled order, no labels) and the
  starter notebook ``<id>.ipynb`` that states the protocol;
* ``ledger/<student>/<NNNN>.json`` (and ``<NNNN>.ipynb``, the notebook scored): one
  record per submission, written once (a new number each time, never overwritten).

The protocol (what the starter notebook tells students)
-------------------------------------------------------
The notebook runs top to bottom in a fresh kernel inside the grading sandbox (no
network, limits of ``grading.sandbox`` with the contest's ``time_limit_s`` per
notebook), in a folder holding only ``train.csv`` and ``test_features.csv``. It must
define ``predict(train, test_features)`` returning one number per row of
``test_features``, in its order (AUROC: a score, higher = more likely positive; RMSE:
the predicted value), or else write ``predictions.csv`` with columns ``id,prediction``.
The grader then reads the predictions back and scores them outside the sandbox.

Policies
--------
* **Daily limit**: ``submissions_per_day`` runs per student per calendar day in the
  contest's time zone (the course's unless the contest names one). Every run of the
  student's code counts, also one that fails (an error, a timeout, a killed kernel,
  predictions of the wrong length or with NaN): each costs a sandbox run. What is
  refused before running does not count: over the limit, outside the contest's dates,
  a file that is not a notebook, a grader-side failure.
* **Which submission counts**: a student's best public score (the earlier one when two
  are equal) is their entry on the public board *and* on the private board; there is
  no separate selection step, so a student always knows which entry will be judged.
* **Ties**: scores are ranked as shown (rounded to ``digits``); equal scores rank by
  the time of the submission that reached them, earlier first.
* **Leakage**: the public board shows only public scores, rounded; the private split
  is used for nothing a student sees before the contest closes (the private board is
  refused until ``closes`` unless the instructor passes ``reveal``). With the daily
  limit this bounds what probing the public board can teach. A student without a score
  is listed with the status of their last run, never its message.

A contest on a public dataset (kind ``bundled-public``) cannot hide its labels: they are
in the Python installation and on the internet. ``check`` says so; use a synthetic
dataset whose data seed medai draws itself (leave ``seed`` out of ``options``).
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import fcntl
import hashlib
import html
import json
import math
import os
import re
import secrets
import shutil
import tempfile
import time
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from medai import files
from medai.course.manifest import Contest, Manifest
from medai.errors import MedaiError

Status = Literal["scored", "error", "timeout", "killed", "invalid", "malformed",
                 "over-limit", "not-open", "grader-error"]
#: statuses of a run of the student's code: these count toward the daily limit
COUNTED: tuple[str, ...] = ("scored", "error", "timeout", "killed", "invalid")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
#: largest predictions file the grader reads back from the sandbox
MAX_PREDICTIONS_BYTES = 20 * 1024 * 1024
PREDICTIONS_FILE = ".medai_contest_predictions.json"


class ContestError(MedaiError):
    """A contest cannot be prepared, scored or shown; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One record of the ledger."""

    contest: str
    student: str
    number: int
    submitted_at: str  # ISO 8601 in the contest's time zone
    day: str  # the calendar day (contest time zone) the daily limit counts it in
    status: str
    reason: str
    counted: bool
    public_score: float | None
    private_score: float | None
    seconds: float  # wall time to run and score it
    notebook_sha256: str

    @property
    def time(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.submitted_at)


@dataclass(frozen=True)
class BoardRow:
    rank: int | None  # None: no scored submission yet
    student: str
    score: float | None  # rounded, as shown
    public_score: float | None  # rounded (on the private board: the entry's public score)
    entries: int  # submissions counted toward the limit
    at: str  # when the ranked submission was made ("" if none)
    note: str = ""  # the last run's status, for students without a score


# -- where things live --------------------------------------------------------------


def folder(m: Manifest, contest_id: str) -> Path:
    """The instructor's folder of a contest (labels, ledger, the students' kit)."""
    return m.course_directory / ".medai" / "contests" / contest_id


def release_folder(m: Manifest, contest_id: str) -> Path:
    return folder(m, contest_id) / "release"


def get(m: Manifest, contest_id: str) -> Contest:
    try:
        return m.contest(contest_id)
    except KeyError:
        known = ", ".join(c.id for c in m.contests) or "none (add a contests: list)"
        raise ContestError(f"unknown contest {contest_id!r}; course.yml lists: {known}") \
            from None


def timezone(m: Manifest, contest: Contest) -> zoneinfo.ZoneInfo:
    name = contest.timezone or m.timezone
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ContestError(f"time zone {name!r} of contest {contest.id} is unknown") from None


# -- preparing the data ---------------------------------------------------------------


def _settings(contest: Contest) -> dict:
    """What decides the prepared data: a change after students got their kit is refused."""
    keep = ("dataset", "options", "target", "features", "split_column", "split_test",
            "test_fraction", "public_fraction", "seed", "metric")
    values = {k: getattr(contest, k) for k in keep}
    values["features"] = list(values["features"]) if values["features"] else None
    return values


def _table(contest: Contest, data_seed: int | None):
    """(frame with feature columns and the target, feature names, dataset kind)."""
    from medai.datasets import catalog, registry
    from medai.datasets.types import MoleculeDataset, TabularDataset

    options = dict(contest.options)
    if data_seed is not None:
        options["seed"] = data_seed
    data = registry.load(contest.dataset, **options)
    if isinstance(data, TabularDataset):
        frame = data.frame
        default = list(data.features.columns)
    elif isinstance(data, MoleculeDataset):
        frame = data.frame
        default = ["smiles"]
    else:
        raise ContestError(f"contest {contest.id}: {contest.dataset} is a "
                           f"{type(data).__name__}; a contest needs a tabular or molecule "
                           "dataset (one row per case)")
    features = list(contest.features or default)
    missing = [c for c in [*features, contest.target] if c not in frame.columns]
    if missing:
        raise ContestError(f"contest {contest.id}: {contest.dataset} has no column "
                           f"{missing[0]!r}; its columns: {', '.join(map(str, frame.columns))}")
    if contest.split_column and contest.split_column not in frame.columns:
        raise ContestError(f"contest {contest.id}: split column {contest.split_column!r} is "
                           f"not in {contest.dataset}")
    kind = catalog.info(contest.dataset).get("kind", "")
    return frame, features, kind


def _split(contest: Contest, frame):
    """Positions of the training rows and of the test rows (test in a shuffled order)."""
    import numpy as np

    rng = np.random.default_rng(contest.seed)
    n = len(frame)
    if contest.split_column:
        is_test = frame[contest.split_column].astype(str).to_numpy() == contest.split_test
        train, test = np.flatnonzero(~is_test), np.flatnonzero(is_test)
        return train, rng.permutation(test)
    if contest.metric == "auroc":  # stratified: both classes on both sides
        test = []
        labels = frame[contest.target].to_numpy()
        for value in np.unique(labels):
            rows = rng.permutation(np.flatnonzero(labels == value))
            test += list(rows[: int(round(len(rows) * contest.test_fraction))])
        test = rng.permutation(np.array(test, dtype=int))
    else:
        test = rng.permutation(n)[: int(round(n * contest.test_fraction))]
    train = np.setdiff1d(np.arange(n), test)
    return train, test


def _public_part(contest: Contest, labels) -> list[str]:
    """'public' or 'private' for each test row (stratified for AUROC)."""
    import numpy as np

    rng = np.random.default_rng([contest.seed, 1])
    parts = np.array(["private"] * len(labels), dtype=object)
    if contest.metric == "auroc":
        groups = [np.flatnonzero(labels == value) for value in np.unique(labels)]
    else:
        groups = [np.arange(len(labels))]
    for rows in groups:
        rows = rng.permutation(rows)
        parts[rows[: int(round(len(rows) * contest.public_fraction))]] = "public"
    return list(parts)


def prepare(m: Manifest, contest_id: str, force: bool = False) -> Path:
    """Write the hidden labels, the students' kit and contest.json (once; again only with
    ``force`` and an empty ledger). Returns the contest's folder."""
    contest = get(m, contest_id)
    home = folder(m, contest_id)
    # one preparer at a time: two would draw two secret seeds (kit and labels apart)
    with _Lock(home.parent / f".{contest_id}.lock"):
        return _prepare(m, contest, home, force)


def _prepare(m: Manifest, contest: Contest, home: Path, force: bool) -> Path:
    import numpy as np
    import pandas as pd

    contest_id = contest.id
    record = home / "contest.json"
    if record.is_file() and not force:
        prepared = json.loads(record.read_text(encoding="utf-8"))
        if prepared.get("settings") != _settings(contest):
            raise ContestError(
                f"contest {contest_id} was prepared with other settings than course.yml's "
                f"now ({home}/contest.json); students hold that data. Put course.yml back, "
                f"or run `medai contest prepare {contest_id} --force` (only while no "
                "submission is recorded)")
        return home
    if force and any((home / "ledger").glob("*/*.json")):
        raise ContestError(f"contest {contest_id} has recorded submissions: preparing it "
                           "again would score them against other data. Make a new contest.")
    data_seed = None
    from medai.datasets import registry

    if "seed" in registry.spec(contest.dataset).options and "seed" not in contest.options:
        data_seed = secrets.randbelow(2**32)  # secret: students cannot regenerate the labels
    frame, features, kind = _table(contest, data_seed)
    frame = frame[frame[contest.target].notna()].reset_index(drop=True)
    train_rows, test_rows = _split(contest, frame)
    if len(train_rows) == 0 or len(test_rows) < 4:
        raise ContestError(f"contest {contest_id}: the split leaves {len(train_rows)} training "
                           f"and {len(test_rows)} test rows")
    labels = frame[contest.target].to_numpy()[test_rows]
    if contest.metric == "auroc" and set(np.unique(labels).tolist()) - {0, 1}:
        raise ContestError(f"contest {contest_id}: AUROC needs a 0/1 target; "
                           f"{contest.target} has {sorted(map(str, np.unique(labels)))[:5]}")
    parts = _public_part(contest, labels)
    if contest.metric == "auroc":
        for part in ("public", "private"):
            seen = {labels[i] for i in range(len(labels)) if parts[i] == part}
            if len(seen) < 2:
                raise ContestError(f"contest {contest_id}: the {part} split has one class "
                                   "only; give more test rows")
    train = frame.iloc[train_rows][features + [contest.target]].reset_index(drop=True)
    test = frame.iloc[test_rows][features].reset_index(drop=True)
    test.insert(0, "id", np.arange(len(test)))
    hidden = pd.DataFrame({"id": test["id"], "label": labels, "part": parts})

    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    kit = release_folder(m, contest_id)
    files.write_text(kit / "train.csv", train.to_csv(index=False))
    files.write_text(kit / "test_features.csv", test.to_csv(index=False))
    files.write_text(kit / f"{contest_id}.ipynb", starter_notebook(m, contest, features))
    files.write_text(home / "labels.csv", hidden.to_csv(index=False))
    os.chmod(home / "labels.csv", 0o600)
    files.write_text(record, json.dumps({
        "contest": contest_id, "settings": _settings(contest), "data_seed": data_seed,
        "dataset_kind": kind, "features": features, "n_train": len(train),
        "n_test": len(test), "n_public": parts.count("public"),
        "prepared_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }, indent=1) + "\n")
    return home


def starter_notebook(m: Manifest, contest: Contest, features: list[str]) -> str:
    """The students' notebook: the protocol, the data and a weak baseline to beat."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    better = "higher" if contest.higher_is_better else "lower"
    what = ("a score for each row, higher meaning more likely positive (a probability is "
            "fine)" if contest.metric == "auroc" else f"the predicted {contest.target}")
    tz = contest.timezone or m.timezone
    closes = contest.closes.isoformat() if contest.closes else "?"
    protocol = f"""# {contest.id} · {contest.title}

A class contest on `{contest.dataset}`: predict **`{contest.target}`** for the rows of
`test_features.csv`. Metric: **{contest.metric.upper()}** ({better} is better).

## How your notebook is scored

1. It runs **top to bottom in a fresh kernel** inside the grading sandbox: no network, no
   files but `train.csv` and `test_features.csv` in the current folder, at most
   {contest.time_limit_s} s for the whole notebook. A cell that raises stops the run.
2. It must define **`predict(train, test_features)`**: `train` is a pandas DataFrame with
   the feature columns and `{contest.target}`; `test_features` has `id` and the same
   feature columns. Return one number per row of `test_features`, **in its order**:
   {what}. (Or, instead, write `predictions.csv` with columns `id,prediction`.)
3. No NaN or infinite values, exactly one value per test row.
4. The predictions are scored on a hidden **public** part of the test rows (the public
   board, rounded to {contest.digits} digits) and a hidden **private** part, revealed
   when the contest closes ({closes}). Your best public submission (the earlier one on a
   tie) is your entry on both boards; equal scores rank by submission time.
5. At most **{contest.submissions_per_day} runs per day** ({tz}); a run that fails
   (error, timeout, wrong predictions) counts too. Test `predict` here first.
"""
    load = ("import pandas as pd\n\ntrain = pd.read_csv(\"train.csv\")\n"
            "test_features = pd.read_csv(\"test_features.csv\")\n"
            "print(train.shape, test_features.shape)\ntrain.head()")
    model = ("LogisticRegression(max_iter=1000)" if contest.metric == "auroc" else "Ridge()")
    model_import = ("from sklearn.linear_model import LogisticRegression" if
                    contest.metric == "auroc" else "from sklearn.linear_model import Ridge")
    baseline = f'''TARGET = "{contest.target}"


def features(table):
    """A deliberately weak baseline: the numeric columns, and for SMILES a few counts."""
    out = table.drop(columns=[c for c in ("id", TARGET) if c in table]).select_dtypes("number")
    if "smiles" in table:
        smiles = table["smiles"].astype(str)
        out = out.assign(length=smiles.str.len(), n_N=smiles.str.count("N"),
                         n_O=smiles.str.count("O"), rings=smiles.str.count("1"))
    return out.fillna(0)


def predict(train, test_features):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    {model_import}

    model = make_pipeline(StandardScaler(), {model})
    model.fit(features(train), train[TARGET])
    {"return model.predict_proba(features(test_features))[:, 1]" if contest.metric == "auroc"
     else "return model.predict(features(test_features))"}
'''
    check = ("# check the protocol before you submit: one finite number per test row\n"
             "import numpy as np\n\npredictions = np.asarray(predict(train, test_features), "
             "dtype=float)\nassert predictions.shape == (len(test_features),)\n"
             "assert np.isfinite(predictions).all()\npredictions[:5]")
    notebook = new_notebook(cells=[
        new_markdown_cell(protocol), new_code_cell(load),
        new_markdown_cell("## Your model\n\nReplace this baseline with something better."),
        new_code_cell(baseline), new_code_cell(check),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return nbformat.writes(notebook) + "\n"


# -- running a submission in the sandbox ------------------------------------------------

HARNESS = f'''
def __medai_contest_harness():
    import json, os
    import pandas as pd
    train = pd.read_csv("train.csv")
    test_features = pd.read_csv("test_features.csv")
    given = globals().get("predict")
    if callable(given):
        values = given(train.copy(), test_features.copy())
        ids = list(test_features["id"])
    elif os.path.exists("predictions.csv"):
        table = pd.read_csv("predictions.csv")
        if not {{"id", "prediction"}} <= set(table.columns):
            raise ValueError("predictions.csv needs the columns id and prediction")
        values, ids = table["prediction"], list(table["id"])
    else:
        raise NameError("the notebook defines no predict(train, test_features) and "
                        "wrote no predictions.csv")
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    if hasattr(values, "ravel") and getattr(values, "ndim", 1) > 1:
        if values.size != len(ids):
            raise ValueError(f"predict returned an array of shape {{values.shape}}: return "
                             f"one number per row of test_features ({{len(ids)}})")
        values = values.ravel()
    values = [float(v) for v in values]
    with open({PREDICTIONS_FILE!r}, "w") as out:
        json.dump({{"id": [int(i) for i in ids], "prediction": values}}, out)


__medai_contest_harness()
'''


class _Failed(Exception):
    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def _limits(m: Manifest, contest: Contest):
    from medai.grading.sandbox.limits import Limits

    limits = Limits(**m.sandbox_limits)
    return dataclasses.replace(limits, notebook_timeout_s=contest.time_limit_s,
                               cell_timeout_s=min(limits.cell_timeout_s, contest.time_limit_s))


def run_in_sandbox(notebook, kit: Path, limits, warm: list[str] | None = None) -> dict:
    """Run the student's code cells and the harness in a sandboxed kernel whose working
    copy holds only the kit's train.csv and test_features.csv; return the predictions
    file's content. Raises :class:`_Failed` with a status and a one-line reason."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from nbformat.v4 import new_code_cell, new_notebook

    from medai.grading.sandbox.execute import death_reason
    from medai.grading.sandbox.kernel import AsyncSandboxedKernelManager

    cells = [new_code_cell(c.source) for c in notebook.cells if c.cell_type == "code"]
    harness_index = len(cells)
    runnable = new_notebook(cells=[*cells, new_code_cell(HARNESS)])
    runnable.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}

    class Client(NotebookClient):
        """nbclient with the sandboxed kernel; outputs are dropped (nothing shows them)."""

        def create_kernel_manager(self):
            self.km = AsyncSandboxedKernelManager(kernel_name="python3", limits=limits)
            self.km.warm_imports = warm
            self.sandbox_km = self.km  # nbclient forgets self.km at cleanup
            return self.km

        def output(self, outs, msg, display_id, cell_index):
            return None

        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            self.current_cell = cell_index
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)

    work = Path(tempfile.mkdtemp(prefix="medai-contest-"))
    client = None
    try:
        for name in ("train.csv", "test_features.csv"):
            shutil.copyfile(kit / name, work / name)
        client = Client(runnable, timeout=limits.cell_timeout_s, kernel_name="python3",
                        allow_errors=False, shutdown_kernel="immediate",
                        resources={"metadata": {"path": str(work)}})
        client.current_cell = 0
        client.sandbox_km = None
        where = lambda: ("predict(train, test_features)"  # noqa: E731
                         if client.current_cell == harness_index
                         else f"code cell {client.current_cell + 1}")
        try:
            client.execute()
        except CellTimeoutError:
            raise _Failed("timeout", f"{where()} ran longer than {limits.cell_timeout_s} s") \
                from None
        except DeadKernelError:
            reason = death_reason(client.sandbox_km)
            status = "timeout" if "longer than" in reason else "killed"
            raise _Failed(status, reason) from None
        except CellExecutionError as err:
            ename = getattr(err, "ename", "Error")
            evalue = str(getattr(err, "evalue", "")).strip().splitlines()
            raise _Failed("error", f"{where()}: {ename}: {evalue[0][:300] if evalue else ''}") \
                from None
        except RuntimeError as err:  # the kernel did not start (no ready reply)
            km = client.sandbox_km
            log = (getattr(km, "exit_log", "") or "").strip().splitlines()
            raise _Failed("grader-error", f"the sandboxed kernel failed: {err}"
                          + (f": {log[-1][:300]}" if log else "")) from None
        result = work / PREDICTIONS_FILE
        if not result.is_file() or result.is_symlink():
            raise _Failed("invalid", "no predictions came back from the notebook")
        if result.stat().st_size > MAX_PREDICTIONS_BYTES:
            raise _Failed("invalid", "the predictions file is larger than "
                          f"{MAX_PREDICTIONS_BYTES // 2**20} MB")
        try:
            return json.loads(result.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise _Failed("invalid", "the predictions could not be read back") from None
    finally:
        if client is not None:  # nbclient's exit hook, for a kernel already gone
            atexit.unregister(client._cleanup_kernel)
        shutil.rmtree(work, ignore_errors=True)


def _metric(metric: str, truth, predicted) -> float:
    from sklearn.metrics import mean_squared_error, roc_auc_score

    if metric == "auroc":
        return float(roc_auc_score(truth, predicted))
    return float(math.sqrt(mean_squared_error(truth, predicted)))


def score_predictions(contest: Contest, hidden, given: dict) -> tuple[float, float]:
    """(public, private) score of predictions read back from the sandbox; raises
    :class:`_Failed` ``invalid`` when they do not match the test rows."""
    import numpy as np

    ids, values = given.get("id"), given.get("prediction")
    expected = len(hidden)
    if not isinstance(ids, list) or not isinstance(values, list):
        raise _Failed("invalid", "the predictions could not be read back")
    if len(values) != expected:
        raise _Failed("invalid", f"{len(values)} predictions for {expected} test rows")
    if len(ids) != len(values):
        raise _Failed("invalid", "the predictions are not one value per id")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise _Failed("invalid", "a prediction is not a number")
    predicted = np.asarray(values, dtype=float)
    bad = int((~np.isfinite(predicted)).sum())
    if bad:
        raise _Failed("invalid", f"{bad} prediction(s) are NaN or infinite")
    if sorted(ids) != list(range(expected)):
        raise _Failed("invalid", "the ids are not those of test_features.csv, each once")
    by_id = dict(zip(ids, predicted, strict=True))
    aligned = np.array([by_id[i] for i in hidden["id"]])
    scores = []
    for part in ("public", "private"):
        mask = (hidden["part"] == part).to_numpy()
        scores.append(_metric(contest.metric, hidden["label"].to_numpy()[mask], aligned[mask]))
    return scores[0], scores[1]


# -- the ledger ----------------------------------------------------------------------------


def ledger(m: Manifest, contest_id: str, student: str | None = None) -> list[Submission]:
    """Every recorded submission (of one student), oldest first."""
    base = folder(m, contest_id) / "ledger"
    paths = sorted((base / student).glob("*.json")) if student else sorted(base.glob("*/*.json"))
    fields = {f.name for f in dataclasses.fields(Submission)}
    records = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        records.append(Submission(**{k: v for k, v in data.items() if k in fields}))
    return sorted(records, key=lambda r: (r.time, r.student, r.number))


def _record(m: Manifest, submission: Submission, notebook_bytes: bytes | None) -> Path:
    """Write a record under a new number, atomically, never over an existing one."""
    base = folder(m, submission.contest) / "ledger" / submission.student
    base.mkdir(parents=True, exist_ok=True)
    number = submission.number
    while True:
        target = base / f"{number:04d}.json"
        record = dataclasses.replace(submission, number=number)
        partial = base / f".{number:04d}.json.partial-{os.getpid()}"
        partial.write_text(json.dumps(dataclasses.asdict(record), indent=1) + "\n",
                           encoding="utf-8")
        try:
            os.link(partial, target)  # fails if the number is taken: never overwrites
        except FileExistsError:
            number += 1
            continue
        finally:
            partial.unlink(missing_ok=True)
        if notebook_bytes is not None:
            files.write_bytes(base / f"{number:04d}.ipynb", notebook_bytes)
        return target


class _Lock:
    """An exclusive lock file: one preparer of a contest, one submission of a student at
    a time (the daily count stays exact)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path

    def __enter__(self):
        self.handle = open(self.path, "a")  # noqa: SIM115
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


# -- scoring a submission --------------------------------------------------------------------


def score(m: Manifest, contest_id: str, student: str, notebook_path: Path,
          at: dt.datetime | None = None, warm: list[str] | None = None) -> Submission:
    """Check, run and score one student's notebook, and record it (whatever the outcome).
    ``at``: when it was submitted (default now); the daily limit and the dates use it."""
    import nbformat
    import pandas as pd

    contest = get(m, contest_id)
    if not STUDENT_ID.match(student):
        raise ContestError(f"{student!r} is not a student id (letters, digits, . _ @ -)")
    notebook_path = Path(notebook_path)
    if not notebook_path.is_file():
        raise ContestError(f"{notebook_path}: no such notebook")
    raw = notebook_path.read_bytes()
    zone = timezone(m, contest)
    at = (at or dt.datetime.now(dt.timezone.utc))
    if at.tzinfo is None:
        raise ContestError("the submission time needs a UTC offset, e.g. +09:00")
    at = at.astimezone(zone)
    base = Submission(contest=contest_id, student=student, number=0,
                      submitted_at=at.isoformat(timespec="seconds"), day=at.date().isoformat(),
                      status="scored", reason="", counted=False, public_score=None,
                      private_score=None, seconds=0.0,
                      notebook_sha256=hashlib.sha256(raw).hexdigest())
    home = prepare(m, contest_id)
    with _Lock(home / "ledger" / f".{student}.lock"):
        earlier = ledger(m, contest_id, student)
        number = max((r.number for r in earlier), default=0) + 1

        def done(status: str, reason: str = "", **more) -> Submission:
            record = dataclasses.replace(base, number=number, status=status, reason=reason,
                                         counted=status in COUNTED, **more)
            path = _record(m, record, raw)
            return dataclasses.replace(record, number=int(path.stem))

        if contest.opens and at < contest.opens:
            return done("not-open", f"the contest opens at {contest.opens.isoformat()}")
        if contest.closes and at > contest.closes:
            return done("not-open", f"the contest closed at {contest.closes.isoformat()}")
        today = [r for r in earlier if r.counted and r.day == base.day]
        if len(today) >= contest.submissions_per_day:
            return done("over-limit", f"{len(today)} of {contest.submissions_per_day} runs "
                        f"used on {base.day} ({zone.key}); try again tomorrow")
        try:
            notebook = nbformat.reads(raw.decode("utf-8"), as_version=4)
            nbformat.validate(notebook)
        except Exception as err:  # noqa: BLE001 - any unreadable file is the same answer
            first = (str(err).splitlines() or [""])[0][:200]
            return done("malformed", f"not a readable Jupyter notebook: "
                        f"{type(err).__name__}: {first}")
        started = time.perf_counter()
        try:
            given = run_in_sandbox(notebook, release_folder(m, contest_id),
                                   _limits(m, contest), warm)
            hidden = pd.read_csv(home / "labels.csv")
            public, private = score_predictions(contest, hidden, given)
        except _Failed as failed:
            return done(failed.status, failed.reason,
                        seconds=round(time.perf_counter() - started, 3))
        except MedaiError as err:  # the sandbox could not be set up: not the student's fault
            return done("grader-error", str(err), seconds=round(time.perf_counter() - started, 3))
        return done("scored", public_score=public, private_score=private,
                    seconds=round(time.perf_counter() - started, 3))


# -- boards ------------------------------------------------------------------------------------


def _rounded(contest: Contest, value: float | None) -> float | None:
    return None if value is None else round(value, contest.digits)


def board(m: Manifest, contest_id: str, private: bool = False, reveal: bool = False,
          now: dt.datetime | None = None) -> list[BoardRow]:
    """The public board (best public score per student), or the private one: the same
    entries scored on the private split, only after the contest closed or with ``reveal``."""
    contest = get(m, contest_id)
    now = now or dt.datetime.now(dt.timezone.utc)
    if private and not reveal and contest.closes and now < contest.closes:
        raise ContestError(f"the private board of {contest_id} is hidden until the contest "
                           f"closes ({contest.closes.isoformat()}); pass --reveal to show it "
                           "now (to instructors only)")
    sign = -1 if contest.higher_is_better else 1
    records = ledger(m, contest_id)
    students = sorted({r.student for r in records})
    ranked, unranked = [], []
    for student in students:
        mine = [r for r in records if r.student == student]
        scored = [r for r in mine if r.status == "scored"]
        entries = sum(r.counted for r in mine)
        if not scored:
            last = mine[-1]
            # the status only: a failure's message is the student's business, not the class's
            unranked.append(BoardRow(None, student, None, None, entries, "",
                                     f"no score (last run: {last.status})"))
            continue
        best = min(scored, key=lambda r: (sign * _rounded(contest, r.public_score), r.time,
                                          r.number))
        shown = _rounded(contest, best.private_score if private else best.public_score)
        ranked.append((sign * shown, best.time, student,
                       BoardRow(None, student, shown, _rounded(contest, best.public_score),
                                entries, best.submitted_at)))
    ranked.sort(key=lambda x: x[:3])
    rows = [dataclasses.replace(row, rank=i + 1) for i, (*_, row) in enumerate(ranked)]
    return rows + unranked


def board_text(m: Manifest, contest_id: str, rows: list[BoardRow], private: bool) -> str:
    contest = get(m, contest_id)
    kind = "private" if private else "public"
    lines = [f"{contest.id} · {contest.title}: {kind} board, {contest.metric.upper()} "
             f"({'higher' if contest.higher_is_better else 'lower'} is better), "
             f"rounded to {contest.digits} digits"]
    header = f"{'rank':>4}  {'student':20} {'score':>8}"
    header += f" {'public':>8}" if private else ""
    lines.append(header + f" {'runs':>4}  submitted")
    for row in rows:
        score_text = "-" if row.score is None else f"{row.score:.{contest.digits}f}"
        line = f"{row.rank if row.rank else '-':>4}  {row.student:20} {score_text:>8}"
        if private:
            line += " " + ("-" if row.public_score is None else
                           f"{row.public_score:.{contest.digits}f}").rjust(8)
        lines.append(line + f" {row.entries:>4}  {row.at or row.note}")
    return "\n".join(lines)


def board_html(m: Manifest, contest_id: str, rows: list[BoardRow], private: bool) -> str:
    """A self-contained leaderboard page (no scripts, no other host); every text escaped."""
    contest = get(m, contest_id)
    e = html.escape
    kind = "Private" if private else "Public"
    share = (1 - contest.public_fraction) if private else contest.public_fraction
    body = []
    for row in rows:
        score_text = "–" if row.score is None else f"{row.score:.{contest.digits}f}"
        cells = [str(row.rank) if row.rank else "–", e(row.student), score_text]
        if private:
            cells.append("–" if row.public_score is None
                         else f"{row.public_score:.{contest.digits}f}")
        cells += [str(row.entries), e(row.at or row.note)]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    heads = ["Rank", "Student", contest.metric.upper()] + (["Public"] if private else []) + \
        ["Runs", "Submitted"]
    generated = dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes")
    closes = contest.closes.isoformat() if contest.closes else "?"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(contest.title)} · {kind} leaderboard</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; }}
td:nth-child(3) {{ font-variant-numeric: tabular-nums; }}
.note {{ color: #555; }}
</style></head><body>
<h1>{e(contest.title)}</h1>
<p><strong>{kind} leaderboard</strong> · {e(contest.metric.upper())}
({'higher' if contest.higher_is_better else 'lower'} is better) on {share:.0%} of the
hidden test rows, rounded to {contest.digits} digits. Each student's best public submission
is their entry; equal scores rank by submission time, earlier first.</p>
<p class="note">Closes {e(closes)}; {'the private scores decide the contest' if private
else 'the private board is revealed when the contest closes'}. Generated {e(generated)}.</p>
<table><thead><tr>{''.join(f'<th>{h}</th>' for h in heads)}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
</body></html>
"""


# -- check -------------------------------------------------------------------------------------


def check(m: Manifest, contest_id: str) -> list[str]:
    """Prepare the contest (if needed) and say what a student will get; warnings for a
    public dataset. Returns the lines to print."""
    contest = get(m, contest_id)
    home = prepare(m, contest_id)
    info = json.loads((home / "contest.json").read_text(encoding="utf-8"))
    lines = [
        f"{contest.id}: {contest.title}",
        f"  data: {contest.dataset}, target {contest.target}, {len(info['features'])} "
        f"feature column(s); {info['n_train']} training rows, {info['n_test']} test rows "
        f"({info['n_public']} public, {info['n_test'] - info['n_public']} private)",
        f"  metric: {contest.metric} ({'higher' if contest.higher_is_better else 'lower'} is "
        f"better), rounded to {contest.digits} digits; {contest.submissions_per_day} runs "
        f"per day ({contest.timezone or m.timezone}); {contest.time_limit_s} s per notebook",
        f"  open: {contest.opens.isoformat() if contest.opens else '?'} to "
        f"{contest.closes.isoformat() if contest.closes else '?'}",
        f"  students' kit: {release_folder(m, contest_id)} (train.csv, test_features.csv, "
        f"{contest_id}.ipynb)",
        f"  hidden labels: {home / 'labels.csv'} (never given to a sandbox)",
    ]
    if info.get("dataset_kind") != "synthetic":
        lines.append(f"  warning: {contest.dataset} is public data: its labels ship with the "
                     "Python installation and are online, so a student can look them up; "
                     "the boards are fair only on a synthetic dataset with a data seed medai "
                     "drew itself")
    elif "seed" in contest.options:
        lines.append("  warning: options.seed is in course.yml: whoever reads it can "
                     "regenerate the labels; leave it out and medai draws a secret one")
    return lines
