"""Cutting a version of the course: the checks before the tag, and the tag.

A version is cut from a clean checkout whose CHANGELOG.md has an entry for the
version in pyproject.toml. Since the previous version's tag, every changed
lesson and assignment must be named in that entry, and the version number must
say how much changed (semantic versioning as the course reads it): a
correction is a patch, a new lesson or assignment a minor version, a changed
assignment a major one (students who fetched it hold the old one).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from medai.course import changelog, changes, revision
from medai.course.manifest import Manifest
from medai.errors import MedaiError

TAG_PREFIX = "v"
LEVELS = ("patch", "minor", "major")


class ReleaseError(MedaiError, RuntimeError):
    """The version cannot be cut; the message lists what to do."""


@dataclass(frozen=True)
class Plan:
    version: str
    previous: str | None  # tag of the previous version, None for the first
    entry: changelog.Entry
    needed: str  # "patch", "minor" or "major"
    reasons: list[str]  # why that level


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise ReleaseError("git is not installed; a version is a git tag") from None


def previous_tag(root: Path) -> str | None:
    """The newest version tag reachable from HEAD."""
    done = _git(root, "describe", "--tags", "--abbrev=0", "--match", f"{TAG_PREFIX}[0-9]*")
    return done.stdout.strip() if done.returncode == 0 else None


def _added(root: Path, old: str) -> list[str]:
    done = _git(root, "diff", "--name-only", "--diff-filter=A", old, "HEAD")
    return done.stdout.splitlines()


def needed_level(m: Manifest, previous: str,
                 found: changes.Changes) -> tuple[str, list[str]]:
    """The smallest version step the changes since ``previous`` (``found``) allow, with
    the reasons."""
    added = set(_added(m.root, previous))
    level, reasons = "patch", []
    for assignment, files in sorted(found.assignments.items()):
        student_visible = [f for f in files if changes.students_see(f)]
        if student_visible and set(student_visible) <= added:
            reasons.append(f"assignment {assignment} is new (minor)")
            level = max(level, "minor", key=LEVELS.index)
        elif student_visible:
            reasons.append(f"assignment {assignment} changed (major: students who fetched it "
                           "hold the old one; or make it a new assignment)")
            level = "major"
    for lesson, files in sorted(found.lessons.items()):
        if any(f.endswith(".py") and f in added for f in files):
            reasons.append(f"lesson {lesson} is new (minor)")
            level = max(level, "minor", key=LEVELS.index)
    return level, reasons


def _step(old: str, new: str) -> str | None:
    """The level of the step from ``old`` to ``new``, None when it is not one step up."""
    a, b = changelog.parse_version(old), changelog.parse_version(new)
    if b == (a[0] + 1, 0, 0):
        return "major"
    if b == (a[0], a[1] + 1, 0):
        return "minor"
    if b == (a[0], a[1], a[2] + 1):
        return "patch"
    return None


def plan(m: Manifest) -> Plan:
    """Everything that must hold before the tag is made; raises ReleaseError listing each
    problem and what to do about it."""
    root = m.root
    problems: list[str] = []
    version = revision.project_version(root)
    if version is None:
        raise ReleaseError(f"no pyproject.toml with a [project] version in {root}: a version "
                           "is cut from the course's checkout")
    tag = TAG_PREFIX + version
    if _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}").returncode == 0:
        problems.append(f"{tag} exists already: raise the version in pyproject.toml")
    if _git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        problems.append("the checkout has uncommitted changes: commit them (a version is a "
                        "commit) or stash them")
    history = changelog.read(root / "CHANGELOG.md")
    problem = changelog.version_problem(history, version)
    entry = changelog.entry_for(history, version)
    if problem:
        problems.append(f"CHANGELOG.md: {problem}")
    elif entry is None or entry.empty:
        problems.append(f"CHANGELOG.md: the [{version}] entry lists nothing")
    unreleased = changelog.entry_for(history, changelog.UNRELEASED)
    if unreleased is not None and not unreleased.empty:
        problems.append(f"CHANGELOG.md: [Unreleased] still lists changes; move them under "
                        f"[{version}]")
    previous = previous_tag(root)
    needed, reasons = "patch", []
    if previous is not None:
        old = previous[len(TAG_PREFIX):]
        found = changes.classify(m, changes.changed_files(root, previous, "HEAD"))
        needed, reasons = needed_level(m, previous, found)
        step = _step(old, version)
        if step is None:
            problems.append(f"{version} is not one step up from {old}")
        elif LEVELS.index(step) < LEVELS.index(needed):
            problems.append(f"{old} -> {version} is a {step} step, but: "
                            + "; ".join(r for r in reasons if needed in r))
        text = entry.text if entry else ""
        for kind, ids in (("lesson", found.lessons), ("assignment", found.assignments)):
            for changed in sorted(ids):
                if kind == "assignment" and not any(changes.students_see(f)
                                                    for f in ids[changed]):
                    continue  # no student sees it
                if not re.search(rf"(?<![\w]){re.escape(changed)}(?![\w])", text):
                    problems.append(f"{kind} {changed} changed since {previous} but the "
                                    f"[{version}] entry does not name it")
    if problems:
        raise ReleaseError("cannot cut " + tag + ":\n" + "\n".join(f"  - {p}" for p in problems))
    return Plan(version, previous, entry, needed, reasons)


def cut(m: Manifest) -> Plan:
    """Check, then make the annotated tag whose message is the changelog entry."""
    ready = plan(m)
    tag = TAG_PREFIX + ready.version
    done = _git(m.root, "tag", "--annotate", "--cleanup=verbatim", tag, "--message",
                f"medai-course {ready.version}\n\n{ready.entry.text}")
    if done.returncode:
        raise ReleaseError(f"git could not make the tag {tag}: {done.stderr.strip()}")
    return ready
