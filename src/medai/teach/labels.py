"""Texts a lesson shows that live in its data: legend entries, table rows, panel titles.

``shown("watch all")`` is the text itself, unchanged. It marks a string the reader sees
but that the code also uses as a value (a dict key, a list of titles): the translation
tools offer it for translation like a print() or a plot label, and the translated
notebook carries the Korean in the same place. Every use of such a text must go
through one ``shown(...)`` or a variable holding it, so both languages run the same
code (the Korean lessons are executed by the tests: a missed use fails there).
"""

from __future__ import annotations


def shown(text: str) -> str:
    """``text`` unchanged: the mark that a reader sees it."""
    return text
