"""The language a person reads medai in, and medai's own messages in that language.

Messages are written in English in the code and looked up, by their English text, in
``medai/locale/<lang>.yml`` (gettext's model: the English is the key, so a changed
message falls back to English until it is translated, never to a wrong one).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

ENV_VAR = "MEDAI_LANG"
LOCALE = Path(__file__).resolve().parent / "locale"


def preferred(course_default: str = "en", chosen: str | None = None) -> str:
    """The language to use: the one chosen (--lang), else $MEDAI_LANG, else Korean when
    the person's locale ($LC_ALL, $LC_MESSAGES, $LANG) is Korean, else the course's."""
    from medai.course.translation import language_of

    if chosen:
        return language_of(chosen)
    if os.environ.get(ENV_VAR):
        return language_of(os.environ[ENV_VAR])
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else course_default
    return course_default


@lru_cache(maxsize=4)
def catalogue(language: str) -> dict[str, str]:
    import yaml

    path = LOCALE / f"{language}.yml"
    if language == "en" or not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (data.get("messages") or {}).items()}


def message(english: str, language: str = "en", **fields) -> str:
    """``english`` in ``language``, with its {fields} filled in."""
    text = catalogue(language).get(english, english)
    return text.format(**fields) if fields else text
