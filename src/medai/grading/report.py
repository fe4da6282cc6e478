"""`medai report ASSIGNMENT`: an HTML page for the instructor after grading.

Score distribution, per-question failure rates, grading time per submission,
and the submissions still waiting for a human grader, with plots embedded as
PNG so the page is one self-contained file.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from medai import files
from medai.course.manifest import Manifest
from medai.grading import late
from medai.grading.nbgrader_api import GradingError
from medai.i18n import message


def _figure_tag(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return f'<img alt="" src="data:image/png;base64,{encoded}">'


def collect(m: Manifest, assignment_id: str) -> dict:
    """Everything the report shows, as plain data (also useful in tests)."""
    from nbgrader.api import Gradebook, MissingEntry

    try:
        m.assignment(assignment_id)
    except KeyError as err:
        raise GradingError(str(err.args[0])) from None
    with Gradebook(m.resolved_gradebook_url(), m.course_id) as gb:
        try:
            assignment = gb.find_assignment(assignment_id)
        except MissingEntry:
            raise GradingError(f"{assignment_id} is not in the gradebook yet: release and "
                               f"grade it first (medai release {assignment_id}, medai grade "
                               f"{assignment_id})") from None
        cells = [(nb.name, c.name, c.max_score) for nb in assignment.notebooks
                 for c in nb.grade_cells]
        scores, manual, per_question = {}, [], {name: [] for _, name, _ in cells}
        late_work = []
        for submission in gb.assignment_submissions(assignment_id):
            student = submission.student.id
            scores[student] = submission.score - (submission.late_submission_penalty or 0)
            if submission.total_seconds_late > 0:
                extension = submission.extension.total_seconds() / late.DAY \
                    if submission.extension else 0.0
                late_work.append((student, submission.total_seconds_late / 3600, extension,
                                  submission.late_submission_penalty or 0.0))
            for notebook, name, _ in cells:
                grade = gb.find_grade(name, notebook, assignment_id, student)
                if grade.needs_manual_grade:
                    manual.append((student, name))
                else:
                    per_question[name].append(grade.score)
        max_score = assignment.max_score
    seconds = {}
    for entry in m.ledger(assignment_id).glob("*.json"):
        record = json.loads(entry.read_text())
        if record.get("seconds"):
            seconds[entry.stem] = record["seconds"]
    questions = []
    for _, name, points in cells:
        graded = per_question[name]
        full = sum(score >= points for score in graded)
        questions.append({"question": name, "points": points, "graded": len(graded),
                          "full_marks": full,
                          "failure_rate": (1 - full / len(graded)) if graded else None})
    return {"assignment": assignment_id, "max_score": max_score, "scores": scores,
            "questions": questions, "needs_manual_grading": manual, "seconds": seconds,
            "late": late_work}


def _head(assignment: str, t: str) -> str:
    """Doctype, title, the inline style sheet and the page heading."""
    title = message("Grading report: {assignment}", t, assignment=html.escape(assignment))
    return (
        f'<!doctype html>\n<html lang="{t}"><head><meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}\n"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}</style>\n"
        f"</head><body>\n<h1>{title}</h1>"
    )


def _summary(data: dict, t: str) -> str:
    """One paragraph: how many submissions are graded and their mean score."""
    scores = sorted(data["scores"].values())
    text = (message("{n} graded submissions; mean {mean} of {total}", t, n=len(scores),
                    mean=f"{sum(scores) / len(scores):.2f}", total=f"{data['max_score']:g}")
            if scores else message("no graded submissions yet", t))
    return f"<p>{text}.</p>"


def _score_histogram(ax, data: dict, t: str) -> None:
    """Spread of the autograded scores over the assignment's whole score range."""
    ax.hist(list(data["scores"].values()), bins=min(20, max(5, len(data["scores"]))),
            range=(0, data["max_score"] or 1), color="tab:blue")
    ax.set(title=message("Score distribution (autograded so far)", t),
           xlabel=message("score", t), ylabel=message("students", t))


def _failure_rate_bars(ax, rated: list[dict], t: str) -> None:
    """Which questions students most often miss full marks on."""
    ax.barh([q["question"] for q in rated], [q["failure_rate"] for q in rated],
            color="tab:red")
    ax.set(title=message("Share of students without full marks", t),
           xlabel=message("failure rate", t), xlim=(0, 1))


def _grading_time_histogram(ax, seconds: dict, t: str) -> None:
    """How long the grader took per submission, to spot slow or stuck notebooks."""
    ax.hist(list(seconds.values()), bins=20, color="tab:green")
    ax.set(title=message("Grading time per submission", t), xlabel=message("seconds", t),
           ylabel=message("submissions", t))


def _charts(data: dict, t: str) -> str:
    """The charts as embedded PNGs: scores always, failure rates and times when there are any."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from medai.teach import figures

    figures.use_course_fonts()  # Korean titles need Hangul

    rated = [q for q in data["questions"] if q["failure_rate"] is not None]
    drawings = [(_score_histogram, data)]
    if rated:
        drawings.append((_failure_rate_bars, rated))
    if data["seconds"]:
        drawings.append((_grading_time_histogram, data["seconds"]))
    tags = []
    for draw, values in drawings:
        fig, ax = plt.subplots(figsize=(5, 3))
        draw(ax, values, t)
        tags.append(_figure_tag(fig))
        plt.close(fig)
    return "".join(tags)


def _failure_rate_text(q: dict) -> str:
    """A question's failure rate as a percentage, or '-' if nobody is graded on it yet."""
    return "-" if q["failure_rate"] is None else f"{q['failure_rate']:.0%}"


def _questions_table(questions: list[dict], t: str) -> str:
    """Points, graded count, full marks and failure rate of each question."""
    rows = "".join(
        f"<tr><td>{html.escape(q['question'])}</td><td>{q['points']:g}</td><td>{q['graded']}</td>"
        f"<td>{q['full_marks']}</td><td>{_failure_rate_text(q)}</td></tr>"
        for q in questions
    )
    header = "".join(f"<th>{name}</th>" for name in (
        message("question", t), message("points", t), message("graded", t),
        message("full marks", t), message("failure rate", t)))
    return (f"<h2>{message('Questions', t)}</h2>\n"
            f"<table><tr>{header}</tr>{rows}</table>")


def _manual_grading_list(waiting: list, t: str) -> str:
    """The (student, question) pairs still waiting for a human grader."""
    items = "".join(f"<li>{html.escape(s)}: {html.escape(q)}</li>"
                    for s, q in waiting) or f"<li>{message('none', t)}</li>"
    title = message("Waiting for manual grading ({n})", t, n=len(waiting))
    return f"<h2>{title}</h2>\n<ul>{items}</ul>"


def _late_list(late: list, t: str) -> str:
    """Submissions after their due date (and extension), with the points they lost."""
    items = "".join(
        "<li>" + html.escape(message("{student}: {hours} h late (extension {days} days), "
                                     "penalty {penalty} points", t, student=s,
                                     hours=f"{hours:.1f}", days=f"{days:g}",
                                     penalty=f"{penalty:g}")) + "</li>"
        for s, hours, days, penalty in late) or f"<li>{message('none', t)}</li>"
    return f"<h2>{message('Late submissions ({n})', t, n=len(late))}</h2>\n<ul>{items}</ul>"


def render(data: dict, language: str = "en") -> str:
    """The report page (one self-contained HTML file) for the data of :func:`collect`, in
    the instructor's ``language``."""
    t = language
    sections = [
        _head(data["assignment"], t),
        _summary(data, t),
        _charts(data, t),
        _questions_table(data["questions"], t),
        _manual_grading_list(data["needs_manual_grading"], t),
        _late_list(data.get("late", []), t),
        "</body></html>\n",
    ]
    return "\n".join(sections)


def write(m: Manifest, assignment_id: str, target: Path | None = None) -> Path:
    from medai import i18n

    target = target or m.course_directory / "reports" / f"{assignment_id}.html"
    return files.write_text(target, render(collect(m, assignment_id),
                                           i18n.preferred(m.language)))
