"""The class list: who is an instructor, a teaching assistant or a student.

A CSV file with a header ``username,role,first_name,last_name,email`` and,
optionally, ``lms_id`` (the student's user id in Canvas, which names the files of
its bulk download). It holds personal data, so the real one is git-ignored;
``course/roster.example.csv`` shows the format.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from medai.errors import MedaiError

ROLES = ("instructor", "ta", "student")
COLUMNS = ("username", "role", "first_name", "last_name", "email", "lms_id")
# What a Unix account and a JupyterHub user name can both be.
USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


class RosterError(MedaiError, ValueError):
    """A roster that cannot be used; every problem is listed with its line."""


@dataclass(frozen=True)
class Member:
    username: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_id: str = ""

    @property
    def grades(self) -> bool:
        """Instructors and TAs open the Formgrader and the gradebook."""
        return self.role in ("instructor", "ta")


def read(path: Path) -> list[Member]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: no roster; copy course/roster.example.csv and fill it "
                          "in") from None
    rows = list(csv.DictReader(text.splitlines()))
    missing = [c for c in ("username", "role") if rows and c not in rows[0]]
    if not rows or missing:
        raise RosterError(f"{path}: needs a header with {', '.join(COLUMNS[:5])} (and "
                          "optionally lms_id) and one row per person")
    problems, members, seen = [], [], set()
    for line, row in enumerate(rows, start=2):
        name, role = (row.get("username") or "").strip(), (row.get("role") or "").strip()
        if not USERNAME.match(name):
            problems.append(f"line {line}: username {name!r} must be lower-case letters, "
                            "digits, _ or - (a Unix account name)")
        elif name in seen:
            problems.append(f"line {line}: {name} is listed twice")
        if role not in ROLES:
            problems.append(f"line {line}: role {role!r} is not one of {', '.join(ROLES)}")
        seen.add(name)
        members.append(Member(name, role, *((row.get(c) or "").strip() for c in COLUMNS[2:])))
    if not any(m.role == "instructor" for m in members):
        problems.append("no instructor: at least one row needs role instructor")
    if problems:
        raise RosterError(f"{path}:\n  " + "\n  ".join(problems))
    return members
