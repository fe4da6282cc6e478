"""The `medai` command: one verb per job, each a thin layer over a module.

Errors that a user can fix are printed as one clear message with exit code 2;
a traceback means a bug in medai.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from medai import i18n
from medai.course import build, manifest, sources, translation
from medai.delivery import exchange
from medai.errors import MedaiError
from medai.grading import nbgrader_api, pipeline


class UserError(MedaiError):
    """Something the user can fix; printed without a traceback."""


def _load(args) -> manifest.Manifest:
    try:
        return manifest.load(args.course)
    except (manifest.ManifestError, FileNotFoundError) as err:
        raise UserError(f"{err}\nFix course.yml and run `medai course check`.") from None


def _lesson_plan_problems(m: manifest.Manifest) -> list[str]:
    """Each ready lesson's core path, deep dives and instructor notes (lesson_plan)."""
    from medai.course import lesson_plan

    found = []
    for lesson in m.ready_lessons():
        try:
            notebook = sources.read_source(lesson.source)
        except sources.SourceError as err:
            found.append(str(err))
            continue
        found += [f"{lesson.id}: {p}" for p in lesson_plan.problems(lesson.source, notebook)]
        taught = lesson_plan.objectives(notebook)
        if [lesson_plan.plain(x) for x in lesson.objectives] != taught:
            found.append(f"{lesson.id}: course.yml's objectives differ from the lesson's "
                         "Learning objectives; copy the lesson's list into course.yml: "
                         + " | ".join(taught))
    return found


def cmd_course_check(args) -> int:
    try:
        path = Path(args.course).resolve() if args.course else manifest.default_manifest_path()
    except FileNotFoundError as err:
        raise UserError(str(err)) from None
    problems = manifest.check(path)
    if not problems:
        problems = _lesson_plan_problems(manifest.load(path))
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


def cmd_course_plan(args) -> int:
    from medai.course import lesson_plan

    m = _load(args)
    print(f"{'lesson':8} {'core':>5} {'deep':>5}  deep dives (optional; one lab is "
          f"{lesson_plan.LAB_MINUTES} min)")
    for lesson in m.ready_lessons():
        notebook = sources.read_source(lesson.source)
        core, deep = lesson_plan.minutes(notebook)
        dives = [s.heading for s in lesson_plan.sections(notebook) if s.kind == "Deep dive"]
        print(f"{lesson.id:8} {core:>5} {deep:>5}  {'; '.join(dives) or '-'}")
    return 0


def cmd_course_info(args) -> int:
    import medai
    from medai.course import revision

    m = _load(args)
    where = exchange.location(m)
    print(f"{m.course_id}: {m.title} ({m.term})")
    print(f"version:    medai-course {medai.__version__}, {revision.describe(m.root)}")
    print(f"checkout:   {m.root}")
    print(f"time zone:  {m.timezone}")
    print(f"lessons:    {len(m.ready_lessons())} ready of {len(m.lessons)}")
    print(f"assignments: {len(m.ready_assignments())} ready of {len(m.assignments)}, "
          f"{sum(a.points for a in m.ready_assignments()):g} points")
    print(f"tracks:     {', '.join(t.id for t in m.tracks)}")
    print(f"exchange:   {where}" + ("" if where == exchange.configured(m) else
                                    f" (this machine only; course.yml says {m.exchange})"))
    print(f"gradebook:  {m.resolved_gradebook_url()}")
    return 0


def cmd_course_cut(args) -> int:
    from medai.course import release

    m = _load(args)
    try:
        ready = release.plan(m) if args.check else release.cut(m)
    except (release.ReleaseError, FileNotFoundError) as err:
        raise UserError(str(err)) from None
    since = f"since {ready.previous}" if ready.previous else "(the first version)"
    print(f"medai-course {ready.version} {since}: a {ready.needed} step is the least it needs")
    for reason in ready.reasons:
        print(f"  {reason}")
    if args.check:
        print(f"ready to cut v{ready.version}: medai course cut")
        return 0
    print(f"tagged v{ready.version}. Next: python -m build (the wheel and sdist in dist/), "
          "git push --tags, and `medai publish` to bring the lessons to students")
    return 0


def cmd_changes(args) -> int:
    from medai.course import changes

    m = _load(args)
    paths = changes.changed_files(m.root, args.old, args.new)
    lines = changes.report(m, changes.classify(m, paths))
    print(f"{args.old} -> {args.new or 'working tree'}: "
          + ("no change to the course" if not lines else f"{len(paths)} file(s) changed"))
    for line in lines:
        print(f"  {line}")
    return 0


def _version_line() -> str:
    import medai
    from medai.course import revision

    try:
        source = manifest.default_manifest_path().parent.parent
    except FileNotFoundError:
        source = Path(__file__).resolve().parent
    return f"medai-course {medai.__version__} ({revision.describe(source)})"


def cmd_build(args) -> int:
    m = _load(args)
    languages = _languages(m, args.lang)
    results = build.build_all(m, check=args.check, languages=languages)
    bad = [r for r in results if r.state in ("stale", "missing")]
    for r in results:
        print(f"{r.state:9} {_rel(r.notebook, m.root)}")
    untranslated = build.translation_problems(m, languages) if args.check else []
    for problem in untranslated:
        print(f"untranslated {problem}")
    if untranslated:
        print(f"{len(untranslated)} translation problem(s); run `medai translate sync "
              "<source>`, translate what it marks todo, then `medai build`.", file=sys.stderr)
    kept = [r for r in results if r.state == "kept"]
    if kept:
        print(f"{len(kept)} notebook(s) kept: edited or run since they were built, and "
              "their source changed. Your copy was not overwritten; rename or delete it and "
              "run `medai build` for the new version.", file=sys.stderr)
    if bad:
        print(f"{len(bad)} notebook(s) out of date; run `medai build`.", file=sys.stderr)
    return 1 if bad or untranslated else 0


def _languages(m, chosen: str | None, every: bool = True) -> tuple[str, ...]:
    """The languages a verb works in: the one chosen, else all of the course's (or,
    with ``every`` false, its default language)."""
    if chosen is None:
        return m.languages if every else (m.language,)
    language = translation.language_of(chosen)
    if language not in m.languages:
        raise translation.TranslationError(
            f"the course is not taught in {chosen!r}: course.languages in course.yml "
            f"lists {', '.join(m.languages)}")
    return (language,)


def _translatable_sources(m, given: list[str]) -> list[Path]:
    if not given:
        return build.sources(m)
    found = [Path(s).resolve() for s in given]
    for source in found:
        if source == m.path.resolve():
            raise translation.TranslationError(
                f"{source.name} is translated in {source.stem}.<lang>.yml by "
                "`medai translate sync` without a source")
        if not source.is_file() or source.suffix != ".py":
            raise translation.TranslationError(
                f"{source}: not a text source (a lesson's or an assignment's .py)")
    return found


def cmd_translate_sync(args) -> int:
    m = _load(args)
    from medai.course import course_translation

    language = translation.language_of(args.lang)
    if not args.sources:
        todo = course_translation.sync(m, language)
        print(f"{todo:4} todo  {_rel(course_translation.path(m, language), m.root)}")
    for source in _translatable_sources(m, args.sources):
        synced = translation.sync(source, language)
        print(f"{synced.todo:4} todo  {_rel(synced.path, m.root)}")
        for literal in synced.dropped:
            print(f"      dropped (gone from the English code): {literal}")
    return 0


def cmd_translate_check(args) -> int:
    m = _load(args)
    from medai.course import course_translation

    language = translation.language_of(args.lang)
    problems = [] if args.sources else course_translation.problems(m, language)
    problems += [p for source in _translatable_sources(m, args.sources)
                 for p in translation.problems(source, language)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)", file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


def cmd_generate(args) -> int:
    m = _load(args)
    folder = pipeline.generate(m, args.assignment, _languages(m, args.lang, every=False)[0])
    print(f"generated {args.assignment}: student version in {_rel(folder, m.root)} "
          f"(not yet visible to students: `medai release {args.assignment}`)")
    return 0


def cmd_release(args) -> int:
    m = _load(args)
    language = _languages(m, args.lang, every=False)[0]
    folder = pipeline.release(m, args.assignment, force=args.force, language=language)
    print(f"released {args.assignment} ({translation.LANGUAGE_NAMES[language]}) to the "
          f"exchange ({folder}); students can fetch it")
    return 0


def cmd_collect(args) -> int:
    m = _load(args)
    if args.from_lms:
        return _collect_from_lms(m, args)
    if args.zip:
        students = pipeline.zip_collect(m, args.assignment, Path(args.zip),
                                        args.pattern or pipeline.ZIP_PATTERN)
    else:
        students = pipeline.collect(m, args.assignment)
    print(f"{len(students)} submission(s) of {args.assignment} in "
          f"{_rel(m.course_directory / 'submitted', m.root)}: {', '.join(students) or 'none'}")
    return 0


def _collect_from_lms(m, args) -> int:
    report = pipeline.lms_collect(m, args.assignment, Path(args.from_lms), args.lms,
                                  Path(args.roster) if args.roster else None, args.replace)
    for student, notebooks in sorted(report.collected.items()):
        print(f"collected  {student}: {', '.join(notebooks)}")
    for what, items in (("unchanged", report.unchanged), ("replaced", report.replaced)):
        for item in items:
            print(f"{what:10} {item}" + (" (the old file is kept beside it as "
                                         ".before-<time>)" if what == "replaced" else ""))
    for item in report.kept:
        print(f"kept       {item}: submitted/ already holds a different file; --replace "
              "takes the LMS's (the old one is kept beside it)")
    if report.late:
        print(f"late (as the LMS marked them): {', '.join(report.late)}")
    for problem in report.problems:
        print(f"not collected: {problem}", file=sys.stderr)
    print(f"{len(report.collected)} student(s) collected, {len(report.problems)} file(s) not "
          f"collected, {len(report.kept)} kept as they were")
    return 1 if report.problems else 0


def cmd_publish(args) -> int:
    from medai.delivery import lessons

    m = _load(args)
    folder = lessons.publish(m)  # an ExchangeError reaches main() as one clear line
    print(f"published {len(m.ready_lessons())} lessons to {folder}")
    return 0


def cmd_site(args) -> int:
    from medai.site import builder

    m = _load(args)
    out = Path(args.out).resolve() if args.out else m.root / "build" / "site"
    cache = Path(args.cache).resolve() if args.cache else m.root / "build" / "site-cache"
    built = builder.build(m, out, cache, progress=lambda line: print(line, flush=True),
                          borrow=args.english_outputs)
    print(f"site: {built.pages} pages in {_rel(built.html, m.root)} in {built.seconds:.0f} s "
          f"({len(built.executed)} lesson(s) executed, the rest from {_rel(cache, m.root)}); "
          f"open {_rel(built.html / 'index.html', m.root)}")
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
    print(summary(results, time.monotonic() - started, i18n.preferred(m.language)))
    earlier = pipeline.worked_on_another_release(m, args.assignment, [r.student for r in results])
    if earlier:
        print(f"{len(earlier)} submission(s) were made on an earlier release of "
              f"{args.assignment} and were graded against the current tests: "
              f"{', '.join(earlier)}")
    return 1 if any(r.status == "failed" for r in results) else 0


def cmd_check(args) -> int:
    from medai.grading import qa

    m = _load(args)
    try:
        report = qa.check(m, args.assignment, workers=args.workers)
    except KeyError as err:
        raise UserError(str(err.args[0])) from None
    outcomes = report.outcomes
    print(f"{'submission':44} {'expected':9} {'score':>6}  verdict  mistake")
    for o in outcomes:
        score = "-" if o.score is None else f"{o.score:g}"
        verdict = "ok" if o.passed else "WRONG"
        where = f" [in {', '.join(o.scope)}]" if o.scope else ""
        print(f"{o.submission:44} {o.expected:9} {score:>6}  {verdict:7}  {o.mistake}{where}"
              + (f" ({o.reason})" if o.reason else ""))
    killed, total = qa.kill_rate(outcomes)
    print(f"mutants caught: {killed} of {total}"
          + (f" (kill rate {killed / total:.0%})" if total else " (no mutants: add some in "
             f"assignments/source/{args.assignment}/mutants/)"))
    others = [o for o in outcomes if o.submission.startswith("alternative-")]
    print(f"alternatives with full marks: {sum(o.passed for o in others)} of {len(others)}"
          + ("" if others else f" (add correct answers written another way in "
             f"assignments/source/{args.assignment}/alternatives/)"))
    print(f"requirements proven (a mutant loses points in the named test): "
          f"{report.proven} of {report.requirements}")
    if report.variants > 1:
        print(f"variants of the data checked: {report.variants} (each submission graded on "
              "its own student's variant)")
    for problem in report.problems:
        print(f"  problem: {problem}")
    return 0 if report.passed and total else 1


def cmd_feedback(args) -> int:
    m = _load(args)
    pages = pipeline.feedback(m, args.assignment)
    print(f"{len(pages)} feedback page(s) in {_rel(m.course_directory / 'feedback', m.root)}")
    if args.release:
        pipeline.release_feedback(m, args.assignment)
        print("feedback released: each student gets their own with Fetch Feedback")
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

    entry = datasets.info(args.name)
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
        failed += result.status == "failed"
        detail = result.shape + (f"  {result.detail}" if result.detail else "")
        print(f"{result.name:26} {result.kind:15} {result.status:8} {result.seconds:8.2f}  "
              f"{detail}", flush=True)
    print(f"{failed} failed" if failed else "all datasets verified")
    return 1 if failed else 0


def _verify_stream(verify):
    from medai.datasets import registry

    for name in registry.available():
        yield verify.check(name)


def cmd_hub(args) -> int:
    from medai.delivery import hub, roster

    m = _load(args)
    members_file = Path(args.roster) if args.roster else m.roster_path
    written = hub.write(m, members_file, Path(args.to).resolve())
    done = hub.setup_system(m, roster.read(members_file)) if args.setup else []
    for path in written:
        print(f"wrote {path}")
    for line in done:
        print(line)
    print(f"start it as root: {sys.executable} -m jupyterhub -f {written[0]}")
    return 0


def _server_program(hub: bool) -> list[str]:
    """JupyterLab on its own, or the single-user server a JupyterHub spawner expects."""
    if hub:
        return [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
    return [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1"]


def _as_root(command: list[str]) -> list[str]:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and hub images often run as root; Jupyter refuses without this.
        command.append("--allow-root")
    return command


def lab_command(m: manifest.Manifest, extra: list[str],
                hub: bool = False) -> tuple[list[str], dict[str, str]]:
    """The instructor's JupyterLab command line and environment for this course."""
    env = dict(os.environ)
    course_config = str(m.path.parent)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (course_config, env.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    # The kernel JupyterLab starts must be this environment's Python, with medai.
    env["PATH"] = nbgrader_api.path_with_tools(env.get("PATH", ""))
    command = _as_root([*_server_program(hub), f"--ServerApp.root_dir={m.root}"])
    first = next((lesson for lesson in m.ready_lessons() if lesson.notebook), None)
    if first is not None:
        command.append(f"--LabApp.default_url=/lab/tree/{_rel(first.notebook, m.root)}")
    return command + extra, env


def _start(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Become the server (no idle parent process holding memory in a 1 GB pod)."""
    sys.stdout.flush()
    os.chdir(cwd)
    os.execve(command[0], command, env)
    return 0  # not reached


def cmd_lab(args) -> int:
    from medai.delivery import lessons

    m = _load(args)
    root = exchange.ensure(m)
    exchange.protect_course_directory(m)
    kept = []
    try:
        kept = [r for r in build.build_all(m) if r.state == "kept"]
        lessons.publish(m)
        pipeline.sync_due_dates(m)
    except PermissionError as err:  # a TA in the instructor's course: grading still works
        print(f"skipped building and publishing: {err.strerror}: {err.filename} (the "
              "instructor's server does it)")
    command, env = lab_command(m, args.jupyter_args, hub=args.hub)
    print(f"Instructor's JupyterLab for {m.course_id} (Formgrader, gradebook, sources). "
          f"Exchange: {root}" + ("" if exchange.configured(m) == root else
                                 " (this machine only: set MEDAI_EXCHANGE to share it)"))
    for r in kept:
        print(f"kept {_rel(r.notebook, m.root)}: edited or run since it was built; not "
              "overwritten (delete it for the new version)")
    print("Students start their own: medai student start DIR", flush=True)
    return _start(command, env, m.root)


def _student_course(args):
    from medai.delivery import student

    course_id = args.course_id or os.environ.get("MEDAI_COURSE_ID")
    root = args.exchange or os.environ.get(exchange.ENV_VAR)
    timezone = "UTC"
    default = os.environ.get("MEDAI_COURSE_LANGUAGE", "en")
    if not (course_id and root):
        try:  # a course checkout on this machine (an instructor rehearsing)
            m = _load(args)
        except UserError:
            from medai.delivery import lessons

            installed = lessons.packaged()
            if installed is None or args.course:
                raise UserError("which course? Give --exchange and --course-id (or set "
                                "MEDAI_EXCHANGE and MEDAI_COURSE_ID); your instructor has "
                                "them") from None
            # a student who installed the course's package: its lessons, no assignments
            index = lessons.read_index(installed)
            language = i18n.preferred(index.get("language", "en"), args.lang)
            installed = lessons.packaged(language) or installed
            return student.Course(course_id=index["course_id"], exchange=None,
                                  timezone=index.get("timezone", "UTC"),
                                  lessons_from=installed,
                                  language=lessons.read_index(installed).get("language",
                                                                             "en"))
        course_id = course_id or m.course_id
        root = root or str(exchange.location(m))
        timezone = m.timezone
        default = m.language
    return student.Course(course_id=course_id, exchange=Path(root), timezone=timezone,
                          language=i18n.preferred(default, args.lang))


def cmd_student_start(args) -> int:
    import medai
    from medai.delivery import student

    course = _student_course(args)
    workspace = Path(args.workspace).expanduser().resolve()
    try:
        synced, env = student.prepare(course, workspace)
    except PermissionError as err:  # start anyway: assignments and feedback still work
        print(f"medai: cannot read the published lessons ({err.filename}): ask the "
              "instructor to run `medai publish`; starting without them", file=sys.stderr)
        synced, env = [], student.environment(student.write_config(course, workspace))
    language = course.language
    for line in student.describe(synced, workspace, language):
        print(line)
    if course.exchange is None:
        print(i18n.message("{n} lesson file(s) from medai-course {version} (installed) in "
                           "{folder}; for assignments, start with the --exchange and "
                           "--course-id your instructor gives you", language, n=len(synced),
                           version=medai.__version__, folder=workspace / "lessons"))
    else:
        print(i18n.message("{n} lesson file(s) in {folder}; assignments are fetched into "
                           "{assignments} (Assignments panel)", language, n=len(synced),
                           folder=workspace / "lessons",
                           assignments=workspace / course.course_id))
    if args.no_lab:
        return 0
    env["PATH"] = nbgrader_api.path_with_tools(env.get("PATH", ""))
    command = _as_root([*_server_program(args.hub), f"--ServerApp.root_dir={workspace}"])
    print(i18n.message("Student's JupyterLab for {course} in {folder}", language,
                       course=course.course_id, folder=workspace), flush=True)
    return _start(command + args.jupyter_args, env, workspace)


def _contest_time(text: str | None):
    """--at: an ISO 8601 date-time with a UTC offset (None: now)."""
    import datetime as dt

    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"--at {text!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise UserError(f"--at {text!r} needs a UTC offset, e.g. 2027-06-02T10:00:00+09:00")
    return moment


def cmd_contest(args) -> int:
    """prepare/check, score and board of a class contest (medai.grading.contest)."""
    from medai import files
    from medai.grading import contest

    m = _load(args)
    if args.contest_verb == "check":
        if args.force:
            contest.prepare(m, args.contest, force=True)
        print("\n".join(contest.check(m, args.contest)))
        return 0
    if args.contest_verb == "score":
        done = contest.score(m, args.contest, args.student, Path(args.notebook),
                             at=_contest_time(args.at))
        declared = contest.get(m, args.contest)
        shown = "" if done.public_score is None else \
            f": public {declared.metric} {done.public_score:.{declared.digits}f}"
        print(f"{args.contest} {done.student} #{done.number} {done.status}{shown}"
              + (f" ({done.reason})" if done.reason else "")
              + f" [{done.seconds:.1f} s; {'counts' if done.counted else 'does not count'} "
              f"toward {done.day}'s limit]")
        return 0 if done.status == "scored" else 1
    rows = contest.board(m, args.contest, private=args.private, reveal=args.reveal,
                         now=_contest_time(args.at))
    print(contest.board_text(m, args.contest, rows, args.private))
    if args.html:
        target = files.write_text(Path(args.html),
                                  contest.board_html(m, args.contest, rows, args.private))
        print(f"wrote {target}")
    return 0


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


class _PrintVersion(argparse.Action):
    """--version, worked out only when asked (it runs git)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(_version_line())
        parser.exit()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="medai", description=__doc__.splitlines()[0])
    top.add_argument("--course", help="path to course.yml (default: course/course.yml found "
                     "from the current folder, or $MEDAI_COURSE)")
    top.add_argument("--version", action=_PrintVersion,
                     help="the package version and the revision of the course sources")
    verbs = top.add_subparsers(dest="verb", required=True)

    course = verbs.add_parser("course", help="work with the course manifest")
    course_verbs = course.add_subparsers(dest="course_verb", required=True)
    course_verbs.add_parser("check", help="validate course.yml and the lessons' plans, "
                            "listing every problem").set_defaults(func=cmd_course_check)
    course_verbs.add_parser("plan", help="each lesson's core path and deep dives, in minutes, "
                            "for planning labs").set_defaults(func=cmd_course_plan)
    course_verbs.add_parser("info", help="version, revision, exchange, gradebook and size of "
                            "the course").set_defaults(func=cmd_course_info)
    p = course_verbs.add_parser("cut", help="tag the version in pyproject.toml after checking "
                                "CHANGELOG.md covers every change since the last version")
    p.add_argument("--check", action="store_true", help="only check; make no tag")
    p.set_defaults(func=cmd_course_cut)

    p = verbs.add_parser("build", help="build .ipynb notebooks from their text sources")
    p.add_argument("--check", action="store_true", help="only report notebooks out of date "
                   "and translations incomplete or stale")
    p.add_argument("--lang", help="only this language (en, ko); default: every language "
                   "of course.languages")
    p.set_defaults(func=cmd_build)

    p = verbs.add_parser("translate", help="keep a lesson's or assignment's translation in "
                         "step with its English source")
    translate_verbs = p.add_subparsers(dest="translate_verb", required=True)
    for name, func, text in (
        ("sync", cmd_translate_sync, "write the translation file in the source's order, "
         "marking new or changed English texts todo"),
        ("check", cmd_translate_check, "report untranslated, stale or unfaithful texts and "
         "code the translation would change"),
    ):
        q = translate_verbs.add_parser(name, help=text)
        q.add_argument("sources", nargs="*", help="text sources (.py); default: every "
                       "ready lesson and assignment")
        q.add_argument("--lang", default="ko", help="the translation's language (ko)")
        q.set_defaults(func=func)

    for name, func, text in (
        ("generate", cmd_generate, "write the student version of an assignment to release/ "
         "(checked for answers; not yet visible to students)"),
        ("release", cmd_release, "generate, then release the assignment to the exchange, "
         "where students fetch it"),
        ("collect", cmd_collect, "copy students' submissions from the exchange to submitted/"),
        ("grade", cmd_grade, "autograde the submissions in submitted/"),
        ("feedback", cmd_feedback, "write HTML feedback for autograded submissions"),
    ):
        p = verbs.add_parser(name, help=text)
        p.add_argument("assignment")
        if name in ("generate", "release"):
            p.add_argument("--lang", help="the students' language (en, ko; default: "
                           "course.language). Same grade ids and points in every language: "
                           "one gradebook grades them all")
        if name == "release":
            p.add_argument("--force", action="store_true", help="replace an earlier release "
                           "(students who fetched it keep their copy)")
        if name == "collect":
            p.add_argument("--zip", help="collect from a zip file downloaded from the LMS "
                           "instead of the exchange")
            p.add_argument("--pattern", help="regular expression with named groups "
                           "student_id and file_id, matched against each extracted file's "
                           "path (default: a folder per student)")
            p.add_argument("--from-lms", metavar="ZIP", help="a Canvas or Moodle bulk "
                           "download of the submissions; students are found in the roster")
            p.add_argument("--lms", choices=("canvas", "moodle"), help="the layout of "
                           "--from-lms (default: recognised from the file names)")
            p.add_argument("--roster", help="the roster CSV (default: course.yml's "
                           "delivery.hub.roster); Canvas ids in its lms_id column")
            p.add_argument("--replace", action="store_true", help="with --from-lms, replace "
                           "a different file already in submitted/ (kept beside it)")
        if name == "feedback":
            p.add_argument("--release", action="store_true", help="also release it to the "
                           "exchange, where each student fetches their own")
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
    p.add_argument("--format", choices=("lms", "canvas", "moodle", "nbgrader"), default="lms",
                   help="lms: one row per student, a column per assignment and question "
                        "(default); canvas, moodle: the gradebook import of that LMS; "
                        "nbgrader: nbgrader's own one-row-per-submission CSV")
    p.set_defaults(func=cmd_export)

    from medai.grading import similarity
    p = verbs.add_parser("similarity", help="pairs of submissions whose answers are alike "
                         "(renaming and layout ignored), in an HTML report for the instructor")
    p.add_argument("assignment")
    p.add_argument("--threshold", type=float, default=similarity.THRESHOLD,
                   help=f"flag pairs scoring at least this (0-1; default {similarity.THRESHOLD})")
    p.add_argument("--out", help="destination (default: <course directory>/reports/"
                   "similarity/<id>.html)")
    p.set_defaults(func=similarity.command)

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

    p = verbs.add_parser("changes", help="which lessons, assignments, datasets and grading "
                         "behaviour changed between two versions (git tags or commits)")
    p.add_argument("old", help="the earlier version, e.g. v0.1.0")
    p.add_argument("new", nargs="?", help="the later version (default: the working tree)")
    p.set_defaults(func=cmd_changes)

    verbs.add_parser("publish", help="build the lessons and publish them to the exchange "
                     "for students").set_defaults(func=cmd_publish)

    p = verbs.add_parser("site", help="build the course website (plan, tracks, lessons with "
                         "their outputs, assignments, datasets) into build/site/html")
    p.add_argument("--out", help="folder for the site (default: build/site)")
    p.add_argument("--cache", help="executed lessons, reused while their cells are unchanged "
                   "(default: build/site-cache)")
    p.add_argument("--english-outputs", action="store_true",
                   help="execute the English lessons only: a translated lesson not executed "
                   "yet shows the English run's figures and results, with a note")
    p.set_defaults(func=cmd_site)

    p = verbs.add_parser(
        "lab", help="the instructor's JupyterLab: build, publish lessons, start on localhost",
        description="Other options are passed to JupyterLab, e.g. --no-browser --port=8899",
    )
    p.add_argument("--hub", action="store_true", help="start as a JupyterHub single-user "
                   "server (what the generated hub configuration runs)")
    p.set_defaults(func=cmd_lab)

    p = verbs.add_parser("hub", help="write a JupyterHub deployment (jupyterhub_config.py "
                         "and Zero to JupyterHub values) from course.yml and the roster")
    p.add_argument("--roster", help="the class list CSV (default: delivery.hub.roster)")
    p.add_argument("--to", default="deploy/hub", help="output folder (default: deploy/hub)")
    p.add_argument("--setup", action="store_true", help="as root, also create the exchange, "
                   "nbgrader's groups and close the course folder to non-graders")
    p.set_defaults(func=cmd_hub)

    p = verbs.add_parser("contest", help="a class contest on a hidden test split: check, "
                         "score a notebook in the sandbox, show a leaderboard")
    contest_verbs = p.add_subparsers(dest="contest_verb", required=True)
    q = contest_verbs.add_parser("check", help="prepare the hidden split and the students' "
                                 "kit (once) and describe the contest")
    q.add_argument("contest")
    q.add_argument("--force", action="store_true", help="prepare the data again (only while "
                   "no submission is recorded)")
    q = contest_verbs.add_parser("score", help="run a student's notebook in the grading "
                                 "sandbox, score it on the hidden split and record it")
    q.add_argument("contest")
    q.add_argument("notebook")
    q.add_argument("--student", required=True, help="the student's id")
    q.add_argument("--at", help="when it was submitted, ISO 8601 with offset (default: now)")
    q = contest_verbs.add_parser("board", help="the public leaderboard, or the private one "
                                 "after the contest closes")
    q.add_argument("contest")
    q.add_argument("--private", action="store_true", help="the private board (refused "
                   "before the contest closes unless --reveal)")
    q.add_argument("--reveal", action="store_true", help="show the private board before "
                   "the contest closes (instructors only)")
    q.add_argument("--html", help="also write a self-contained HTML page here")
    q.add_argument("--at", help=argparse.SUPPRESS)
    for q in contest_verbs.choices.values():
        q.set_defaults(func=cmd_contest)

    p = verbs.add_parser("student", help="a student's own workspace")
    student_verbs = p.add_subparsers(dest="student_verb", required=True)
    p = student_verbs.add_parser(
        "start", help="sync the published lessons into DIR (never overwriting your work) and "
        "start JupyterLab there with the student's tools only",
        description="Other options are passed to JupyterLab, e.g. --no-browser --port=8899",
    )
    p.add_argument("workspace", help="your folder for the course, e.g. ~/medai101")
    p.add_argument("--exchange", help="the course's exchange (default: $MEDAI_EXCHANGE, or "
                   "the course.yml found from the current folder)")
    p.add_argument("--course-id", help="the course id (default: $MEDAI_COURSE_ID or course.yml)")
    p.add_argument("--hub", action="store_true", help="start as a JupyterHub single-user server")
    p.add_argument("--no-lab", action="store_true", help="only sync the lessons")
    p.add_argument("--lang", help="the lessons' and JupyterLab's language: en or ko "
                   "(default: $MEDAI_LANG, a Korean $LANG, else the course's)")
    p.set_defaults(func=cmd_student_start)
    return top


def _setup() -> None:
    """What every verb runs with: nbgrader's tools (alembic, jupyter) on PATH from this
    environment, and warnings from medai's modules as one line each."""
    os.environ["PATH"] = nbgrader_api.path_with_tools(os.environ.get("PATH", ""))
    logging.basicConfig(level=logging.WARNING, format="medai: %(message)s")


def main(argv: list[str] | None = None) -> int:
    """The one gate of every verb: the same setup, and any MedaiError (what the person
    running medai can fix) printed as one line with its exit code, never a traceback."""
    top = parser()
    args, extra = top.parse_known_args(argv)
    if args.verb == "lab" or getattr(args, "student_verb", None) == "start":
        args.jupyter_args = extra
    elif extra:
        top.error(f"unrecognized arguments: {' '.join(extra)}")
    _setup()
    try:
        return args.func(args)
    except MedaiError as err:
        print(f"medai: {err}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:
        # the reader stopped early (`medai datasets info NAME | head`): not an error;
        # point stdout at /dev/null so that Python's final flush stays quiet too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("medai: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug in medai: one line, the traceback on request
        if os.environ.get("MEDAI_DEBUG"):
            raise
        print(f"medai: internal error ({type(err).__name__}: {err}); run again with "
              "MEDAI_DEBUG=1 for the traceback and report it", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
