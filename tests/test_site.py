"""The course website: built from course.yml by `medai site`, checked for answers, and read
in a real browser on loopback (every link, every image, no console error, nothing fetched
from the internet)."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import answers
import pytest
from helpers import KOREAN_RUNS, REPO

from medai.course import manifest
from medai.datasets import registry
from medai.site import builder, pages

pytestmark = pytest.mark.slow
ARTIFACTS = REPO / "tests" / "artifacts" / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory, executed_lessons):
    """The site of the course as it is, built once from the lessons the suite executed.
    Korean pages of lessons the suite runs in English only show the English outputs (as
    `--english-outputs`)."""
    m = manifest.load(REPO / "course" / "course.yml")
    built = builder.build(m, tmp_path_factory.mktemp("site"), executed_lessons, borrow=True)
    return m, built


def test_every_page_is_built(site):
    m, built = site
    html = built.html
    expected = ["index.html", *(f"tracks/{t.id}.html" for t in m.tracks),
                *(f"lessons/{x.id}.html" for x in m.ready_lessons()),
                *(f"assignments/{a.id}.html" for a in m.ready_assignments()),
                "datasets/index.html", *(f"datasets/{n}.html" for n in registry.available()),
                *(f"contests/{c.id}.html" for c in m.contests)]
    assert [p for p in expected if not (html / p).is_file()] == []
    a1 = (html / "assignments" / "a1.html").read_text()
    assert "Relies on" in a1 and "2027-03-23 23:59 KST" in a1, "due in the course's time zone"
    dx02 = (html / "lessons" / "dx02.html").read_text()
    assert "In the syllabus" in dx02 and "/hub/user-redirect/lab/tree/lessons/" in dx02
    assert dx02.count("<img") >= 3, "the lesson's figures are on its page"
    assert "<math" in dx02 or "<math" in (html / "lessons" / "dx01.html").read_text(), \
        "formulas are MathML, drawn without a script"


def test_every_page_is_in_korean_too_with_a_switch(site):
    m, built = site
    html = built.html
    for page in ("index", "tracks/core", "lessons/dx03", "assignments/a1",
                 "datasets/ehr_cohort", "glossary"):
        english = (html / f"{page}.html").read_text(encoding="utf-8")
        korean = (html / "ko" / f"{page}.html").read_text(encoding="utf-8")
        assert 'lang="ko"' in korean and any("\uac00" <= ch <= "\ud7a3" for ch in korean)
        up = "../" * page.count("/")
        assert f'href="{up}ko/{page}.html"' in english, page  # English -> 한국어
        assert f'href="{up}../{page}.html"' in korean, page  # and back
    glossary = (html / "ko" / "glossary.html").read_text(encoding="utf-8")
    assert "민감도" in glossary and "sensitivity" in glossary


def test_a_korean_page_not_run_in_korean_says_its_outputs_are_english(site):
    m, built = site
    note = "영어판으로 실행한 것이어서"
    borrowed = next(x.id for x in m.ready_lessons() if x.id not in KOREAN_RUNS)
    page = (built.html / "ko" / "lessons" / f"{borrowed}.html").read_text(encoding="utf-8")
    assert note in page and page.count("<img") >= 3, "Korean text, the English run's figures"
    ran = (built.html / "ko" / "lessons" / f"{KOREAN_RUNS[0]}.html").read_text(encoding="utf-8")
    assert note not in ran


def test_no_answer_anywhere_on_the_site(site):
    m, built = site
    lines, pairs = answers.answer_lines(m)
    a1 = m.assignment_sources(m.assignment("a1"))[0]
    assert answers.leaks_in(a1.name, a1.read_bytes(), lines, pairs), "the scan can find one"
    files = [p for p in built.html.rglob("*") if p.is_file()
             and p.suffix in (".html", ".js", ".txt", ".json", ".ipynb", ".md")]
    assert len(files) > 60
    leaked = {str(p.relative_to(built.html)): found for p in files
              if (found := answers.leaks_in(p.name, p.read_bytes(), lines, pairs))}
    assert leaked == {}


def test_a_warning_fails_the_build(tmp_path, monkeypatch, executed_lessons):
    m = manifest.load(REPO / "course" / "course.yml")
    home = pages.home
    monkeypatch.setattr(pages, "home", lambda *a: home(*a) + "\n[gone](lessons/dx99.ipynb)\n")
    with pytest.raises(builder.SiteError, match="dx99"):
        builder.build(m, tmp_path / "site", executed_lessons, borrow=True)


def _serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_site_in_a_browser(site, browser):
    m, built = site
    server = _serve(built.html)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    outside, errors, broken_images, missing = [], [], [], []
    context = browser.new_context(viewport={"width": 1300, "height": 900})

    def only_loopback(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:  # nothing may come from a CDN: a classroom can be offline
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and errors.append(
        f"{page.url}: {msg.text}"))
    page.on("pageerror", lambda err: errors.append(f"{page.url}: {err}"))
    ids: dict[str, set[str]] = {}
    links: set[str] = set()
    queue, seen = [f"{origin}/index.html"], set()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = {"index", "tracks/clinician", "lessons/im04", "assignments/a1", "datasets/ehr_cohort",
             "ko/index", "ko/lessons/dx03", "ko/glossary"}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url, wait_until="load")
        if response is None or not response.ok:
            missing.append(url)
            continue
        # (no image is lazy-loaded, so the load event has waited for every one)
        broken_images += [f"{url}: {src}" for src in page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0))"
                   ".map(i => i.getAttribute('src'))")]
        ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            if href.startswith(origin):
                links.add(href)
                target = urldefrag(href)[0]
                if target.endswith(".html") and target not in seen:
                    queue.append(target)
        name = url[len(origin) + 1:].removesuffix(".html")
        if name in shots:
            page.evaluate("document.fonts.ready.then(() => true)")  # the site's Hangul font
            page.screenshot(path=str(ARTIFACTS / f"{name.replace('/', '_')}.png"),
                            full_page=name not in ("lessons/im04", "ko/lessons/dx03"))
            if name == "index":
                weeks = page.locator("table").first.locator("tbody tr")
                assert weeks.count() == m.n_weeks == 15
    context.close()
    server.shutdown()
    unresolved = []
    for link in sorted(links):
        target, fragment = urldefrag(link)
        if target not in ids:
            if not (built.html / target[len(origin) + 1:]).is_file():
                unresolved.append(link)
        elif fragment and fragment not in ids[target]:
            unresolved.append(link)
    assert len(seen) >= 60, "the crawl reached every page"
    assert missing == [] and unresolved == [], (missing, unresolved)
    assert broken_images == []
    assert errors == []
    assert outside == [], "every script, style, font and image is served by the site itself"
