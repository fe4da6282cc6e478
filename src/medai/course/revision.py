"""Which revision of the course sources is in use, for version lines an instructor cites."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def describe(folder: Path) -> str:
    """``git <short hash>`` (with ``+ uncommitted changes`` when the sources differ from
    it), or a plain note when ``folder`` is not a git checkout."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              text=True)

    try:
        head = git("rev-parse", "--short", "HEAD")
    except FileNotFoundError:
        return "no git on this machine"
    if head.returncode:
        return "not a git checkout"
    dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    return f"git {head.stdout.strip()}" + (" + uncommitted changes" if dirty else "")


def project_version(root: Path) -> str | None:
    """The version written in a checkout's pyproject.toml (the one place it is set), or
    None outside a checkout. It can be ahead of the installed package's metadata."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return None
    project = path.read_text("utf-8").split("[project]", 1)[-1].split("\n[", 1)[0]
    found = re.search(r'^version\s*=\s*"([^"]+)"', project, flags=re.MULTILINE)
    return found[1] if found else None
