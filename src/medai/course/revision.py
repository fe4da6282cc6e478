"""Which revision of the course sources is in use, for version lines an instructor cites."""

from __future__ import annotations

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
