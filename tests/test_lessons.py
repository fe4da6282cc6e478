"""Every ready lesson follows the template and runs top to bottom in a real kernel."""

from __future__ import annotations

import re

import pytest
from helpers import EXECUTED_LESSONS

from medai.course import build, manifest, sources
from medai.course.execute import count_figures, execute, stderr_outputs
from medai.site import executed
from medai.teach import key_results

TEMPLATE = [
    "Learning objectives", "Clinical question", "Data card", "Method", "Results",
    "Pitfalls", "Exercises", "References",
]
COURSE = manifest.load(manifest.default_manifest_path())
LESSONS = COURSE.ready_lessons()


@pytest.mark.parametrize("lesson", LESSONS, ids=[x.id for x in LESSONS])
def test_lesson_follows_the_template(lesson):
    notebook = sources.read_source(lesson.source)
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# {lesson.id} · {lesson.title}"), (
        "the first line of a lesson is '# <id> · <title from course.yml>'"
    )
    headings = [
        match.group(1).strip()
        for cell in notebook.cells if cell.cell_type == "markdown"
        for match in re.finditer(r"^## (.+)$", cell.source, flags=re.MULTILINE)
    ]
    assert headings == TEMPLATE


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS, ids=[x.id for x in LESSONS])
def test_lesson_runs_top_to_bottom(lesson, tmp_path):
    built = tmp_path / lesson.source.with_suffix(".ipynb").name
    built.write_text(build.render(lesson.source))
    notebook = execute(built)
    executed.store(notebook, lesson, EXECUTED_LESSONS)  # the website test shows it
    assert stderr_outputs(notebook) == [], "a lesson must not show students warnings"
    assert count_figures(notebook) >= 3, "the Results section shows figures"
    shown = key_results.read(notebook)
    assert shown, "the lesson shows its headline figures with key_results.show"
    assert key_results.typed_in_prose(notebook) == []
    for name, (operator, bound) in lesson.targets.items():
        assert name in shown, f"the lesson does not show {name!r} with key_results.show"
        met = shown[name] >= bound if operator == ">=" else shown[name] <= bound
        assert met, f"{name} = {shown[name]:.4g}, target {operator} {bound:g} (course.yml)"
