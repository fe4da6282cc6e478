"""Pages a student or TA opens work with no network: no script or stylesheet from a CDN.

Feedback pages carry their formulas as MathML (medai.grading.offline_math); the
Formgrader's submission page loads MathJax from the Jupyter server itself.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nbformat
import pytest
from helpers import REPO
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from medai.course import manifest
from medai.grading import settings
from medai.grading.offline_math import MathToMathML, markdown_math_to_mathml, tex_to_html

A1 = "a1_diagnostic_metrics"


class _Assets(HTMLParser):
    """Every src/href of <script> and <link> tags, and the MathJax-looking ones."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link"):
            self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def asset_urls(page: str) -> list[str]:
    parser = _Assets()
    parser.feed(page)
    return parser.urls


def html_of(markdown: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(markdown_math_to_mathml(markdown))


# --- the TeX -> MathML rewrite of markdown cells ---------------------------------------

def test_inline_math_becomes_mathml():
    out = markdown_math_to_mathml("The threshold $t_p = 6$ is fixed.")
    assert out.startswith("The threshold <math display=\"inline\">")
    assert out.endswith("</math> is fixed.")
    assert "$" not in out and "<msub><mi>t</mi><mi>p</mi></msub>" in out


@pytest.mark.parametrize("source", [
    "$$y_i = [\\,t_p < o_i \\le t_p + h\\,]$$",
    "\\[y_i = [\\,t_p < o_i \\le t_p + h\\,]\\]",
    "$$\ny_i = [\\,t_p < o_i \\le t_p + h\\,]\n$$",
])
def test_display_math_becomes_block_mathml(source):
    page = html_of(source)
    assert '<math display="block">' in page
    # '<' of the TeX is an operator in the MathML, never a tag markdown or a browser sees
    assert "<mo>&lt;</mo>" in page and "<mo>≤</mo>" in page
    assert "[" in page and "\\" not in page and "$" not in page


def test_rendered_markdown_keeps_mathml_intact():
    page = html_of("# Rates $a*b_c$\n\n| x | y |\n|---|---|\n| $a|b$ | 2 |\n\n- item $k$")
    assert page.count("<math ") == 3
    assert "<mo>*</mo>" in page and "<em>" not in page, "markdown emphasis inside MathML"
    assert '<mo stretchy="false">|</mo><mi>b</mi></mrow></math></td>' in page, "table split it"


def test_code_spans_and_code_blocks_are_untouched():
    source = ("Type `$x$` or ``a ` $y$`` here.\n\n```python\nprice = '$z$'\n```\n\n"
              "~~~\n$$w$$\n~~~\n\npara\n\n    indented $v$\n")
    assert markdown_math_to_mathml(source) == source


def test_currency_and_escaped_dollars_are_untouched():
    for text in ("It costs $5 and $10 today.", "between $ 3 and 4 $ dollars",
                 "Escaped \\$x\\$ stays", "price: $5,$6"):
        assert markdown_math_to_mathml(text) == text


def test_math_next_to_currency():
    out = markdown_math_to_mathml("Each $x$ costs $5.")
    assert out.startswith("Each <math") and out.endswith("</math> costs $5.")


@pytest.mark.parametrize("tex", ["x^", "{", "\\frac{a}{b} + \\nosuchcommand{x}"])
def test_tex_latex2mathml_cannot_parse_stays_as_text(tex):
    page = html_of(f"See ${tex}$ here.")
    assert "<math" not in page
    shown = re.search(r'<code class="tex-unrendered">(.*?)</code>', page).group(1)
    assert shown.replace("&lt;", "<") == f"${tex}$"


def test_fallback_escapes_html():
    assert "<code" in tex_to_html("a < b^", display=False)
    assert "&lt;" in tex_to_html("a < b^", display=False)


def test_preprocessor_rewrites_markdown_cells_only():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("$\\frac{a}{b}$"),
        nbformat.v4.new_code_cell("print('$x$')"),
    ])
    nb, _ = MathToMathML().preprocess(nb, {})
    assert nb.cells[0].source.startswith("<math") and "<mfrac>" in nb.cells[0].source
    assert nb.cells[1].source == "print('$x$')"
    # idempotent: a second pass finds no TeX left to convert
    again, _ = MathToMathML().preprocess(nbformat.from_dict(nb), {})
    assert again.cells[0].source == nb.cells[0].source


# --- a real nbgrader feedback run ------------------------------------------------------

@pytest.mark.slow
def test_feedback_page_needs_no_network(course_copy):
    from medai.grading import pipeline
    from medai.grading.qa import reference_answers, submit

    m = manifest.load(course_copy)
    pipeline.release(m, "a1")
    released = m.course_directory / "release" / "a1" / f"{A1}.ipynb"
    answers = reference_answers(m.course_directory / "source" / "a1" / f"{A1}.py")
    path = submit(released, m.course_directory / "submitted", "mathfan", answers)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell(
        "My note: $\\frac{a}{b}$ and $$y_i = [\\,t_p < o_i \\le t_p + h\\,]$$ cost $5 and $10."
    ))
    nbformat.write(notebook, path)

    results = pipeline.grade(m, "a1", students=["mathfan"])
    assert [r.student for r in results] == ["mathfan"]
    pages = pipeline.feedback(m, "a1")
    assert [p.parent.parent.name for p in pages] == ["mathfan"]
    page = pages[0].read_text(encoding="utf-8")

    assert "<math" in page and "<mfrac>" in page and '<math display="block">' in page
    assert "cost $5 and $10." in page
    urls = asset_urls(page)
    assert not [u for u in urls if "mathjax" in u.lower()]
    assert not [u for u in urls if u.startswith(("http://", "https://", "//"))], urls
    assert "cdnjs" not in page and "MathJax.Hub" not in page


# --- the Formgrader ---------------------------------------------------------------------

def course_config() -> Config:
    """The config nbgrader_config.py gives nbgrader and the Formgrader."""
    return settings.config_for(manifest.load(REPO / "course" / "course.yml"))


def test_formgrader_does_not_print_its_config():
    assert course_config().FormgradeExtension.debug is False


def test_server_config_enables_local_mathjax():
    config = PyFileConfigLoader("jupyter_server_config.py", path=str(REPO / "course")).load_config()
    enabled = config.ServerApp.jpserver_extensions.get_value({"nbgrader": True})
    assert enabled == {"nbgrader": True, "jupyter_server_mathjax": True}, "others are kept"


def formgrade_page(tmp_path: Path) -> str:
    """The Formgrader's submission page as its exporter renders it (config as in the server)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers

    config = Config()
    # what FormgradeExtension.build_extra_config sets; the config files load after it
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    config.merge(course_config())
    notebook = tmp_path / "sub.ipynb"
    nbformat.write(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("$\\frac{a}{b}$")]), notebook)
    resources = {"assignment_id": "a1", "notebook_id": "sub", "submission_id": "abc",
                 "index": 0, "total": 1, "base_url": "/base", "student": "s",
                 "last_name": "L", "first_name": "F", "notebook_path": "x/sub.ipynb"}
    html, _ = HTMLExporter(config=config).from_filename(str(notebook), resources=resources)
    return html


def test_formgrader_loads_mathjax_from_the_server(tmp_path):
    import jupyter_server_mathjax

    urls = asset_urls(formgrade_page(tmp_path))
    assert not [u for u in urls if u.startswith(("http://", "https://", "//"))], urls
    mathjax = [u for u in urls if "MathJax.js" in u]
    assert len(mathjax) == 1
    # the page lives at <base_url>formgrader/submissions/<id>/
    resolved = urlsplit(urljoin("http://host/base/formgrader/submissions/abc/", mathjax[0]))
    assert resolved.path == "/base/static/jupyter_server_mathjax/MathJax.js"
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    config_file = re.search(r"config=([^,&]+)", resolved.query).group(1)
    assert (static / "MathJax.js").is_file() and (static / "config" / f"{config_file}.js").is_file()
