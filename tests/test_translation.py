"""Korean and English: the translated code is the English code, a stale translation is
caught, the glossary is followed, and figures draw Hangul."""

from __future__ import annotations

import shutil
import warnings

import pytest
from helpers import REPO

from medai.course import build, glossary, manifest, sources, translation

COURSE = manifest.load(REPO / "course" / "course.yml")
TRANSLATED = build.sources(COURSE)


# ------------------------------------------------------------------ the code is shared


def test_translating_a_displayed_literal_keeps_the_code():
    code = ('auc = 0.91\nprint(f"AUROC {auc:.3f} on the test set")\n'
            'ax.set_title("Reliability diagram", loc="left")\n'
            'ax.legend(loc="upper left")\ncolumn = df["age"]\n')
    ko = {'f"AUROC {auc:.3f} on the test set"': 'f"테스트 세트의 AUROC {auc:.3f}"',
          '"Reliability diagram"': '"신뢰도 도표"'}
    translated, missing = translation.translate_code(code, ko)
    assert missing == []
    assert 'print(f"테스트 세트의 AUROC {auc:.3f}")' in translated
    assert 'set_title("신뢰도 도표", loc="left")' in translated
    # options and keys are code, not text: never offered for translation
    assert translation.literal_texts(code) == list(ko)
    assert translation.same_code(code, translated)


def test_a_shown_value_is_translated_everywhere_it_is_marked():
    """A label that is also a dict key: every use goes through shown(), so both languages
    look it up with the same text."""
    code = ('rates = {shown("watch all"): 0.3}\n'
            'print(rates[shown("watch all")])\n')
    translated, missing = translation.translate_code(
        code, {'"watch all"': '"모두 감시"'})
    assert missing == [] and translated.count('shown("모두 감시")') == 2
    assert translation.same_code(code, translated)
    namespace = {"shown": lambda text: text}
    exec(translated.replace("print", "result = "), namespace)
    assert namespace["result"] == 0.3


@pytest.mark.parametrize("wrong", [
    'f"테스트 세트의 AUROC {auc:.2f}"',  # another format
    'f"테스트 세트의 AUROC {1 - auc:.3f}"',  # another expression
    '"테스트 세트의 AUROC {auc:.3f}"',  # no longer an f-string: a different value shown
])
def test_a_translation_that_changes_what_is_computed_is_refused(wrong):
    code = 'print(f"AUROC {auc:.3f} on the test set")\n'
    translated, _ = translation.translate_code(
        code, {'f"AUROC {auc:.3f} on the test set"': wrong})
    assert not translation.same_code(code, translated)


def test_placeholders_must_survive_translation():
    code = 'print("AUROC %.3f at %d sites" % (auc, n))\n'
    good, _ = translation.translate_code(code, {'"AUROC %.3f at %d sites"':
                                                '"%.3f AUROC, %d개 기관"'})
    bad, _ = translation.translate_code(code, {'"AUROC %.3f at %d sites"':
                                               '"AUROC %d개 기관"'})
    assert translation.same_code(code, good)
    assert not translation.same_code(code, bad)


@pytest.mark.parametrize("source", TRANSLATED, ids=[s.stem for s in TRANSLATED])
def test_every_korean_source_is_complete_current_and_runs_the_english_code(source):
    """`medai build --check` in one test per source: nothing untranslated or stale, every
    code cell the English one (masked displayed texts), figures, links and glossary
    terms kept. A Korean notebook proven to run the English code is not executed
    again (see test_korean_lessons_run for the ones that are)."""
    assert translation.problems(source, "ko") == []
    english = sources.read_source(source)
    korean = build.built(source, language="ko")
    assert len(korean.cells) == len(english.cells)
    for mine, theirs in zip(korean.cells, english.cells, strict=True):
        assert mine.metadata == theirs.metadata  # grade ids, points, tags
        if theirs.cell_type == "code":
            assert translation.same_code(theirs.source, mine.source)


# ----------------------------------------------------------------- stale translations


def test_an_english_edit_makes_its_translation_stale_until_updated(tmp_path):
    source = tmp_path / "xx00_template.py"
    shutil.copy(REPO / "notebooks" / "_template" / "xx00_template.py", source)
    shutil.copy(REPO / "notebooks" / "_template" / "xx00_template.ko.yml",
                translation.translation_path(source, "ko"))
    assert translation.problems(source, "ko") == []

    text = source.read_text(encoding="utf-8")
    edited = text.replace("## Clinical question", "## Clinical question\n\nEdited.", 1)
    assert edited != text
    source.write_text(edited, encoding="utf-8")
    stale = translation.problems(source, "ko")
    assert any("not translated or stale" in p for p in stale), stale
    assert any("matches no English text" in p for p in stale), stale

    synced = translation.sync(source, "ko")  # the old Korean is kept beside the todo
    assert synced.todo == 1
    assert any("marked todo" in p for p in translation.problems(source, "ko"))
    data = translation.translation_path(source, "ko").read_text(encoding="utf-8")
    assert "Edited." in data and "임상 질문" in data

    # the translator updates the Korean and removes the todo mark: current again
    import yaml

    table = yaml.safe_load(data)
    for entry in table["cells"]:
        if "todo" in entry:
            entry["ko"] = entry["ko"] + "\n\n수정했습니다."
            del entry["todo"]
    translation.translation_path(source, "ko").write_text(
        yaml.safe_dump(table, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert translation.problems(source, "ko") == []


def test_build_check_fails_on_a_stale_translation(course_copy):
    """The command a translator and CI run: `medai build --check` exits non-zero."""
    from medai import cli

    m = manifest.load(course_copy)
    lesson = m.ready_lessons()[0]
    assert "ko" in m.languages
    assert cli.main(["--course", str(course_copy), "build"]) == 0
    assert cli.main(["--course", str(course_copy), "build", "--check"]) == 0
    text = lesson.source.read_text(encoding="utf-8")
    lesson.source.write_text(text.replace("## Clinical question\n",
                                          "## Clinical question\n\nA new sentence.\n", 1),
                             encoding="utf-8")
    assert cli.main(["--course", str(course_copy), "build"]) == 0
    assert cli.main(["--course", str(course_copy), "build", "--check"]) == 1


def test_sync_refuses_what_is_not_a_text_source_and_keeps_the_translation(course_copy, capsys):
    """course.yml given as a source must not be read as a notebook (its translation file
    would be rewritten empty)."""
    from medai import cli

    korean = course_copy.with_name("course.ko.yml")
    before = korean.read_text(encoding="utf-8")
    assert cli.main(["--course", str(course_copy), "translate", "sync", str(course_copy)]) != 0
    assert "without a source" in capsys.readouterr().err
    assert korean.read_text(encoding="utf-8") == before


def test_a_broken_translation_file_names_itself(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("# %% [markdown]\n# Hello world\n", encoding="utf-8")
    translation.translation_path(source, "ko").write_text("cells: [unclosed\n",
                                                          encoding="utf-8")
    with pytest.raises(translation.TranslationError, match="x.ko.yml: not valid YAML"):
        translation.load(source, "ko")
    with pytest.raises(translation.TranslationError, match="unknown language 'fr'"):
        translation.language_of("fr")


# -------------------------------------------------------------------------- glossary


def test_the_glossary_catches_a_nonstandard_term():
    terms = glossary.load()
    assert len(terms.terms) >= 60
    english = "The **sensitivity** of the screen and its calibration."
    assert terms.missing(english, "선별검사의 민감도와 보정.", "ko") == []
    missing = terms.missing(english, "선별검사의 감도와 교정.", "ko")
    assert [t.ko for t in missing] == ["민감도", "보정"]
    # code and math are not prose; reference lists keep their titles in English
    assert terms.missing("`sensitivity` and $\\text{calibration}$", "코드", "ko") == []
    references = "## References\n\n1. Steyerberg EW. Calibration of prediction models."
    assert translation.faithful(references, "## 참고문헌\n\n1. Steyerberg EW. Calibration "
                                "of prediction models.", "ko", terms) == []


def test_every_glossary_term_is_used_by_the_course():
    """A glossary of terms the course never uses would be a list nobody checks."""
    text = " ".join(cell.source for s in TRANSLATED for cell in sources.read_source(s).cells)
    unused = [t.english for t in glossary.load().terms
              if not t.used_in(text) and not t.planned]
    assert unused == []


# --------------------------------------------------------------------------- figures


def test_a_hangul_title_renders_without_missing_glyphs(tmp_path, caplog):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from medai.teach import figures

    figures.use_course_fonts()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        fig, ax = plt.subplots()
        ax.set_title("보정 곡선: 관찰된 패혈증 발생률 (AUROC −0.5)", fontweight="bold")
        ax.set_xlabel("예측 위험")
        fig.savefig(tmp_path / "hangul.png")
        plt.close(fig)
    assert (tmp_path / "hangul.png").stat().st_size > 5_000
    assert "findfont" not in caplog.text  # the bold weight is there too


def test_hangul_beside_math_is_refused(tmp_path):
    """matplotlib draws the whole of a label holding $...$ with its math font, which has
    no Hangul: the check says so before anyone sees boxes in a figure."""
    source = tmp_path / "x.py"
    source.write_text('# %%\nax.set_xlabel("threshold $p_t$")\n', encoding="utf-8")
    translation.translation_path(source, "ko").write_text(
        "strings:\n- en: '\"threshold $p_t$\"'\n  ko: '\"임계 확률 $p_t$\"'\n",
        encoding="utf-8")
    assert any("math font" in p for p in translation.problems(source, "ko"))


# ------------------------------------------------------ course.yml, cards and README


def test_course_texts_cards_and_readme_are_translated_and_current():
    from medai.course import course_translation
    from medai.datasets import catalog

    assert course_translation.problems(COURSE, "ko") == []
    korean = course_translation.translated(COURSE, "ko")
    assert korean.lesson("dx01").title != COURSE.lesson("dx01").title
    assert [x.id for x in korean.lessons] == [x.id for x in COURSE.lessons]
    assert catalog.card_problems("ko") == []
    assert catalog.info("ecg", "ko")["card_text"] != catalog.info("ecg")["card_text"]
    assert course_translation.readme_problems(REPO, "ko") == []


def test_a_korean_release_is_refused_while_its_translation_is_stale(course_copy, capsys):
    """An English edit in an assignment nobody translated yet: `medai release --lang ko`
    stops before nbgrader runs and says what to do; English still releases."""
    from medai import cli

    m = manifest.load(course_copy)
    source = m.assignment_sources(m.assignment("a1"))[0]
    source.write_text(source.read_text(encoding="utf-8").replace(
        "# %% [markdown]", "# %% [markdown]\n# A new sentence.\n#", 1), encoding="utf-8")
    assert cli.main(["--course", str(course_copy), "generate", "a1", "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    assert "translation of a1 is not ready" in err and "medai translate check" in err
    release = m.course_directory / "release" / "a1"
    assert not release.exists(), "nothing generated"
