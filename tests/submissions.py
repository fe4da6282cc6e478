"""Student submissions for the tests: the same helpers `medai check` uses."""

from medai.grading.qa import reference_answers, submit

__all__ = ["reference_answers", "submit"]
