"""medai: teaching materials for medical AI, with nbgrader grading on top."""

__version__ = "0.1.0"
