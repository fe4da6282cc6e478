"""Synthetic ECGs (ecg) and clinical notes (clinical_notes): what lessons and exercises rely on."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from medai import datasets

# ---------------------------------------------------------------------------- ecg

SINUS = (0, 2, 3)  # normal, bradycardia, tachycardia


@pytest.fixture(scope="module")
def ecg():
    return datasets.load("ecg")


@pytest.fixture(scope="module")
def ecg_clean():
    return datasets.load("ecg", noise=False)


def rr_intervals(peaks, fs):
    return np.diff(peaks) / fs


def test_ecg_shape_dtype_units_and_lead_order_match_pydicoms_real_ecg(ecg):
    import pydicom
    from pydicom.data import get_testdata_file

    assert ecg.signals.shape == (200, 12, 2500)
    assert ecg.signals.dtype == np.float32
    assert ecg.sampling_rate_hz == 250 and ecg.units == "mV"
    assert ecg.labels.shape == (200,)
    assert ecg.label_names == {0: "normal sinus rhythm", 1: "atrial fibrillation",
                               2: "sinus bradycardia", 3: "sinus tachycardia",
                               4: "sinus rhythm with PVCs"}
    assert np.bincount(ecg.labels).tolist() == [40] * 5  # balanced

    real = pydicom.dcmread(get_testdata_file("waveform_ecg.dcm"))
    group = real.WaveformSequence[0]
    names = [ch.ChannelSourceSequence[0].CodeMeaning for ch in group.ChannelDefinitionSequence]
    names = [n.replace("Lead ", "").replace(" (Einthoven)", "") for n in names]
    assert list(ecg.channels) == names
    # waveform_array applies the channel sensitivity and gives microvolts.
    real_mv = real.waveform_array(0).T / 1000.0
    real_range = np.percentile(real_mv, 99.5, axis=1) - np.percentile(real_mv, 0.5, axis=1)
    normal = ecg.signals[ecg.labels == 0]
    synth_range = np.median(np.percentile(normal, 99.5, axis=2)
                            - np.percentile(normal, 0.5, axis=2), axis=0)
    ratio = synth_range / real_range
    assert np.all((ratio > 0.5) & (ratio < 2.0)), dict(zip(ecg.channels, ratio, strict=True))


def test_ecg_metadata_and_ground_truth(ecg):
    meta = ecg.metadata
    assert len(meta) == 200 and meta["record_id"].tolist() == list(range(200))
    assert (meta["label"].to_numpy() == ecg.labels).all()
    assert (meta["rhythm"] == meta["label"].map(ecg.label_names)).all()
    for column in ("heart_rate_bpm", "baseline_wander_mv", "powerline_hz", "powerline_mv",
                   "white_noise_mv", "respiration_hz"):
        assert column in meta.columns
    assert set(meta["powerline_hz"]) <= {50.0, 60.0}
    af = meta["label"] == 1
    assert meta.loc[af, "fwave_hz"].between(4, 9).all() and meta.loc[~af, "fwave_hz"].isna().all()
    peaks = ecg.ground_truth["r_peaks"]
    assert len(peaks) == 200 and all(p.dtype.kind == "i" for p in peaks)
    assert all(((p >= 0) & (p < 2500)).all() and (np.diff(p) > 0).all() for p in peaks)
    assert (meta["n_beats"].to_numpy() == [len(p) for p in peaks]).all()
    for key in ("waves", "lead_gains_mv", "derived_leads", "noise_model", "rhythm_model"):
        assert key in ecg.ground_truth


def test_ecg_is_deterministic_per_seed():
    a = datasets.load("ecg", n_records=10, duration_s=4.0, seed=7)
    b = datasets.load("ecg", n_records=10, duration_s=4.0, seed=7)
    c = datasets.load("ecg", n_records=10, duration_s=4.0, seed=8)
    assert np.array_equal(a.signals, b.signals) and np.array_equal(a.labels, b.labels)
    pd.testing.assert_frame_equal(a.metadata, b.metadata)
    assert all(np.array_equal(x, y) for x, y in zip(a.ground_truth["r_peaks"],
                                                    b.ground_truth["r_peaks"], strict=True))
    assert not np.array_equal(a.signals, c.signals)


def assert_einthoven_goldberger(signals, channels):
    lead = {name: signals[:, i].astype(np.float64) for i, name in enumerate(channels)}
    tol = 1e-5  # mV; float32 rounding of values up to a few mV
    np.testing.assert_allclose(lead["III"], lead["II"] - lead["I"], atol=tol)
    np.testing.assert_allclose(lead["aVR"], -(lead["I"] + lead["II"]) / 2, atol=tol)
    np.testing.assert_allclose(lead["aVL"], lead["I"] - lead["II"] / 2, atol=tol)
    np.testing.assert_allclose(lead["aVF"], lead["II"] - lead["I"] / 2, atol=tol)


def test_limb_leads_obey_einthoven_and_goldberger_with_and_without_noise(ecg, ecg_clean):
    assert_einthoven_goldberger(ecg.signals, ecg.channels)
    assert_einthoven_goldberger(ecg_clean.signals, ecg_clean.channels)


def test_noise_free_option_keeps_the_cardiac_signal(ecg, ecg_clean):
    assert np.array_equal(ecg.labels, ecg_clean.labels)
    pairs = zip(ecg.ground_truth["r_peaks"], ecg_clean.ground_truth["r_peaks"], strict=True)
    assert all(np.array_equal(x, y) for x, y in pairs)
    assert (ecg_clean.metadata["white_noise_mv"] == 0).all()
    added = (ecg.signals - ecg_clean.signals).astype(np.float64)
    # What was added is the documented noise: at most baseline + powerline + 5 sd white noise
    meta = ecg.metadata
    bound = (meta["baseline_wander_mv"] + meta["powerline_mv"] + 5 * meta["white_noise_mv"])
    worst_limb = np.abs(added[:, [0, 1, 6, 7, 8, 9, 10, 11]]).max(axis=(1, 2))
    assert (worst_limb <= bound.to_numpy() + 1e-4).all()
    assert (added.std(axis=2) > 0).all()


def test_true_r_peaks_are_local_maxima_of_noise_free_lead_ii(ecg_clean):
    lead_ii = ecg_clean.signals[:, ecg_clean.channels.index("II")]
    checked = 0
    for r, peaks in enumerate(ecg_clean.ground_truth["r_peaks"]):
        inner = peaks[(peaks > 0) & (peaks < lead_ii.shape[1] - 1)]
        x = lead_ii[r]
        assert (x[inner] >= x[inner - 1]).all() and (x[inner] >= x[inner + 1]).all(), r
        # ... and the tallest point of the beat: nothing higher within 60 ms
        w = int(0.06 * ecg_clean.sampling_rate_hz)
        for p in inner:
            assert x[p] >= x[max(0, p - w): p + w + 1].max() - 1e-6
        checked += len(inner)
    assert checked > 2000


def test_heart_rate_is_in_the_documented_range_per_rhythm(ecg):
    meta = ecg.metadata
    fs = ecg.sampling_rate_hz
    measured = np.array([60.0 / rr_intervals(p, fs).mean() for p in ecg.ground_truth["r_peaks"]])
    for label, low, high in ((0, 60, 100), (2, 30, 60), (3, 100, 160)):
        rows = (meta["label"] == label).to_numpy()
        assert meta.loc[rows, "heart_rate_bpm"].between(low, high, inclusive="neither").all()
        assert ((measured[rows] > low) & (measured[rows] < high)).all(), label
    # metadata and the true R peaks agree
    assert np.abs(measured - meta["heart_rate_bpm"].to_numpy()).max() < 6


def test_atrial_fibrillation_is_irregularly_irregular(ecg):
    fs = ecg.sampling_rate_hz
    cv, rmssd = [], []
    for p in ecg.ground_truth["r_peaks"]:
        rr = rr_intervals(p, fs)
        cv.append(rr.std() / rr.mean())
        rmssd.append(np.sqrt(np.mean(np.diff(rr) ** 2)) / rr.mean())
    cv, rmssd = np.array(cv), np.array(rmssd)
    af = ecg.labels == 1
    sinus = np.isin(ecg.labels, SINUS)
    # Documented: sinus CV of RR < 0.05; AF CV > 0.08 (a clear margin for a threshold rule)
    assert cv[sinus].max() < 0.05 and cv[af].min() > 0.08
    assert rmssd[af].min() > 2 * rmssd[sinus].max()


def test_pvc_records_have_early_beats_with_a_compensatory_pause(ecg):
    types = ecg.ground_truth["beat_types"]
    fs = ecg.sampling_rate_hz
    for label, peaks, kinds in zip(ecg.labels, ecg.ground_truth["r_peaks"], types, strict=True):
        assert len(kinds) == len(peaks)
        if label != 4:
            assert (kinds == "N").all()
            continue
        assert (kinds == "V").sum() >= 1
        rr = rr_intervals(peaks, fs)
        for k in np.flatnonzero(kinds == "V"):
            if 0 < k < len(peaks) - 1:
                assert rr[k - 1] < rr[k]  # coupling interval shorter than the pause after


def detect_r_peaks(signal, fs):
    """A textbook detector: 5-20 Hz band-pass, then peaks at least 300 ms apart."""
    from scipy.signal import butter, filtfilt, find_peaks

    b, a = butter(2, [5.0, 20.0], btype="bandpass", fs=fs)
    filtered = filtfilt(b, a, signal)
    peaks, _ = find_peaks(filtered, height=0.4 * np.percentile(filtered, 99.5),
                          distance=int(0.3 * fs))
    return peaks


@pytest.mark.parametrize("rate", [125, 250, 500])
def test_a_simple_detector_finds_the_true_r_peaks_on_normal_records(rate, ecg):
    data = ecg if rate == 250 else datasets.load("ecg", n_records=25, sampling_rate_hz=rate)
    fs = data.sampling_rate_hz
    lead_ii = data.signals[:, data.channels.index("II")].astype(np.float64)
    found = total = 0
    for r in np.flatnonzero(data.labels == 0):
        truth = data.ground_truth["r_peaks"][r]
        detected = detect_r_peaks(lead_ii[r], fs)
        distance = np.abs(truth[:, None] - detected[None, :]).min(axis=1) / fs
        found += int((distance <= 0.040).sum())
        total += len(truth)
    assert total > 0 and found / total >= 0.95, found / total


@pytest.mark.parametrize("rate", [125, 250, 500, 1000])
def test_sampling_rate_sets_the_number_of_samples(rate):
    data = datasets.load("ecg", n_records=10, duration_s=3.0, sampling_rate_hz=rate)
    assert data.signals.shape == (10, 12, 3 * rate)
    assert data.sampling_rate_hz == rate
    assert all(p.max() < 3 * rate for p in data.ground_truth["r_peaks"])


def test_without_pvc_there_are_four_balanced_classes():
    data = datasets.load("ecg", n_records=20, duration_s=2.0, include_pvc=False)
    assert sorted(data.label_names) == [0, 1, 2, 3]
    assert np.bincount(data.labels).tolist() == [5] * 4


@pytest.mark.parametrize("options", [
    {"sampling_rate_hz": 300},
    {"n_records": 5},
    {"n_records": 5001},
    {"duration_s": 1.0},
    {"duration_s": 61},
    {"noise": "yes"},
    {"leads": 3},
    {"n_records": 5000, "duration_s": 60.0, "sampling_rate_hz": 1000},  # 14 GB
])
def test_invalid_ecg_options_raise(options):
    with pytest.raises(datasets.DatasetOptionError):
        datasets.load("ecg", **options)


# ---------------------------------------------------------------------------- clinical_notes

RADIOLOGY = ("pneumonia", "pleural_effusion", "pneumothorax", "cardiomegaly",
             "pulmonary_edema", "nodule", "fracture")
EMERGENCY = ("fever", "cough", "dyspnoea", "chest_pain", "abdominal_pain", "headache",
             "vomiting", "syncope")
NEGATED_SHARE = (0.30, 0.50)  # documented band for the share of negated mentions
NAIVE_MAX_ACCURACY = 0.60  # keyword matcher on notes that mention the finding


@pytest.fixture(scope="module", params=["radiology", "emergency"])
def notes(request):
    return datasets.load("clinical_notes", style=request.param)


def test_notes_frame_columns_and_sizes(notes):
    frame = notes.frame
    style = notes.ground_truth["style"]
    findings = RADIOLOGY if style == "radiology" else EMERGENCY
    assert list(frame.columns) == ["note_id", "text", *findings,
                                   *[f"{f}_uncertain" for f in findings]]
    assert len(frame) == 500 and frame["note_id"].tolist() == list(range(500))
    assert set(np.unique(frame[list(findings)].to_numpy())) <= {0, 1}
    assert set(notes.data_dictionary) == set(frame.columns)
    sentences = frame["text"].str.count(r"[.](?:\s|$)")
    assert sentences.between(2, 6).all()
    # no dates, no names: nothing like 2021-03-04, 03/04/2021 or "Mr."/"Dr."
    assert not frame["text"].str.contains(r"\d{4}-\d\d|\d+/\d+/\d+|\b(?:Mr|Mrs|Ms|Dr)\.").any()
    mentions = notes.ground_truth["mentions"]
    assert list(mentions.columns[:3]) == ["note_id", "finding", "term"]
    assert set(mentions["status"].astype(str)) == {"affirmed", "negated", "uncertain"}


def test_notes_are_deterministic_per_seed():
    a = datasets.load("clinical_notes", n_notes=50, seed=3)
    b = datasets.load("clinical_notes", n_notes=50, seed=3)
    c = datasets.load("clinical_notes", n_notes=50, seed=4)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.ground_truth["mentions"], b.ground_truth["mentions"])
    assert not a.frame["text"].equals(c.frame["text"])


def test_mention_spans_point_at_the_finding_term(notes):
    text = notes.frame.set_index("note_id")["text"]
    vocabulary = {f: {t.lower() for t in terms}
                  for f, terms in notes.ground_truth["vocabulary"].items()}
    for m in notes.ground_truth["mentions"].itertuples():
        note = text[m.note_id]
        surface = note[m.char_start:m.char_end]
        assert surface == m.term and surface.lower() in vocabulary[m.finding], m
        # whole words only
        assert m.char_start == 0 or not note[m.char_start - 1].isalnum()
        assert m.char_end == len(note) or not note[m.char_end].isalnum()


def test_note_labels_follow_the_documented_rule(notes):
    mentions = notes.ground_truth["mentions"]
    current = mentions[~mentions["historical"]]
    for finding in notes.ground_truth["vocabulary"]:
        of = current[current["finding"] == finding]
        affirmed = set(of.loc[of["status"] == "affirmed", "note_id"])
        uncertain = set(of.loc[of["status"] == "uncertain", "note_id"]) - affirmed
        expected = notes.frame["note_id"].isin(affirmed).astype(int)
        assert (notes.frame[finding] == expected).all(), finding
        flag = notes.frame["note_id"].isin(uncertain).astype(int)
        assert (notes.frame[f"{finding}_uncertain"] == flag).all(), finding
        assert not (notes.frame[finding] & notes.frame[f"{finding}_uncertain"]).any()
    assert current["finding"].groupby(current["note_id"]).nunique().max() <= 4


def test_share_of_negated_mentions_is_in_the_documented_band(notes):
    status = notes.ground_truth["mentions"]["status"]
    share = float((status == "negated").mean())
    assert NEGATED_SHARE[0] <= share <= NEGATED_SHARE[1], share
    assert (status == "uncertain").mean() > 0.08 and (status == "affirmed").mean() > 0.25


# A NegEx-like rule (Chapman et al. 2001), written here, not taken from the generator.
PSEUDO_NEGATION = ("no interval change", "no change")
PRE_UNCERTAIN = ("possible", "probable", "likely", "questionable", "cannot exclude",
                 "cannot rule out", "may represent", "suggestive of", "concerning for",
                 "may have had", "?", "unclear if")
POST_UNCERTAIN = ("cannot be excluded", "not excluded", "not entirely excluded")
PRE_NEGATION = ("no", "denies", "without", "negative for", "not", "free of")
POST_NEGATION = ("not seen", "not identified", "ruled out", "absent")
WINDOW = 6  # words before the term


def negex(text: str, start: int, end: int) -> str:
    sentence_start = max(text.rfind(". ", 0, start), text.rfind(": ", 0, start))
    before = text[0 if sentence_start < 0 else sentence_start + 2:start].lower()
    before = re.split(r"\bbut\b|\bhowever\b|;", before)[-1]  # the scope ends at "but"
    after = re.split(r"\.(?:\s|$)|,|\bbut\b", text[end:].lower())[0]
    pre = " " + " ".join(re.findall(r"[a-z?/+]+", before)[-WINDOW:]) + " "
    post = " " + " ".join(re.findall(r"[a-z?/+]+", after)[:4]) + " "
    if any(f" {cue} " in pre for cue in PSEUDO_NEGATION):
        return "affirmed"
    if any(f" {cue} " in pre for cue in PRE_UNCERTAIN) or any(
            f" {cue} " in post for cue in POST_UNCERTAIN):
        return "uncertain"
    if any(f" {cue} " in pre for cue in PRE_NEGATION) or any(
            f" {cue} " in post for cue in POST_NEGATION):
        return "negated"
    return "affirmed"


def test_negation_matters_naive_keywords_fail_and_a_negex_rule_recovers_it(notes):
    frame = notes.frame
    mentions = notes.ground_truth["mentions"]
    text = frame["text"].str.lower()
    naive_right = naive_total = 0
    for finding, terms in notes.ground_truth["vocabulary"].items():
        pattern = r"\b(?:" + "|".join(re.escape(t.lower()) for t in terms) + r")\b"
        said = text.str.contains(pattern)
        assert (said == frame["note_id"].isin(mentions.loc[mentions["finding"] == finding,
                                                           "note_id"])).all()
        naive_right += int((frame.loc[said, finding] == 1).sum())
        naive_total += int(said.sum())
    naive_accuracy = naive_right / naive_total
    assert naive_accuracy < NAIVE_MAX_ACCURACY, naive_accuracy

    by_id = frame.set_index("note_id")["text"]
    predicted = np.array([negex(by_id[m.note_id], m.char_start, m.char_end)
                          for m in mentions.itertuples()])
    truth = mentions["status"].astype(str).to_numpy()
    negated = truth == "negated"
    recall = (predicted[negated] == "negated").mean()
    accuracy = ((predicted == "negated") == negated).mean()
    assert recall >= 0.90 and accuracy >= 0.90, (recall, accuracy)
    # three statuses too, and clearly better than keywords at the note level
    assert (predicted == truth).mean() >= 0.85
    hits = mentions.assign(pred=predicted)  # the rule knows nothing of "history of"
    positive = hits[hits["pred"] == "affirmed"].groupby(["note_id", "finding"]).size()
    said = mentions.groupby(["note_id", "finding"]).size().index
    labels = frame.set_index("note_id")
    rule_accuracy = np.mean([int((n, f) in positive.index) == labels.at[n, f] for n, f in said])
    assert rule_accuracy > naive_accuracy + 0.3, (rule_accuracy, naive_accuracy)


@pytest.mark.parametrize("options", [
    {"n_notes": 10},
    {"n_notes": 20001},
    {"style": "pathology"},
    {"seed": -1},
    {"language": "de"},
])
def test_invalid_notes_options_raise(options):
    with pytest.raises(datasets.DatasetOptionError):
        datasets.load("clinical_notes", **options)
