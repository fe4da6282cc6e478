"""Formulas in feedback pages rendered at generation time, as MathML: no script, no network.

nbgrader's feedback HTML loads MathJax from a CDN, so offline a student sees
``$t_p = 6$`` as raw TeX. :class:`MathToMathML` turns the TeX of markdown cells
into MathML (via latex2mathml) before nbconvert renders the markdown; Chromium
and Firefox draw MathML natively. :data:`TEMPLATES` holds the template files
that replace the macro writing the MathJax ``<script>`` tags: empty for feedback,
the server's own MathJax copy for the Formgrader (see
:func:`medai.grading.settings.apply` and :func:`template_basedirs`).

Recognised, as in Jupyter: ``$...$`` and ``\\(...\\)`` inline; ``$$...$$``,
``\\[...\\]`` and ``\\begin{env}...\\end{env}`` displayed. Left alone: code spans,
fenced and indented code blocks, escaped ``\\$``, and currency ("$5 and $10"):
as in pandoc, an opening ``$`` must be followed by a non-space, a closing one
preceded by a non-space and not followed by a digit.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.notebooknode import NotebookNode
from traitlets import Bool

# nbconvert template folders named after nbgrader's templates (feedback, formgrade),
# each holding only a mathjax.html.j2 that shadows nbconvert's base one.
TEMPLATES = Path(__file__).with_name("nbconvert_templates")

# Characters markdown would act on inside the inserted HTML's text: written as
# numeric references, which mistune decodes and writes back HTML-escaped.
_MARKDOWN_ACTIVE = re.compile(r"&#?\w+;|[\\`*_\[\]$~|!#{}<>]")
_TEXT_NODE = re.compile(r"(?<=>)[^<]+")
# A control sequence latex2mathml does not know comes back as text, e.g. <mi>\foo</mi>.
_UNKNOWN_COMMAND = re.compile(r">\\[A-Za-z]+<")
_XMLNS = re.compile(r'\s+xmlns="[^"]*"')
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_BEGIN = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def template_basedirs() -> list[str]:
    """``HTMLExporter.extra_template_basedirs`` for feedback and the Formgrader: medai's first.

    Setting it replaces nbgrader's own value, so nbgrader's folder is listed too.
    """
    import nbgrader

    nbgrader_templates = (
        Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
    )
    return [str(TEMPLATES), str(nbgrader_templates)]


def _entity(match: re.Match[str]) -> str:
    char = match.group(0)
    return char if len(char) > 1 else f"&#{ord(char)};"  # an entity already


def _markdown_safe(fragment: str) -> str:
    """HTML whose text markdown leaves alone (entities already in it are kept)."""
    return _TEXT_NODE.sub(lambda m: _MARKDOWN_ACTIVE.sub(_entity, m.group(0)), fragment)


def tex_to_html(tex: str, display: bool, written: str | None = None) -> str:
    """One formula as MathML; TeX that latex2mathml cannot handle stays as text in <code>.

    ``written`` is the formula as it appeared, delimiters included, shown in the fallback.
    """
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds; none may stop feedback
        mathml = None
    if mathml is None or _UNKNOWN_COMMAND.search(mathml):
        shown = html.escape(tex if written is None else written, quote=False)
        code = f'<code class="tex-unrendered">{shown}</code>'
        return _markdown_safe(code)
    # One line: a line break inside could start a markdown block (list, heading).
    mathml = _XMLNS.sub("", mathml, count=1).replace("\n", " ")
    return _markdown_safe(mathml)


def _code_span_end(text: str, start: int) -> int | None:
    """End of the code span opened by the backtick run at ``start``, or None if unclosed."""
    run = len(text) - len(text[start:].lstrip("`"))
    opener = text[start:start + run]
    i = start + run
    while True:
        j = text.find(opener, i)
        if j < 0:
            return None
        k = j + run
        if (j == 0 or text[j - 1] != "`") and (k >= len(text) or text[k] != "`"):
            return k
        i = j + 1
        while i < len(text) and text[i] == "`":
            i += 1


def _closing_dollar(text: str, start: int) -> int | None:
    """Index of the ``$`` closing inline math whose body starts at ``start`` (pandoc's rule)."""
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n" and _BLANK_LINE.match(text, i):
            return None
        if (c == "$" and i > start and not text[i - 1].isspace()
                and not (i + 1 < len(text) and text[i + 1].isdigit())):
            return i
        i += 1
    return None


def _closing(text: str, start: int, closer: str) -> int | None:
    """Index of the unescaped ``closer`` after ``start`` within the same paragraph."""
    i = start
    while i < len(text):
        if text.startswith(closer, i) and i > start:
            return i
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "\n" and _BLANK_LINE.match(text, i):
            return None
        i += 1
    return None


def _convert_prose(text: str) -> str:
    """Math in markdown text that holds no code blocks (code spans are skipped here)."""
    out: list[str] = []
    i, plain = 0, 0
    while i < len(text):
        c = text[i]
        found: tuple[int, str, bool] | None = None  # (end, tex, display)
        if c == "`":
            end = _code_span_end(text, i)
            if end is None:
                i += len(text) - len(text[i:].lstrip("`"))
            else:
                i = end
            continue
        if c == "\\":
            nxt = text[i + 1:i + 2]
            if nxt in ("[", "("):
                closer = "\\]" if nxt == "[" else "\\)"
                j = _closing(text, i + 2, closer)
                if j is not None:
                    found = (j + 2, text[i + 2:j], nxt == "[")
            elif text.startswith("\\begin{", i):
                m = _BEGIN.match(text, i)
                if m:
                    end_tag = f"\\end{{{m.group(1)}}}"
                    j = text.find(end_tag, m.end())
                    if j >= 0:
                        found = (j + len(end_tag), text[i:j + len(end_tag)], True)
            if found is None:
                i += 2 if nxt in _ESCAPABLE else 1
                continue
        elif c == "$":
            if text.startswith("$$", i):
                j = _closing(text, i + 2, "$$")
                if j is not None and text[i + 2:j].strip():
                    found = (j + 2, text[i + 2:j], True)
                else:
                    i += 2
                    continue
            elif i + 1 < len(text) and not text[i + 1].isspace():
                j = _closing_dollar(text, i + 1)
                if j is not None:
                    found = (j + 1, text[i + 1:j], False)
        if found is None:
            i += 1
            continue
        end, tex, display = found
        out.append(text[plain:i])
        out.append(tex_to_html(tex, display, written=text[i:end]))
        i = plain = end
    out.append(text[plain:])
    return "".join(out)


def markdown_math_to_mathml(source: str) -> str:
    """A markdown cell's source with every formula replaced by MathML."""
    lines = source.split("\n")
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            out.append(_convert_prose("\n".join(prose)))
            prose.clear()

    i = 0
    previous_blank = True
    in_list = False
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        indented = line.startswith(("    ", "\t")) and line.strip()
        if fence:
            # A fenced block runs to a fence of the same character, at least as long.
            mark = fence.group(1)
            closing = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
            j = i + 1
            while j < len(lines) and not closing.match(lines[j]):
                j += 1
            flush()
            out.append("\n".join(lines[i:j + 1]))
            i = j + 1
            previous_blank = False
            continue
        if indented and previous_blank and not in_list:
            # An indented code block (inside a list, indentation continues the item).
            j = i
            while j < len(lines) and (lines[j].startswith(("    ", "\t")) or not lines[j].strip()):
                j += 1
            flush()
            out.append("\n".join(lines[i:j]))
            i = j
            previous_blank = not lines[j - 1].strip()
            continue
        if line.strip() and not line.startswith(("    ", "\t")):
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and not previous_blank)
        previous_blank = not line.strip()
        prose.append(line)
        i += 1
    flush()
    return "\n".join(out)


class MathToMathML(Preprocessor):
    """Replace the TeX in markdown cells by MathML, so pages need no MathJax.

    Only markdown cell sources are rewritten. Outputs (``text/latex`` or
    ``text/markdown`` from code cells) are left as they are: nbconvert shows the
    HTML or plain-text form of an output where one exists, and course notebooks
    do not print formulas.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, index: int
    ) -> tuple[NotebookNode, dict]:
        if cell.cell_type == "markdown" and cell.source:
            cell.source = markdown_math_to_mathml(cell.source)
        return cell, resources
