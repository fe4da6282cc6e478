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
from medai.grading.nbgrader_api import GradingError


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
        for submission in gb.assignment_submissions(assignment_id):
            student = submission.student.id
            scores[student] = submission.score
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
            "questions": questions, "needs_manual_grading": manual, "seconds": seconds}


def render(data: dict) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = []
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.hist(list(data["scores"].values()), bins=min(20, max(5, len(data["scores"]))),
            range=(0, data["max_score"] or 1), color="tab:blue")
    ax.set(title="Score distribution (autograded so far)", xlabel="score", ylabel="students")
    figures.append(_figure_tag(fig))
    plt.close(fig)
    rated = [q for q in data["questions"] if q["failure_rate"] is not None]
    if rated:
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.barh([q["question"] for q in rated], [q["failure_rate"] for q in rated],
                color="tab:red")
        ax.set(title="Share of students without full marks", xlabel="failure rate", xlim=(0, 1))
        figures.append(_figure_tag(fig))
        plt.close(fig)
    if data["seconds"]:
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.hist(list(data["seconds"].values()), bins=20, color="tab:green")
        ax.set(title="Grading time per submission", xlabel="seconds", ylabel="submissions")
        figures.append(_figure_tag(fig))
        plt.close(fig)

    scores = sorted(data["scores"].values())
    summary = (f"{len(scores)} graded submissions; mean {sum(scores) / len(scores):.2f} of "
               f"{data['max_score']:g}" if scores else "no graded submissions yet")
    def rate(q: dict) -> str:
        return "-" if q["failure_rate"] is None else f"{q['failure_rate']:.0%}"

    question_rows = "".join(
        f"<tr><td>{html.escape(q['question'])}</td><td>{q['points']:g}</td><td>{q['graded']}</td>"
        f"<td>{q['full_marks']}</td><td>{rate(q)}</td></tr>"
        for q in data["questions"]
    )
    manual_rows = "".join(f"<li>{html.escape(s)}: {html.escape(q)}</li>"
                          for s, q in data["needs_manual_grading"]) or "<li>none</li>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Grading report: {html.escape(data['assignment'])}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}</style>
</head><body>
<h1>Grading report: {html.escape(data['assignment'])}</h1>
<p>{summary}.</p>
{''.join(figures)}
<h2>Questions</h2>
<table><tr><th>question</th><th>points</th><th>graded</th><th>full marks</th>
<th>failure rate</th></tr>{question_rows}</table>
<h2>Waiting for manual grading ({len(data['needs_manual_grading'])})</h2>
<ul>{manual_rows}</ul>
</body></html>
"""


def write(m: Manifest, assignment_id: str, target: Path | None = None) -> Path:
    target = target or m.course_directory / "reports" / f"{assignment_id}.html"
    return files.write_text(target, render(collect(m, assignment_id)))
