"""The leak check finds answers however they are encoded, and not inside longer names."""

from __future__ import annotations

import json

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from medai.grading import leaks

SECRET = 'return {"ppv": tp / (tp + fp)}'


def _released(source: str) -> str:
    return nbformat.writes(new_notebook(cells=[new_code_cell(source)]))


def test_a_line_with_quotes_is_found_in_the_notebook_json():
    text = _released(f"def f(tp, fp):\n    {SECRET}\n")
    assert '\\"ppv\\"' in text, "nbformat escapes the quotes in its JSON"
    assert leaks.find_leaks(text, {SECRET}) == [SECRET]


def test_a_line_is_found_in_html_feedback():
    page = "<pre>" + SECRET.replace('"', "&quot;") + "</pre>"
    assert leaks.find_leaks(page, {SECRET}) == [SECRET]


def test_a_secret_inside_a_longer_public_name_is_not_a_leak():
    secret = "_loss = criterion(out, y)"
    assert leaks.find_leaks(_released("toy_loss = criterion(out, y)\n"), {secret}) == []
    assert leaks.find_leaks(_released("_loss = criterion(out, y)\n"), {secret}) == [secret]


def test_markers_are_leaks_and_clean_text_is_not():
    marker = leaks.SOLUTION_BEGIN
    assert leaks.find_leaks(_released(f"### {marker}\nx = 1\n"), set()) == [marker]
    clean = nbformat.writes(new_notebook(cells=[new_markdown_cell("Compute the PPV.")]))
    assert leaks.find_leaks(clean, {SECRET}) == []
    assert leaks.find_leaks(json.dumps({"not": "a notebook"}), {SECRET}) == []
