"""CHANGELOG.md (Keep a Changelog) as the course reads it.

The changelog is the instructor's record of what each version changed; medai
checks it against the package version, gates a release on it and shows its
newest entry to students as the "what's new" of an update.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

UNRELEASED = "Unreleased"
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$",
                      flags=re.MULTILINE)
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


@dataclass(frozen=True)
class Entry:
    version: str  # "Unreleased" or X.Y.Z
    date: str | None
    text: str  # the body under the heading, without it

    @property
    def empty(self) -> bool:
        """No bullet under any subsection: nothing recorded."""
        return not any(line.lstrip().startswith(("-", "*")) for line in self.text.splitlines())


def entries(text: str) -> list[Entry]:
    """Every '## [version] - date' section, newest first, as written."""
    headings = list(_HEADING.finditer(text))
    found = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following else len(text)
        found.append(Entry(heading["version"], heading["date"],
                           text[heading.end():end].strip("\n")))
    return found


def read(path: Path) -> list[Entry]:
    return entries(path.read_text("utf-8")) if path.is_file() else []


def released(found: list[Entry]) -> list[Entry]:
    return [e for e in found if e.version != UNRELEASED]


def entry_for(found: list[Entry], version: str) -> Entry | None:
    return next((e for e in found if e.version == version), None)


def version_problem(found: list[Entry], package_version: str) -> str | None:
    """Why the changelog and the package disagree on the version, or None."""
    versions = released(found)
    if not versions:
        return "no released version: add a section '## [X.Y.Z] - YYYY-MM-DD'"
    bad = [e.version for e in versions if not _VERSION.match(e.version) or not e.date]
    if bad:
        return f"'## [{bad[0]}]' is not '## [X.Y.Z] - YYYY-MM-DD'"
    if versions[0].version != package_version and "+" not in package_version:
        return (f"the newest entry is {versions[0].version} but the package is "
                f"{package_version} (pyproject.toml); make them one version")
    return None


def parse_version(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(x) for x in version.split("+")[0].split(".")[:3])
    return major, minor, patch
