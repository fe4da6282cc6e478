"""Cheating gains no points: each cheat is added to wrong answers in a real a1 submission,
graded by medai and, to show the cheat is real, by nbgrader's unguarded pipeline."""

from __future__ import annotations

import nbformat
import pytest
from helpers import autograded_points, copy_course
from nbformat.v4 import new_code_cell
from submissions import reference_answers, submit

from medai.course import manifest
from medai.grading import pipeline, settings

pytestmark = pytest.mark.slow
A1 = "a1_diagnostic_metrics"

GARBAGE = {
    "q1_answer": 'def diagnostic_metrics(y_true, y_pred):\n'
                 '    return {"sensitivity": 0.0, "specificity": 0.0, "ppv": 0.0, "npv": 0.0}\n',
    "q2_answer": "def predictive_values_at_prevalence(sensitivity, specificity, prevalence):\n"
                 "    return 0.0, 0.0\n",
    "q3_answer": "def threshold_for_sensitivity(y_true, scores, target):\n    return 0.0\n",
    "q4_answer": "def auroc(y_true, scores):\n    return 0.5\n",
}

CHEATS = {
    # An IPython custom exception handler that hides every failing assert.
    "custom_exception_handler": (
        "get_ipython().set_custom_exc((Exception,), lambda shell, etype, value, tb, "
        "tb_offset=None: None)"),
    # Patch the helper the tests call.
    "patched_math_isclose": "import math\nmath.isclose = lambda *args, **kwargs: True",
    # Make IPython swallow every exception in every later cell.
    "patched_run_code": (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "_original = InteractiveShell.run_code\n"
        "async def _quiet(self, code_obj, result=None, *, async_=False):\n"
        "    try:\n"
        "        exec(code_obj, self.user_global_ns, self.user_ns)\n"
        "    except BaseException:\n"
        "        pass\n"
        "    return False\n"
        "InteractiveShell.run_code = _quiet"),
    # Rebind names the tests read, after the setup cell defined them.
    "rebound_test_names": (
        "import types\n"
        "math = types.SimpleNamespace(isclose=lambda *a, **k: True, isnan=lambda x: True,\n"
        "                             ceil=lambda x: 1)"),
    # A callback that re-patches the helper whenever IPython runs anything.
    "post_execute_hook": (
        "import math\n"
        "def _repatch(*args):\n"
        "    math.isclose = lambda *a, **k: True\n"
        "get_ipython().events.register('pre_run_cell', _repatch)\n"
        "get_ipython().events.register('post_execute', _repatch)"),
    # An event manager of the student's own, which re-patches before every cell.
    "replaced_event_manager": (
        "import math\n"
        "from IPython.core.events import EventManager\n"
        "class _Events(EventManager):\n"
        "    def trigger(self, event, *args, **kwargs):\n"
        "        math.isclose = lambda *a, **k: True\n"
        "        super().trigger(event, *args, **kwargs)\n"
        "_ip = get_ipython()\n"
        "_events = _Events(_ip, list(_ip.events.callbacks))\n"
        "_events.callbacks = _ip.events.callbacks\n"
        "_ip.events = _events"),
    # A background thread that puts the patch back as soon as it is restored.
    "patching_thread": (
        "import math, threading, time\n"
        "def _keep_patching():\n"
        "    while True:\n"
        "        math.isclose = lambda *a, **k: True\n"
        "        time.sleep(0.001)\n"
        "threading.Thread(target=_keep_patching, daemon=True).start()"),
    # An answer object that claims to equal anything.
    "always_equal_object": (
        "class AlwaysEqual(float):\n"
        "    def __eq__(self, other): return True\n"
        "    def __lt__(self, other): return True\n"
        "    def __le__(self, other): return True\n"
        "    def __gt__(self, other): return True\n"
        "    def __ge__(self, other): return True\n"
        "    __hash__ = float.__hash__\n"
        "def auroc(y_true, scores):\n"
        "    return AlwaysEqual(0.5)"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("cheats")
    m = manifest.load(copy_course(root))
    pipeline.generate(m, "a1")
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    submitted = m.course_directory / "submitted"
    submit(released, submitted, "honest", GARBAGE)
    for name, code in CHEATS.items():
        path = submit(released, submitted, name, GARBAGE)
        notebook = nbformat.read(path, as_version=4)
        setup = next(i for i, c in enumerate(notebook.cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
        notebook.cells.insert(setup + 1, new_code_cell(code))
        nbformat.write(notebook, path)
    # Editing a locked test cell: nbgrader puts the instructor's version back.
    path = submit(released, submitted, "edited_test_cell", GARBAGE)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_tests"):
            cell.source = "pass"
    nbformat.write(notebook, path)
    results = {r.student: r for r in pipeline.grade(m, "a1", workers=2)}
    return m, results


def unguarded_scores(m, tmp_path, students):
    """The same submissions through nbgrader's own Execute (no protection)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute

    config = settings.config_for(m)
    config.Autograde.autograde_preprocessors = [
        Execute if isinstance(p, type) and issubclass(p, Execute) else p
        for p in config.Autograde.autograde_preprocessors
    ]
    config.CourseDirectory.autograded_directory = "autograded_unguarded"
    config.CourseDirectory.db_url = f"sqlite:///{tmp_path / 'unguarded.db'}"
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    with api.gradebook as gb:
        gb.update_or_create_assignment("a1")
    assert api.generate_assignment("a1")["success"]  # records the notebooks in this gradebook
    scores = {}
    for student in students:
        assert api.autograde("a1", student)["success"]
        with api.gradebook as gb:
            scores[student] = gb.find_submission("a1", student).score
    return scores


def test_honest_wrong_answers_score_nothing(graded):
    _, results = graded
    assert results["honest"].score == 0.0


@pytest.mark.parametrize("cheat", [*CHEATS, "edited_test_cell"])
def test_cheat_gains_no_points(graded, cheat):
    _, results = graded
    assert results[cheat].status == "graded"
    assert results[cheat].score == results["honest"].score == 0.0, cheat


def test_the_cheats_work_against_unguarded_nbgrader(graded, tmp_path):
    m, _ = graded
    patchers = ["patched_math_isclose", "rebound_test_names", "post_execute_hook",
                "replaced_event_manager", "patching_thread"]
    scores = unguarded_scores(m, tmp_path, ["patched_run_code", *patchers])
    assert scores["patched_run_code"] == autograded_points("a1"), (
        "swallowing every error passes every test")
    for cheat in patchers:
        assert scores[cheat] > 0, cheat


def test_a_correct_submission_still_gets_full_marks_under_protection(graded):
    m, _ = graded
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    submit(released, m.course_directory / "submitted", "careful", answers)
    [result] = pipeline.grade(m, "a1", students=["careful"], workers=1)
    assert result.score == autograded_points("a1")


def test_a_patch_made_while_a_test_runs_is_reported(graded):
    """The patching thread is caught after the test cell, and the student sees why."""
    m, _ = graded
    path = m.course_directory / "autograded" / "patching_thread" / "a1" / f"{A1}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    tampered = [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
                if any(o.get("ename") == "ExecutionTampered" for o in c.get("outputs", []))]
    assert tampered == ["q1_tests", "q2_tests", "q3_tests", "q4_tests", "q5_tests"]
