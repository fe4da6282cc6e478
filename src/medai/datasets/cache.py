"""The one folder medai writes data to: $MEDAI_DATA, or a per-user cache folder.

Writers put files in a temporary sibling and rename it into place, so a crash
never leaves a half-written dataset that a later run would trust.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


def data_dir() -> Path:
    """$MEDAI_DATA if set, else $XDG_CACHE_HOME/medai or ~/.cache/medai."""
    configured = os.environ.get("MEDAI_DATA")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "medai"


@contextmanager
def atomic_folder(target: Path):
    """Yield a temporary folder that becomes ``target`` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield staging
        staging.chmod(0o755)  # mkdtemp makes it private; a dataset is for every reader
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
