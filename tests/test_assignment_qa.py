"""`medai check` on every ready assignment: reference full, blank zero, every mutant
caught, every alternative full, every requirement proven by its mutants.

A planted mutant that is really the reference solution must be reported as
surviving, so the check itself is shown able to fail.
"""

from __future__ import annotations

import pytest
from helpers import REPO, copy_course

from medai.cli import main
from medai.course import manifest, sources
from medai.grading import qa, requirements

pytestmark = pytest.mark.slow
READY = [a.id for a in manifest.load(REPO / "course" / "course.yml").ready_assignments()]


def written_answers(source) -> set[str]:
    """grade_ids of answers written in markdown (graded by hand, not by mutants)."""
    return {cell.metadata["nbgrader"]["grade_id"] for cell in sources.read_source(source).cells
            if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution")}


@pytest.mark.parametrize("assignment_id", READY)
def test_check_catches_every_mutant(assignment_id, tmp_path, capsys):
    m = manifest.load(copy_course(tmp_path))
    source = m.assignment_sources(m.assignment(assignment_id))[0]
    real_mutants = qa.load_mutants(source.parent / "mutants")
    assert len(real_mutants) >= 5, "each assignment keeps at least five mutants"
    planted = source.parent / "mutants" / "zz_planted_equivalent.py"
    cells = [f'# %% nbgrader={{"grade_id": "{grade_id}"}}\n{code}\n'
             for grade_id, code in qa.reference_answers(source).items()
             if grade_id not in written_answers(source)]
    planted.write_text("# %% [markdown]\n# The reference solution, renamed.\n\n" + "\n".join(cells))
    alternatives = qa.load_mutants(source.parent / "alternatives")
    if assignment_id == "a1":  # a "correct" answer the tests reject is reported (one run)
        (source.parent / "alternatives" / "zz_rejected.py").write_text(
            (source.parent / "mutants" / "threshold_off_by_one.py").read_text())

    assert main(["--course", str(m.path), "check", assignment_id, "--workers", "2"]) == 1
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines()[1:] if line.strip()}
    assert " ok " in rows["reference"] and " ok " in rows["blank"]
    for mutant in real_mutants:
        assert " ok " in rows[f"mutant-{mutant.name}"], rows[f"mutant-{mutant.name}"]
    assert " WRONG " in rows["mutant-zz_planted_equivalent"]
    assert f"mutants caught: {len(real_mutants)} of {len(real_mutants) + 1}" in out
    # every alternative (a correct answer written another way) keeps full marks
    for other in alternatives:
        assert " ok " in rows[f"alternative-{other.name}"], rows[f"alternative-{other.name}"]
    if assignment_id == "a1":
        assert " WRONG " in rows["alternative-zz_rejected"]
        assert " full " in rows["alternative-zz_rejected"]
    # every requirement is proven by its mutants; the planted one breaks none
    table = requirements.load(source.parent)
    assert f": {len(table)} of {len(table)}" in out
    problems = [line.strip() for line in out.splitlines() if line.strip().startswith("problem:")]
    assert problems == ["problem: mutant 'zz_planted_equivalent' breaks no listed requirement"]
