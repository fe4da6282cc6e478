"""A lesson's plan for one lab: timed sections, deep dives the core does not need, and
instructor notes that answer every exercise and never reach a student."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO

from medai.course import build, lesson_plan, manifest, sources
from medai.delivery import lessons

COURSE = manifest.load(REPO / "course" / "course.yml")


def lesson_text(*, deep_tag: bool = True, core_reads_deep: bool = False,
                core_minutes: int = 30) -> str:
    tag = ' tags=["deep-dive"]' if deep_tag else ""
    use = "print(extra)" if core_reads_deep else "print(base)"
    return f"""# %% [markdown]
# # xx01 · A lesson

# %% [markdown]
# ## Method
# *Core · {core_minutes} min*

# %%
base = 1

# %% [markdown]{tag}
# ### A detour
# *Deep dive · 15 min · optional*

# %%{tag}
extra = base + 1

# %% [markdown]
# ## Results
# *Core · 20 min*

# %%
{use}

# %% [markdown]
# ## Exercises
# *Core · 10 min*
#
# 1. First.
# 2. Second.

# %% [markdown]
# ## References
#
# 1. A paper.
"""


def plan_problems(tmp_path: Path, text: str, notes: str | None) -> list[str]:
    source = tmp_path / "xx01.py"
    source.write_text(text)
    if notes is not None:
        (tmp_path / lesson_plan.NOTES_FILE).write_text(notes)
    return lesson_plan.problems(source, sources.read_source(source))


NOTES = "## Teaching plan\n\nCore first.\n\n## Exercise 1\n\nAnswer.\n\n## Exercise 2\n\nAnswer.\n"


def test_a_planned_lesson_passes_and_counts_its_minutes(tmp_path):
    assert plan_problems(tmp_path, lesson_text(), NOTES) == []
    source = tmp_path / "xx01.py"
    assert lesson_plan.minutes(sources.read_source(source)) == (60, 15)
    assert lesson_plan.exercise_numbers(sources.read_source(source)) == [1, 2]


def test_each_fault_is_named(tmp_path):
    untagged = plan_problems(tmp_path, lesson_text(deep_tag=False), NOTES)
    assert any("'A detour'" in p and "lacks the deep-dive tag" in p for p in untagged)
    reads = plan_problems(tmp_path, lesson_text(core_reads_deep=True), NOTES)
    assert any("reads extra, defined only in a deep dive" in p for p in reads)
    long = plan_problems(tmp_path, lesson_text(core_minutes=100), NOTES)
    assert any("the core path takes 130 min" in p for p in long)
    no_note = plan_problems(tmp_path, lesson_text().replace("# *Core · 20 min*\n", ""), NOTES)
    assert any("section 'Results' has no note" in p for p in no_note)
    missing = plan_problems(tmp_path, lesson_text(), "## Exercise 1\n\nOnly one.\n")
    assert any("answers exercises [1]; the lesson has [1, 2]" in p for p in missing)
    merged = plan_problems(tmp_path, lesson_text().replace(
        "\n\n# %% [markdown]\n# ## References", "\n#\n# ## References"), NOTES)
    assert any("holds more than one section heading" in p for p in merged)
    (tmp_path / lesson_plan.NOTES_FILE).unlink()
    assert any("no " in p and "instructor_notes.md" in p
               for p in plan_problems(tmp_path, lesson_text(), None))


@pytest.mark.parametrize("lesson", COURSE.ready_lessons(), ids=lambda x: x.id)
def test_every_lesson_fits_one_lab_and_has_its_notes(lesson):
    assert lesson_plan.problems(lesson.source, sources.read_source(lesson.source)) == []


def test_instructor_notes_never_reach_students(tmp_path):
    """Publishing (what students sync) copies the lesson folders without the notes, under
    any name. (The package and site tests scan for the notes' lines as answers.)"""
    folder = tmp_path / "published"
    lessons.write_published(COURSE, folder, version="0.0.0")
    published = [p for p in folder.rglob("*") if p.is_file()]
    assert lesson_plan.NOTES_FILE not in {p.name for p in published}
    assert any(p.suffix == ".ipynb" for p in published)
    texts = [p.read_bytes() for p in published]
    for lesson in COURSE.ready_lessons():
        notes = lesson_plan.notes_path(lesson.source).read_bytes()
        assert not any(notes in text for text in texts), lesson.id


TEMPLATE_LESSON = REPO / "notebooks" / "_template" / "xx00_template.py"


def test_the_template_a_new_author_copies_passes_every_lesson_check():
    from test_lessons import TEMPLATE

    notebook = sources.read_source(TEMPLATE_LESSON)
    headings = [line[3:].strip() for cell in notebook.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    assert headings == TEMPLATE
    assert lesson_plan.problems(TEMPLATE_LESSON, notebook) == []


@pytest.mark.slow
def test_the_template_runs_and_shows_its_key_results(tmp_path):
    from medai.course.execute import execute
    from medai.teach import key_results

    built = tmp_path / "xx00_template.ipynb"
    built.write_text(build.render(TEMPLATE_LESSON))
    notebook = execute(built)
    assert "test accuracy" in key_results.read(notebook)
    assert key_results.typed_in_prose(notebook) == []
