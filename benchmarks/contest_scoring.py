"""Contest scoring time per submission: `medai contest score` on the course's own contest
(hit_finding, course.yml), cold sandboxed kernels, in a private copy of the course.

Three notebooks are scored in turn: the starter the contest writes (a weak baseline on
SMILES counts), a Morgan-fingerprint random forest (RDKit inside the sandbox) and a
failing one. Each score is the whole step a TA runs: the sandboxed kernel's start, the
student's notebook, reading the predictions back and scoring them outside, the ledger
record. Also the same through the command line (a fresh `medai` process each time).
The machine's load average is recorded with the figures: run it on an idle machine.

    python benchmarks/contest_scoring.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import result_files
from nbformat.v4 import new_code_cell, new_notebook

from medai.course import manifest, workspace
from medai.grading import contest

CONTEST = "hit_finding"
FINGERPRINTS = '''
import numpy as np
from rdkit import Chem, RDLogger
from rdkit.Chem import rdFingerprintGenerator
from sklearn.ensemble import RandomForestClassifier

RDLogger.DisableLog("rdApp.*")
generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=1024)

def fingerprints(smiles):
    return np.array([generator.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles])

def predict(train, test_features):
    model = RandomForestClassifier(n_estimators=200, n_jobs=1, random_state=0,
                                   class_weight="balanced")
    model.fit(fingerprints(train["smiles"]), train["active"])
    return model.predict_proba(fingerprints(test_features["smiles"]))[:, 1]
'''
FAILING = 'raise RuntimeError("not finished")\n'


def _notebook(path: Path, source: str) -> Path:
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=str(result_files.RESULTS / "contest_scoring.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="contest_bench_") as tmp:
        m = manifest.load(workspace.copy_course(manifest.load(result_files.REPO / "course"
                                                              / "course.yml"), Path(tmp)))
        c = m.contest(CONTEST)
        started = time.perf_counter()
        contest.prepare(m, CONTEST)
        prepare_s = time.perf_counter() - started
        kit = contest.release_folder(m, CONTEST)
        notebooks = {"starter": kit / f"{CONTEST}.ipynb",
                     "fingerprints": _notebook(Path(tmp) / "fp.ipynb", FINGERPRINTS),
                     "failing": _notebook(Path(tmp) / "fail.ipynb", FAILING)}
        at = c.opens + dt.timedelta(hours=1)
        runs: dict[str, list[float]] = {name: [] for name in notebooks}
        scores: dict[str, float | None] = {}
        load = os.getloadavg()[0]
        for i in range(args.rounds):
            for name, path in notebooks.items():
                done = contest.score(m, CONTEST, f"{name}{i}", path, at=at)
                runs[name].append(done.seconds)
                scores[name] = done.public_score
                print(f"{name:12} {done.status:8} {done.seconds:6.2f} s", flush=True)
        cli = []
        for i in range(args.rounds):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "medai.cli", "--course", str(m.path),
                            "contest", "score", CONTEST, str(notebooks["starter"]),
                            "--student", f"cli{i}", "--at", at.isoformat()],
                           check=False, capture_output=True)
            cli.append(time.perf_counter() - t)
        load = max(load, os.getloadavg()[0])
    report = {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_1min_max": round(load, 2)},
        "contest": CONTEST, "rounds": args.rounds,
        "prepare_seconds": round(prepare_s, 2),
        "seconds_per_submission_median": {k: round(statistics.median(v), 2)
                                          for k, v in runs.items()},
        "public_auroc": {k: None if v is None else round(v, 3) for k, v in scores.items()},
        "cli_seconds_per_submission_median": round(statistics.median(cli), 2),
    }
    for path in result_files.save(report, Path(args.out)):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
