"""Synthetic clinical notes with negation and uncertainty: ``load("clinical_notes")``.

Short chest X-ray reports (``style="radiology"``) or emergency-department
triage notes (``style="emergency"``) written by a small template grammar. Each
note mentions one to four findings from a fixed vocabulary; each mention is
affirmed, negated or uncertain (ED notes also have historical mentions, "history
of ..."), with varied wording, abbreviations and a few deliberately hard cases
for rule-based negation detection (NegEx, Chapman et al. 2001): pseudo-negation
("no interval change in the effusion"), negation after the term ("pneumothorax
is not seen"), scope that ends at "but", lists after one cue, "afebrile", and
"resolution of". Every mention's status and character span is in
``ground_truth["mentions"]``. No names or dates; ages and vital signs are random.

Note-level labels: column ``<finding>`` is 1 if the note has an affirmed,
current (not historical) mention of the finding, else 0 (negated, uncertain,
historical only, or not mentioned). Column ``<finding>_uncertain`` is 1 if the
finding's only current mentions are uncertain (then ``<finding>`` is 0).

One ``numpy.random.default_rng(seed)`` drives every choice; the same seed gives
the same notes. numpy and pandas are imported when the loader runs.
"""

from __future__ import annotations

import re
from typing import Any

from medai.datasets.registry import DatasetSpec, Option

NAME = "clinical_notes"
STATUSES = ("affirmed", "negated", "uncertain")

# ---------------------------------------------------------------------------
# Vocabulary: finding -> terms as (surface, kind, modifiers). kind: "count" takes
# "a/an" and "is", "mass" takes no article and "is", "plural" takes "are".
# ---------------------------------------------------------------------------
_LOBES = ("right lower lobe ", "left lower lobe ", "right middle lobe ", "left upper lobe ",
          "bibasilar ", "patchy ", "multifocal ", "")
RADIOLOGY_TERMS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "pneumonia": [
        ("pneumonia", "mass", _LOBES),
        ("consolidation", "count", _LOBES),
        ("airspace disease", "mass", _LOBES),
        ("infiltrate", "count", _LOBES),
    ],
    "pleural_effusion": [
        ("pleural effusion", "count", ("small left ", "small right ", "moderate right ",
                                       "large left ", "trace left ", "layering right ", "")),
        ("effusion", "count", ("small left ", "small right ", "moderate left ", "")),
        ("pleural effusions", "plural", ("bilateral ", "small bilateral ", "")),
    ],
    "pneumothorax": [
        ("pneumothorax", "count", ("small left apical ", "small right ", "tiny right apical ",
                                   "large left ", "left ", "")),
        ("PTX", "count", ("small right ", "left apical ", "")),
    ],
    "cardiomegaly": [
        ("cardiomegaly", "mass", ("mild ", "moderate ", "marked ", "")),
        ("cardiac enlargement", "mass", ("mild ", "moderate ", "")),
        ("enlargement of the cardiac silhouette", "mass", ("mild ", "")),
    ],
    "pulmonary_edema": [
        ("pulmonary edema", "mass", ("mild ", "moderate ", "severe ", "")),
        ("pulmonary oedema", "mass", ("mild ", "moderate ", "")),
        ("interstitial edema", "mass", ("mild ", "")),
        ("edema", "mass", ("mild interstitial ", "alveolar ", "")),
    ],
    "nodule": [
        ("nodule", "count", ("8 mm right upper lobe ", "6 mm ", "small left lower lobe ",
                             "right apical ", "calcified ", "")),
        ("pulmonary nodule", "count", ("5 mm ", "solitary ", "")),
        ("nodules", "plural", ("multiple ", "scattered small ", "")),
        ("nodular opacity", "count", ("right upper lobe ", "")),
    ],
    "fracture": [
        ("rib fracture", "count", ("displaced right sixth ", "nondisplaced left lateral ",
                                   "acute right posterior ", "healing left ", "")),
        ("fracture", "count", ("left clavicle ", "acute right rib ", "")),
        ("rib fractures", "plural", ("multiple left ", "right-sided ", "")),
    ],
}
EMERGENCY_TERMS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "fever": [
        ("fever", "mass", ("high ", "low-grade ", "")),
        ("fevers", "plural", ("intermittent ", "")),
        ("pyrexia", "mass", ("",)),
    ],
    "cough": [
        ("cough", "count", ("persistent ", "")),
        ("productive cough", "count", ("",)),
        ("dry cough", "count", ("persistent ", "")),
    ],
    "dyspnoea": [
        ("shortness of breath", "mass", ("worsening ", "exertional ", "")),
        ("SOB", "mass", ("exertional ", "")),
        ("dyspnoea", "mass", ("exertional ", "")),
        ("dyspnea", "mass", ("",)),
        ("difficulty breathing", "mass", ("",)),
    ],
    "chest_pain": [
        ("chest pain", "mass", ("substernal ", "left-sided ", "pleuritic ", "")),
        ("CP", "mass", ("substernal ", "")),
        ("chest tightness", "mass", ("",)),
        ("chest discomfort", "mass", ("",)),
    ],
    "abdominal_pain": [
        ("abdominal pain", "mass", ("diffuse ", "crampy ", "")),
        ("abd pain", "mass", ("",)),
        ("epigastric pain", "mass", ("",)),
        ("RLQ pain", "mass", ("",)),
    ],
    "headache": [
        ("headache", "count", ("severe ", "frontal ", "")),
        ("HA", "mass", ("",)),
    ],
    "vomiting": [
        ("vomiting", "mass", ("persistent ", "")),
        ("emesis", "mass", ("",)),
        ("N/V", "mass", ("",)),
    ],
    "syncope": [
        ("syncope", "mass", ("witnessed ", "")),
        ("syncopal episode", "count", ("brief ", "")),
        ("loss of consciousness", "mass", ("brief ", "")),
        ("LOC", "mass", ("",)),
    ],
}
TERMS = {"radiology": RADIOLOGY_TERMS, "emergency": EMERGENCY_TERMS}
# Relative frequency with which a finding is mentioned at all (korean: as emergency).
FINDING_WEIGHTS = {
    "radiology": {"pneumonia": 1.5, "pleural_effusion": 1.5, "pneumothorax": 1.2,
                  "cardiomegaly": 1.2, "pulmonary_edema": 1.0, "nodule": 0.8, "fracture": 0.6},
    "emergency": {"fever": 1.3, "cough": 1.2, "dyspnoea": 1.2, "chest_pain": 1.3,
                  "abdominal_pain": 1.0, "headache": 0.9, "vomiting": 0.9, "syncope": 0.7},
}
FINDING_WEIGHTS["korean"] = dict(FINDING_WEIGHTS["emergency"])
# Number of findings mentioned per note: 1, 2, 3 or 4.
N_FINDINGS_P = (0.20, 0.35, 0.30, 0.15)
# Status of each mentioned finding. "historical" is status "affirmed" with
# historical=True in the mention table (ED notes only).
STATUS_P = {
    "radiology": {"affirmed": 0.35, "negated": 0.45, "uncertain": 0.20},
    "emergency": {"affirmed": 0.35, "negated": 0.40, "uncertain": 0.13, "historical": 0.12},
    "korean": {"affirmed": 0.35, "negated": 0.40, "uncertain": 0.15, "historical": 0.10},
}
LIST_P = 0.5  # two or more negated findings: chance they share one list sentence
CONTRAST_P = 0.15  # a negated and an affirmed finding: chance of "No X, but there is Y"
HEADERS_P = 0.6  # radiology: FINDINGS:/IMPRESSION: sections

# ---------------------------------------------------------------------------
# Grammar. Placeholders: {T1} the finding term, {mod1} its modifier, {art1}
# "a "/"an " for countable terms, {be1} "is"/"are"; 2 and 3 for further
# findings. Each template is (text, cue, weight); the cue is what makes the
# status (stored in the mention table for instructors).
# ---------------------------------------------------------------------------
RADIOLOGY_TEMPLATES = {
    "affirmed": [
        ("There {be1} {art1}{mod1}{T1}.", "", 3),
        ("{mod1}{T1} {be1} present.", "", 2),
        ("{mod1}{T1} {be1} again seen.", "again seen", 1),
        ("{mod1}{T1}.", "", 2),
        ("Findings are consistent with {art1}{mod1}{T1}.", "consistent with", 1),
        ("Redemonstration of {art1}{mod1}{T1}.", "redemonstration of", 1),
        ("Interval increase in the {mod1}{T1}.", "interval increase", 1),
        ("No interval change in the {mod1}{T1}.", "no interval change (pseudo-negation)", 1),
        ("Unchanged {mod1}{T1}.", "unchanged", 1),
        ("New {mod1}{T1} compared with the prior study.", "new", 1),
    ],
    "negated": [
        ("No {T1}.", "no", 4),
        ("No {T1} {be1} seen.", "no", 2),
        ("There {be1} no {T1}.", "no", 2),
        ("No evidence of {T1}.", "no evidence of", 2),
        ("No radiographic evidence of {T1}.", "no radiographic evidence of", 1),
        ("Negative for {T1}.", "negative for", 1),
        ("{without}", "without", 2),
        ("{T1} {be1} not seen.", "not seen (after the term)", 1),
        ("{T1} {be1} not identified.", "not identified (after the term)", 1),
        ("{T1} {be1} ruled out.", "ruled out (after the term)", 0.5),
        ("Resolution of the previously seen {mod1}{T1}.", "resolution of", 0.5),
    ],
    "uncertain": [
        ("Possible {mod1}{T1}.", "possible", 2),
        ("Probable {mod1}{T1}.", "probable", 1),
        ("Likely {mod1}{T1}.", "likely", 1),
        ("Questionable {mod1}{T1}.", "questionable", 1),
        ("Cannot exclude {art1}{mod1}{T1}.", "cannot exclude", 2),
        ("{mod1}{T1} cannot be excluded.", "cannot be excluded", 1),
        ("Cannot rule out {art1}{mod1}{T1}.", "cannot rule out", 1),
        ("Findings may represent {art1}{mod1}{T1}.", "may represent", 1),
        ("Findings suggestive of {art1}{mod1}{T1}.", "suggestive of", 1),
        ("Findings concerning for {art1}{mod1}{T1}.", "concerning for", 1),
        ("{mod1}{T1} {be1} not entirely excluded.", "not entirely excluded", 0.5),
    ],
}
# "without" needs a finding-specific context so the sentence makes sense.
RADIOLOGY_WITHOUT = {
    "pneumonia": "Lung volumes are normal without focal {T1}.",
    "pleural_effusion": "The costophrenic angles are sharp without {T1}.",
    "pneumothorax": "Right internal jugular line in place without {T1}.",
    "cardiomegaly": "Heart size is normal, without {T1}.",
    "pulmonary_edema": "Pulmonary vasculature is normal without {T1}.",
    "nodule": "No suspicious mass or {T1}.",
    "fracture": "Osseous structures are intact without acute {T1}.",
}
RADIOLOGY_LISTS = [  # all findings negated
    ("No {T1} or {T2}.", "no", 3),
    ("No {T1}, {T2} or {T3}.", "no", 2),
    ("There is no {T1} or {T2}.", "no", 1),
    ("No evidence of {T1} or {T2}.", "no evidence of", 1),
    ("Negative for {T1}, {T2} or {T3}.", "negative for", 1),
]
RADIOLOGY_CONTRAST = [  # T1 negated, T2 affirmed: negation scope ends at "but"
    ("No {T1}, but there {be2} {art2}{mod2}{T2}.", "no ... but", 1),
]
RADIOLOGY_IMPRESSION = {
    "affirmed": [("{mod1}{T1}.", "", 1), ("Findings consistent with {mod1}{T1}.",
                                           "consistent with", 1)],
    "uncertain": [("Possible {mod1}{T1}.", "possible", 1),
                  ("{mod1}{T1} cannot be excluded.", "cannot be excluded", 1)],
    "none": ["No acute cardiopulmonary process.", "No acute findings."],
}
RADIOLOGY_FILLERS = [
    "The trachea is midline.", "Mediastinal contours are within normal limits.",
    "Degenerative changes of the thoracic spine.", "Median sternotomy wires are intact.",
    "Visualized upper abdomen is unremarkable.", "Support devices are unchanged.",
    "Low lung volumes.", "The patient is slightly rotated.",
]
RADIOLOGY_TECHNIQUE = [
    "PA and lateral views of the chest.", "Single portable AP view of the chest.",
    "Comparison: prior chest radiograph.", "Comparison: none.",
    "Indication: follow-up.", "Indication: preoperative assessment.",
]

EMERGENCY_TEMPLATES = {
    "affirmed": [
        ("Presents with {art1}{mod1}{T1}.", "presents with", 2),
        ("Reports {mod1}{T1} since yesterday.", "reports", 2),
        ("C/o {mod1}{T1} x {dur}.", "c/o", 2),
        ("Complains of {mod1}{T1}.", "complains of", 1),
        ("Endorses {mod1}{T1}.", "endorses", 1),
        ("+ {T1}.", "+", 1),
        ("{mod1}{T1} started {dur} ago.", "", 1),
        ("Pt reports worsening {T1}.", "reports", 1),
    ],
    "negated": [
        ("Denies {T1}.", "denies", 4),
        ("Pt denies {mod1}{T1}.", "denies", 2),
        ("No {T1}.", "no", 2),
        ("Negative for {T1}.", "negative for", 1),
        ("Denies any {T1}.", "denies", 1),
        ("Does not report {T1}.", "does not report", 1),
    ],
    "uncertain": [
        ("Possible {mod1}{T1}.", "possible", 2),
        ("Questionable {T1} at home.", "questionable", 1),
        ("? {T1}.", "?", 1),
        ("May have had {mod1}{T1}.", "may have had", 1),
        ("Reports possible {T1}.", "possible", 1),
        ("Unclear if {T1} occurred.", "unclear if", 1),
    ],
    "historical": [
        ("Hx of {T1}.", "hx of", 2),
        ("History of {mod1}{T1}.", "history of", 2),
        ("PMH significant for {T1}.", "pmh significant for", 1),
    ],
}
# fever has adjective forms: "febrile" (affirmed) and "afebrile" (negated, no separate cue)
EMERGENCY_FEVER_SPECIAL = {
    "affirmed": ("{T1} to {temp} C in triage.", "febrile", "febrile"),
    "negated": ("{T1} in triage.", "afebrile (one word)", "afebrile"),
}
EMERGENCY_LISTS = [  # all findings negated; {x} is a symptom outside the vocabulary
    ("Denies {T1}, {x} or {T2}.", "denies", 2),
    ("Denies {T1}, {T2} or {T3}.", "denies", 2),
    ("No {T1} or {T2}.", "no", 1),
    ("Negative for {T1}, {T2}, {x}.", "negative for", 1),
]
EMERGENCY_CONTRAST = [("Denies {T1} but reports {mod2}{T2}.", "denies ... but", 1)]
EMERGENCY_DISTRACTORS = ["chills", "rash", "diarrhoea", "leg swelling", "dysuria",
                         "sore throat", "palpitations"]
EMERGENCY_FILLERS = [
    "Vitals: HR {hr}, BP {sbp}/{dbp}, RR {rr}, SpO2 {sat}% on RA.", "Arrived by EMS.",
    "Ambulatory to triage.", "Triage level ESI {esi}.", "Tolerating PO.",
    "PMH: {pmh}.", "Allergies: NKDA.", "Meds reviewed.",
]
EMERGENCY_PMH = ["HTN", "HLD", "DM2", "asthma", "GERD", "CKD", "hypothyroidism", "OA"]
EMERGENCY_DURATIONS = ["2 days", "3 hours", "1 week", "4 days", "12 hours", "2 weeks"]

# ---------------------------------------------------------------------------
# Korean emergency/ward notes (style="korean"): the emergency findings, written
# as Korean notes are, Korean with English terms and abbreviations mixed in.
# Korean negation and uncertainty usually come AFTER the term ("발열 없음",
# "r/o 폐렴" is the exception), and particles are glued to the term ("발열은"),
# so whitespace tokens rarely equal the vocabulary term. Terms are (surface,
# final sound, modifiers); the final sound of the Korean reading chooses the
# particle: "open" (no final consonant: 는/가/를/로), "batchim" (은/이/을/으로),
# "rieul" (final ㄹ: 은/이/을/로). Hangul terms are checked against their
# last syllable by the tests.
# ---------------------------------------------------------------------------
KOREAN_TERMS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "fever": [("발열", "rieul", ("간헐적 ", "")), ("열감", "batchim", ("",)),
              ("fever", "open", ("",))],
    "cough": [("기침", "batchim", ("지속적인 ", "")), ("마른기침", "batchim", ("",)),
              ("cough", "open", ("",))],
    "dyspnoea": [("호흡곤란", "batchim", ("운동 시 ", "")), ("숨참", "batchim", ("",)),
                 ("SOB", "open", ("",)), ("dyspnea", "open", ("",))],
    "chest_pain": [("흉통", "batchim", ("쥐어짜는 듯한 ", "좌측 ", "")),
                   ("가슴 통증", "batchim", ("",)), ("CP", "open", ("",)),
                   ("chest pain", "batchim", ("",))],
    "abdominal_pain": [("복통", "batchim", ("간헐적 ", "")), ("상복부 통증", "batchim", ("",)),
                       ("abd pain", "batchim", ("",)), ("RLQ pain", "batchim", ("",))],
    "headache": [("두통", "batchim", ("심한 ", "전두부 ", "")), ("HA", "open", ("",))],
    "vomiting": [("구토", "open", ("반복적인 ", "")), ("오심/구토", "open", ("",)),
                 ("N/V", "open", ("",))],
    "syncope": [("실신", "batchim", ("일시적 ", "")), ("의식소실", "rieul", ("",)),
                ("LOC", "open", ("",))],
}
TERMS["korean"] = KOREAN_TERMS
# particle placeholder -> (after a final consonant, after none); 로 also follows ㄹ
KOREAN_PARTICLES = {"은": ("은", "는"), "이": ("이", "가"), "을": ("을", "를"),
                    "로": ("으로", "로")}
KOREAN_TEMPLATES = {
    "affirmed": [
        ("{mod1}{T1} 호소함.", "호소", 3),
        ("{dur} 전부터 {mod1}{T1} 있음.", "있음", 2),
        ("{T1} (+).", "(+)", 2),
        ("{mod1}{T1}{이1} 지속됨.", "지속", 1),
        ("c/o {mod1}{T1} x {dur}.", "c/o", 1),
        ("내원 당시 {mod1}{T1} 동반됨.", "동반", 1),
        ("{T1} 호전 없음.", "호전 없음 (pseudo-negation)", 1),
    ],
    "negated": [
        ("{T1} 없음.", "없음", 4),
        ("{T1}{은1} 없다고 함.", "없다고 함", 2),
        ("{T1} (-).", "(-)", 2),
        ("{T1}{은1} 부인함.", "부인", 2),
        ("{T1}{은1} 호소하지 않음.", "호소하지 않음", 1),
        ("{T1}{은1} 관찰되지 않음.", "관찰되지 않음", 1),
        ("{T1} denied.", "denied", 0.5),
    ],
    "uncertain": [
        ("{mod1}{T1} 의심됨.", "의심", 2),
        ("r/o {T1}.", "r/o", 1),
        ("{T1} 가능성 있음.", "가능성", 1),
        ("{T1} 여부 불확실함.", "불확실", 1),
        ("{T1}{이1} 있었을 수도 있다고 함.", "있었을 수도", 1),
        ("{T1} 배제할 수 없음.", "배제할 수 없음", 1),
        ("{T1}?", "?", 0.5),
    ],
    "historical": [
        ("과거력: {T1}.", "과거력", 2),
        ("{T1} 병력 있음.", "병력", 1),
        ("Hx of {T1}.", "hx of", 1),
    ],
}
KOREAN_LISTS = [  # all findings negated; {x} is a symptom outside the vocabulary
    ("{T1}, {x}, {T2} 없음.", "없음", 2),
    ("{T1}, {T2}, {T3} 모두 없음.", "없음", 1),
    ("{T1}/{T2} (-).", "(-)", 2),
    ("{T1}, {T2}{은2} 부인함.", "부인", 1),
]
KOREAN_CONTRAST = [  # T1 negated, T2 affirmed: the scope ends at -으나 / 없이
    ("{T1}{은1} 없으나 {mod2}{T2}{은2} 있음.", "없으나", 1),
    ("{T1} 없이 {mod2}{T2}만 호소함.", "없이", 1),
]
KOREAN_DISTRACTORS = ["오한", "발진", "설사", "하지 부종", "배뇨통", "인후통", "두근거림"]
KOREAN_FILLERS = [
    "V/S: {sbp}/{dbp}-{hr}-{rr}, SpO2 {sat}%.", "구급차로 내원함.", "보행하여 내원함.",
    "KTAS {esi}.", "PHx: {kpmh}.", "약물 알레르기 없음.", "복용약 확인함.",
]
KOREAN_PMH = ["HTN", "DM", "고혈압", "당뇨", "천식", "CKD", "이상지질혈증", "갑상선기능저하증"]
KOREAN_DURATIONS = ["2일", "3시간", "1주일", "4일", "12시간", "2주"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _article(following: str) -> str:
    return "an " if following[:1].lower() in set("aeiou8") else "a "


def _fill(template: str, mentions: list[dict], extra: dict[str, str]) -> tuple[str, list]:
    """Render one sentence; returns its text and (mention index, start, end) spans."""
    parts = _PLACEHOLDER.split(template)  # literal, name, literal, name, ...
    values: list[str | None] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            values.append(part)
            continue
        key, index = (part[:-1], int(part[-1]) - 1) if part[-1].isdigit() else (part, 0)
        if key == "T":
            values.append(mentions[index]["surface"])
        elif key == "mod":
            values.append(mentions[index]["mod"])
        elif key == "be":
            values.append("are" if mentions[index]["kind"] == "plural" else "is")
        elif key == "art":
            values.append(None)  # decided once the following text is known
        else:
            values.append(extra[key])
    for i, value in enumerate(values):
        if value is None:
            index = int(parts[i][-1]) - 1 if parts[i][-1].isdigit() else 0
            if mentions[index]["kind"] != "count":
                values[i] = ""
            else:
                following = "".join(v for v in values[i + 1:] if v)
                values[i] = _article(following)
    text, spans, position = "", [], 0
    for i, value in enumerate(values):
        if i % 2 == 1 and parts[i].rstrip("0123456789") == "T":
            index = int(parts[i][-1]) - 1 if parts[i][-1].isdigit() else 0
            spans.append((index, position, position + len(value)))
        text += value
        position += len(value)
    return text[:1].upper() + text[1:], spans


def _pick(rng, options):
    """One (template, cue, weight) tuple, drawn by weight."""
    import numpy as np

    weights = np.array([w for *_, w in options], dtype=float)
    return options[int(rng.choice(len(options), p=weights / weights.sum()))]


def _term(rng, style: str, finding: str, allow_plural: bool = True) -> dict:
    terms = [t for t in TERMS[style][finding] if allow_plural or t[1] != "plural"]
    surface, kind, mods = terms[int(rng.integers(len(terms)))]
    return {"finding": finding, "surface": surface, "kind": kind,
            "mod": mods[int(rng.integers(len(mods)))]}


def _extras(rng) -> dict[str, str]:
    sbp = int(rng.integers(95, 171))
    return {
        "dur": EMERGENCY_DURATIONS[int(rng.integers(len(EMERGENCY_DURATIONS)))],
        "temp": f"{rng.uniform(38.1, 39.9):.1f}",
        "x": EMERGENCY_DISTRACTORS[int(rng.integers(len(EMERGENCY_DISTRACTORS)))],
        "hr": str(int(rng.integers(60, 121))), "sbp": str(sbp),
        "dbp": str(sbp - int(rng.integers(30, 61))), "rr": str(int(rng.integers(12, 25))),
        "sat": str(int(rng.integers(92, 101))), "esi": str(int(rng.integers(2, 5))),
        "pmh": ", ".join(rng.choice(EMERGENCY_PMH, size=int(rng.integers(1, 4)),
                                    replace=False)),
    }


def _sentence(rng, style: str, items: list[tuple[str, str]], kind: str) -> dict:
    """One sentence about the findings in ``items`` [(finding, status), ...].

    kind: "single", "list" (all negated) or "contrast" (negated, then affirmed).
    Returns {"text", "spans": [(finding, status, historical, cue, start, end)]}.
    """
    extra = _extras(rng)
    radiology = style == "radiology"
    if kind == "list":
        pool = RADIOLOGY_LISTS if radiology else EMERGENCY_LISTS
        pool = [t for t in pool if t[0].count("{T") == len(items)]
        template, cue, _ = _pick(rng, pool)
        plural_ok = "There is" not in template
        mentions = [_term(rng, style, f, allow_plural=plural_ok) for f, _ in items]
        statuses = [("negated", False, cue)] * len(items)
    elif kind == "contrast":
        template, cue, _ = _pick(rng, RADIOLOGY_CONTRAST if radiology else EMERGENCY_CONTRAST)
        mentions = [_term(rng, style, items[0][0], allow_plural=False),
                    _term(rng, style, items[1][0])]
        statuses = [("negated", False, cue), ("affirmed", False, "")]
    else:
        finding, status = items[0]
        special = None if radiology or finding != "fever" else EMERGENCY_FEVER_SPECIAL.get(status)
        if special is not None and rng.uniform() < 0.3:
            template, cue, surface = special
            mentions = [{"finding": finding, "surface": surface, "kind": "mass", "mod": ""}]
        else:
            table = RADIOLOGY_TEMPLATES if radiology else EMERGENCY_TEMPLATES
            template, cue, _ = _pick(rng, table[status])
            mentions = [_term(rng, style, finding)]
            if template == "{without}":
                template = RADIOLOGY_WITHOUT[finding]
                cue = "no" if template.startswith("No ") else cue
                mentions[0]["surface"] = _singular(rng, style, finding, mentions[0])
        historical = status == "historical"
        statuses = [("affirmed" if historical else status, historical, cue)]
    text, spans = _fill(template, mentions, extra)
    return {"text": text, "mentions": mentions,
            "spans": [(mentions[i]["finding"], *statuses[i], a, b) for i, a, b in spans]}


def _singular(rng, style: str, finding: str, mention: dict) -> str:
    """A singular term for templates that need one (keeps the drawn term if it is)."""
    if mention["kind"] != "plural":
        return mention["surface"]
    mention.update(_term(rng, style, finding, allow_plural=False))
    return mention["surface"]


def _final_sound(surface: str, declared: str) -> str:
    """"open", "batchim" or "rieul" for the last syllable (Hangul); else as declared."""
    last = surface[-1]
    if "가" <= last <= "힣":
        coda = (ord(last) - ord("가")) % 28
        return "open" if coda == 0 else "rieul" if coda == 8 else "batchim"
    return declared


def _particle(mention: dict, key: str) -> str:
    """The form of a Korean particle that fits the term before it (은/는, 이/가, ...)."""
    after_consonant, after_vowel = KOREAN_PARTICLES[key]
    sound = _final_sound(mention["surface"], mention["kind"])
    if key == "로":
        return after_consonant if sound == "batchim" else after_vowel
    return after_vowel if sound == "open" else after_consonant


def _korean_fill(template: str, mentions: list[dict], extra: dict[str, str]):
    """Render one Korean sentence; returns its text and (mention index, start, end) spans."""
    parts = _PLACEHOLDER.split(template)
    text, spans = "", []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            text += part
            continue
        key, index = (part[:-1], int(part[-1]) - 1) if part[-1].isdigit() else (part, 0)
        if key == "T":
            spans.append((index, len(text), len(text) + len(mentions[index]["surface"])))
            text += mentions[index]["surface"]
        elif key == "mod":
            text += mentions[index]["mod"]
        elif key in KOREAN_PARTICLES:
            text += _particle(mentions[index], key)
        else:
            text += extra[key]
    return text, spans


def _korean_extras(rng) -> dict[str, str]:
    sbp = int(rng.integers(95, 171))
    return {
        "dur": KOREAN_DURATIONS[int(rng.integers(len(KOREAN_DURATIONS)))],
        "x": KOREAN_DISTRACTORS[int(rng.integers(len(KOREAN_DISTRACTORS)))],
        "hr": str(int(rng.integers(60, 121))), "sbp": str(sbp),
        "dbp": str(sbp - int(rng.integers(30, 61))), "rr": str(int(rng.integers(12, 25))),
        "sat": str(int(rng.integers(92, 101))), "esi": str(int(rng.integers(2, 5))),
        "kpmh": "/".join(rng.choice(KOREAN_PMH, size=int(rng.integers(1, 3)), replace=False)),
    }


def _korean_sentence(rng, items: list[tuple[str, str]], kind: str) -> dict:
    """One Korean sentence about ``items``; same return value as :func:`_sentence`."""
    extra = _korean_extras(rng)
    if kind == "list":
        pool = [t for t in KOREAN_LISTS if t[0].count("{T") == len(items)]
        template, cue, _ = _pick(rng, pool)
        statuses = [("negated", False, cue)] * len(items)
    elif kind == "contrast":
        template, cue, _ = _pick(rng, KOREAN_CONTRAST)
        statuses = [("negated", False, cue), ("affirmed", False, "")]
    else:
        status = items[0][1]
        template, cue, _ = _pick(rng, KOREAN_TEMPLATES[status])
        historical = status == "historical"
        statuses = [("affirmed" if historical else status, historical, cue)]
    mentions = [_term(rng, "korean", f) for f, _ in items]
    text, spans = _korean_fill(template, mentions, extra)
    return {"text": text, "mentions": mentions,
            "spans": [(mentions[i]["finding"], *statuses[i], a, b) for i, a, b in spans]}


def _sentence_groups(rng, items: list[tuple[str, str]]) -> list[tuple[list, str]]:
    """The mentioned (finding, status) pairs grouped into sentences, in random order: now
    and then a negated and an affirmed finding in one contrast ("No X, but Y") and
    negated findings in one list, else one finding a sentence."""
    groups: list[tuple[list, str]] = []
    negated = [it for it in items if it[1] == "negated"]
    affirmed = [it for it in items if it[1] == "affirmed"]
    if negated and affirmed and rng.uniform() < CONTRAST_P:
        pair = [negated[0], affirmed[0]]
        groups.append((pair, "contrast"))
        items = [it for it in items if it not in pair]
        negated = negated[1:]
    if len(negated) >= 2 and rng.uniform() < LIST_P:
        listed = negated[:3]
        groups.append((listed, "list"))
        items = [it for it in items if it not in listed]
    groups += [([it], "single") for it in items]
    return [groups[i] for i in rng.permutation(len(groups))]


def _korean_note(rng, items: list[tuple[str, str]]) -> list[dict]:
    """The sentences of one Korean ED note about ``items`` (already grouped by _note)."""
    body = [_korean_sentence(rng, g, kind) for g, kind in _sentence_groups(rng, items)]

    extra = _korean_extras(rng)
    age = int(rng.integers(18, 91))
    who = [f"{age}/{'MF'[int(rng.integers(2))]}", f"{age}세 {'남여'[int(rng.integers(2))]}자"][
        int(rng.integers(2))]
    chief = None
    for j, sentence in enumerate(body):
        spans = sentence["spans"]
        if len(spans) == 1 and spans[0][1] == "affirmed" and not spans[0][2]:
            chief = body.pop(j)
            break
    if chief is not None and rng.uniform() < 0.7:
        finding = chief["spans"][0][0]
        mention = _term(rng, "korean", finding)
        template = ["{who}, {dur} 전부터 시작된 {mod1}{T1}{로1} 내원함.",
                    "{who}, C.C: {mod1}{T1} ({dur} 전부터)."][int(rng.integers(2))]
        text, spans = _korean_fill(template, [mention], dict(extra, who=who))
        chief = {"text": text, "spans": [(finding, "affirmed", False, "내원/C.C", a, b)
                                         for _, a, b in spans]}
    else:
        if chief is not None:
            body.insert(0, chief)
        chief = {"text": f"{who}, 평가 위해 내원함.", "spans": []}
    n_fill = int(rng.integers(0, 3))
    filler_idx = rng.choice(len(KOREAN_FILLERS), size=n_fill, replace=False)
    fillers = [_korean_fill(KOREAN_FILLERS[int(i)], [], extra)[0] for i in filler_idx]
    while 1 + len(body) + len(fillers) > 6:
        fillers.pop()
    while 1 + len(body) + len(fillers) < 2:
        fillers.append(_korean_fill(KOREAN_FILLERS[int(rng.integers(len(KOREAN_FILLERS)))],
                                    [], extra)[0])
    return [chief, *body, *[{"text": f, "spans": []} for f in fillers]]


def _note(rng, style: str) -> tuple[str, list]:
    """One note: its text and mentions (finding, status, historical, cue, start, end)."""
    import numpy as np

    weights = FINDING_WEIGHTS[style]
    names = list(weights)
    p = np.array([weights[f] for f in names])
    k = int(rng.choice(len(N_FINDINGS_P), p=N_FINDINGS_P)) + 1
    chosen = [names[i] for i in rng.choice(len(names), size=k, replace=False, p=p / p.sum())]
    status_names = list(STATUS_P[style])
    status_p = np.array(list(STATUS_P[style].values()))
    statuses = [status_names[int(rng.choice(len(status_names), p=status_p))] for _ in chosen]
    items = list(zip(chosen, statuses, strict=True))
    if style == "korean":
        return _joined(_korean_note(rng, items))

    radiology = style == "radiology"
    body = [_sentence(rng, style, g, kind) for g, kind in _sentence_groups(rng, items)]
    fillers = RADIOLOGY_FILLERS if radiology else EMERGENCY_FILLERS
    n_fill = int(rng.integers(0, 3))
    extra = _extras(rng)
    filler_idx = rng.choice(len(fillers), size=n_fill, replace=False)
    filler_text = [_fill(fillers[int(i)], [], extra)[0] for i in filler_idx]

    if radiology:
        headers = rng.uniform() < HEADERS_P
        lead = ([RADIOLOGY_TECHNIQUE[int(rng.integers(len(RADIOLOGY_TECHNIQUE)))]]
                if rng.uniform() < 0.6 else [])
        impression = None
        if headers:
            key_items = [(f, s) for f, s in zip(chosen, statuses, strict=True)
                         if s in ("affirmed", "uncertain")]
            if key_items:
                f, s = key_items[int(rng.integers(len(key_items)))]
                template, cue, _ = _pick(rng, RADIOLOGY_IMPRESSION[s])
                # restate the finding with the same term and modifier as in FINDINGS
                same = next(m for b in body for m in b["mentions"] if m["finding"] == f)
                text, spans = _fill(template, [same], {})
                impression = {"text": text, "spans": [(f, s, False, cue, a, b)
                                                      for _, a, b in spans]}
            else:
                none = RADIOLOGY_IMPRESSION["none"]
                impression = {"text": none[int(rng.integers(len(none)))], "spans": []}
        # keep 2-6 sentences: drop fillers, then the technique line, then the impression
        while len(lead) + len(body) + len(filler_text) + (impression is not None) > 6:
            if filler_text:
                filler_text.pop()
            elif lead:
                lead.pop()
            else:
                impression = None
        while len(lead) + len(body) + len(filler_text) + (impression is not None) < 2:
            filler_text.append(fillers[int(rng.integers(len(fillers)))])
        sentences = [{"text": s, "spans": []} for s in lead]
        findings_part = body + [{"text": s, "spans": []} for s in filler_text]
        if headers:
            findings_part[0] = dict(findings_part[0],
                                    prefix="FINDINGS: ")
        sentences += findings_part
        if impression is not None:
            sentences.append(dict(impression, prefix="IMPRESSION: "))
    else:
        age = int(rng.integers(18, 91))
        sex = ["M", "F"][int(rng.integers(2))]
        who = [f"{age} y/o {sex}", f"{age}yo {sex}", f"{age} year old "
               + ("male" if sex == "M" else "female")][int(rng.integers(3))]
        chief = None
        for j, sentence in enumerate(body):
            spans = sentence["spans"]
            if len(spans) == 1 and spans[0][1] == "affirmed" and not spans[0][2]:
                chief = body.pop(j)
                break
        if chief is not None and rng.uniform() < 0.7:
            finding = chief["spans"][0][0]
            mention = _term(rng, style, finding)
            text, spans = _fill(f"{who} presenting with {{mod1}}{{T1}} x {{dur}}.",
                                [mention], extra)
            chief = {"text": text, "spans": [(finding, "affirmed", False, "presenting with",
                                              a, b) for _, a, b in spans]}
        elif chief is None:
            chief = {"text": f"{who} presenting for evaluation.", "spans": []}
        else:
            body.insert(0, chief)
            chief = {"text": f"{who} presenting for evaluation.", "spans": []}
        while 1 + len(body) + len(filler_text) > 6:
            filler_text.pop()
        while 1 + len(body) + len(filler_text) < 2:
            filler_text.append(_fill(fillers[int(rng.integers(len(fillers)))], [], extra)[0])
        sentences = [chief, *body, *[{"text": s, "spans": []} for s in filler_text]]

    return _joined(sentences)


def _joined(sentences: list[dict]) -> tuple[str, list]:
    """The note's text (sentences joined by spaces) and its mentions with note offsets."""
    text, mentions = "", []
    for sentence in sentences:
        if text:
            text += " "
        text += sentence.get("prefix", "")
        for finding, status, historical, cue, a, b in sentence["spans"]:
            mentions.append((finding, status, historical, cue, len(text) + a, len(text) + b))
        text += sentence["text"]
    return text, mentions


def clinical_notes(n_notes: int = 500, style: str = "radiology", seed: int = 0):
    """Short synthetic notes with note-level labels and a mention-level table."""
    import numpy as np
    import pandas as pd

    from medai.datasets.types import TextDataset

    rng = np.random.default_rng(seed)
    findings = list(TERMS[style])
    rows, mention_rows = [], []
    for note_id in range(n_notes):
        text, mentions = _note(rng, style)
        row: dict[str, Any] = {"note_id": note_id, "text": text}
        for finding in findings:
            current = [m for m in mentions if m[0] == finding and not m[2]]
            present = any(m[1] == "affirmed" for m in current)
            row[finding] = int(present)
            row[f"{finding}_uncertain"] = int(not present
                                              and any(m[1] == "uncertain" for m in current))
        rows.append(row)
        for finding, status, historical, cue, start, end in mentions:
            mention_rows.append({"note_id": note_id, "finding": finding,
                                 "term": text[start:end], "status": status,
                                 "historical": historical, "cue": cue,
                                 "char_start": start, "char_end": end})
    columns = ["note_id", "text", *findings, *[f"{f}_uncertain" for f in findings]]
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns[2:]:
        frame[column] = frame[column].astype("int64")
    mention_table = pd.DataFrame(mention_rows, columns=[
        "note_id", "finding", "term", "status", "historical", "cue", "char_start", "char_end"])
    mention_table["status"] = pd.Categorical(mention_table["status"], categories=STATUSES)

    vocabulary = {f: sorted({t[0] for t in terms}) for f, terms in TERMS[style].items()}
    if style == "emergency":
        vocabulary["fever"] = sorted({*vocabulary["fever"], "febrile", "afebrile"})
    kind = {"radiology": "chest X-ray reports", "emergency": "emergency-department triage notes",
            "korean": "Korean emergency-department notes"}[style]
    dictionary = {"note_id": "note number, 0..n_notes-1 (key of ground_truth['mentions'])",
                  "text": f"the note: one of {n_notes} synthetic {kind}, 2-6 sentences"}
    for finding in findings:
        name = finding.replace("_", " ")
        dictionary[finding] = (f"1 = {name} affirmed as currently present; 0 = negated, "
                               "uncertain, historical only or not mentioned")
        dictionary[f"{finding}_uncertain"] = (f"1 = {name} mentioned only as uncertain "
                                              f"(then {finding} = 0)")
    templates = {"radiology": RADIOLOGY_TEMPLATES, "emergency": EMERGENCY_TEMPLATES,
                 "korean": KOREAN_TEMPLATES}[style]
    ground_truth = {
        "mentions": mention_table,
        "vocabulary": vocabulary,
        "templates": {status: [t for t, *_ in options] for status, options in templates.items()},
        "list_templates": [t for t, *_ in {"radiology": RADIOLOGY_LISTS,
                                           "emergency": EMERGENCY_LISTS,
                                           "korean": KOREAN_LISTS}[style]],
        "status_probabilities": dict(STATUS_P[style]),
        "finding_weights": dict(FINDING_WEIGHTS[style]),
        "n_findings_probabilities": dict(zip((1, 2, 3, 4), N_FINDINGS_P, strict=True)),
        "label_rule": ("<finding> = 1 iff some mention has status 'affirmed' and historical "
                       "False; <finding>_uncertain = 1 iff <finding> = 0 and some non-historical "
                       "mention is 'uncertain'"),
        "style": style,
        "seed": seed,
    }
    cues = ("negated (no, without, denies, negative for, not seen, ruled out) or uncertain "
            "(possible, cannot exclude, may represent, suggestive of, likely)")
    if style == "korean":
        cues = ("negated (없음, 없다고 함, (-), 부인함, 관찰되지 않음) or uncertain (의심, r/o, "
                "가능성, 배제할 수 없음), in Korean mixed with English terms")
    description = (
        f"{n_notes} synthetic {kind} written by a template grammar. Findings "
        f"({', '.join(findings)}) are mentioned as affirmed, {cues}"
        + (", plus historical mentions (history of)" if style != "radiology" else "")
        + ". One label column per finding (1 = affirmed) and a <finding>_uncertain flag; "
        "ground_truth['mentions'] gives every mention's status and character span. "
        "No real patients, names or dates."
    )
    return TextDataset(name=NAME, frame=frame, description=description,
                       data_dictionary=dictionary, ground_truth=ground_truth)


DATASETS = {
    NAME: DatasetSpec(clinical_notes, options={
        "n_notes": Option(500, "number of notes", minimum=20, maximum=20_000),
        "style": Option("radiology", "chest X-ray reports, emergency triage notes or Korean "
                        "emergency notes", choices=("radiology", "emergency", "korean")),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
}
