"""Release, grade, feedback and export, through nbgrader's own Python API.

Each step reads from the folder before it and writes only its own folder, the
gradebook or the grades file; nothing downstream edits anything upstream.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from medai import files
from medai.course import build, sources, translation
from medai.course.manifest import Assignment, Manifest
from medai.delivery import exchange
from medai.grading import engine, late, leaks, nbgrader_api
from medai.grading.engine import StudentResult
from medai.grading.nbgrader_api import GradingError


def _ready_assignment(manifest: Manifest, assignment_id: str) -> Assignment:
    try:
        assignment = manifest.assignment(assignment_id)
    except KeyError as err:
        raise GradingError(str(err.args[0])) from None
    if assignment.status != "ready":
        raise GradingError(
            f"assignment {assignment_id!r} is {assignment.status} in course.yml; "
            "only ready assignments can be released or graded"
        )
    return assignment


def sync_due_dates(manifest: Manifest, api=None) -> None:
    """Write every ready assignment with its due date into the gradebook, so that the
    Formgrader's Generate (which sets none) and medai agree."""
    api = api or nbgrader_api.api(manifest)
    with api.gradebook as gb:
        for assignment in manifest.ready_assignments():
            gb.update_or_create_assignment(assignment.id, duedate=assignment.due)


def _built_sources(manifest: Manifest, assignment: Assignment) -> None:
    """Build an assignment's notebooks from text; refuse to release a hand-edited one."""
    for source in manifest.assignment_sources(assignment):
        result = build.build_file(source)
        state = build.notebook_state(result.notebook)
        if result.state == "kept" or state.edited:
            raise GradingError(
                f"{result.notebook} was edited in Jupyter since it was built from "
                f"{source.name}; nbgrader would release that edit, not the text source. Copy "
                f"the change into {source.name}, delete the .ipynb and run this again."
            )


def generate(manifest: Manifest, assignment_id: str, language: str = "en") -> Path:
    """nbgrader's generate: build the sources, write the student version to release/
    (translated into ``language``), and refuse if an answer leaked. Students see nothing
    until :func:`release`."""
    assignment = _ready_assignment(manifest, assignment_id)
    if language != translation.SOURCE_LANGUAGE:
        incomplete = [p for source in manifest.assignment_sources(assignment)
                      for p in translation.problems(source, language)]
        if incomplete:
            raise GradingError(
                f"the {translation.LANGUAGE_NAMES[language]} translation of {assignment.id} "
                f"is not ready ({len(incomplete)} problem(s), first: {incomplete[0]}); run "
                f"`medai translate check --lang {language}` and fix them first")
    _built_sources(manifest, assignment)
    api = nbgrader_api.api(manifest)
    sync_due_dates(manifest, api)
    result = api.generate_assignment(assignment.id)
    if not result["success"]:
        raise GradingError(f"nbgrader could not release {assignment.id}: "
                           f"{nbgrader_api.failure(result)}")
    released = manifest.course_folder("release", assignment.id)
    if language != translation.SOURCE_LANGUAGE:
        translate_release(manifest, assignment, released, language)
    secrets: set[str] = set()
    for source in manifest.assignment_sources(assignment):
        secrets |= leaks.secret_lines(sources.read_source(source))
    for student_file in sorted(p for p in released.rglob("*") if p.is_file()):
        try:
            text = student_file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary data files cannot hold solution code
        found = leaks.find_leaks(text, secrets)
        if found:
            shutil.rmtree(released)
            raise GradingError(
                f"{student_file.name} would show answers to students ({found[0]!r}); the "
                f"release was deleted. Mark such code with BEGIN/END SOLUTION or HIDDEN TESTS."
            )
    return released


def translate_release(manifest: Manifest, assignment: Assignment, released: Path,
                      language: str) -> None:
    """Turn the English student version into ``language``: the same cells, grade ids and
    points, its texts translated and nbgrader's checksums recomputed for them (so
    `nbgrader validate` and the autograder see untouched cells). The gradebook keeps the
    English cells; grading translates them back (RestoreHiddenTests)."""
    import nbformat
    from nbgrader.utils import compute_checksum

    for source in manifest.assignment_sources(assignment):
        target = released / source.with_suffix(".ipynb").name
        notebook = nbformat.read(target, as_version=4)
        translated, _ = translation.translate_notebook(
            notebook, translation.load(source, language))
        for cell in translated.cells:
            meta = cell.metadata.get("nbgrader")
            if isinstance(meta, dict) and "checksum" in meta:
                meta["checksum"] = compute_checksum(cell)
        files.write_text(target, nbformat.writes(translated, version=4) + "\n")


def release(manifest: Manifest, assignment_id: str, force: bool = False,
            language: str = "en") -> Path:
    """Generate the student version and release it to the exchange, where students fetch
    it (nbgrader's generate_assignment, then release_assignment). ``force`` replaces an
    earlier release; students who fetched it keep their copy."""
    from nbgrader.utils import capture_log, temp_attrs

    outbound = exchange.course_folder(manifest) / "outbound" / assignment_id
    if outbound.exists() and not force:
        changed = released_from(outbound) != current_sources(manifest, assignment_id)
        raise GradingError(
            f"{assignment_id} is already released ({outbound})"
            + ("; its source has changed since, and students may have fetched the old one: "
               "a changed assignment is a new version of it (copy it under a new id in "
               "course.yml), or" if changed else "; to release it again")
            + f" run `medai release {assignment_id} --force` (those who fetched it keep "
            "their copy and are graded against the new tests)")
    generate(manifest, assignment_id, language)
    api = nbgrader_api.api(manifest)
    with temp_attrs(api.coursedir, assignment_id=assignment_id):
        app = api.exchange.ReleaseAssignment(coursedir=api.coursedir,
                                             authenticator=api.authenticator, parent=api)
        app.force = force
        result = capture_log(app)
    if not result["success"]:
        raise GradingError(f"nbgrader could not release {assignment_id} to the exchange: "
                           f"{nbgrader_api.failure(result)}")
    return exchange.course_folder(manifest) / "outbound" / assignment_id


def released_from(folder: Path) -> dict[str, str]:
    """notebook name -> hash of the source cells it was generated from (stamped by the
    build, carried by nbgrader into releases and submissions)."""
    return {name: stamp["cells_sha256"] for name, stamp in build.stamps(folder).items()
            if stamp.get("cells_sha256")}


def current_sources(manifest: Manifest, assignment_id: str) -> dict[str, str]:
    """notebook name -> hash of the assignment's text sources as they are now."""
    assignment = _ready_assignment(manifest, assignment_id)
    return {source.with_suffix(".ipynb").name: build.cells_hash(sources.read_source(source))
            for source in manifest.assignment_sources(assignment)}


def worked_on_another_release(manifest: Manifest, assignment_id: str,
                              students: Iterable[str]) -> list[str]:
    """Students whose submission was fetched from an earlier source of the assignment."""
    now = current_sources(manifest, assignment_id)
    root = manifest.course_folder("submitted")
    return [student for student in students
            if any(now.get(name, digest) != digest
                   for name, digest in released_from(root / student / assignment_id).items())]


def collect(manifest: Manifest, assignment_id: str) -> list[str]:
    """Copy the newest submission of each student from the exchange into submitted/;
    return the students whose submission is now there."""
    assignment = _ready_assignment(manifest, assignment_id)
    result = nbgrader_api.api(manifest).collect(assignment.id)
    if not result["success"]:
        raise GradingError(f"nbgrader could not collect {assignment.id}: "
                           f"{nbgrader_api.failure(result)}")
    return submitted_students(manifest, assignment.id)


# one folder per student in the archive: <anything>/<student_id>/<notebook>.ipynb
ZIP_PATTERN = r".*/(?P<student_id>[^/]+)/(?P<file_id>[^/]+\.ipynb)$"


def zip_collect(manifest: Manifest, assignment_id: str, archive: Path,
                pattern: str = ZIP_PATTERN) -> list[str]:
    """Collect submissions downloaded from an LMS as a zip file (nbgrader's zip_collect):
    ``pattern`` names ``student_id`` and ``file_id`` (the notebook's name) in each file's
    path after extraction."""
    assignment = _ready_assignment(manifest, assignment_id)
    if not _readable_zip(archive):
        raise GradingError(f"{archive} is not a readable zip file; download it again from "
                           "the LMS")
    if not manifest.course_folder("release", assignment.id).is_dir():
        raise GradingError(f"{assignment.id} has not been generated; run "
                           f"`medai generate {assignment.id}` first (zip_collect matches "
                           "notebooks against the released ones)")
    folder = manifest.course_directory / "downloaded" / assignment.id / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(archive, folder / Path(archive).name)
    env = {**os.environ, "PATH": nbgrader_api.path_with_tools(os.environ.get("PATH", "")),
           "JUPYTER_CONFIG_PATH": str(manifest.path.parent)}
    before = set(submitted_students(manifest, assignment.id))
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "zip_collect", assignment.id, "--force",
         f"--FileNameCollectorPlugin.named_regexp={pattern}"],
        cwd=manifest.path.parent, env=env, capture_output=True, text=True)
    if done.returncode:
        raise GradingError(f"nbgrader zip_collect failed: "
                           f"{nbgrader_api.failure({'log': done.stdout + done.stderr})}")
    found = submitted_students(manifest, assignment.id)
    if not set(found) - before and "did not match" in done.stderr:
        raise GradingError(f"no file in {archive} matched the pattern {pattern!r}; give "
                           "--pattern with named groups student_id and file_id")
    return found


def lms_collect(manifest: Manifest, assignment_id: str, archive: Path, layout: str | None,
                roster_path: Path | None = None, replace: bool = False):
    """Bring a Canvas or Moodle bulk download into submitted/, students found through the
    roster (who are also written to the gradebook, with their names, for the exports)."""
    from medai.delivery import roster
    from medai.grading import lms_import

    assignment = _ready_assignment(manifest, assignment_id)
    if not Path(archive).is_file():
        raise GradingError(f"{archive}: no such file; give the zip the LMS downloaded")
    released = manifest.course_folder("release", assignment.id)
    if not released.is_dir():
        raise GradingError(f"{assignment.id} has not been generated; run "
                           f"`medai generate {assignment.id}` first (submissions are matched "
                           "against the released notebooks)")
    try:
        students = [x for x in roster.read(roster_path or manifest.roster_path)
                    if x.role == "student"]
        report = lms_import.bring_in(
            Path(archive), layout, students, {p.name for p in released.glob("*.ipynb")},
            manifest.course_folder("submitted"), assignment.id, replace)
    except (roster.RosterError, lms_import.LmsImportError) as err:
        raise GradingError(str(err)) from None
    with nbgrader_api.api(manifest).gradebook as gb:
        for member in students:
            if member.username in report.collected:
                gb.update_or_create_student(member.username, first_name=member.first_name,
                                            last_name=member.last_name, email=member.email)
    return report


def _readable_zip(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except (OSError, zipfile.BadZipFile):
        return False


def release_feedback(manifest: Manifest, assignment_id: str) -> None:
    """Put the feedback pages in the exchange, where each student fetches only their own."""
    assignment = _ready_assignment(manifest, assignment_id)
    result = nbgrader_api.api(manifest).release_feedback(assignment.id)
    if not result["success"]:
        raise GradingError(f"nbgrader could not release feedback for {assignment.id}: "
                           f"{nbgrader_api.failure(result)}")


def submitted_students(manifest: Manifest, assignment_id: str) -> list[str]:
    """Students with a folder for this assignment in submitted/."""
    root = manifest.course_folder("submitted")
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment_id).is_dir())


def grade(
    manifest: Manifest,
    assignment_id: str,
    students: Iterable[str] | None = None,
    on_result: Callable[[StudentResult], None] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    stop_after: dict[str, str] | None = None,
) -> list[StudentResult]:
    """Autograde the class in parallel; one failure never stops the others.
    ``stop_after``: see :func:`medai.grading.engine.grade_class` (`medai check` only)."""
    assignment = _ready_assignment(manifest, assignment_id)
    if not manifest.course_folder("release", assignment.id).is_dir():
        raise GradingError(
            f"{assignment.id} has not been generated; run `medai release {assignment.id}`"
        )
    available = submitted_students(manifest, assignment.id)
    wanted = list(students) if students else available
    missing = [s for s in wanted if s not in available]
    if missing:
        raise GradingError(
            f"no submission of {assignment.id} for {', '.join(missing)} in "
            f"{manifest.course_directory / 'submitted'}/<student>/{assignment.id}/"
        )
    if not wanted:
        raise GradingError(
            f"no submissions for {assignment.id} in "
            f"{manifest.course_directory / 'submitted'}/<student>/{assignment.id}/"
        )
    extensions = late.extensions_of(manifest)  # a broken file stops before any grading
    results = engine.grade_class(manifest, assignment.id, wanted, workers=workers,
                                 scheduler=scheduler, force=force, on_result=on_result,
                                 stop_after=stop_after)
    apply_late_work(manifest, [assignment.id], extensions)
    return results


def apply_late_work(manifest: Manifest, assignment_ids: list[str],
                    extensions: dict | None = None) -> dict[str, list[late.LateRow]]:
    """The extensions and the late penalties of the course's policy, recomputed from the
    gradebook's current scores; the late submissions of each assignment."""
    from nbgrader.api import Gradebook

    with Gradebook(manifest.resolved_gradebook_url(), manifest.course_id) as gb:
        known = {a.name for a in gb.assignments}
        return {a: late.apply(gb, a, manifest.late_work, extensions)
                for a in assignment_ids if a in known}


def feedback(manifest: Manifest, assignment_id: str) -> list[Path]:
    """HTML feedback for every autograded student, checked for hidden-test leaks."""
    assignment = _ready_assignment(manifest, assignment_id)
    result = nbgrader_api.api(manifest).generate_feedback(assignment.id)
    if not result["success"]:
        raise GradingError(f"nbgrader could not generate feedback: {nbgrader_api.failure(result)}")
    secrets: set[str] = set()
    for source in manifest.assignment_sources(assignment):
        secrets |= leaks.secret_lines(sources.read_source(source), kinds=("hidden",))
    written = sorted(manifest.course_folder("feedback").glob(f"*/{assignment.id}/*.html"))
    for page in written:
        found = leaks.find_leaks(page.read_text(encoding="utf-8"), secrets)
        if found:
            page.unlink()
            raise GradingError(f"{page} showed a hidden test ({found[0]!r}); it was deleted")
    return written


def _lms_ids(manifest: Manifest) -> dict[str, str]:
    """username -> Canvas user id, from the roster when there is one."""
    from medai.delivery import roster

    try:
        return {x.username: x.lms_id for x in roster.read(manifest.roster_path) if x.lms_id}
    except roster.RosterError:
        return {}


def export(manifest: Manifest, destination: Path | None = None, fmt: str = "lms") -> Path:
    """Write the grades CSV: one row per student with every question ("lms"), Canvas's or
    Moodle's gradebook import ("canvas", "moodle") or nbgrader's own long format."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    from medai.grading import lms_export

    nbgrader_api.tools_on_path()
    apply_late_work(manifest, [a.id for a in manifest.ready_assignments()],
                    late.extensions_of(manifest))
    default = "grades.csv" if fmt in ("lms", "nbgrader") else f"grades-{fmt}.csv"
    target = Path(destination) if destination else manifest.course_directory / default
    if fmt == "lms":
        return lms_export.write(manifest, target)
    if fmt == "canvas":
        return lms_export.write_canvas(manifest, target, _lms_ids(manifest))
    if fmt == "moodle":
        return lms_export.write_moodle(manifest, target)
    with files.replacing(target) as partial:
        with Gradebook(manifest.resolved_gradebook_url(), manifest.course_id) as gb:
            CsvExportPlugin(to=str(partial)).export(gb)
        with partial.open(newline="", encoding="utf-8") as handle:
            list(csv.DictReader(handle))  # the file must parse before it replaces the old one
    return target
