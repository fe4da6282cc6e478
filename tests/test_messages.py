"""medai's own messages in Korean: every message the code shows through
:func:`medai.i18n.message` is translated, keeps its {fields}, and is chosen by the
course's language, $MEDAI_LANG or a Korean $LANG."""

from __future__ import annotations

import ast
import string

from helpers import REPO

from medai import i18n


def _messages_in_code() -> set[str]:
    found = set()
    for path in (REPO / "src" / "medai").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None) \
                if isinstance(node, ast.Call) else None
            if name == "message" and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_is_translated_with_its_fields():
    in_code = _messages_in_code()
    korean = i18n.catalogue("ko")
    assert len(in_code) >= 40
    assert sorted(in_code - set(korean)) == [], "messages without a Korean translation"
    assert sorted(set(korean) - in_code) == [], "translations of messages no longer shown"
    assert {k: v for k, v in korean.items() if _fields(k) != _fields(v)} == {}


def test_the_language_follows_the_choice_then_the_environment_then_the_course(monkeypatch):
    for name in ("MEDAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert i18n.preferred("ko") == "ko"
    monkeypatch.setenv("LANG", "C.UTF-8")  # a server's locale names no language
    assert i18n.preferred("en") == "en" and i18n.preferred("ko") == "ko"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.preferred("en") == "ko"
    monkeypatch.setenv("MEDAI_LANG", "en")
    assert i18n.preferred("ko") == "en"
    assert i18n.preferred("en", chosen="ko") == "ko"


def test_a_ta_reads_why_a_submission_failed_in_korean(tmp_path):
    from medai.grading import submission_checks

    released, submitted = tmp_path / "release", tmp_path / "submitted"
    released.mkdir()
    submitted.mkdir()
    (released / "a1.ipynb").write_text("{}", encoding="utf-8")
    (submitted / "a1.ipynb").write_bytes(b"")
    english = submission_checks.problems(released, submitted)
    korean = submission_checks.problems(released, submitted, "ko")
    assert english == ["a1.ipynb: the file is empty; the student should resubmit the saved "
                       "notebook"]
    assert korean == ["a1.ipynb: 파일이 비어 있습니다. 학생이 저장한 노트북을 다시 제출해야 "
                      "합니다"]
