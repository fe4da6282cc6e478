"""Writing a file so that no reader ever sees half of it and a failure keeps the old one.

Grades, ledgers, notebooks and reports are written beside their target under a
hidden partial name and renamed over it only when complete (a rename within one
folder is atomic on POSIX).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from medai.errors import MedaiError


class WriteError(MedaiError, OSError):
    """A destination that cannot be written; the message names it."""


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A partial path beside ``target`` to write; renamed over ``target`` when the block
    ends without error, removed otherwise. Parent folders are created."""
    target = Path(target)
    if target.is_dir():
        raise WriteError(f"{target} is a folder; give a file name to write to")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WriteError(f"cannot create the folder {target.parent}: {err.strerror}") from None
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> Path:
    with replacing(target) as partial:
        partial.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: Path, data: bytes) -> Path:
    with replacing(target) as partial:
        partial.write_bytes(data)
    return Path(target)
