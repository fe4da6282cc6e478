"""The course's bilingual glossary (course/glossary.yml): one standard Korean term per
concept, checked in every translation and published as a page students read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from medai.errors import MedaiError

GLOSSARY = Path(__file__).resolve().parents[3] / "course" / "glossary.yml"


class GlossaryError(MedaiError, ValueError):
    """course/glossary.yml cannot be read."""


@dataclass(frozen=True)
class Term:
    english: str  # the first English form, as a reader would write it
    patterns: tuple[str, ...]
    ko: str
    also: tuple[str, ...]
    source: str
    planned: bool = False  # for lessons not written yet

    def term(self, language: str) -> str:
        return self.ko if language == "ko" else self.english

    def used_in(self, english_text: str) -> bool:
        return any(re.search(rf"(?<![\w-]){p}(?![\w-])", english_text, re.IGNORECASE)
                   for p in self.patterns)

    def rendered_in(self, korean_text: str) -> bool:
        return any(form in korean_text for form in (self.ko, *self.also))


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    def missing(self, english: str, translated: str, language: str) -> list[Term]:
        """Terms the English text uses whose standard translation the text lacks (code
        and math are not prose: left out on both sides)."""
        if language != "ko":
            return []
        english, translated = _prose(english), _prose(translated)
        return [t for t in self.terms if t.used_in(english) and not t.rendered_in(translated)]


def _prose(markdown: str) -> str:
    markdown = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    markdown = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$", " ", markdown, flags=re.DOTALL)
    return re.sub(r"\]\([^)]*\)|https?://\S+", "]", markdown)  # not the link targets


@lru_cache(maxsize=4)
def load(path: Path = GLOSSARY) -> Glossary:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GlossaryError(f"{path}: the glossary is missing") from None
    except yaml.YAMLError as err:
        raise GlossaryError(f"{path}: not valid YAML: {err}") from None
    terms = []
    for number, entry in enumerate((data or {}).get("terms") or [], 1):
        try:
            patterns = tuple(str(p) for p in entry["en"])
            for p in patterns:
                re.compile(p)
            terms.append(Term(_readable(patterns[0]), patterns, str(entry["ko"]),
                              tuple(str(a) for a in entry.get("also") or ()),
                              str(entry.get("source", "")), bool(entry.get("planned"))))
        except (KeyError, TypeError, re.error) as err:
            raise GlossaryError(f"{path}: term {number} needs 'en' (a list of English "
                                f"forms) and 'ko' ({err})") from None
    return Glossary(tuple(terms))


def _readable(pattern: str) -> str:
    """The English form of a pattern, for people: 'chest X-rays?' -> 'chest X-rays'."""
    text = re.sub(r"\([^|)]*\)\?", "", pattern)  # optional words left out
    text = re.sub(r"\(([^|)]*)\|[^)]*\)\??", r"\1", text)  # first alternative
    text = re.sub(r"\[([^\]])[^\]]*\]", r"\1", text)  # first character of a class
    return text.replace("?", "").replace("\\", "")
