"""MathToMathML, the feedback preprocessor that writes formulas as MathML, on notebooks built
in memory (the converter's finer cases are in test_offline_pages.py)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from medai.grading.offline_math import (
    TEMPLATES,
    MathToMathML,
    markdown_math_to_mathml,
    template_basedirs,
)


@pytest.mark.parametrize(("source", "display"), [
    ("Rate \\(a+b\\) here", "inline"),
    ("\\begin{align}a &= b \\\\ c &= d\\end{align}", "block"),
    ("$$\\frac{tp}{tp + fp}$$", "block"),
])
def test_every_delimiter_jupyter_knows_becomes_mathml(source, display):
    out = markdown_math_to_mathml(source)
    assert f'<math display="{display}">' in out
    assert "\\(" not in out and "\\begin" not in out and "$$" not in out


def test_inline_math_inside_a_list_item_is_converted_but_an_indented_code_block_is_not():
    in_list = markdown_math_to_mathml("- item\n\n    $x$ continues the item")
    assert "<math" in in_list and "$x$" not in in_list
    code = "A paragraph.\n\n    price = '$x$'"
    assert markdown_math_to_mathml(code) == code


@pytest.mark.parametrize("source", ["$a\n\nb$", "$ x$", "$$\n$$", "half $open"])
def test_what_is_not_math_stays_as_written(source):
    assert markdown_math_to_mathml(source) == source


def test_the_preprocessor_rewrites_markdown_and_leaves_code_raw_and_outputs_alone():
    latex = new_output("display_data", data={"text/latex": "$x^2$", "text/plain": "x^2"})
    code = new_code_cell("y = '$x$'", outputs=[latex])
    raw = new_raw_cell("$x$ in a raw cell")
    empty = new_markdown_cell("")
    nb = new_notebook(cells=[new_markdown_cell("The PPV is $\\frac{tp}{tp+fp}$."), code, raw,
                             empty])
    before = nbformat.from_dict(nb)
    out, _ = MathToMathML().preprocess(nb, {})
    assert "<mfrac>" in out.cells[0].source and "$" not in out.cells[0].source
    assert out.cells[1:] == before.cells[1:]


def test_a_disabled_preprocessor_changes_nothing():
    nb = new_notebook(cells=[new_markdown_cell("$x$")])
    out, _ = MathToMathML(enabled=False)(nbformat.from_dict(nb), {})
    assert out == nb
    out, _ = MathToMathML()(nbformat.from_dict(nb), {})
    assert out.cells[0].source.startswith("<math")


def test_templates_shadow_the_cdn_macro_before_nbgraders_own():
    first, second = template_basedirs()
    assert first == str(TEMPLATES)
    for template in ("feedback", "formgrade"):  # the same names, so medai's macro shadows
        assert Path(second, template, "index.html.j2").is_file()
        assert (TEMPLATES / template / "mathjax.html.j2").is_file()
    feedback = (TEMPLATES / "feedback" / "mathjax.html.j2").read_text()
    assert "macro mathjax" in feedback and "<script" not in feedback
    formgrade = (TEMPLATES / "formgrade" / "mathjax.html.j2").read_text()
    assert "static/jupyter_server_mathjax/MathJax.js" in formgrade and "https:" not in formgrade
