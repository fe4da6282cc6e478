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
from medai.i18n import message

LESSONS, ASSIGNMENTS, TRACKS, DATASETS = "lessons", "assignments", "tracks", "datasets"
CONTESTS = "contests"


def when(moment: dt.datetime | None, timezone: str, language: str = "en") -> str:
    """A date and time in the course's time zone, as a student reads a deadline."""
    if moment is None:
        return message("not scheduled", language)
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%Y-%m-%d %H:%M ") + local.tzname()


def _lesson_link(m: Manifest, lesson_id: str, up: str = "") -> str:
    lesson = m.lesson(lesson_id)
    if lesson.status != "ready":
        return message("{id} {title} (planned)", m.language, id=lesson.id,
                       title=lesson.title)
    return f"[{lesson.id} {lesson.title}]({up}{LESSONS}/{lesson.id}.ipynb)"


def _assignment_link(m: Manifest, assignment_id: str, up: str = "") -> str:
    a = m.assignment(assignment_id)
    return f"[{a.id} {a.title}]({up}{ASSIGNMENTS}/{a.id}.md)"


def _cell(text: str) -> str:
    """Table-cell text: one line, pipes escaped."""
    return text.replace("|", "\\|").replace("\n", " ")


def language_switch(here: str, language: str, languages: tuple[str, ...]) -> str:
    """A line of links to this page in the site's other languages (raw HTML: the other
    language is another Sphinx project beside this one, English at the root)."""
    from medai.course.translation import LANGUAGE_NAMES

    if len(languages) < 2:
        return ""
    depth = here.count("/") + (0 if language == "en" else 1)
    root = "../" * depth
    links = []
    for other in languages:
        target = f"{root}{'' if other == 'en' else other + '/'}{here}.html"
        links.append(f"<strong>{LANGUAGE_NAMES[other]}</strong>" if other == language
                     else f'<a href="{target}" hreflang="{other}" lang="{other}">'
                          f"{LANGUAGE_NAMES[other]}</a>")
    return ('<p class="medai-languages">' + " · ".join(links) + "</p>\n\n")


def home(m: Manifest, version: str, datasets: list[str]) -> str:
    t = m.language
    lines = [f"# {m.title}", "",
             message("{term} · course `{course}` · medai-course {version} · times in "
                     "{timezone}", t, term=m.term, course=m.course_id, version=version,
                     timezone=m.timezone), "", "## " + message("Modules", t), ""]
    for module in m.modules:
        lessons = [x for x in m.lessons if x.module == module.id]
        lines.append(f"- **{module.title}**: " + ", ".join(_lesson_link(m, x.id)
                                                             for x in lessons))
    lines += ["", "## " + message("The {weeks}-week plan", t, weeks=m.n_weeks), "",
              message("| week | lessons | assignments (released → due) | activities |", t),
              "|---|---|---|---|"]
    for week in m.weeks:
        lessons = "<br>".join(_lesson_link(m, x) for x in week.lessons)
        assignments = "<br>".join(
            f"{_assignment_link(m, a)}: {when(m.assignment(a).released, m.timezone, t)} → "
            f"{when(m.assignment(a).due, m.timezone, t)}" for a in week.assignments)
        lines.append(f"| {week.number} | {lessons} | {assignments} | "
                     f"{_cell('; '.join(week.activities))} |")
    lines += ["", "## " + message("Tracks", t), ""]
    lines += [f"- [{x.title}]({TRACKS}/{x.id}.md)" for x in m.tracks]
    lines += ["", "## " + message("Glossary", t), "",
              message("The course's terms in Korean and English: [the glossary]"
                      "({page}.md).", t, page=GLOSSARY), ""]
    lines += ["", "```{toctree}", ":hidden:", ":caption: " + message("Tracks", t), "",
              *(f"{TRACKS}/{x.id}" for x in m.tracks), "```", "",
              "```{toctree}", ":hidden:", ":caption: " + message("Lessons", t), "",
              *(f"{LESSONS}/{x.id}" for x in m.ready_lessons()), "```", "",
              "```{toctree}", ":hidden:", ":caption: " + message("Assignments", t), "",
              *(f"{ASSIGNMENTS}/{a.id}" for a in m.ready_assignments()), "```", "",
              *(["```{toctree}", ":hidden:", ":caption: " + message("Contests", t), "",
                 *(f"{CONTESTS}/{c.id}" for c in m.contests), "```", ""]
                if m.contests else []),
              "```{toctree}", ":hidden:", ":caption: " + message("Data", t), "",
              f"{DATASETS}/index", GLOSSARY, "```", ""]
    return "\n".join(lines)


GLOSSARY = "glossary"


def glossary(language: str = "en") -> str:
    """The glossary as a page: every term, its standard Korean, accepted forms, source."""
    from medai.course import glossary as terms

    t = language
    lines = ["# " + message("Glossary", t), "",
             message("One Korean term per concept, used in every Korean lesson, assignment "
                     "and card (checked by `medai build --check`).", t), "",
             message("| English | Korean (standard) | also accepted | usage follows |", t),
             "|---|---|---|---|"]
    for term in terms.load().terms:
        lines.append(f"| {_cell(term.english)} | {_cell(term.ko)} | "
                     f"{_cell(', '.join(term.also))} | {_cell(term.source)} |")
    return "\n".join(lines) + "\n"


def track(m: Manifest, track_id: str) -> str:
    t = m.language
    chosen = next(x for x in m.tracks if x.id == track_id)
    lessons, assignments = m.track_contents(track_id)
    lines = [f"# {chosen.title}", ""]
    if chosen.extends:
        parent = next(x for x in m.tracks if x.id == chosen.extends)
        lines += [message("Everything in [{title}]({page}.md), and more.", t,
                          title=parent.title, page=parent.id), ""]
    lines += ["## " + message("Lessons", t), "",
              *(f"- {_lesson_link(m, x, '../')}" for x in lessons), "",
              "## " + message("Assignments", t), ""]
    for a in assignments:
        item = m.assignment(a)
        lines.append(f"- {_assignment_link(m, a, '../')}, " + message(
            "{points} points, due {due}", t, points=f"{item.points:g}",
            due=when(item.due, m.timezone, t)))
    return "\n".join(lines) + "\n"


def _public_outline(m: Manifest, assignment: Assignment) -> list[str]:
    """The assignment's opening text and question headings: markdown cells that are not an
    answer (nbgrader solution) cell, read from the instructor's source."""
    from medai.course import translation

    lines: list[str] = []
    for source in m.assignment_sources(assignment):
        notebook = sources.read_source(source)
        if m.language != translation.SOURCE_LANGUAGE:
            notebook, _ = translation.translate_notebook(
                notebook, translation.load(source, m.language))
        cells = [c for c in notebook.cells if c.cell_type == "markdown"
                 and not c.metadata.get("nbgrader", {}).get("solution")]
        if not cells:
            continue
        opening = cells[0].source.split("\n")
        lines += [line for line in opening[1:] if not line.startswith("#")] + [""]
        lines += ["### " + message("Questions", m.language), ""]
        lines += [f"- {heading.lstrip('#').strip()}" for cell in cells[1:]
                  for heading in cell.source.split("\n") if heading.startswith("## ")]
    return lines


def assignment(m: Manifest, assignment_id: str) -> str:
    t = m.language
    a = m.assignment(assignment_id)
    module = next(x.title for x in m.modules if x.id == a.module)
    lines = [f"# {a.id} · {a.title}", "",
             message("| assignment | |", t), "|---|---|",
             message("| module | {module} |", t, module=module),
             message("| points | {points} |", t, points=f"{a.points:g}"),
             message("| released | {when} |", t, when=when(a.released, m.timezone, t)),
             message("| due | {when} |", t, when=when(a.due, m.timezone, t)),
             message("| notebooks | {names} |", t,
                     names=", ".join(f"`{n}.ipynb`" for n in a.notebooks)), "",
             "## " + message("Relies on", t), "",
             *(f"- {_lesson_link(m, x, '../')}" for x in a.lessons), "",
             "## " + message("What it covers", t), "", *_public_outline(m, a), "",
             message("Fetch it in the Assignments panel of your JupyterLab once it is "
                     "released; submit there before the due time.", t), ""]
    return "\n".join(lines)


def lesson_header(m: Manifest, lesson: Lesson, launch: dict[str, str]) -> str:
    """The box put under a lesson's title on its page: the syllabus's objectives (course.yml)
    and where to run the lesson."""
    t = m.language
    module = next(x.title for x in m.modules if x.id == lesson.module)
    lines = ["```{admonition} " + message("In the syllabus", t), ":class: tip", "",
             message("**{module}.** After this lesson you can:", t, module=module), "",
             *(f"- {o}" for o in lesson.objectives), "",
             message("**Run it yourself:**", t)]
    if "hub" in launch:
        lines.append(message("[open it on the course's JupyterHub]({url}) (your copy is in "
                             "`lessons/`), or", t, url=launch["hub"]))
    start = f"medai student start ~/{m.course_id}" + ("" if t == "en" else f" --lang {t}")
    lines.append(message("on your own machine run `{command}` and open `{path}`.", t,
                         command=start, path=launch["path"]))
    return "\n".join([*lines, "```"]) + "\n"


def contest(m: Manifest, c, rows: list) -> str:
    """A class contest: its rules from course.yml and the public board as it stands (the
    private one is never on the site; ``rows`` are medai.grading.contest.board's)."""
    t = m.language
    better = message("higher is better", t) if c.higher_is_better else \
        message("lower is better", t)
    lines = [f"# {c.title}", "",
             message("A class contest on the `{dataset}` data: predict `{target}` for the "
                     "hidden test rows. Scored by {metric} ({better}) on {share} of them "
                     "while the contest runs; the rest decide it when it closes.", t,
                     dataset=c.dataset, target=c.target, metric=c.metric.upper(),
                     better=better, share=f"{c.public_fraction:.0%}"), "",
             message("Open {opens} → {closes}; at most {n} runs a day.", t,
                     opens=when(c.opens, m.timezone, t), closes=when(c.closes, m.timezone, t),
                     n=c.submissions_per_day), "",
             "## " + message("Public board", t), ""]
    ranked = [r for r in rows if r.rank]
    if not ranked:
        return "\n".join([*lines, message("No scores yet.", t), ""])
    lines += [message("| rank | student | score | runs |", t), "|---|---|---|---|"]
    lines += [f"| {r.rank} | {r.student} | {r.score:.{c.digits}f} | {r.entries} |"
              for r in ranked]
    return "\n".join([*lines, ""])


def borrowed_outputs_note(language: str) -> str:
    """Said on a translated lesson page whose outputs come from the English run."""
    return ("\n```{note}\n" + message(
        "The figures and printed results on this page come from the English run of the "
        "same code, so their labels are in English. Run the lesson yourself to see them "
        "in this language.", language) + "\n```\n")


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


def datasets_index(names: list[str], entries: dict[str, dict], language: str = "en") -> str:
    t = language
    lines = ["# " + message("Datasets", t), "",
             message("Every dataset loads offline with `medai.datasets.load(name)`.", t), "",
             message("| dataset | kind | module | task |", t), "|---|---|---|---|"]
    for name in names:
        e = entries[name]
        lines.append(f"| [{name}]({name}.md) | {e['kind']} | {e['module']} | "
                     f"{_cell(e['task'])} |")
    lines += ["", "```{toctree}", ":hidden:", "", *names, "```", ""]
    return "\n".join(lines)


def dataset(name: str, entry: dict, language: str = "en") -> str:
    t = language
    card = entry.get("card_text", "").strip()
    facts = ["## " + message("Catalog entry", t), "", message("| field | |", t), "|---|---|"]
    labels = {"kind": message("kind", t), "module": message("module", t),
              "task": message("task", t), "size": message("size", t),
              "provenance": message("provenance", t), "licence": message("licence", t),
              "phi": message("PHI status", t)}
    for key, label in labels.items():
        if entry.get(key):
            facts.append(f"| {label} | {_cell(str(entry[key]))} |")
    load = [] if "datasets.load(" in card else [
        "## " + message("Load it", t), "", "```python", "from medai import datasets",
        f'data = datasets.load("{name}")', "```", ""]
    if card.startswith("# "):
        title, _, rest = card.partition("\n")
        return "\n".join([title, "", *facts, "", *load, rest.strip(), ""])
    return "\n".join([f"# {name}", "", *facts, "", *load, card, ""])
