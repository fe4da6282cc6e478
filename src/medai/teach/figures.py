"""Figures that can draw Korean: the course's font fallback for matplotlib.

Lessons call :func:`use_course_fonts` once, in their import cell, in both languages (the
code is shared). Latin letters, digits and the minus sign stay in matplotlib's default
DejaVu Sans; a glyph it lacks (Hangul) falls back to NanumGothic, which the
koreanize-matplotlib wheel ships. That package's own module is never imported: it
changes matplotlib's settings on import.
"""

from __future__ import annotations

from pathlib import Path

from medai.errors import MedaiError

KOREAN_FONT = "NanumGothic"


class FontError(MedaiError, RuntimeError):
    """The Korean font is not installed."""


def korean_font_file() -> Path:
    """NanumGothic.ttf inside the installed koreanize-matplotlib (found, not imported)."""
    from importlib.util import find_spec

    spec = find_spec("koreanize_matplotlib")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        font = Path(folder) / "fonts" / f"{KOREAN_FONT}.ttf"
        if font.is_file():
            return font
    raise FontError("the Korean font is missing: install the course's requirements "
                    "(`pip install koreanize-matplotlib`) or run `make setup`")


def use_course_fonts() -> None:
    """Let matplotlib draw Hangul in titles, labels and legends: register NanumGothic and
    make it the fallback after DejaVu Sans, matplotlib's default."""
    import matplotlib
    from matplotlib import font_manager

    font = korean_font_file()
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for weight in sorted(font.parent.glob(f"{KOREAN_FONT}*.ttf")):  # regular, bold, ...
        if str(weight) not in known:
            font_manager.fontManager.addfont(str(weight))
    # a list of families is matplotlib's per-glyph fallback (a generic name is not)
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", KOREAN_FONT]
