"""`medai datasets verify`: load every dataset, check shape, checksum and determinism.

Shapes and file checksums are compared with datasets/catalog.yml; a synthetic
dataset must give identical content twice with the same seed and different
content with another seed. Optional downloads are checked only when present.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from medai.datasets import catalog, registry
from medai.datasets.types import DicomCollection

VerifyStatus = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True)
class Check:
    name: str
    kind: str
    status: VerifyStatus
    seconds: float
    shape: str
    detail: str = ""


def fingerprint(obj: Any) -> str:
    """A SHA-256 over the content of a dataset container (arrays, tables, files, values)."""
    hasher = hashlib.sha256()
    _feed(hasher, obj)
    return hasher.hexdigest()


def _feed(hasher, obj: Any) -> None:
    if dataclasses.is_dataclass(obj):
        for item in dataclasses.fields(obj):
            hasher.update(item.name.encode())
            _feed(hasher, getattr(obj, item.name))
    elif isinstance(obj, np.ndarray):
        hasher.update(f"{obj.dtype}{obj.shape}".encode())
        hasher.update(np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, pd.DataFrame):
        hasher.update(repr(list(obj.columns)).encode() + repr(list(obj.dtypes)).encode())
        hasher.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
    elif isinstance(obj, pd.Series):
        hasher.update(repr(obj.name).encode())
        hasher.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
    elif isinstance(obj, Path):
        hasher.update(obj.read_bytes() if obj.is_file() else str(obj).encode())
    elif isinstance(obj, dict):
        for key in sorted(obj, key=repr):
            hasher.update(repr(key).encode())
            _feed(hasher, obj[key])
    elif isinstance(obj, (list, tuple)):
        hasher.update(f"{type(obj).__name__}{len(obj)}".encode())
        for item in obj:
            _feed(hasher, item)
    else:
        hasher.update(repr(obj).encode())


def shape_of(obj: Any) -> str:
    """The documented size of a container, e.g. '569x30' or 'patients=2000x12 vitals=...'."""
    for attribute in ("features", "frame", "images", "volume", "signals"):
        value = getattr(obj, attribute, None)
        if value is not None:
            return "x".join(str(n) for n in value.shape)
    if hasattr(obj, "tables"):
        return " ".join(f"{k}={'x'.join(map(str, v.shape))}" for k, v in obj.tables.items())
    if hasattr(obj, "nodes") and hasattr(obj, "edges"):
        return f"nodes={len(obj.nodes)} edges={len(obj.edges)}"
    if isinstance(obj, DicomCollection):
        return f"{len(obj.paths)} files"
    return type(obj).__name__


def files_sha256(obj: DicomCollection) -> str:
    """One SHA-256 of a collection's files, in sorted file-name order."""
    hasher = hashlib.sha256()
    for path in sorted(obj.paths, key=lambda p: p.name):
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def check(name: str) -> Check:
    entry = catalog.entries().get(name, {})
    kind = entry.get("kind", "?")
    spec = registry.spec(name)
    remote = getattr(spec.loader, "remote", None)
    if remote is not None or kind == "download":
        if remote is None or not remote.path().is_file():
            return Check(name, kind, "skipped", 0.0, "", "optional download, not present")
    started = time.perf_counter()
    try:
        first = registry.load(name)
    except Exception as err:  # verify reports every dataset, whatever breaks
        return Check(name, kind, "failed", time.perf_counter() - started, "",
                     f"{type(err).__name__}: {err}")
    seconds = time.perf_counter() - started
    shape = shape_of(first)
    problems = []
    expected_shape = entry.get("shape")
    if expected_shape and str(expected_shape) != shape:
        problems.append(f"shape {shape}, catalog says {expected_shape}")
    if isinstance(first, DicomCollection) and entry.get("sha256"):
        actual = files_sha256(first)
        if actual != entry["sha256"]:
            problems.append(f"sha256 {actual[:12]}..., catalog says {entry['sha256'][:12]}...")
    if "seed" in spec.options:
        if fingerprint(registry.load(name)) != fingerprint(first):
            problems.append("not deterministic: the same seed gave different data")
        other_seed = spec.options["seed"].default + 1
        if fingerprint(registry.load(name, seed=other_seed)) == fingerprint(first):
            problems.append("another seed gave identical data")
    status: VerifyStatus = "failed" if problems else "ok"
    return Check(name, kind, status, seconds, shape, "; ".join(problems))


def check_all() -> list[Check]:
    return [check(name) for name in registry.available()]
