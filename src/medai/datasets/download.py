"""Optional downloads of larger public datasets: checksum-verified, cached, never required.

One function, :func:`fetch`, does it all: it returns a cached file whose
checksum matches, replaces a corrupted one, streams a new one into a partial
file that is renamed into place only after its checksum is verified, and,
when the network is unavailable (or MEDAI_OFFLINE=1), fails at once with a
message that names the dataset, the URL and where to put the file by hand.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from medai import files
from medai.datasets.cache import data_dir
from medai.errors import MedaiError

CHUNK = 1 << 20
ALGORITHMS = ("sha256", "md5")  # md5 only where the publisher gives nothing stronger


class DownloadError(MedaiError, RuntimeError):
    """A dataset file could not be obtained or did not verify; says what to do."""


@dataclass(frozen=True)
class RemoteFile:
    dataset: str
    url: str
    checksum: str  # "sha256:<hex>" (or "md5:<hex>" if that is all the publisher gives)
    filename: str
    size_bytes: int | None = None

    @property
    def algorithm(self) -> str:
        return self.checksum.split(":", 1)[0]

    @property
    def digest(self) -> str:
        return self.checksum.split(":", 1)[1].lower()

    def path(self) -> Path:
        return data_dir() / "downloads" / self.dataset / self.filename


def file_digest(path: Path, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _manual_steps(remote: RemoteFile) -> str:
    return (
        f"To install it by hand, download {remote.url} on a machine with network access "
        f"and copy it to {remote.path()} (expected {remote.checksum}); "
        f"set MEDAI_DATA to use another data folder."
    )


def fetch(remote: RemoteFile, timeout: float = 20.0) -> Path:
    """Path of the verified local copy of ``remote``, downloading it if needed."""
    if remote.algorithm not in ALGORITHMS:
        raise ValueError(f"{remote.dataset}: unsupported checksum {remote.checksum!r}")
    target = remote.path()
    if target.is_file():
        if file_digest(target, remote.algorithm) == remote.digest:
            return target
        target.unlink()  # corrupted or outdated: replace it
    if os.environ.get("MEDAI_OFFLINE") == "1":
        raise DownloadError(
            f"{remote.dataset} is not in the data folder and MEDAI_OFFLINE=1 forbids "
            f"downloading. {_manual_steps(remote)}"
        )
    hasher = hashlib.new(remote.algorithm)
    received = 0
    with files.replacing(target) as partial:
        try:
            with urllib.request.urlopen(remote.url, timeout=timeout) as response, \
                    partial.open("wb") as out:
                expected = response.headers.get("Content-Length")
                for block in iter(lambda: response.read(CHUNK), b""):
                    out.write(block)
                    hasher.update(block)
                    received += len(block)
            if expected is not None and received != int(expected):
                raise DownloadError(
                    f"{remote.dataset}: download from {remote.url} was cut short "
                    f"({received} of {expected} bytes). Try again. {_manual_steps(remote)}"
                )
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            raise DownloadError(
                f"{remote.dataset}: cannot download {remote.url} ({reason}). This dataset is "
                f"optional; the network may be unavailable here. {_manual_steps(remote)}"
            ) from None
        if hasher.hexdigest() != remote.digest:
            raise DownloadError(
                f"{remote.dataset}: the file from {remote.url} failed its {remote.algorithm} "
                f"check (got {hasher.hexdigest()}, expected {remote.digest}); it was discarded. "
                f"{_manual_steps(remote)}"
            )
    return target
