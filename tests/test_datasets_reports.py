"""dx07 data: real IU chest X-ray reports, the curated pharmacy FAQ, Korean clinical notes."""

from __future__ import annotations

import hashlib
import importlib.util
import re

import numpy as np
import pandas as pd
import pytest

from medai import datasets
from medai.datasets import catalog

HAS_REPORTS = importlib.util.find_spec("torchxrayvision") is not None
needs_reports = pytest.mark.skipif(not HAS_REPORTS, reason="torchxrayvision (data) not installed")
KOREAN_FINDINGS = ("fever", "cough", "dyspnoea", "chest_pain", "abdominal_pain", "headache",
                   "vomiting", "syncope")


# ---------------------------------------------------------------------------- iu_xray_reports

@pytest.fixture(scope="module")
def reports():
    return datasets.load("iu_xray_reports").tables["reports"]


@needs_reports
def test_reports_columns_types_and_size(reports):
    assert list(reports.columns) == ["report_id", "comparison", "indication", "findings",
                                     "impression", "mesh_major", "mesh_automatic", "normal",
                                     "n_images"]
    assert len(reports) == 3955 and reports["report_id"].is_unique
    assert reports["report_id"].is_monotonic_increasing
    assert str(reports["report_id"].dtype) == "int64" and reports["normal"].dtype == bool
    for column in ["comparison", "indication", "findings", "impression"]:
        assert reports[column].map(type).eq(str).all(), column
    assert reports["mesh_major"].map(lambda v: isinstance(v, list)).all()
    assert reports["n_images"].between(0, 10).all()


@needs_reports
def test_normal_flag_matches_mesh_codes(reports):
    expected = reports["mesh_major"].map(lambda codes: codes == ["normal"])
    assert (reports["normal"] == expected).all()
    assert reports["normal"].sum() == 1391
    assert not reports.loc[~reports["normal"], "mesh_major"].map(len).eq(0).any()


@needs_reports
def test_known_report_is_parsed_in_place(reports):
    row = reports.set_index("report_id").loc[1000]
    assert row["findings"].startswith("There is XXXX increased opacity within the right upper")
    assert "Recommend chest CT" in row["impression"]
    assert row["mesh_major"][:2] == ["Opacity/lung/upper lobe/right",
                                     "Pulmonary Atelectasis/upper lobe/right"]
    assert "Atelectasis" in row["mesh_automatic"] and row["n_images"] == 3
    assert not row["normal"]


@needs_reports
def test_text_is_kept_as_distributed(reports):
    text = reports["findings"] + " " + reports["impression"]
    assert text.str.contains("XXXX").sum() > 1000  # de-identification tokens are kept
    for column in ["findings", "impression"]:
        assert not reports[column].str.contains("\n").any()
        assert (reports[column] == reports[column].str.strip()).all()


@needs_reports
def test_archive_checksum_matches_catalog():
    from medai.datasets.public_reports import reports_file

    digest = hashlib.sha256(reports_file().read_bytes()).hexdigest()
    assert digest == catalog.entries()["iu_xray_reports"]["sha256"]


def test_missing_package_gives_install_hint(monkeypatch):
    from medai.datasets import public_reports

    monkeypatch.setattr(public_reports.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(datasets.DataPackageMissingError, match="requirements-data.txt"):
        public_reports.iu_xray_reports()


def test_reports_module_never_imports_torchxrayvision():
    source = open(importlib.util.find_spec("medai.datasets.public_reports").origin).read()
    assert not re.search(r"^\s*(import|from)\s+torchxrayvision", source, flags=re.MULTILINE)


def test_reports_take_no_options():
    with pytest.raises(datasets.DatasetOptionError):
        datasets.load("iu_xray_reports", n_reports=10)


# ---------------------------------------------------------------------------- pharmacy_faq

@pytest.fixture(scope="module")
def faq():
    return datasets.load("pharmacy_faq")


def test_faq_passages_exist_in_both_languages(faq):
    passages = faq.tables["passages"]
    assert list(passages.columns) == ["passage_id", "language", "topic", "title", "text",
                                      "source"]
    counts = passages.groupby("passage_id")["language"].apply(sorted)
    assert counts.map(lambda langs: langs == ["en", "ko"]).all()
    assert 30 <= passages["passage_id"].nunique() <= 60
    korean = passages[passages["language"] == "ko"]
    assert korean["text"].str.contains(r"[가-힣]").all()
    assert (passages["source"].str.len() > 10).all()
    assert passages["text"].str.len().between(60, 600).all()


def test_faq_questions_point_at_existing_passages(faq):
    passages, questions = faq.tables["passages"], faq.tables["questions"]
    ids = set(passages["passage_id"])
    assert questions.groupby("question_id")["language"].apply(sorted).map(
        lambda langs: langs == ["en", "ko"]).all()
    for row in questions.itertuples():
        assert set(row.answer_ids) <= ids, row
        assert row.answerable == bool(row.answer_ids)
    unanswerable = questions.loc[~questions["answerable"], "question_id"].unique()
    assert len(unanswerable) >= 5
    assert faq.ground_truth["relevant"] == {
        q: a for q, a in questions.drop_duplicates("question_id")
        .set_index("question_id")["answer_ids"].items()}


def test_faq_questions_are_not_copies_of_passages(faq):
    passages, questions = faq.tables["passages"], faq.tables["questions"]
    for question in questions["question"]:
        assert not passages["text"].str.contains(question, regex=False).any()


def test_faq_numbers_agree_between_languages(faq):
    passages = faq.tables["passages"].pivot(index="passage_id", columns="language",
                                            values="text")
    for pid, row in passages.iterrows():
        numbers = [set(re.findall(r"\d+", row[lang])) for lang in ("en", "ko")]
        assert numbers[0] <= numbers[1], pid  # Korean writes "one or two" as 1~2


# ---------------------------------------------------------------------------- Korean notes

@pytest.fixture(scope="module")
def korean():
    return datasets.load("clinical_notes", style="korean")


def test_korean_notes_columns_and_text(korean):
    frame = korean.frame
    assert list(frame.columns) == ["note_id", "text", *KOREAN_FINDINGS,
                                   *[f"{f}_uncertain" for f in KOREAN_FINDINGS]]
    assert len(frame) == 500
    assert frame["text"].str.contains(r"[가-힣]").all()
    assert frame["text"].str.contains(r"[A-Za-z]").mean() > 0.5  # mixed Korean-English
    statuses = korean.ground_truth["mentions"]["status"].astype(str)
    shares = statuses.value_counts(normalize=True)
    assert 0.30 <= shares["negated"] <= 0.50 and shares["uncertain"] > 0.08
    assert korean.ground_truth["mentions"]["historical"].any()


def test_korean_spans_and_labels(korean):
    text = korean.frame.set_index("note_id")["text"]
    vocabulary = korean.ground_truth["vocabulary"]
    mentions = korean.ground_truth["mentions"]
    for m in mentions.itertuples():
        assert text[m.note_id][m.char_start:m.char_end] == m.term
        assert m.term in vocabulary[m.finding]
    current = mentions[~mentions["historical"]]
    for finding in KOREAN_FINDINGS:
        of = current[current["finding"] == finding]
        affirmed = set(of.loc[of["status"] == "affirmed", "note_id"])
        expected = korean.frame["note_id"].isin(affirmed).astype(int)
        assert (korean.frame[finding] == expected).all(), finding


def test_korean_cues_follow_the_status(korean):
    mentions = korean.ground_truth["mentions"]
    text = korean.frame.set_index("note_id")["text"]
    negated = mentions[mentions["status"] == "negated"]
    tails = [text[m.note_id][m.char_end:].split(".")[0] for m in negated.itertuples()]
    cue = re.compile(r"없|않|부인|\(-\)|denied")
    assert np.mean([bool(cue.search(t)) for t in tails]) == 1.0
    uncertain = mentions[mentions["status"] == "uncertain"]
    around = [text[m.note_id][max(0, m.char_start - 4):m.char_end + 20]
              for m in uncertain.itertuples()]
    assert all(re.search(r"의심|r/o|가능성|불확실|수도|배제할 수 없|\?", a) for a in around)


def test_korean_particles_agree_with_the_final_sound():
    from medai.datasets.synthetic_text import KOREAN_TERMS, _final_sound, _particle

    for terms in KOREAN_TERMS.values():
        for surface, sound, _ in terms:
            assert _final_sound(surface, sound) == sound, surface
    assert _particle({"surface": "발열", "kind": "rieul"}, "은") == "은"
    assert _particle({"surface": "발열", "kind": "rieul"}, "로") == "로"
    assert _particle({"surface": "구토", "kind": "open"}, "이") == "가"
    assert _particle({"surface": "흉통", "kind": "batchim"}, "로") == "으로"
    assert _particle({"surface": "fever", "kind": "open"}, "은") == "는"


def test_korean_notes_are_deterministic_and_seeded():
    a = datasets.load("clinical_notes", style="korean", n_notes=40, seed=5)
    b = datasets.load("clinical_notes", style="korean", n_notes=40, seed=5)
    c = datasets.load("clinical_notes", style="korean", n_notes=40, seed=6)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert not a.frame["text"].equals(c.frame["text"])


def test_existing_styles_unchanged_by_the_korean_style():
    """The English styles were generated before style="korean" existed: same bytes now."""
    digests = {}
    for style in ("radiology", "emergency"):
        data = datasets.load("clinical_notes", style=style)
        payload = (data.frame.to_csv() + data.ground_truth["mentions"].to_csv()).encode()
        digests[style] = hashlib.sha256(payload).hexdigest()
    assert digests == {
        "radiology": "c3c02fbde842cfc2a1825bff7c83c3ef5652c312b91d39b5f4eb48803670af72",
        "emergency": "b0cfb1b09bdc334edd0d318492c5f586b35caf5b59095c171704c1046a3a99d5",
    }


def test_invalid_style_is_refused():
    with pytest.raises(datasets.DatasetOptionError, match="korean"):
        datasets.load("clinical_notes", style="japanese")
