"""Every ready lesson follows the template and runs top to bottom in a real kernel."""

from __future__ import annotations

import re

import pytest
from helpers import KOREAN_RUNS

from medai.course import manifest, sources
from medai.course.execute import count_figures, stderr_outputs
from medai.site import executed
from medai.teach import key_results

TEMPLATE = [
    "Learning objectives", "Clinical question", "Data card", "Method", "Results",
    "Pitfalls", "Exercises", "References",
]
COURSE = manifest.load(manifest.default_manifest_path())
LESSONS = COURSE.ready_lessons()
IN_KOREAN = [x for x in LESSONS if x.id in KOREAN_RUNS]


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
def test_lesson_runs_top_to_bottom(lesson, executed_lessons):
    notebook, ran = executed.executed(lesson, executed_lessons)
    assert not ran
    assert stderr_outputs(notebook) == [], "a lesson must not show students warnings"
    assert count_figures(notebook) >= 3, "the Results section shows figures"
    shown = key_results.read(notebook)
    assert shown, "the lesson shows its headline figures with key_results.show"
    assert key_results.typed_in_prose(notebook) == []
    for name, (operator, bound) in lesson.targets.items():
        assert name in shown, f"the lesson does not show {name!r} with key_results.show"
        met = shown[name] >= bound if operator == ">=" else shown[name] <= bound
        assert met, f"{name} = {shown[name]:.4g}, target {operator} {bound:g} (course.yml)"


def test_a_korean_run_for_each_module():
    assert {x.module for x in IN_KOREAN} == {x.module for x in LESSONS}


@pytest.mark.slow
@pytest.mark.parametrize("lesson", IN_KOREAN, ids=[x.id for x in IN_KOREAN])
def test_korean_lesson_runs_and_shows_the_english_key_results(lesson, executed_lessons):
    """The Korean notebook (its code proven to be the English code) runs top to bottom,
    draws Hangul without a missing-glyph warning (it would be on stderr), prints Korean,
    and shows the English key results (to the last bits a threaded reduction may order
    differently)."""
    english, _ = executed.executed(lesson, executed_lessons)
    korean, ran = executed.executed(lesson, executed_lessons, "ko")
    assert not ran
    assert stderr_outputs(korean) == []
    printed = " ".join(o.get("text", "") for c in korean.cells if c.cell_type == "code"
                       for o in c.get("outputs", []))
    assert any("\uac00" <= ch <= "\ud7a3" for ch in printed), "Korean output"
    shown = key_results.read(english)
    assert shown and key_results.read(korean) == pytest.approx(shown, rel=1e-9)
    assert key_results.typed_in_prose(korean) == []
