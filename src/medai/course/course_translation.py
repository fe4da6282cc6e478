"""course.yml in another language: titles, objectives, activities and track names.

The translation is ``course/course.<lang>.yml``, a list of {en, <lang>} pairs keyed by
the English text itself, so an English edit leaves its old translation unmatched (stale)
until a translator updates it. Everything else in the manifest (ids, dates, points) is
language-free and shared.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from medai.course.manifest import Manifest
from medai.course.translation import LANGUAGE_NAMES, TranslationError


def path(m: Manifest, language: str) -> Path:
    return m.path.with_name(f"{m.path.stem}.{language}.yml")


def texts(m: Manifest) -> list[str]:
    """Every text of the manifest a reader sees, in file order, once each."""
    found = [m.title]
    found += [x.title for x in m.modules]
    for lesson in m.lessons:
        found += [lesson.title, *lesson.objectives]
    found += [x.title for x in m.assignments]
    found += [a for week in m.weeks for a in week.activities]
    found += [x.title for x in m.tracks]
    found += [x.title for x in m.contests]
    return list(dict.fromkeys(t for t in found if t))


def load(m: Manifest, language: str) -> dict[str, str]:
    import yaml

    file = path(m, language)
    if not file.is_file():
        return {}
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise TranslationError(f"{file}: not valid YAML: {err}") from None
    entries = data.get("texts") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise TranslationError(f"{file}: expected 'texts', a list of {{en, {language}}}")
    return {e["en"]: e[language] for e in entries
            if isinstance(e, dict) and isinstance(e.get("en"), str)
            and isinstance(e.get(language), str) and e[language].strip() and "todo" not in e}


def translated(m: Manifest, language: str) -> Manifest:
    """The manifest with its texts in ``language`` (English where a text lacks one)."""
    if language == "en":
        return m
    table = load(m, language)

    def tr(text: str) -> str:
        return table.get(text, text)

    def titled(item):
        return dataclasses.replace(item, title=tr(item.title))

    return dataclasses.replace(
        m, title=tr(m.title),
        modules=tuple(titled(x) for x in m.modules),
        lessons=tuple(dataclasses.replace(x, title=tr(x.title),
                                          objectives=tuple(tr(o) for o in x.objectives))
                      for x in m.lessons),
        assignments=tuple(titled(x) for x in m.assignments),
        weeks=tuple(dataclasses.replace(w, activities=tuple(tr(a) for a in w.activities))
                    for w in m.weeks),
        tracks=tuple(titled(x) for x in m.tracks),
        contests=tuple(titled(x) for x in m.contests),
    )


def problems(m: Manifest, language: str) -> list[str]:
    table = load(m, language)
    name = path(m, language).name
    return [f"{name}: not translated or stale: {t[:70]}" for t in texts(m) if t not in table]


def sync(m: Manifest, language: str) -> int:
    """Rewrite the file in course.yml's order, keeping current translations and marking
    new or changed texts todo; return how many are todo."""
    from medai import files
    from medai.course.translation import _dump

    table = load(m, language)
    entries = [{"en": t, language: table[t]} if t in table
               else {"en": t, language: "", "todo": "translate"} for t in texts(m)]
    header = (f"# {LANGUAGE_NAMES[language]} texts of {m.path.name}, keyed by the English. "
              "After an English change, `medai translate sync` marks what to redo with "
              "todo.\n")
    files.write_text(path(m, language), header + _dump({"language": language,
                                                         "texts": entries}))
    return sum(1 for e in entries if "todo" in e)


# README.ko.md translates the sections a student or a TA reads; its first line names the
# English it was made from, so an English edit makes it stale.
README_SECTIONS = ("For students", "For teaching assistants: the term, step by step")
README_MARK = "<!-- translation of README.md ({sections}), English sha256 {digest} -->"


def readme_sections(readme: str) -> str:
    """The English text of README_SECTIONS, each from its heading to the next one."""
    import re

    parts = re.split(r"(?m)^(?=## )", readme)
    return "".join(p for p in parts if p[3:].split("\n", 1)[0].strip() in README_SECTIONS)


def readme_mark(root: Path) -> str:
    from medai.course.translation import cell_key

    english = readme_sections((root / "README.md").read_text(encoding="utf-8"))
    return README_MARK.format(sections="; ".join(README_SECTIONS), digest=cell_key(english))


def readme_problems(root: Path, language: str) -> list[str]:
    """README.<lang>.md missing or stale; nothing for a course copy without a README."""
    if not (root / "README.md").is_file():
        return []
    translated = root / f"README.{language}.md"
    if not translated.is_file():
        return [f"README.{language}.md is missing"]
    if translated.read_text(encoding="utf-8").split("\n", 1)[0] != readme_mark(root):
        return [f"README.{language}.md is stale or unmarked; its first line must be: "
                f"{readme_mark(root)}"]
    return []
