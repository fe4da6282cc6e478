"""The LMS bridge: a Canvas or Moodle bulk download of submissions into submitted/, and grade
files in the shape each LMS's gradebook import documents."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from submissions import reference_answers, submit

from medai.cli import main
from medai.course import manifest
from medai.grading import nbgrader_api, pipeline

A1 = "a1_diagnostic_metrics.ipynb"
ROSTER = """username,role,first_name,last_name,email,lms_id
kimprof,instructor,Jiwon,Kim,jiwon.kim@example.ac.kr,
parkstu,student,Hyunwoo,Park,hyunwoo.park@example.ac.kr,4101
choistu,student,Seoyeon,Choi,seoyeon.choi@example.ac.kr,4102
leestu,student,Minji,Lee,minji.lee@example.ac.kr,
leestu2,student,Minji,Lee,minji.lee2@example.ac.kr,
hanstu,student,Jisoo,Han,jisoo.han@example.ac.kr,
"""

pytestmark = pytest.mark.slow  # every test generates the assignment with nbgrader


@pytest.fixture
def course(course_copy):
    m = manifest.load(course_copy)
    (m.root / "course" / "roster.csv").write_text(ROSTER)
    pipeline.generate(m, "a1")
    released = (m.course_directory / "release" / "a1" / A1).read_bytes()
    return m, released


def _zip(path, files: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _collect(m, archive, capsys, *extra):
    code = main(["--course", str(m.path), "collect", "a1", "--from-lms", str(archive), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_canvas_download_round_trips_and_nothing_is_overwritten(course, tmp_path, capsys):
    m, released = course
    edited = released.replace(b"YOUR CODE HERE", b"my answer", 1)
    archive = _zip(tmp_path / "submissions.zip", {
        f"parkhyunwoo_4101_88001_{A1}": released,  # found by the Canvas id
        "choiseoyeon_LATE_4102_88002_a1_diagnostic_metrics-1.ipynb": edited,  # late, renamed
        f"hanjisoo_4999_88003_{A1}": released,  # not yet given an lms_id: found by name
        f"nobodyhere_5000_88004_{A1}": released,  # not in the roster
        "parkhyunwoo_4101_88001_notes.txt": b"scratch",  # not a notebook of a1
    })
    code, out, err = _collect(m, archive, capsys)
    assert code == 1, "files not collected make the exit status 1"
    submitted = m.course_directory / "submitted"
    assert (submitted / "parkstu" / "a1" / A1).read_bytes() == released
    assert (submitted / "choistu" / "a1" / A1).read_bytes() == edited
    assert (submitted / "hanstu" / "a1" / A1).is_file()
    assert "late (as the LMS marked them): choistu" in out
    assert "'nobodyhere' (LMS id 5000) is not in the roster" in err
    assert "'notes.txt' is not a notebook of a1" in err
    assert "3 student(s) collected, 2 file(s) not collected" in out
    with nbgrader_api.api(m).gradebook as gb:
        assert gb.find_student("choistu").last_name == "Choi", "names reach the gradebook"

    # the same download again: nothing changes; a different file is kept until --replace
    changed = _zip(tmp_path / "again.zip", {
        f"parkhyunwoo_4101_88001_{A1}": released,
        f"choiseoyeon_4102_88005_{A1}": released,
    })
    code, out, _ = _collect(m, changed, capsys)
    assert "unchanged  parkstu/" + A1 in out
    assert "kept       choistu/" + A1 in out
    assert (submitted / "choistu" / "a1" / A1).read_bytes() == edited
    code, out, _ = _collect(m, changed, capsys, "--replace")
    assert code == 0 and "replaced   choistu/" + A1 in out
    assert (submitted / "choistu" / "a1" / A1).read_bytes() == released
    [before] = (submitted / "choistu" / "a1").glob(f"{A1}.before-*")
    assert before.read_bytes() == edited


def test_moodle_download_by_name_with_duplicates_and_namesakes(course, tmp_path, capsys):
    m, released = course
    archive = _zip(tmp_path / "moodle.zip", {
        f"Hyunwoo Park_551_assignsubmission_file_/{A1}": released,
        f"Seoyeon Choi_552_assignsubmission_file_/{A1}": released,
        "Seoyeon Choi_552_assignsubmission_file_/a1_diagnostic_metrics (1).ipynb": released,
        f"Minji Lee_553_assignsubmission_file_/{A1}": released,  # two Minji Lees
        f"Jisoo Han_554_assignsubmission_file_{A1}": released,  # Moodle's flat naming
    })
    code, out, err = _collect(m, archive, capsys)
    submitted = m.course_directory / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == ["hanstu", "parkstu"]
    assert "choistu: 2 files for " + A1 in err, "a duplicate is reported, neither taken"
    assert "'Minji Lee' matches leestu, leestu2" in err


@pytest.mark.parametrize("bad, message", [
    (b"not a zip", "is not a readable zip file"),
    (None, "no file is named as Canvas or Moodle name a bulk download"),
])
def test_a_download_that_cannot_be_read_says_why(course, tmp_path, capsys, bad, message):
    m, _ = course
    archive = tmp_path / "download.zip"
    if bad is None:
        _zip(archive, {"random/file.ipynb": b"{}"})
    else:
        archive.write_bytes(bad)
    code, _, err = _collect(m, archive, capsys)
    assert code == 2 and message in err
    assert not (m.course_directory / "submitted").exists()


def test_canvas_and_moodle_grade_files(course, capsys):
    m, released = course
    answers = reference_answers(m.course_directory / "source" / "a1" / "a1_diagnostic_metrics.py")
    submit(m.course_directory / "release" / "a1" / A1, m.course_directory / "submitted",
           "parkstu", answers)
    submit(m.course_directory / "release" / "a1" / A1, m.course_directory / "submitted",
           "choistu", {})
    with nbgrader_api.api(m).gradebook as gb:
        gb.update_or_create_student("parkstu", first_name="Hyunwoo", last_name="Park",
                                    email="hyunwoo.park@example.ac.kr")
    results = {r.student: r.score for r in pipeline.grade(m, "a1")}
    for fmt in ("canvas", "moodle"):
        assert main(["--course", str(m.path), "export", "--format", fmt]) == 0
    canvas = list(csv.reader(io.StringIO(
        (m.course_directory / "grades-canvas.csv").read_text())))
    title = "a1 Diagnostic metrics"
    # Canvas: the five identifying columns first, then one column per assignment by name
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[0][5] == title
    assert canvas[1][0].strip() == "Points Possible" and float(canvas[1][5]) == 13
    rows = {r[2]: r for r in canvas[2:]}
    assert rows["parkstu"][:4] == ["Park, Hyunwoo", "4101", "parkstu", "parkstu"]
    assert float(rows["parkstu"][5]) == results["parkstu"] > 0
    assert float(rows["choistu"][5]) == results["choistu"] == 0
    moodle = list(csv.DictReader(io.StringIO(
        (m.course_directory / "grades-moodle.csv").read_text())))
    park = next(r for r in moodle if r["ID number"] == "parkstu")
    assert park["Email address"] == "hyunwoo.park@example.ac.kr"
    assert float(park[title]) == results["parkstu"]
    assert list(moodle[0])[:4] == ["First name", "Last name", "ID number", "Email address"]
