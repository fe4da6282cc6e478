"""Translations of lessons and assignments: the reader's text per language, the code once.

A translation lives beside its English text source as ``<stem>.<lang>.yml``:

- ``cells``: each markdown cell translated whole, keyed by a hash of the English cell,
  so an English edit leaves its translation unmatched and the build reports it stale;
- ``strings``: each string literal a reader sees (what ``print`` shows, a plot's title
  and labels, a caption, an assertion's hint) keyed by the English literal as written.

A translated notebook is the English notebook with those texts swapped and nothing
else, so it runs the English code: :func:`same_code` proves it cell by cell.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from medai.errors import MedaiError

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "ko")
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}

# Calls whose literal arguments a reader sees, and keyword arguments that label a figure
# or table wherever they appear.
DISPLAY_CALLS = frozenset({
    "print", "display", "Markdown", "HTML", "show", "set_title", "set_xlabel",
    "set_ylabel", "set_zlabel", "suptitle", "title", "xlabel", "ylabel", "text", "annotate",
    "legend", "set_label", "set_xticklabels", "set_yticklabels", "warn", "fail",
    "shown",  # medai.teach.labels.shown: a shown text that is also a value (a dict key)
})
DISPLAY_KEYWORDS = frozenset({"title", "label", "xlabel", "ylabel", "caption", "msg"})
# placeholders a translated literal must keep, in order: %-formats and str.format fields
# (no space flag: "95% confidence" is prose, not "% c")
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"
                          r"|\{[^{}]*\}")


class TranslationError(MedaiError, ValueError):
    """A translation file that cannot be read or does not fit its English source."""


def language_of(code: str | None) -> str:
    """Check a language code the user typed."""
    if code is None:
        return SOURCE_LANGUAGE
    if code not in LANGUAGES:
        raise TranslationError(f"unknown language {code!r}: choose one of "
                               f"{', '.join(LANGUAGES)}")
    return code


def translation_path(source: Path, language: str) -> Path:
    return Path(source).with_name(f"{Path(source).stem}.{language}.yml")


def cell_key(text: str) -> str:
    """The key of an English markdown cell: its text's hash (trailing blanks ignored)."""
    return hashlib.sha256(text.rstrip().encode("utf-8")).hexdigest()[:12]


@dataclass
class Translation:
    """One source's translation into one language, as read from its file."""

    language: str
    path: Path
    cells: dict[str, str] = field(default_factory=dict)  # English cell key -> text
    strings: dict[str, str] = field(default_factory=dict)  # English literal -> literal
    todo: list[str] = field(default_factory=list)  # keys or literals marked unfinished


def load(source: Path, language: str) -> Translation:
    """Read ``source``'s translation; an empty one when the file does not exist yet."""
    import yaml

    path = translation_path(source, language)
    found = Translation(language, path)
    if not path.is_file():
        return found
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise TranslationError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise TranslationError(f"{path}: expected a mapping with 'cells' and 'strings'")
    for where, entries in (("cells", data.get("cells") or []),
                           ("strings", data.get("strings") or [])):
        if not isinstance(entries, list):
            raise TranslationError(f"{path}: '{where}' must be a list of entries")
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or not isinstance(entry.get("en"), str):
                raise TranslationError(f"{path}: {where} entry {number} needs an 'en' text")
            text = entry.get(language)
            if entry.get("todo") is not None or not isinstance(text, str) or not text.strip():
                found.todo.append(entry["en"])
                continue
            (found.cells if where == "cells" else found.strings)[entry["en"]] = text
    return found


# ---------------------------------------------------------------------------- code


def _is_text(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) \
        or isinstance(node, ast.JoinedStr)


def _texts_within(node: ast.AST) -> list[ast.AST]:
    """Literals that are the value shown, not keys or names used to compute it: the node
    itself, and literals in lists, tuples, dict values, concatenations and conditionals."""
    if _is_text(node):
        return [node]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [t for item in node.elts for t in _texts_within(item)]
    if isinstance(node, ast.Dict):
        return [t for value in node.values for t in _texts_within(value)]
    if isinstance(node, ast.BinOp):
        return _texts_within(node.left) + _texts_within(node.right)
    if isinstance(node, ast.IfExp):
        return _texts_within(node.body) + _texts_within(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format" and _is_text(node.func.value):
        return [node.func.value]
    return []


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def displayed_literals(tree: ast.AST) -> list[ast.AST]:
    """The string literals of a parsed cell that a reader sees, in source order."""
    found: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        candidates: list[ast.AST] = []
        if isinstance(node, ast.Call):
            if _call_name(node) in DISPLAY_CALLS:
                for arg in node.args:
                    candidates += _texts_within(arg)
            for keyword in node.keywords:  # not loc=, ha=, textcoords=: they are code
                if keyword.arg in DISPLAY_KEYWORDS:
                    candidates += _texts_within(keyword.value)
        elif isinstance(node, ast.Assert) and node.msg is not None:
            candidates += _texts_within(node.msg)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                candidates += _texts_within(arg)
        for literal in candidates:
            found[id(literal)] = literal
    return sorted(found.values(), key=lambda n: (n.lineno, n.col_offset))


def _offsets(code: str) -> list[int]:
    """Character offset of each line's start (ast positions are per line, in UTF-8
    bytes)."""
    starts, total = [0], 0
    for line in code.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _span(code: str, lines: list[str], starts: list[int], node: ast.AST) -> tuple[int, int]:
    def at(lineno: int, byte_col: int) -> int:
        line = lines[lineno - 1].encode("utf-8")
        return starts[lineno - 1] + len(line[:byte_col].decode("utf-8"))

    return at(node.lineno, node.col_offset), at(node.end_lineno, node.end_col_offset)


def literal_texts(code: str) -> list[str]:
    """Each displayed literal of a code cell as written in the source (quotes, f prefix)."""
    tree = _parse(code)
    if tree is None:
        return []
    lines, starts = code.splitlines(keepends=True), _offsets(code)
    texts = []
    for node in displayed_literals(tree):
        begin, end = _span(code, lines, starts, node)
        texts.append(code[begin:end])
    return texts


def _parse(code: str) -> ast.AST | None:
    """A cell parsed as Python, or None (IPython magics, or not Python at all)."""
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def translate_code(code: str, strings: dict[str, str]) -> tuple[str, list[str]]:
    """The cell with each displayed literal swapped for its translation; also the
    literals that have none."""
    tree = _parse(code)
    if tree is None:
        return code, []
    lines, starts = code.splitlines(keepends=True), _offsets(code)
    pieces, missing, cursor = [], [], 0
    for node in displayed_literals(tree):
        begin, end = _span(code, lines, starts, node)
        if begin < cursor:  # nested in a literal already swapped (a format spec)
            continue
        english = code[begin:end]
        if _needs_translation(english):
            if english in strings:
                pieces += [code[cursor:begin], strings[english]]
                cursor = end
            else:
                missing.append(english)
    pieces.append(code[cursor:])
    return "".join(pieces), missing


def _needs_translation(literal: str) -> bool:
    """Whether a literal holds words (not just numbers, symbols or a format field)."""
    text = _PLACEHOLDER.sub("", literal)
    text = re.sub(r"^[rbuRBUfF]*('''|\"\"\"|'|\")|('''|\"\"\"|'|\")$", "", text)
    text = re.sub(r"\\[ntr]", " ", text)
    return bool(re.search(r"[A-Za-z]{2,}", text))


class _MaskDisplayed(ast.NodeTransformer):
    """Replace each displayed literal by what a translation must keep of it: the
    placeholders of a plain string, the formatted expressions of an f-string."""

    def __init__(self, displayed: list[ast.AST]):
        self.displayed = {id(n) for n in displayed}

    def visit_Constant(self, node):
        if id(node) in self.displayed:
            return ast.Constant(" ".join(_PLACEHOLDER.findall(node.value)))
        return node

    def visit_JoinedStr(self, node):
        if id(node) in self.displayed:
            kept = [self.visit(v) for v in node.values if isinstance(v, ast.FormattedValue)]
            return ast.JoinedStr(values=kept)
        return self.generic_visit(node)


def code_shape(code: str) -> str:
    """A cell's code with the displayed literals masked: equal shapes run the same."""
    tree = _parse(code)
    if tree is None:
        return code
    tree = _MaskDisplayed(displayed_literals(tree)).visit(tree)
    return ast.dump(tree, include_attributes=False)


def same_code(english: str, translated: str) -> bool:
    return code_shape(english) == code_shape(translated)


# ------------------------------------------------------------------------ notebooks


@dataclass(frozen=True)
class Gap:
    """A text the translation lacks: a markdown cell (by index) or a literal."""

    cell: int
    kind: str  # "markdown" or "string"
    english: str


def translate_notebook(notebook, translation: Translation):
    """A copy of ``notebook`` in the translation's language, and the texts it lacks (left
    in English). Code keeps its shape; cell ids and metadata are unchanged."""
    import copy

    translated = copy.deepcopy(notebook)
    gaps = []
    for index, cell in enumerate(translated.cells):
        if cell.cell_type == "markdown":
            text = translation.cells.get(cell_key(cell.source))
            if text is None:
                if _has_words(cell.source):
                    gaps.append(Gap(index, "markdown", cell.source))
            else:
                cell.source = text.rstrip("\n")
        elif cell.cell_type == "code":
            cell.source, missing = translate_code(cell.source, translation.strings)
            gaps += [Gap(index, "string", m) for m in missing]
    translated.metadata.setdefault("medai", {})["language"] = translation.language
    return translated, gaps


def _has_words(markdown: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", markdown))


def unused(notebook, translation: Translation) -> list[str]:
    """Entries of the translation that no longer match any English text: the English
    changed (the cell is stale) or the text was removed."""
    keys = {cell_key(c.source) for c in notebook.cells if c.cell_type == "markdown"}
    literals = {t for c in notebook.cells if c.cell_type == "code"
                for t in literal_texts(c.source)}
    return [k for k in translation.cells if k not in keys] + \
        [s for s in translation.strings if s not in literals]


def language_of_notebook(notebook) -> str:
    medai = notebook.get("metadata", {}).get("medai", {})
    return medai.get("language", SOURCE_LANGUAGE) if isinstance(medai, dict) \
        else SOURCE_LANGUAGE


# ---------------------------------------------------------------- the translator's file


@dataclass(frozen=True)
class Synced:
    path: Path
    todo: int  # entries left for the translator
    dropped: list[str]  # strings whose English literal is gone


def sync(source: Path, language: str) -> Synced:
    """Rewrite the translation file in the English source's order: keep each translation
    whose English is unchanged, add an entry marked ``todo`` (with the English to
    translate, and the old translation when the cell was edited) for each new or changed
    text. A person's translations are never dropped, except of literals gone from the
    code (listed)."""
    import yaml

    from medai.course.sources import read_source

    notebook = read_source(source)
    path = translation_path(source, language)
    old = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    old = old if isinstance(old, dict) else {}
    old_cells = [e for e in old.get("cells") or [] if isinstance(e, dict) and "en" in e]
    old_strings = {e["en"]: e for e in old.get("strings") or []
                   if isinstance(e, dict) and "en" in e}
    position = {e["en"]: i for i, e in enumerate(old_cells)}

    cells, used, previous = [], set(), -1
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or not _has_words(cell.source):
            continue
        key = cell_key(cell.source)
        if key in position:
            cells.append(old_cells[position[key]])
            used.add(position[key])
            previous = position[key]
            continue
        entry = {"en": key, "todo": cell.source.rstrip(), language: ""}
        after = previous + 1  # the old entry in this place: this cell before its edit
        if after < len(old_cells) and old_cells[after]["en"] not in _keys(notebook) \
                and after not in used:
            entry[language] = old_cells[after].get(language) or ""
            used.add(after)
            previous = after
        cells.append(entry)

    strings, seen = [], set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for literal in literal_texts(cell.source):
            if literal in seen or not _needs_translation(literal):
                continue
            seen.add(literal)
            strings.append(old_strings.get(literal) or
                           {"en": literal, language: "", "todo": "translate"})
    dropped = [s for s in old_strings if s not in seen]
    lost = [e for i, e in enumerate(old_cells) if i not in used and e.get(language)]
    header = (f"# {LANGUAGE_NAMES[language]} translation of {Path(source).name}. "
              f"Code is shared with the English source.\n"
              "# cells: markdown cells, keyed by a hash of the English cell.\n"
              "# strings: texts the code shows (print, plot labels, captions, hints), "
              "keyed by the English literal.\n"
              "# After an English change, `medai translate sync` marks what to redo "
              "with `todo`; translate, then delete the todo line.\n")
    data = {"language": language, "cells": cells, "strings": strings}
    if lost:  # translations of cells gone from the English: kept for the translator
        data["removed"] = lost
    from medai import files

    files.write_text(path, header + _dump(data))
    todo = sum(1 for e in cells + strings if e.get("todo") is not None)
    return Synced(path, todo, dropped)


def _keys(notebook) -> set[str]:
    return {cell_key(c.source) for c in notebook.cells if c.cell_type == "markdown"}


def _dump(data: dict) -> str:
    """YAML a translator can read: multi-line texts as literal blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):
        block = "\n" in value and not re.search(r"[ \t]\n|[ \t]$|^\s", value) \
            and "\t" not in value
        return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                       style="|" if block else None)

    Dumper.add_representer(str, text)
    out = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
    if yaml.safe_load(out) != data:  # a text the block style would change
        out = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return out


# ------------------------------------------------------------------------- checking


def problems(source: Path, language: str) -> list[str]:
    """Everything that keeps ``source``'s translation from being complete and faithful:
    untranslated or stale texts, leftovers, code that would differ from the English, and
    figures, links or glossary terms the translation lost. Empty: ready to build."""
    from medai.course import glossary
    from medai.course.sources import read_source

    notebook = read_source(source)
    translation = load(source, language)
    name = translation.path.name
    if not translation.path.is_file():
        return [f"{name}: no translation yet; run `medai translate sync {source}`"]
    translated, gaps = translate_notebook(notebook, translation)
    found = [f"{name}: cell {g.cell + 1}: {g.kind} not translated or stale: "
             f"{_short(g.english)}" for g in gaps]
    found += [f"{name}: marked todo: {_short(t)}" for t in translation.todo]
    found += [f"{name}: matches no English text (stale): {_short(u)}"
              for u in unused(notebook, translation)]
    found += [f"{name}: {_short(k)}: matplotlib draws a label with $...$ in its math font, "
              "which has no Hangul; write the math without $ (pₜ, x², σ)"
              for k, v in translation.strings.items() if _hangul_beside_math(v)]
    terms = glossary.load()
    for index, (english, mine) in enumerate(zip(notebook.cells, translated.cells, strict=True), 1):
        if english.cell_type == "code" and not same_code(english.source, mine.source):
            found.append(f"{name}: cell {index}: the translated code would not run the "
                         "English code (a placeholder, an f-string field or the syntax "
                         "changed)")
        if english.cell_type == "markdown" and english.source != mine.source:
            found += [f"{name}: cell {index}: {p}"
                      for p in faithful(english.source, mine.source, language, terms)]
    return found


def faithful(english: str, translated: str, language: str, terms) -> list[str]:
    """What a translated markdown cell lost: figures, links, glossary terms."""
    lost = [f"figure {n} of the English is missing" for n in _figures(english)
            if n not in _figures(translated)]
    lost += [f"link {u} of the English is missing" for u in _links(english)
             if u not in translated]
    if not english.lstrip().startswith(REFERENCES):  # titles stay in their language
        lost += [f"uses {t.english!r} but not the glossary's {t.term(language)!r}"
                 for t in terms.missing(english, translated, language)]
    return lost


REFERENCES = "## References"


def _hangul_beside_math(literal: str) -> bool:
    return literal.count("$") >= 2 and bool(re.search("[\uac00-\ud7a3]", literal))


def _figures(text: str) -> set[str]:
    """Numbers a reader could check: with a decimal point, or of three or more digits."""
    text = re.sub(r"\]\([^)]*\)|https?://\S+", "", text)  # not inside links
    return set(re.findall(r"\d+\.\d+|\d{3,}", text.replace(",", "")))


def _links(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s)>\]]+", text))


def _short(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= 70 else line[:67] + "..."
