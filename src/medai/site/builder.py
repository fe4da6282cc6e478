"""Stage the website's sources from the course and build them with Sphinx (MyST-NB).

The staged folder is rewritten only where a page changed, so Sphinx rebuilds only
those; lessons come executed from :mod:`medai.site.executed`. Sphinx runs with
warnings as errors: a broken link or reference fails the build.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from medai.course.manifest import Manifest
from medai.errors import MedaiError
from medai.site import executed, pages


class SiteError(MedaiError, RuntimeError):
    """The site cannot be built; the message says what to fix."""


@dataclass(frozen=True)
class Built:
    html: Path
    pages: int
    executed: list[str]  # lessons executed for this build (the rest came from the cache)
    seconds: float


CONF = '''# Written by `medai site` from course/course.yml; edits are overwritten.
project = {title!r}
author = {author!r}
html_title = {title!r}
version = release = {version!r}
language = {language!r}
extensions = ["myst_nb", "medai.site.mathml"]
# formulas become MathML when the page is built: no MathJax, nothing from a CDN
html_math_renderer = "mathml"
myst_enable_extensions = ["dollarmath", "amsmath"]
# lessons arrive executed (medai.site.executed); never execute here, never embed widgets
nb_execution_mode = "off"
nb_ipywidgets_js = {{}}
nb_merge_streams = True
html_theme = "sphinx_book_theme"
html_theme_options = {{"show_navbar_depth": 1, "home_page_in_toc": True}}
# without a default, the theme's script logs an error on a first visit
html_context = {{"default_mode": "light"}}
# the download button offers each page's source: a lesson as an executed notebook
html_copy_source = True
html_show_sourcelink = False
html_last_updated_fmt = None
exclude_patterns = ["_build"]
# Hangul from the site itself (a subset of NanumGothic), never from a font CDN
html_static_path = ["_static"]
html_css_files = ["medai-fonts.css"]
'''


def launch_links(m: Manifest, lesson) -> dict[str, str]:
    """Where a student opens the lesson: its path in their workspace, and on the hub."""
    folder = lesson.source.parent.name
    where = f"lessons/{folder}/{lesson.source.stem}.ipynb"
    links = {"path": where}
    url = (m.hub or {}).get("url")
    if url:
        # the hub sends the user to their own server, where the lessons are synced at start
        links["hub"] = f"{url.rstrip('/')}/hub/user-redirect/lab/tree/{where}"
    return links


def _write(path: Path, text: str, written: set[Path]) -> None:
    """Write only when the text differs, so Sphinx sees unchanged pages as unchanged."""
    written.add(path)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def stage(m: Manifest, source: Path, cache: Path, version: str,
          progress=lambda line: None, language: str = "en", borrow: bool = False) -> None:
    """Write every page of the site in ``language`` into ``source`` (its lessons must be
    executed already: :func:`medai.site.executed.run_missing`; with ``borrow``, a lesson
    not executed in ``language`` shows its English run's outputs, and says so)."""
    import dataclasses

    from medai.course import course_translation
    from medai.datasets import catalog, registry
    from medai.grading import contest

    languages = m.languages
    m = dataclasses.replace(course_translation.translated(m, language), language=language)
    written: set[Path] = set()

    def page(relative: str, text: str) -> None:
        """A Markdown page, with the links to its other languages above its title."""
        switch = pages.language_switch(relative, language, languages)
        _write(source / f"{relative}.md", switch + text, written)

    names = registry.available()
    entries = {name: catalog.info(name, language) for name in names}
    _write(source / "conf.py", CONF.format(title=m.title, version=version, language=language,
                                           author=f"the teachers of {m.course_id}"), written)
    page("index", pages.home(m, version, names))
    for t in m.tracks:
        page(f"{pages.TRACKS}/{t.id}", pages.track(m, t.id))
    for a in m.ready_assignments():
        page(f"{pages.ASSIGNMENTS}/{a.id}", pages.assignment(m, a.id))
    page(f"{pages.DATASETS}/index", pages.datasets_index(names, entries, language))
    for name in names:
        page(f"{pages.DATASETS}/{name}", pages.dataset(name, entries[name], language))
    page(pages.GLOSSARY, pages.glossary(language))
    for c in m.contests:
        page(f"{pages.CONTESTS}/{c.id}", pages.contest(m, c, contest.board(m, c.id)))
    for lesson in m.ready_lessons():
        relative = f"{pages.LESSONS}/{lesson.id}"
        header = pages.language_switch(relative, language, languages) + \
            pages.lesson_header(m, lesson, launch_links(m, lesson))
        if borrow and not executed.path(lesson, cache, language).is_file():
            notebook = executed.borrowed(lesson, cache, language)
            header += pages.borrowed_outputs_note(language)
        else:
            notebook, _ = executed.executed(lesson, cache, language)
        _write(source / f"{relative}.ipynb",
               nbformat.writes(pages.lesson_page(notebook, header), version=4) + "\n",
               written)
    _korean_font(source, written, language)
    for stale in [p for p in source.rglob("*") if p.is_file() and p not in written]:
        stale.unlink()  # a page no longer in the course would be an orphan


FONT_CSS = """/* Written by `medai site`: Hangul drawn with the site's own font, offline. */
@font-face {{ font-family: "NanumGothic"; font-weight: 400; src: url("{regular}"); }}
@font-face {{ font-family: "NanumGothic"; font-weight: 700; src: url("{bold}"); }}
:root {{
  --pst-font-family-base: {base};
  --pst-font-family-heading: {base};
  --pst-font-family-monospace: var(--pst-font-family-monospace-system), "NanumGothic";
}}
"""
# Korean pages read in NanumGothic first (a system font may claim Hangul it cannot draw,
# in bold); English pages only fall back to it
FONT_ORDER = {"ko": '"NanumGothic", var(--pst-font-family-base-system)',
              "en": 'var(--pst-font-family-base-system), "NanumGothic"'}


def _korean_font(source: Path, written: set[Path], language: str) -> None:
    """NanumGothic cut down to the characters of this site's pages (a few hundred
    kilobytes instead of 9 MB), as WOFF files in _static, with the CSS that uses it as the
    fallback after the theme's fonts: a reader without a Korean font sees Hangul."""
    from fontTools import subset

    from medai.teach.figures import KOREAN_FONT, korean_font_file

    text = "".join(p.read_text(encoding="utf-8") for p in sorted(written)
                   if p.suffix in (".md", ".ipynb"))
    characters = sorted({ch for ch in text if ord(ch) > 0x2000} | set(
        map(chr, range(0x20, 0x7F))))
    static = source / "_static"
    names = {}
    for weight, suffix in (("regular", ""), ("bold", "Bold")):
        font = korean_font_file().with_name(f"{KOREAN_FONT}{suffix}.ttf")
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        cut = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(characters))
        subsetter.subset(cut)
        buffer = io.BytesIO()
        subset.save_font(cut, buffer, options)
        target = static / f"{KOREAN_FONT}-{weight}.woff"
        _write_bytes(target, buffer.getvalue(), written)
        names[weight] = target.name
    _write(static / "medai-fonts.css",
           FONT_CSS.format(**names, base=FONT_ORDER.get(language, FONT_ORDER["en"])),
           written)


def _write_bytes(path: Path, data: bytes, written: set[Path]) -> None:
    written.add(path)
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build(m: Manifest, out: Path, cache: Path, progress=lambda line: None,
          borrow: bool = False) -> Built:
    """Build the site into ``out/html`` (sources staged in ``out/source``). With ``borrow``
    only the English lessons are executed: a translated lesson not executed yet shows the
    English run's outputs (a quick site after a text edit; the code is the same)."""
    import medai
    from medai.course import revision

    for folder, option in ((out, "--out"), (cache, "--cache")):
        if folder.exists() and not folder.is_dir():
            raise SiteError(f"{option} {folder} is a file; give a folder (it is created if "
                            "missing)")
    started = time.perf_counter()
    version = revision.project_version(m.root) or medai.__version__
    html = out / "html"
    try:
        ran = executed.run_missing(m.ready_lessons(), cache, workers=os.cpu_count() or 1,
                                   progress=progress,
                                   languages=("en",) if borrow else m.languages)
        for language in m.languages:
            stage(m, _folder(out / "source", language), cache, version, progress, language,
                  borrow)
    except Exception as err:  # a lesson that fails to execute names itself
        raise SiteError(f"cannot make the site's pages: {err}") from None
    for language in m.languages:  # English at the root, each other language in a folder
        _sphinx(_folder(out / "source", language), html if language == "en" else
                html / language, _folder(out / "doctrees", language))
    count = sum(1 for _ in html.rglob("*.html"))
    (out / "build.json").write_text(json.dumps({"version": version, "pages": count,
                                                "executed": ran}) + "\n")
    return Built(html, count, ran, time.perf_counter() - started)


def _folder(base: Path, language: str) -> Path:
    return base if language == "en" else base.with_name(f"{base.name}_{language}")


def _sphinx(source: Path, html: Path, doctrees: Path) -> None:
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
               "-d", str(doctrees), str(source), str(html)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        problems = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise SiteError("Sphinx stopped on warnings (each one fails the build):\n"
                        + "\n".join(f"  {line}" for line in problems[-40:]))
    shutil.rmtree(html / ".doctrees", ignore_errors=True)
