"""The installable release: `python -m build` makes a wheel and an sdist with what a student
needs and no answer, and the wheel runs a lesson from a fresh environment outside the
repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import answers
import pytest
from helpers import REPO

import medai
from medai.course import manifest

pytestmark = pytest.mark.slow


def _project_files() -> list[str]:
    """What a checkout of this commit holds: tracked files and new, unignored ones."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, text=True, check=True)
    return [line for line in listed.stdout.splitlines() if (REPO / line).is_file()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    """The sdist and wheel, built the way the README tells an instructor to (without build
    isolation: this environment already has the build requirements)."""
    checkout = tmp_path_factory.mktemp("checkout")
    for name in _project_files():
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, checkout / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir",
                           str(out), str(checkout)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def _members(archive: Path) -> dict[str, bytes]:
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            return {name: z.read(name) for name in z.namelist()}
    with tarfile.open(archive) as t:
        return {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_release_holds_the_lessons_and_catalog_and_no_answer(dist, kind):
    m = manifest.load(REPO / "course" / "course.yml")
    members = _members(dist[kind])
    names = list(members)
    for lesson in m.ready_lessons():
        notebook = f"medai/lessons/{lesson.source.parent.name}/{lesson.source.stem}.ipynb"
        [path] = [n for n in names if n.endswith(notebook)]
        stamped = json.loads(members[path])
        assert stamped["metadata"]["medai"]["version"] == medai.__version__
        assert f"medai-course {medai.__version__}" in "".join(stamped["cells"][0]["source"])
    # every module of the source tree is packaged (a new subpackage cannot be left out)
    for module in (REPO / "src").rglob("*.py"):
        relative = module.relative_to(REPO / "src").as_posix()
        if "/lessons/" not in relative:
            assert any(n.endswith(relative) for n in names), f"{relative} is not in the {kind}"
    assert not any("instructor_notes" in n for n in names)
    index = json.loads(next(v for n, v in members.items() if n.endswith("lessons/course.json")))
    assert index["version"] == medai.__version__
    assert len(index["lessons"]) == len(m.ready_lessons())
    catalog = "medai/catalog/" if kind == "wheel" else "datasets/"  # package-dir in the sdist
    assert any(n.endswith(catalog + "catalog.yml") for n in names)
    assert sum(catalog + "cards/" in n for n in names) >= 20
    # nothing an instructor keeps: no assignment, mutant, gradebook, test or lesson source
    kept = [n for n in names if any(word in n for word in (
        "assignments/", "mutants", "gradebook", "tests/", "notebooks/", "roster.csv"))]
    assert kept == []
    lines, pairs = answers.answer_lines(m)
    assert len(lines) > 1000 and len(pairs) > 500, "the scan knows the answers it looks for"
    for control in (m.assignment_sources(m.assignment("a1"))[0],
                    next((m.course_directory / "source" / "a7" / "mutants").glob("*.py"))):
        assert answers.leaks_in(control.name, control.read_bytes(), lines, pairs), \
            f"the scan would catch {control.name} in the package"
    leaked = {name: found for name, data in members.items()
              if (found := answers.leaks_in(name, data, lines, pairs))}
    assert leaked == {}


def test_wheel_runs_a_lesson_from_a_fresh_environment(dist, tmp_path):
    """Install the wheel into a new virtual environment outside the repository, start a
    student workspace from it and execute its first lesson there."""
    venv = tmp_path / "student-env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig."
                                "get_paths()['purelib'])"], capture_output=True, text=True,
                               check=True).stdout.strip())
    # The dependencies (torch, monai, nbgrader, ...) come from this environment, read-only:
    # installing them again would download gigabytes. medai itself is the wheel's: a path
    # added by a .pth file comes after the environment's own site-packages.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    str(dist["wheel"])], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDAI_", "JUPYTER"))}
    env["HOME"] = str(tmp_path / "home")
    env["JUPYTER_PATH"] = str(venv / "share" / "jupyter")  # the venv's own kernel first
    subprocess.run([str(python), "-m", "ipykernel", "install", "--sys-prefix"], check=True,
                   env=env, capture_output=True)
    outside = tmp_path / "laptop"
    outside.mkdir()
    start = subprocess.run([str(venv / "bin" / "medai"), "student", "start", "course",
                            "--no-lab"], cwd=outside, env=env, capture_output=True, text=True)
    assert start.returncode == 0, start.stderr
    assert f"from medai-course {medai.__version__} (installed)" in start.stdout
    lesson = next((outside / "course" / "lessons").glob("dx01*/dx01*.ipynb"))
    assert (outside / "course" / "lessons" / "WHATS_NEW.md").is_file()

    probe = outside / "probe.py"
    probe.write_text(
        "import sys, nbformat, nbclient\n"
        "from nbformat.v4 import new_code_cell\n"
        "path = sys.argv[1]\n"
        "nb = nbformat.read(path, as_version=4)\n"
        "nb.cells.append(new_code_cell('import medai; print(medai.__file__)'))\n"
        "nbclient.NotebookClient(nb, timeout=600, kernel_name='python3',\n"
        "    resources={'metadata': {'path': str(__import__('pathlib').Path(path).parent)}}"
        ").execute()\n"
        "print(nb.cells[-1].outputs[0].text.strip())\n")
    run = subprocess.run([str(python), str(probe), str(lesson)], cwd=outside, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().splitlines()[-1].startswith(str(venv)), \
        "the lesson's kernel imported medai from the wheel"
