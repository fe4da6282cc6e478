"""Where nbgrader's exchange is, and making it (and the course folder) safe to share.

The exchange is the one place instructors and students both reach: released
assignments go out through it, submissions and feedback come back. It lives
outside every home and outside the instructor's course folder, so a student
never passes through the folder that holds solutions and the gradebook.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from medai.course.manifest import Manifest
from medai.errors import MedaiError

ENV_VAR = "MEDAI_EXCHANGE"
# Used when the configured exchange cannot be created (a laptop, not root).
LOCAL_FALLBACK = ".exchange"
# nbgrader checks that its exchange root is o+rwx; the sticky bit keeps users from
# deleting each other's course folders.
EXCHANGE_MODE = 0o1777


class ExchangeError(MedaiError, RuntimeError):
    """The exchange cannot be used; the message says what to do."""


def configured(m: Manifest) -> Path:
    """The exchange named by MEDAI_EXCHANGE or course.yml (relative: from the repository)."""
    value = os.environ.get(ENV_VAR) or m.exchange
    path = Path(value).expanduser()
    return path if path.is_absolute() else m.root / path


def location(m: Manifest) -> Path:
    """The exchange this machine uses: the configured one if it exists or can be made,
    else the repository's own .exchange/ (one machine only). Creates nothing."""
    wanted = configured(m)
    if os.environ.get(ENV_VAR) or _can_create(wanted):
        return wanted
    return m.root / LOCAL_FALLBACK


def _can_create(path: Path) -> bool:
    existing = path
    while not existing.exists():
        if existing.parent == existing:
            return False
        existing = existing.parent
    if existing == path:
        return existing.is_dir()
    return existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)


def ensure(m: Manifest) -> Path:
    """Create the exchange if needed, with the mode nbgrader expects; return it."""
    root = location(m)
    try:
        root.mkdir(parents=True, exist_ok=True)
        if stat.S_IMODE(root.stat().st_mode) != EXCHANGE_MODE and _owned(root):
            root.chmod(EXCHANGE_MODE)
    except OSError as err:
        raise ExchangeError(
            f"cannot create the exchange {root}: {err.strerror}. Create it once as an "
            f"administrator (sudo install -d -m 1777 {root}) or set {ENV_VAR} to a folder "
            "every user of the course can reach."
        ) from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise ExchangeError(f"the exchange {root} is not writable by you; ask its owner to "
                            f"run: chmod 1777 {root}")
    return root


def _owned(path: Path) -> bool:
    return path.stat().st_uid == os.geteuid()


def course_folder(m: Manifest) -> Path:
    """The course's own folder in the exchange (nbgrader's path_includes_course)."""
    return location(m) / m.course_id


def protect_course_directory(m: Manifest) -> None:
    """Take every permission away from other users on the instructor's course folder
    (solutions, hidden tests, the gradebook, every student's work). The group keeps its
    rights: on a hub that is formgrade-<course>, the TAs."""
    folder = m.course_directory
    folder.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o007 and _owned(folder):
        folder.chmod(mode & ~0o007)
