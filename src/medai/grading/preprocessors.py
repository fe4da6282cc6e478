"""nbgrader preprocessors that close two of its known gaps.

* nbgrader gives 0 points to a test cell that wrote anything to stderr, so a
  correct answer loses its points when numpy, scikit-learn or torch prints a
  warning. Failure is an error output; stderr text is not.
* nbgrader's feedback shows the autograded notebook, hidden tests included
  (nbgrader issues 917 and 1363), in cell sources and in tracebacks.
* nbgrader's autograde warns that every locked test cell with hidden tests "has
  changed" in every submission, even an untouched fresh release (issue 1961): the
  gradebook holds the cell before its hidden tests were cut, the student the cell after.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from traitlets import Unicode

from medai.course import sources
from medai.grading.leaks import HIDDEN_BEGIN, HIDDEN_END

HIDDEN_PLACEHOLDER = "# (hidden tests run here; they are not shown in feedback)"


class StderrIsNotFailure(NbGraderPreprocessor):
    """Relabel stderr stream output as stdout, so only real errors cost points."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


def strip_hidden_region(source: str, placeholder: str | None = HIDDEN_PLACEHOLDER) -> str:
    """Replace each BEGIN/END HIDDEN TESTS region (markers included) by one placeholder
    line, or drop it (``placeholder=None``: the cell as nbgrader releases it)."""
    kept: list[str] = []
    hidden = False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            hidden = True
            if placeholder is not None:
                indent = line[: len(line) - len(line.lstrip())]
                kept.append(indent + placeholder)
        elif HIDDEN_END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests from feedback: from test-cell sources and their tracebacks.

    A traceback quotes the failing line of the test cell, which may be hidden,
    so a failing test cell keeps only the exception type and message; public
    tests carry their hint in that message.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code" or not sources.is_test(cell):
            return cell, resources
        cell.source = strip_hidden_region(cell.source)
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                message = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                output.traceback = [message]
        return cell, resources


class RestoreHiddenTests(OverwriteCells):
    """nbgrader's OverwriteCells, told that a released test cell lacks its hidden tests,
    and that a notebook may be in another language than the gradebook's English.

    A locked cell whose source is exactly the released one (the gradebook's source with
    the hidden region cut) gets its hidden tests back without a warning; any other change
    to a locked cell is still reported and overwritten, as nbgrader does. A translated
    submission (``metadata.medai.language``) is compared with, and restored from, the
    gradebook's cells translated by the assignment's translation file: its questions,
    hints and hidden tests stay in its language, and its points are the same.
    """

    # the assignments' text sources (course_directory/source), where translations live
    source_root = Unicode("", help="folder of the assignments' text sources").tag(config=True)

    @property
    def gradebook(self):
        return self._gradebook

    @gradebook.setter
    def gradebook(self, value):
        table = getattr(self, "_translation", None)
        self._gradebook = TranslatedGradebook(value, table) if table else value

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        from pathlib import Path

        from medai.course import translation

        self._translation = None
        language = translation.language_of_notebook(nb)
        if language != translation.SOURCE_LANGUAGE and self.source_root:
            ids = resources["nbgrader"]
            source = Path(self.source_root) / ids["assignment"] / f"{ids['notebook']}.py"
            if source.is_file() and language in translation.LANGUAGES:
                self._translation = translation.load(source, language)
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and cell.metadata.nbgrader.get("locked"):
            try:
                stored = self.gradebook.find_source_cell(
                    grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                stored = None
            if stored is not None and stored.locked and stored.source != cell.source \
                    and strip_hidden_region(stored.source, placeholder=None) == cell.source:
                cell.source = stored.source
        return super().preprocess_cell(cell, resources, cell_index)


class TranslatedGradebook:
    """The gradebook as a translated notebook sees it: each source cell in the
    translation's language, with the checksum nbgrader computes for that text. Everything
    else (points, grades, the database) is the gradebook itself."""

    def __init__(self, gradebook, table):
        self._gradebook = gradebook
        self._table = table

    def __getattr__(self, name):
        return getattr(self._gradebook, name)

    def __enter__(self):
        self._gradebook.__enter__()
        return self

    def __exit__(self, *exc):
        return self._gradebook.__exit__(*exc)

    def find_source_cell(self, name, notebook, assignment):
        from types import SimpleNamespace

        from nbformat.v4 import new_code_cell, new_markdown_cell
        from nbgrader.utils import compute_checksum

        from medai.course import translation

        stored = self._gradebook.find_source_cell(name, notebook, assignment)
        if stored.cell_type == "markdown":
            text = self._table.cells.get(translation.cell_key(stored.source), stored.source)
            text = text.rstrip("\n")
        else:
            text, _ = translation.translate_code(stored.source, self._table.strings)
        flags = {"grade_id": name, "locked": stored.locked,
                 "grade": self._has(self._gradebook.find_graded_cell, name, notebook,
                                    assignment),
                 "solution": self._has(self._gradebook.find_solution_cell, name, notebook,
                                       assignment)}
        if flags["grade"]:
            flags["points"] = self._gradebook.find_graded_cell(
                name, notebook, assignment).max_score
        new = new_markdown_cell if stored.cell_type == "markdown" else new_code_cell
        checksum = compute_checksum(new(text, metadata={"nbgrader": flags}))
        return SimpleNamespace(name=stored.name, cell_type=stored.cell_type,
                               locked=stored.locked, source=text, checksum=checksum)

    @staticmethod
    def _has(find, *ids) -> bool:
        try:
            find(*ids)
        except MissingEntry:
            return False
        return True


class RefuseLeakedAnswers(NbGraderPreprocessor):
    """Last step of nbgrader's generate: fail if a solution or hidden-test line of the
    notebook's text source survived into the student version. It runs whichever way the
    assignment is generated (the Formgrader's Generate button included)."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        import json
        from pathlib import Path

        from medai.course.sources import read_source
        from medai.grading.leaks import find_leaks, secret_lines

        folder = Path(resources.get("metadata", {}).get("path", "."))
        source = folder / f"{resources.get('unique_key', '')}.py"
        if source.is_file():
            found = find_leaks(json.dumps(nb, ensure_ascii=False),
                               secret_lines(read_source(source)))
            if found:
                raise RuntimeError(
                    f"the student version of {source.stem} would show an answer "
                    f"({found[0]!r}); mark such code with BEGIN/END SOLUTION or HIDDEN TESTS")
        return nb, resources
