"""The text of each page of the course website, in MyST Markdown, from the manifest.

Only what students may see goes in: the manifest's public facts (plan, points,
dates, objectives), the lessons, the dataset cards, and of an assignment its
title cell and question headings, never a solution or a test cell.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import nbformat

from medai.course import sources
from medai.course.manifest import Assignment, Lesson, Manifest

LESSONS, ASSIGNMENTS, TRACKS, DATASETS = "lessons", "assignments", "tracks", "datasets"


def when(moment: dt.datetime | None, timezone: str) -> str:
    """A date and time in the course's time zone, as a student reads a deadline."""
    if moment is None:
        return "not scheduled"
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%Y-%m-%d %H:%M ") + local.tzname()


def _lesson_link(m: Manifest, lesson_id: str, up: str = "") -> str:
    lesson = m.lesson(lesson_id)
    if lesson.status != "ready":
        return f"{lesson.id} {lesson.title} (planned)"
    return f"[{lesson.id} {lesson.title}]({up}{LESSONS}/{lesson.id}.ipynb)"


def _assignment_link(m: Manifest, assignment_id: str, up: str = "") -> str:
    a = m.assignment(assignment_id)
    return f"[{a.id} {a.title}]({up}{ASSIGNMENTS}/{a.id}.md)"


def _cell(text: str) -> str:
    """Table-cell text: one line, pipes escaped."""
    return text.replace("|", "\\|").replace("\n", " ")


def home(m: Manifest, version: str, datasets: list[str]) -> str:
    lines = [f"# {m.title}", "",
             f"{m.term} · course `{m.course_id}` · medai-course {version} · "
             f"times in {m.timezone}", "", "## Modules", ""]
    for module in m.modules:
        lessons = [x for x in m.lessons if x.module == module.id]
        lines.append(f"- **{module.title}**: " + ", ".join(_lesson_link(m, x.id)
                                                             for x in lessons))
    lines += ["", f"## The {m.n_weeks}-week plan", "",
              "| week | lessons | assignments (released → due) | activities |",
              "|---|---|---|---|"]
    for week in m.weeks:
        lessons = "<br>".join(_lesson_link(m, x) for x in week.lessons)
        assignments = "<br>".join(
            f"{_assignment_link(m, a)}: {when(m.assignment(a).released, m.timezone)} → "
            f"{when(m.assignment(a).due, m.timezone)}" for a in week.assignments)
        lines.append(f"| {week.number} | {lessons} | {assignments} | "
                     f"{_cell('; '.join(week.activities))} |")
    lines += ["", "## Tracks", ""]
    lines += [f"- [{t.title}]({TRACKS}/{t.id}.md)" for t in m.tracks]
    lines += ["", "```{toctree}", ":hidden:", ":caption: Tracks", "",
              *(f"{TRACKS}/{t.id}" for t in m.tracks), "```", "",
              "```{toctree}", ":hidden:", ":caption: Lessons", "",
              *(f"{LESSONS}/{x.id}" for x in m.ready_lessons()), "```", "",
              "```{toctree}", ":hidden:", ":caption: Assignments", "",
              *(f"{ASSIGNMENTS}/{a.id}" for a in m.ready_assignments()), "```", "",
              "```{toctree}", ":hidden:", ":caption: Data", "", f"{DATASETS}/index", "```", ""]
    return "\n".join(lines)


def track(m: Manifest, track_id: str) -> str:
    chosen = next(t for t in m.tracks if t.id == track_id)
    lessons, assignments = m.track_contents(track_id)
    lines = [f"# {chosen.title}", ""]
    if chosen.extends:
        parent = next(t for t in m.tracks if t.id == chosen.extends)
        lines += [f"Everything in [{parent.title}]({parent.id}.md), and more.", ""]
    lines += ["## Lessons", "", *(f"- {_lesson_link(m, x, '../')}" for x in lessons), "",
              "## Assignments", ""]
    for a in assignments:
        item = m.assignment(a)
        lines.append(f"- {_assignment_link(m, a, '../')}, {item.points:g} points, due "
                     f"{when(item.due, m.timezone)}")
    return "\n".join(lines) + "\n"


def _public_outline(m: Manifest, assignment: Assignment) -> list[str]:
    """The assignment's opening text and question headings: markdown cells that are not an
    answer (nbgrader solution) cell, read from the instructor's source."""
    lines: list[str] = []
    for source in m.assignment_sources(assignment):
        cells = [c for c in sources.read_source(source).cells if c.cell_type == "markdown"
                 and not c.metadata.get("nbgrader", {}).get("solution")]
        if not cells:
            continue
        opening = cells[0].source.split("\n")
        lines += [line for line in opening[1:] if not line.startswith("#")] + [""]
        lines += ["### Questions", ""]
        lines += [f"- {heading.lstrip('#').strip()}" for cell in cells[1:]
                  for heading in cell.source.split("\n") if heading.startswith("## ")]
    return lines


def assignment(m: Manifest, assignment_id: str) -> str:
    a = m.assignment(assignment_id)
    module = next(x.title for x in m.modules if x.id == a.module)
    lines = [f"# {a.id} · {a.title}", "",
             "| assignment | |", "|---|---|",
             f"| module | {module} |",
             f"| points | {a.points:g} |",
             f"| released | {when(a.released, m.timezone)} |",
             f"| due | {when(a.due, m.timezone)} |",
             f"| notebooks | {', '.join(f'`{n}.ipynb`' for n in a.notebooks)} |", "",
             "## Relies on", "", *(f"- {_lesson_link(m, x, '../')}" for x in a.lessons), "",
             "## What it covers", "", *_public_outline(m, a), "",
             "Fetch it in the Assignments panel of your JupyterLab once it is released; "
             "submit there before the due time.", ""]
    return "\n".join(lines)


def lesson_header(m: Manifest, lesson: Lesson, launch: dict[str, str]) -> str:
    """The box put under a lesson's title on its page: the syllabus's objectives (course.yml)
    and where to run the lesson."""
    module = next(x.title for x in m.modules if x.id == lesson.module)
    lines = ["```{admonition} In the syllabus", ":class: tip", "",
             f"**{module}.** After this lesson you can:", "",
             *(f"- {o}" for o in lesson.objectives), "", "**Run it yourself:**"]
    if "hub" in launch:
        lines.append(f"[open it on the course's JupyterHub]({launch['hub']}) (your copy is "
                     "in `lessons/`), or")
    lines.append(f"on your own machine run `medai student start ~/{m.course_id}` and open "
                 f"`{launch['path']}`.")
    return "\n".join([*lines, "```"]) + "\n"


def lesson_page(notebook: nbformat.NotebookNode, header: str) -> nbformat.NotebookNode:
    """The executed lesson with the header cell after its title cell. Key results keep
    their table; their machine-readable copy (for tests) has no place on a web page."""
    from nbformat.v4 import new_markdown_cell

    from medai.teach import key_results

    notebook.cells.insert(1, new_markdown_cell(header))
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(key_results.MIME, None)
    return notebook


def datasets_index(names: list[str], entries: dict[str, dict]) -> str:
    lines = ["# Datasets", "",
             "Every dataset loads offline with `medai.datasets.load(name)`.", "",
             "| dataset | kind | module | task |", "|---|---|---|---|"]
    for name in names:
        e = entries[name]
        lines.append(f"| [{name}]({name}.md) | {e['kind']} | {e['module']} | "
                     f"{_cell(e['task'])} |")
    lines += ["", "```{toctree}", ":hidden:", "", *names, "```", ""]
    return "\n".join(lines)


def dataset(name: str, entry: dict) -> str:
    card = entry.get("card_text", "").strip()
    facts = ["## Catalog entry", "", "| field | |", "|---|---|"]
    for key in ("kind", "module", "task", "size", "provenance", "licence", "phi"):
        if entry.get(key):
            label = "PHI status" if key == "phi" else key
            facts.append(f"| {label} | {_cell(str(entry[key]))} |")
    load = [] if "datasets.load(" in card else [
        "## Load it", "", "```python", "from medai import datasets",
        f'data = datasets.load("{name}")', "```", ""]
    if card.startswith("# "):
        title, _, rest = card.partition("\n")
        return "\n".join([title, "", *facts, "", *load, rest.strip(), ""])
    return "\n".join([f"# {name}", "", *facts, "", *load, card, ""])
