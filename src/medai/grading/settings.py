"""nbgrader's configuration, derived from the course manifest (never typed twice).

course/nbgrader_config.py calls :func:`apply`, so `nbgrader ...` run by hand,
the formgrader in JupyterLab and `medai grade` all use the same settings.
"""

from __future__ import annotations

from traitlets.config import Config

from medai.course import changes
from medai.course.manifest import Manifest
from medai.delivery import exchange
from medai.grading.sandbox.limits import Limits


def autograde_preprocessors() -> list[type]:
    """What nbgrader's autograde runs, in order, declared here only: nbgrader's default
    list with Execute sandboxed and guarded against forged verdicts, and IgnorePattern
    replaced (a warning on stderr must not zero a correct answer)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        LimitOutput,
        SaveAutoGrades,
    )

    from medai.grading.preprocessors import StderrIsNotFailure
    from medai.grading.sandbox.execute import sandboxed_execute_class

    return [sandboxed_execute_class(), StderrIsNotFailure, ClearMetadataPreprocessor,
            LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]


def apply(c: Config, manifest: Manifest) -> Config:
    """Fill an nbgrader Config from the manifest, including medai's grading fixes."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from medai.grading.offline_math import MathToMathML, template_basedirs
    from medai.grading.preprocessors import (
        HideHiddenTests,
        RefuseLeakedAnswers,
        RestoreHiddenTests,
    )
    from medai.grading.sandbox import execute

    c.CourseDirectory.course_id = manifest.course_id
    c.CourseDirectory.root = str(manifest.course_directory)
    c.CourseDirectory.db_url = manifest.resolved_gradebook_url()
    # One exchange shared by the whole course, outside the course folder; several courses
    # can share it (nbgrader's multi-course layout: <exchange>/<course_id>/...).
    c.Exchange.root = str(exchange.location(manifest))
    c.Exchange.path_includes_course = True
    c.Exchange.timezone = manifest.timezone
    c.NbGraderAPI.timezone = manifest.timezone
    # The text sources hold the solutions: nbgrader must never copy them along
    # as "supporting files" into release/, autograded/ or feedback/.
    text_sources = sorted(
        source.name
        for assignment in manifest.ready_assignments()
        for source in manifest.assignment_sources(assignment)
    )
    # What only `medai check` reads (wrong and other correct answers, the requirements
    # table) is never released.
    c.CourseDirectory.ignore = [
        ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", *changes.CHECK_ONLY,
        *text_sources,
        # translations hold the hidden tests' messages: never released as files
        *(f"*.{language}.yml" for language in manifest.languages if language != "en"),
    ]
    # A deleted test cell is put back from the gradebook instead of failing the
    # whole submission (nbgrader issues 1682 and 1941).
    c.OverwriteCells.add_missing_cells = True
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

    # A released test cell lacks its hidden tests: put them back without nbgrader's
    # false "checksum has changed" warning for every student (nbgrader issue 1961).
    from nbgrader.converters import Autograde

    c.Autograde.sanitize_preprocessors = [
        RestoreHiddenTests if pp.__name__ == "OverwriteCells" else pp
        for pp in Autograde.class_traits()["sanitize_preprocessors"].default()
    ]
    c.Autograde.autograde_preprocessors = autograde_preprocessors()
    # a translated submission is restored from its own language's cells
    c.RestoreHiddenTests.source_root = str(manifest.course_directory / "source")
    # Generate refuses a student version that still holds an answer, also when started
    # from the Formgrader (which skips `medai release`).
    from nbgrader.converters import GenerateAssignment

    c.GenerateAssignment.preprocessors = [
        *GenerateAssignment.class_traits()["preprocessors"].default(), RefuseLeakedAnswers,
    ]
    # Feedback pages must work offline: formulas become MathML when the page is made,
    # and the template's MathJax <script> (always a CDN URL) is shadowed by medai's
    # nbconvert_templates; the Formgrader's submission page gets the server's own copy.
    c.GenerateFeedback.preprocessors = [
        GetGrades, HideHiddenTests, MathToMathML, CSSHTMLHeaderPreprocessor,
    ]
    c.HTMLExporter.extra_template_basedirs = template_basedirs()
    # The Formgrader's "Manage Assignments" page would otherwise print the whole loaded
    # config, server token included (FormgradeExtension reads nbgrader_config.py).
    c.FormgradeExtension.debug = False
    # Late notebooks lose points by the course's policy (medai.grading.late)
    from medai.grading import late

    c.AssignLatePenalties.plugin_class = late.penalty_plugin(manifest.late_work)
    # Student kernels run in the sandbox (bubblewrap + resource limits).
    execute.configure(c, Limits(**manifest.sandbox_limits))
    return c


def config_for(manifest: Manifest) -> Config:
    """A fresh Config for the manifest, for use from Python."""
    return apply(Config(), manifest)
