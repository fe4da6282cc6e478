"""Per-student variants: each student's data depend on who they are, graded alike.

An assignment that declares ``variants: true`` in course.yml loads its data in a locked
setup cell with a seed from :func:`seed`. The seed is a hash of the assignment and the
student id, so a student gets the same data every time they run the notebook, and the
grader, which sets ``MEDAI_STUDENT_ID`` in the kernel of each submission it grades, gets
the same data again. Nothing the student can edit decides it: the setup cell is locked
(nbgrader restores it before grading) and the grader's variable wins over the student's
session. Hidden tests compute their expected values from the same seed, never from
constants, so a copied result that was right for a classmate's data is wrong for yours.

Where the id comes from, first found: ``MEDAI_STUDENT_ID`` (the grader), then
``JUPYTERHUB_USER`` (a student's server on the course's JupyterHub), then the account
name (what nbgrader's exchange submits under on a laptop).
"""

from __future__ import annotations

import getpass
import hashlib
import os

GRADER_VARIABLE = "MEDAI_STUDENT_ID"
SESSION_VARIABLES = (GRADER_VARIABLE, "JUPYTERHUB_USER")


def student_id() -> str:
    """The student whose variant this session runs: the grader's choice, else the hub's
    user, else the account name."""
    for name in SESSION_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return getpass.getuser()


def seed(assignment: str, student: str | None = None) -> int:
    """The seed of ``student``'s variant of ``assignment`` (32 bits, the same everywhere:
    a hash, not Python's salted ``hash``)."""
    student = student_id() if student is None else student
    digest = hashlib.sha256(f"medai-variant\0{assignment}\0{student}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def show(assignment: str) -> int:
    """Print which variant this notebook runs (students quote it when they ask for help)
    and return its seed."""
    from medai.i18n import message, preferred

    student = student_id()
    value = seed(assignment, student)
    print(message("Variant {code} of {assignment}, for {student}: your data differ from your "
                  "classmates', and your work is graded on these same data.", preferred(),
                  code=f"{value:08x}", assignment=assignment, student=student))
    return value
