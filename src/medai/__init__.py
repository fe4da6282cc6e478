"""medai: teaching materials for medical AI, with nbgrader grading on top."""

from importlib import metadata

try:  # one version, pyproject.toml's, read from the installed package's metadata
    __version__ = metadata.version("medai-course")
except metadata.PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"
