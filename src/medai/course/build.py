"""Build .ipynb notebooks from their text sources (jupytext percent format).

The build is one-way and deterministic: the same source always gives the same
bytes, so a stale notebook is detectable and no answer can flow back from a
student copy into a source.

A built notebook records a hash of the cells it was built with. That tells a
notebook someone edited or ran (never overwritten: it is "kept") from one
nobody touched (replaced when its source changes), and keeps `--check` quiet
when JupyterLab merely adds `language_info` on opening.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import nbformat

from medai import files
from medai.course import translation
from medai.course.manifest import Manifest
from medai.course.sources import KEPT_CELL_METADATA, read_source

# notebook.metadata[BUILD_KEY]: {"cells_sha256": hash of the cells as built, "version": ...}
BUILD_KEY = "medai"
# The visible version line at the end of a notebook's first cell. It is left out of the
# cells' hash: a new version alone does not make anyone's copy "changed".
VERSION_LINE = "<sub>medai-course {version}</sub>"
_VERSION_START = VERSION_LINE.split("{", 1)[0]


# "kept": edited or run by someone and its source changed, so not overwritten;
# "stale" and "missing" only when checking
BuildState = Literal["written", "unchanged", "kept", "stale", "missing"]


@dataclass(frozen=True)
class BuildResult:
    source: Path
    notebook: Path
    state: BuildState


def cells_hash(notebook: nbformat.NotebookNode) -> str:
    """sha256 of what a person can change in a notebook's cells (not outputs or metadata
    that Jupyter fills in)."""
    digest = hashlib.sha256()
    for cell in notebook.cells:
        source = "\n".join(line for line in cell.source.split("\n")
                           if not line.startswith(_VERSION_START)).rstrip("\n")
        meaning = [cell.cell_type, source,
                   *(cell.get("metadata", {}).get(k) for k in KEPT_CELL_METADATA)]
        digest.update(json.dumps(meaning, sort_keys=True).encode())
    return digest.hexdigest()


def built(source: Path, version: str | None = None,
          language: str = translation.SOURCE_LANGUAGE) -> nbformat.NotebookNode:
    """The notebook built from ``source`` in ``language``, stamped with the hash of its
    cells, the course version (in its metadata and as a line at the end of its first
    cell) and the language. ``version`` is given when medai is not installed yet
    (building the package). A text the translation lacks stays in English."""
    if version is None:
        from medai import __version__ as version

    notebook = read_source(source)
    if language != translation.SOURCE_LANGUAGE:
        notebook, _ = translation.translate_notebook(
            notebook, translation.load(source, language))
    notebook.metadata[BUILD_KEY] = {"cells_sha256": cells_hash(notebook),
                                    "version": version, "language": language}
    if notebook.cells and notebook.cells[0].cell_type == "markdown":
        first = notebook.cells[0]
        first.source = (first.source.rstrip("\n") + "\n\n"
                        + VERSION_LINE.format(version=version))
    return notebook


def render(source: Path, version: str | None = None,
           language: str = translation.SOURCE_LANGUAGE) -> str:
    """The exact text of the notebook built from ``source``."""
    return nbformat.writes(built(source, version, language), version=4) + "\n"


def notebook_path(source: Path, language: str = translation.SOURCE_LANGUAGE) -> Path:
    """Where a source's notebook is built: beside it, the language in the name when it is
    not English (dx01_clinical_prediction.ko.ipynb)."""
    if language == translation.SOURCE_LANGUAGE:
        return source.with_suffix(".ipynb")
    return source.with_name(f"{source.stem}.{language}.ipynb")


def stamps(folder: Path) -> dict[str, dict]:
    """notebook name -> the build's stamp (cells hash, course version) of each notebook in
    ``folder``; nbgrader carries it into releases and submissions. Unreadable ones are
    left out: a broken submission is the grader's to report."""
    found = {}
    for notebook in sorted(Path(folder).glob("*.ipynb")):
        try:  # plain JSON: the stamp is all we need, and validating costs 10x the read
            stamp = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get(BUILD_KEY)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if isinstance(stamp, dict):
            found[notebook.name] = stamp
    return found


@dataclass(frozen=True)
class NotebookState:
    """What happened to a built notebook since it was written."""

    recorded: str | None  # cells hash stamped at build time (None: unreadable or unstamped)
    edited: bool  # cells differ from the build
    ran: bool  # has outputs or execution counts

    @property
    def touched(self) -> bool:
        return self.edited or self.ran


def notebook_state(path: Path) -> NotebookState:
    """Read a built notebook and tell whether a person edited or ran it."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # unreadable JSON is someone's broken file: never overwrite it
        return NotebookState(None, edited=True, ran=False)
    recorded = notebook.metadata.get(BUILD_KEY, {}).get("cells_sha256")
    ran = any(cell.get("outputs") or cell.get("execution_count")
              for cell in notebook.cells if cell.cell_type == "code")
    return NotebookState(recorded, edited=recorded != cells_hash(notebook), ran=ran)


def build_file(source: Path, check: bool = False,
               language: str = translation.SOURCE_LANGUAGE) -> BuildResult:
    """Write (or, with check, compare) the notebook beside its source; never overwrite a
    notebook that someone edited or ran."""
    target = notebook_path(source, language)
    wanted = built(source, language=language)
    if not target.is_file():
        if check:
            return BuildResult(source, target, "missing")
        files.write_text(target, nbformat.writes(wanted, version=4) + "\n")
        return BuildResult(source, target, "written")
    state = notebook_state(target)
    if state.recorded == wanted.metadata[BUILD_KEY]["cells_sha256"]:
        return BuildResult(source, target, "unchanged")
    if check:
        return BuildResult(source, target, "stale")
    if state.touched:
        return BuildResult(source, target, "kept")
    files.write_text(target, nbformat.writes(wanted, version=4) + "\n")
    return BuildResult(source, target, "written")


def sources(manifest: Manifest) -> list[Path]:
    """Every text source the manifest marks as ready: lessons, then assignments."""
    found = [lesson.source for lesson in manifest.ready_lessons() if lesson.source]
    for assignment in manifest.ready_assignments():
        found += manifest.assignment_sources(assignment)
    return found


def build_all(manifest: Manifest, check: bool = False,
              languages: tuple[str, ...] | None = None) -> list[BuildResult]:
    """Every ready lesson in each language, and the assignments' source notebooks (in
    English only: nbgrader generates a release from them, translated afterwards)."""
    languages = languages or manifest.languages
    results = []
    for language in languages:
        results += [build_file(lesson.source, check=check, language=language)
                    for lesson in manifest.ready_lessons() if lesson.source]
    if translation.SOURCE_LANGUAGE in languages:
        for assignment in manifest.ready_assignments():
            results += [build_file(source, check=check)
                        for source in manifest.assignment_sources(assignment)]
    return results


def translation_problems(manifest: Manifest,
                         languages: tuple[str, ...] | None = None) -> list[str]:
    """What keeps the translations of every ready source from being complete and
    current (`medai build --check` fails on any)."""
    from medai.course import course_translation
    from medai.datasets import catalog

    found = []
    for language in languages or manifest.languages:
        if language == translation.SOURCE_LANGUAGE:
            continue
        found += course_translation.problems(manifest, language)
        found += course_translation.readme_problems(manifest.root, language)
        found += catalog.card_problems(language)
        for source in sources(manifest):
            found += translation.problems(source, language)
    return found
