"""The `medai` command: one verb per job, each a thin layer over a module.

Errors that a user can fix are printed as one clear message with exit code 2;
a traceback means a bug in medai.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from medai.course import build, manifest
from medai.grading import pipeline


class UserError(Exception):
    """Something the user can fix; printed without a traceback."""


def _load(args) -> manifest.Manifest:
    try:
        return manifest.load(args.course)
    except (manifest.ManifestError, FileNotFoundError) as err:
        raise UserError(f"{err}\nFix course.yml and run `medai course check`.") from None


def cmd_course_check(args) -> int:
    try:
        path = Path(args.course).resolve() if args.course else manifest.default_manifest_path()
    except FileNotFoundError as err:
        raise UserError(str(err)) from None
    problems = manifest.check(path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    m = manifest.load(path)
    print(
        f"{m.course_id}: {len(m.ready_lessons())} ready / {len(m.lessons)} lessons, "
        f"{len(m.ready_assignments())} ready / {len(m.assignments)} assignments, "
        f"{len(m.weeks)} weeks, {len(m.tracks)} tracks: OK"
    )
    return 0


def cmd_build(args) -> int:
    m = _load(args)
    try:
        results = build.build_all(m, check=args.check)
    except build.SourceError as err:
        raise UserError(str(err)) from None
    bad = [r for r in results if r.state in ("stale", "missing")]
    for r in results:
        print(f"{r.state:9} {_rel(r.notebook, m.root)}")
    if bad:
        print(f"{len(bad)} notebook(s) out of date; run `medai build`.", file=sys.stderr)
        return 1
    return 0


def cmd_release(args) -> int:
    m = _load(args)
    folder = pipeline.release(m, args.assignment)
    print(f"released {args.assignment}: student version in {_rel(folder, m.root)}")
    return 0


def cmd_grade(args) -> int:
    import time

    from medai.grading.progress import Progress, summary

    m = _load(args)
    students = args.student or pipeline.submitted_students(m, args.assignment)
    progress = Progress(len(students))
    started = time.monotonic()
    results = pipeline.grade(m, args.assignment, args.student or None, on_result=progress.update,
                             workers=args.workers, scheduler=args.scheduler, force=args.force)
    progress.close()
    print(summary(results, time.monotonic() - started))
    return 1 if any(r.status == "failed" for r in results) else 0


def cmd_check(args) -> int:
    from medai.grading import qa

    m = _load(args)
    try:
        outcomes = qa.check(m, args.assignment, workers=args.workers)
    except KeyError as err:
        raise UserError(str(err.args[0])) from None
    print(f"{'submission':44} {'expected':9} {'score':>6}  verdict  mistake")
    for o in outcomes:
        score = "-" if o.score is None else f"{o.score:g}"
        verdict = "ok" if o.passed else "WRONG"
        print(f"{o.submission:44} {o.expected:9} {score:>6}  {verdict:7}  {o.mistake}"
              + (f" ({o.reason})" if o.reason else ""))
    killed, total = qa.kill_rate(outcomes)
    print(f"mutants caught: {killed} of {total}"
          + (f" (kill rate {killed / total:.0%})" if total else " (no mutants: add some in "
             f"assignments/source/{args.assignment}/mutants/)"))
    return 0 if all(o.passed for o in outcomes) and total else 1


def cmd_feedback(args) -> int:
    m = _load(args)
    pages = pipeline.feedback(m, args.assignment)
    print(f"{len(pages)} feedback page(s) in {_rel(m.course_directory / 'feedback', m.root)}")
    return 0


def cmd_report(args) -> int:
    from medai.grading import report

    m = _load(args)
    target = report.write(m, args.assignment, Path(args.to) if args.to else None)
    print(f"report written to {_rel(target, m.root)}")
    return 0


def cmd_export(args) -> int:
    m = _load(args)
    target = pipeline.export(m, Path(args.to) if args.to else None, fmt=args.format)
    print(f"grades written to {_rel(target, m.root)}")
    return 0


def cmd_datasets_list(args) -> int:
    from medai.datasets import catalog, registry

    entries = catalog.entries()
    print(f"{'name':26} {'kind':15} {'module':15} task")
    for name in registry.available():
        entry = entries.get(name, {})
        print(f"{name:26} {entry.get('kind', '?'):15} {entry.get('module', '?'):15} "
              f"{entry.get('task', '')}")
    return 0


def cmd_datasets_info(args) -> int:
    from medai import datasets

    try:
        entry = datasets.info(args.name)
    except datasets.UnknownDatasetError as err:
        raise UserError(str(err)) from None
    card = entry.pop("card_text", "")
    for key, value in entry.items():
        print(f"{key + ':':12} {value}")
    options = datasets.registry.spec(args.name).options
    for key, option in options.items():
        limits = (f" (one of {', '.join(map(repr, option.choices))})" if option.choices else
                  f" ({option.minimum:g} to {option.maximum:g})"
                  if option.minimum is not None and option.maximum is not None else "")
        print(f"{'option:':12} {key}={option.default!r}{limits}: {option.help}")
    if card:
        print()
        print(card.rstrip())
    return 0


def cmd_datasets_verify(args) -> int:
    from medai.datasets import verify

    names = args.names or None
    failed = 0
    print(f"{'name':26} {'kind':15} {'status':8} {'seconds':>8}  shape / detail")
    checks = [verify.check(n) for n in names] if names else None
    for result in checks or _verify_stream(verify):
        failed += result.status == "FAIL"
        detail = result.shape + (f"  {result.detail}" if result.detail else "")
        print(f"{result.name:26} {result.kind:15} {result.status:8} {result.seconds:8.2f}  "
              f"{detail}", flush=True)
    print(f"{failed} failed" if failed else "all datasets verified")
    return 1 if failed else 0


def _verify_stream(verify):
    from medai.datasets import registry

    for name in registry.available():
        yield verify.check(name)


def lab_command(m: manifest.Manifest, extra: list[str]) -> tuple[list[str], dict[str, str]]:
    """The JupyterLab command line and environment for this course."""
    env = dict(os.environ)
    course_config = str(m.path.parent)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (course_config, env.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    # The kernel JupyterLab starts must be this environment's Python, with medai.
    env["PATH"] = pipeline.path_with_tools(env.get("PATH", ""))
    command = [
        sys.executable, "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={m.root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and hub images often run as root; Jupyter refuses without this.
        command.append("--allow-root")
    first = next((lesson for lesson in m.ready_lessons() if lesson.notebook), None)
    if first is not None:
        command.append(f"--LabApp.default_url=/lab/tree/{_rel(first.notebook, m.root)}")
    return command + extra, env


def cmd_lab(args) -> int:
    m = _load(args)
    build.build_all(m)
    command, env = lab_command(m, args.jupyter_args)
    print("starting JupyterLab on localhost:", " ".join(command[3:]), flush=True)
    return subprocess.call(command, env=env, cwd=m.root)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="medai", description=__doc__.splitlines()[0])
    top.add_argument("--course", help="path to course.yml (default: course/course.yml found "
                     "from the current folder, or $MEDAI_COURSE)")
    verbs = top.add_subparsers(dest="verb", required=True)

    course = verbs.add_parser("course", help="work with the course manifest")
    course_verbs = course.add_subparsers(dest="course_verb", required=True)
    course_verbs.add_parser("check", help="validate course.yml, listing every problem") \
        .set_defaults(func=cmd_course_check)

    p = verbs.add_parser("build", help="build .ipynb notebooks from their text sources")
    p.add_argument("--check", action="store_true", help="only report notebooks out of date")
    p.set_defaults(func=cmd_build)

    for name, func, text in (
        ("release", cmd_release, "generate the student version of an assignment"),
        ("grade", cmd_grade, "autograde the submissions in submitted/"),
        ("feedback", cmd_feedback, "write HTML feedback for autograded submissions"),
    ):
        p = verbs.add_parser(name, help=text)
        p.add_argument("assignment")
        if name == "grade":
            p.add_argument("--student", action="append", help="grade only this student "
                           "(repeatable)")
            p.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                           help="parallel grading processes (default: cores, at most 4)")
            p.add_argument("--scheduler", help="address of a Dask scheduler, e.g. "
                           "tcp://10.0.0.5:8786, to grade on a cluster")
            p.add_argument("--force", action="store_true",
                           help="regrade even submissions unchanged since the last run")
        p.set_defaults(func=func)

    p = verbs.add_parser("check", help="prove an assignment's autograder: reference gets "
                         "full marks, blank gets none, every mutant loses points")
    p.add_argument("assignment")
    p.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    p.set_defaults(func=cmd_check)

    p = verbs.add_parser("report", help="HTML report for the instructor: score "
                         "distribution, failure rate per question, grading time, manual queue")
    p.add_argument("assignment")
    p.add_argument("--to", help="destination (default: <course directory>/reports/<id>.html)")
    p.set_defaults(func=cmd_report)

    p = verbs.add_parser("export", help="write all grades to a CSV file")
    p.add_argument("--to", help="destination (default: <course directory>/grades.csv)")
    p.add_argument("--format", choices=("lms", "nbgrader"), default="lms",
                   help="lms: one row per student, a column per assignment and question "
                        "(default); nbgrader: nbgrader's own one-row-per-submission CSV")
    p.set_defaults(func=cmd_export)

    p = verbs.add_parser("datasets", help="the datasets lessons can load offline")
    data_verbs = p.add_subparsers(dest="datasets_verb", required=True)
    data_verbs.add_parser("list", help="list datasets with kind, module and task") \
        .set_defaults(func=cmd_datasets_list)
    p = data_verbs.add_parser("info", help="catalog entry, options and card of one dataset")
    p.add_argument("name")
    p.set_defaults(func=cmd_datasets_info)
    p = data_verbs.add_parser("verify", help="load every dataset; check shape, checksum "
                              "and determinism")
    p.add_argument("names", nargs="*", help="only these datasets")
    p.set_defaults(func=cmd_datasets_verify)

    p = verbs.add_parser(
        "lab", help="build the notebooks and start JupyterLab on localhost",
        description="Other options are passed to JupyterLab, e.g. --no-browser --port=8899",
    )
    p.set_defaults(func=cmd_lab)
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args, extra = top.parse_known_args(argv)
    if args.verb == "lab":
        args.jupyter_args = extra
    elif extra:
        top.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.func(args)
    except (UserError, pipeline.GradingError, build.SourceError) as err:
        print(f"medai: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped early (`medai datasets info NAME | head`): not an error;
        # point stdout at /dev/null so that Python's final flush stays quiet too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
