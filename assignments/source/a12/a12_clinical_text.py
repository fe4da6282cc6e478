# %% [markdown]
# # Assignment 12 · Reading radiology reports
#
# **Module:** AI diagnosis and prediction · **Lesson:** dx07 Clinical text, retrieval and
# language models · **Points:** 15
#
# A hospital's imaging research group wants to train a chest X-ray classifier. Nobody will label
# 4,000 radiographs by hand, but every radiograph already has a **report**. The plan is to read
# the labels out of the reports with a rule-based labeller, as CheXpert and MIMIC-CXR did. Every
# report the labeller misreads becomes a wrong training label, and, worse, a wrong test label that
# makes the classifier look better or worse than it is. The commonest misreading is simple:
# "**no** pleural effusion" contains the words "pleural effusion". Your labeller must understand
# **negation** and **uncertainty**, and you will measure how well it agrees with labels coded by
# hand.
#
# The same hospital's pharmacy wants a question-answering assistant for its staff. Before any
# language model writes an answer, a **retriever** must find the passage that answers the
# question, so that the answer can cite its source, and it must **refuse** when nothing in the
# collection answers. You will write that retriever and then explain how you would evaluate the
# answers a language model writes from it.
#
# **Data.** 3,955 real chest X-ray reports of the Indiana University collection (Demner-Fushman
# et al. 2016; CC BY-NC-ND 4.0, read in place and never written back). Each has a FINDINGS and an
# IMPRESSION section (`""` when absent; `XXXX` marks words removed by de-identification) and the
# **MeSH major** codes that a person assigned by reading the report, e.g.
# `["Cardiomegaly/mild", "Pleural Effusion/bilateral/small"]` or `["normal"]`.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. Do not change the locked cells. Python's standard library,
# NumPy and pandas are allowed; no NLP package (no scikit-learn vectoriser, no rank-bm25). Run
# every cell top to bottom before you submit; the notebook runs in a few seconds. The cells with
# `assert` are the public tests; more (hidden) tests run when your work is graded, on **other
# sentences, reports and passages**, so write general code and test edge cases yourself.
#
# **Conventions (CheXpert's).** A finding in a report is **positive** (`POSITIVE = 1`),
# **negated** (`NEGATED = 0`), **uncertain** (`UNCERTAIN = -1`) or not mentioned (`None`). Text is
# handled as **tokens**: the runs of lower-case letters and digits that `tokens_of` returns, so
# "x-XXXX." becomes `["x", "xxxx"]`. A **phrase** (a term or a trigger such as
# `"negative for"`) occurs in a list of tokens where its words appear consecutively;
# `occurrences(tokens, phrase)` gives the positions where it starts.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import math
import re

import numpy as np
import pandas as pd

from medai import datasets

POSITIVE, NEGATED, UNCERTAIN = 1, 0, -1

# finding -> (its MeSH heading, the phrases that name it in a report)
FINDINGS = {
    "cardiomegaly": ("Cardiomegaly", ["cardiomegaly", "enlarged heart", "heart is enlarged",
                                      "heart size is enlarged", "enlarged cardiac silhouette",
                                      "cardiac silhouette is enlarged"]),
    "pleural effusion": ("Pleural Effusion", ["pleural effusion", "pleural effusions",
                                              "effusion", "effusions"]),
    "pneumothorax": ("Pneumothorax", ["pneumothorax", "pneumothoraces"]),
}
# triggers that act on a finding named AFTER them in the clause
PRE_TRIGGERS = {
    "no": NEGATED, "not": NEGATED, "without": NEGATED, "negative for": NEGATED,
    "free of": NEGATED, "clear of": NEGATED, "absence of": NEGATED, "resolution of": NEGATED,
    "possible": UNCERTAIN, "possibly": UNCERTAIN, "probable": UNCERTAIN, "may": UNCERTAIN,
    "could": UNCERTAIN, "question": UNCERTAIN, "questionable": UNCERTAIN,
    "suspicious for": UNCERTAIN, "suspicion for": UNCERTAIN, "suggestive of": UNCERTAIN,
    "suggesting": UNCERTAIN, "concerning for": UNCERTAIN, "cannot exclude": UNCERTAIN,
    "versus": UNCERTAIN,
}
# triggers that act on a finding named BEFORE them in the clause
POST_TRIGGERS = {
    "resolved": NEGATED, "not seen": NEGATED, "not visualized": NEGATED,
    "not identified": NEGATED, "cannot be excluded": UNCERTAIN, "can not be excluded": UNCERTAIN,
    "not excluded": UNCERTAIN, "not ruled out": UNCERTAIN, "suspected": UNCERTAIN,
}
# phrases that contain a trigger word but negate nothing
PSEUDO_TRIGGERS = ["no change", "no interval change", "no significant change",
                   "no significant interval change", "not significantly changed", "no increase",
                   "not only"]
# words that end a clause: a trigger does not act across them
TERMINATORS = ["but", "however", "although", "though", "except", "aside from", "which"]


def tokens_of(text):
    """The lower-case runs of letters and digits of a text: 'No XXXX.' -> ['no', 'xxxx']."""
    return re.findall(r"[a-z0-9]+", text.lower())


def occurrences(tokens, phrase):
    """Start positions of a phrase (words separated by spaces) in a list of tokens."""
    words = phrase.split()
    n = len(words)
    return [i for i in range(len(tokens) - n + 1) if tokens[i:i + n] == words]


MIN_SCORE = 7.5  # the retriever refuses when no passage scores at least this

reports = datasets.load("iu_xray_reports").tables["reports"]
report_rows = reports.to_dict("records")  # one dict per report, in the table's order
print(f"{len(reports):,} reports; e.g. report {report_rows[0]['report_id']}:")
print("  FINDINGS:", report_rows[0]["findings"])
print("  IMPRESSION:", report_rows[0]["impression"], "| MeSH major:", report_rows[0]["mesh_major"])
print("occurrences(['no', 'pleural', 'effusion'], 'pleural effusion') =",
      occurrences(["no", "pleural", "effusion"], "pleural effusion"))

faq = datasets.load("pharmacy_faq")
passages = faq.tables["passages"].query("language == 'en'")  # keeps its index 0, 2, 4, ...
questions = faq.tables["questions"].query("language == 'en'")
print(f"{len(passages)} English passages, e.g. {passages['passage_id'].iloc[0]!r} from "
      f"{passages['source'].iloc[0]!r}; {len(questions)} test questions")

# %% [markdown]
# ## Question 1 · Sentences of the findings and the impression (2 points)
#
# Write `sentences(report)`. `report` is one report as a mapping (a dict of `report_rows` or a
# row of `reports`) with at least the keys `"findings"` and `"impression"`. Return the sentences
# of the **findings, then of the impression**, in order, each as a **list of tokens**
# (`tokens_of`). The other sections (comparison, indication) are left out: the indication says
# why the film was taken ("rule out pneumothorax"), not what it shows.
#
# A sentence ends at a `.`, `?` or `!` that is **followed by white space or by the end of the
# section**, so "a 1.5 cm nodule" does not end a sentence. Each section is split on its own: the
# last sentence of the findings never runs into the first sentence of the impression, even when
# the findings do not end with a full stop. Leave out sentences with no token; an absent section
# (`""`) gives no sentence.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sentences(report):
    """Token lists of the sentences of the findings, then of the impression."""
    ### BEGIN SOLUTION
    found = []
    for section in ("findings", "impression"):
        for piece in re.split(r"[.?!](?=\s|$)", report[section]):
            words = tokens_of(piece)
            if words:
                found.append(words)
    return found
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
example = {"indication": "Rule out pneumothorax.",
           "findings": "Heart size is normal. No pleural effusion or pneumothorax.",
           "impression": "No acute disease."}
split = sentences(example)
assert isinstance(split, list) and all(isinstance(s, list) for s in split), (
    "return a list of sentences, each a list of tokens (tokens_of(sentence))"
)
assert split != [["no", "acute", "disease"]], (
    "you returned only the impression: the findings come first, then the impression"
)
assert ["rule", "out", "pneumothorax"] not in split, (
    "leave out the indication: it says why the film was taken, not what it shows"
)
assert split == [["heart", "size", "is", "normal"],
                 ["no", "pleural", "effusion", "or", "pneumothorax"],
                 ["no", "acute", "disease"]], f"got {split}"
assert sentences({"findings": "", "impression": "Normal chest x-XXXX."}) == [
    ["normal", "chest", "x", "xxxx"]], "an empty findings section gives no sentence"
assert len(sentences(report_rows[0])) == 6, "report 1 has 5 findings sentences and 1 impression"
print("Public tests passed. Hidden tests use decimals, sections without a final full stop, "
      "question marks and empty sentences.")
### BEGIN HIDDEN TESTS
_s = sentences({"findings": "A 1.5 cm nodule in the right base. Stable cardiomegaly",
                "impression": "Cardiomegaly. No effusion!"})
assert _s[0] == ["a", "1", "5", "cm", "nodule", "in", "the", "right", "base"], (
    f"a full stop inside 1.5 is not followed by white space: it does not end a sentence; got {_s}"
)
assert _s[1:] == [["stable", "cardiomegaly"], ["cardiomegaly"], ["no", "effusion"]], (
    "split each section on its own: the findings' last sentence ('Stable cardiomegaly', no full "
    f"stop) must not run into the impression; got {_s}"
)
_s = sentences({"findings": "Effusion? ... . Pneumothorax.  \n Normal heart size.",
                "impression": ""})
assert _s == [["effusion"], ["pneumothorax"], ["normal", "heart", "size"]], (
    f"'?' ends a sentence and sentences without a token are left out: got {_s}"
)
assert sentences({"findings": "", "impression": ""}) == []
assert sentences(reports.iloc[3]) == sentences(report_rows[3]), "a row of the DataFrame works too"
assert sum(len(sentences(r)) for r in report_rows[:200]) == 1229
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · A negation-aware labeller (4 points)
#
# Write `mention_status(tokens, term)`: what one sentence (a list of tokens) says about one
# phrase (`term`, e.g. `"pleural effusion"`). Follow this algorithm, a simplified NegEx
# (Chapman et al. 2001), with the lists of the setup cell:
#
# 1. If the term does not occur in the sentence, return `None`.
# 2. Find every occurrence of every trigger phrase (tokens, not substrings: "no" does not occur
#    in "normal" or "nodule", "not" does not occur in "cannot"). A **pre-trigger** occurrence that
#    overlaps an occurrence of a **pseudo-trigger** or of a **post-trigger** does not count: the
#    "no" of "no interval change" and the "not" of "not excluded" negate nothing.
# 3. For each occurrence of the term, its **clause** is the part of the sentence between the
#    nearest terminator before it and the nearest terminator after it (or the sentence's ends).
#    Its status is that of the **nearest post-trigger after it** in the clause, if there is one;
#    otherwise that of the **nearest pre-trigger before it** in the clause, if there is one;
#    otherwise `POSITIVE`.
# 4. If the term occurs several times, return `POSITIVE` if any occurrence is positive, else
#    `UNCERTAIN` if any is uncertain, else `NEGATED`.
#
# Examples: "no pleural effusion" → `NEGATED`; "the heart is enlarged, no effusion" →
# `POSITIVE` for "heart is enlarged" (a pre-trigger acts forwards only); "no focal consolidation
# but a small left effusion" → `POSITIVE` for "effusion"; "no interval change in cardiomegaly" →
# `POSITIVE`; "effusion cannot be excluded" → `UNCERTAIN`.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mention_status(tokens, term):
    """POSITIVE, NEGATED, UNCERTAIN or None: what a sentence says about a term."""
    ### BEGIN SOLUTION
    term_starts = occurrences(tokens, term)
    if not term_starts:
        return None
    width = len(term.split())

    def spans(phrases):
        return [(i, i + len(p.split()), p) for p in phrases for i in occurrences(tokens, p)]

    blocked = {k for start, end, _ in spans(PSEUDO_TRIGGERS + list(POST_TRIGGERS))
               for k in range(start, end)}
    pre = sorted((start, PRE_TRIGGERS[p]) for start, end, p in spans(PRE_TRIGGERS)
                 if not blocked & set(range(start, end)))
    post = sorted((start, POST_TRIGGERS[p]) for start, _, p in spans(POST_TRIGGERS))
    stops = [start for start, _, _ in spans(TERMINATORS)]
    statuses = set()
    for start in term_starts:
        end = start + width
        clause_start = max([i for i in stops if i < start], default=-1)
        clause_end = min([i for i in stops if i >= end], default=len(tokens))
        after = [s for i, s in post if end <= i < clause_end]
        before = [s for i, s in pre if clause_start < i < start]
        statuses.add(after[0] if after else before[-1] if before else POSITIVE)
    return next(s for s in (POSITIVE, UNCERTAIN, NEGATED) if s in statuses)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
def status_of(sentence, term):
    return mention_status(tokens_of(sentence), term)


assert status_of("The lungs are clear.", "pneumothorax") is None, (
    "a term that does not occur in the sentence gives None"
)
assert status_of("Small left pleural effusion.", "pleural effusion") == POSITIVE
assert status_of("No pneumothorax or pleural effusion.", "pleural effusion") == NEGATED, (
    "'no' before the term negates it, also across the list 'pneumothorax or'"
)
assert status_of("There are no XXXX of a pleural effusion.", "pleural effusion") == NEGATED
assert status_of("The heart is enlarged, no effusion.", "heart is enlarged") == POSITIVE, (
    "a pre-trigger negates what comes AFTER it: 'no' after the term does not reach back"
)
assert status_of("No focal consolidation but a small left effusion.", "effusion") == POSITIVE, (
    "'but' is a terminator: the 'no' before it does not reach the effusion"
)
assert status_of("No interval change in mild cardiomegaly.", "cardiomegaly") == POSITIVE, (
    "'no interval change' is a pseudo-trigger: its 'no' negates nothing"
)
assert status_of("Small right effusion cannot be excluded.", "effusion") == UNCERTAIN, (
    "'cannot be excluded' is a post-trigger: it makes the effusion before it uncertain"
)
assert status_of("The left apical pneumothorax has resolved.", "pneumothorax") == NEGATED, (
    "'resolved' is a post-trigger that negates the term before it"
)
assert status_of("Possible small right effusion.", "effusion") == UNCERTAIN
print("Public tests passed. Hidden tests use substrings of triggers, several triggers or "
      "occurrences in one sentence, and trigger words inside longer phrases.")
### BEGIN HIDDEN TESTS
assert status_of("Normal mediastinum with a small left effusion.", "effusion") == POSITIVE, (
    "'no' is a token, not a substring: 'normal' contains no trigger"
)
assert status_of("Now there is a small right apical pneumothorax.", "pneumothorax") == POSITIVE, (
    "'now' is not 'no': match whole tokens"
)
assert status_of("Nodular opacity and small effusions.", "effusions") == POSITIVE, (
    "'nodular' is not 'no': match whole tokens"
)
_s = "Previous pneumothorax not seen, new small effusion."
assert status_of(_s, "effusion") == POSITIVE, (
    "the 'not' of the post-trigger 'not seen' is not a pre-trigger: the new effusion is positive"
)
assert status_of(_s, "pneumothorax") == NEGATED, "'not seen' after the term negates it"
assert status_of("Pneumothorax not excluded.", "pneumothorax") == UNCERTAIN, (
    "'not excluded' is a post-trigger: uncertain, not negated"
)
assert status_of("No pneumothorax, possible small effusion.", "effusion") == UNCERTAIN, (
    "'no pneumothorax, possible small effusion': the NEAREST pre-trigger before the term decides"
)
assert status_of("Possible infiltrate, no effusion.", "effusion") == NEGATED, (
    "'possible infiltrate, no effusion': the NEAREST pre-trigger before the term decides"
)
_s = "No effusion on the right but a small effusion on the left."
assert status_of(_s, "effusion") == POSITIVE, (
    "one positive occurrence of the term makes the sentence positive"
)
_s = "No right effusion however possible small left effusion."
assert status_of(_s, "effusion") == UNCERTAIN, (
    "one negated and one uncertain occurrence: uncertain beats negated"
)
_s = "No significant change in the bilateral pleural effusions."
assert status_of(_s, "pleural effusions") == POSITIVE, (
    "'no significant change' is a pseudo-trigger"
)
_s = "No significant interval change in cardiomegaly."
assert status_of(_s, "cardiomegaly") == POSITIVE, (
    "'no significant interval change' is a pseudo-trigger"
)
assert status_of("No acute disease aside from mild cardiomegaly.", "cardiomegaly") == POSITIVE, (
    "'aside from' is a terminator of two words"
)
assert status_of("Negative for pneumothorax.", "pneumothorax") == NEGATED, (
    "'negative for' is a pre-trigger"
)
_s = "Lungs are clear of focal airspace disease pneumothorax or effusion."
assert status_of(_s, "pneumothorax") == NEGATED, "'clear of' is a pre-trigger"
assert status_of("Blunting which could represent a small effusion.", "effusion") == UNCERTAIN, (
    "'could' after the terminator 'which' still acts on the effusion"
)
assert status_of("No effusion. Hydropneumothorax.", "pneumothorax") is None, (
    "'hydropneumothorax' is not the token 'pneumothorax'"
)
assert status_of("Bilateral effusions.", "effusion") is None, (
    "'effusions' is not the token 'effusion'"
)
assert status_of("Pneumothorax.", "pneumothorax") == POSITIVE, "a lone term is positive"
assert status_of("Cannot exclude small effusion.", "effusion") == UNCERTAIN, (
    "'cannot exclude' is an uncertainty pre-trigger"
)
assert status_of("Small effusion, no pneumothorax, heart is enlarged.", "effusion") == POSITIVE, (
    "a 'no' after the term does not reach back to it"
)
_toks = tokens_of("No pneumothorax.")
mention_status(_toks, "pneumothorax")
assert _toks == ["no", "pneumothorax"], "mention_status must not modify the token list"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · Label a whole report (2 points)
#
# Write `label_report(report)`. Return a dict with **one key per finding of `FINDINGS`**, in
# `FINDINGS`' order, and as value the finding's status in the report: apply `mention_status` to
# every sentence of `sentences(report)` and **every phrase** that names the finding; the report
# is `POSITIVE` for the finding if any of these is positive, else `UNCERTAIN` if any is uncertain,
# else `NEGATED` if any is negated, else `None` (not mentioned). The locked cell after the tests
# labels all reports with your function.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def label_report(report):
    """finding -> POSITIVE / UNCERTAIN / NEGATED / None over the findings and impression."""
    ### BEGIN SOLUTION
    split = sentences(report)
    labels = {}
    for finding, (_, terms) in FINDINGS.items():
        found = {mention_status(words, term) for words in split for term in terms}
        labels[finding] = next((s for s in (POSITIVE, UNCERTAIN, NEGATED) if s in found), None)
    return labels
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
first = label_report(report_rows[0])
assert isinstance(first, dict) and list(first) == list(FINDINGS), (
    f"return a dict with the keys {list(FINDINGS)}, in that order"
)
assert first == {"cardiomegaly": None, "pleural effusion": NEGATED,
                 "pneumothorax": NEGATED}, (
    f"report 1 negates effusion and pneumothorax and never names cardiomegaly; got {first}"
)
mixed = label_report({"findings": "No pleural effusion. Stable cardiomegaly.",
                      "impression": "Possible small right effusion."})
assert mixed["pleural effusion"] == UNCERTAIN, (
    "the effusion is negated in one sentence and uncertain in the impression ('possible small "
    "right effusion': search every phrase of the finding, 'effusion' too): uncertain wins"
)
assert mixed["cardiomegaly"] == POSITIVE and mixed["pneumothorax"] is None, (
    "a finding the report never names is None, not NEGATED"
)
print("Public tests passed. Hidden tests use other reports and every phrase of each finding.")
### BEGIN HIDDEN TESTS
_r = label_report({"findings": "The heart is enlarged. No effusion.",
                   "impression": "Bilateral pleural effusions. Pneumothorax has resolved."})
_want = {"cardiomegaly": POSITIVE, "pleural effusion": POSITIVE, "pneumothorax": NEGATED}
assert _r == _want, (
    f"every phrase of a finding counts ('heart is enlarged'), positive beats negated: got {_r}"
)
_r = label_report({"findings": "", "impression": "Enlarged cardiac silhouette versus effusion."})
assert _r == {"cardiomegaly": POSITIVE, "pleural effusion": UNCERTAIN, "pneumothorax": None}, (
    f"got {_r}"
)
_r = label_report({"findings": "Small left effusion.", "impression": "No pleural effusion."})
assert _r["pleural effusion"] == POSITIVE, (
    "positive in the findings beats negated in the impression"
)
_r = label_report({"findings": "Possible left effusion.", "impression": "Small left effusion."})
assert _r["pleural effusion"] == POSITIVE, "positive beats uncertain across sentences"
_all = pd.DataFrame([label_report(_row) for _row in report_rows[:800]])
assert int((_all["cardiomegaly"] == POSITIVE).sum()) == 56, "positive cardiomegaly, reports 1-800"
assert int((_all["pleural effusion"] == NEGATED).sum()) == 568, "negated effusion, reports 1-800"
assert int((_all["pleural effusion"] == UNCERTAIN).sum()) == 6
assert int(_all["pneumothorax"].isna().sum()) == 263
### END HIDDEN TESTS

# %% [markdown]
# ## All reports, labelled (locked, nothing to write)
#
# This cell labels the 3,955 reports with **your** `label_report` (a second or two).

# %% nbgrader={"grade": false, "grade_id": "labelling", "locked": true, "schema_version": 3, "solution": false, "task": false}
labels = pd.DataFrame([label_report(row) for row in report_rows], columns=list(FINDINGS))
names = {POSITIVE: "positive", UNCERTAIN: "uncertain", NEGATED: "negated"}
counts = {finding: labels[finding].map(names).fillna("not mentioned").value_counts()
          for finding in FINDINGS}
print(pd.DataFrame(counts).fillna(0).astype(int))

# %% [markdown]
# ## Question 4 · Agreement with the MeSH codes (2 points)
#
# Write two functions.
#
# `mesh_positive(mesh_major, heading)`: `True` if the list of MeSH major codes contains the
# heading. A code is a heading followed by optional `/`-separated qualifiers
# (`"Cardiomegaly/borderline"`, `"Pleural Effusion/left/small"`); compare the **part before the
# first `/`**, without surrounding spaces and **ignoring case**, with the heading, **as a
# whole**: `"Hydropneumothorax"` is not `"Pneumothorax"` and `"Pericardial Effusion"` is not
# `"Pleural Effusion"`. Borderline and mild codes count as positive.
#
# `evaluate(labels, reports)`: `labels` has one column per finding (values as from
# `label_report`) and one row per report, in the same order as the rows of `reports` (compare
# **by position**, not by index). For each finding, the reference is `mesh_positive` of the
# report's `mesh_major` with the finding's heading; the labeller calls a report positive **only
# when its label is `POSITIVE`** (uncertain counts as not positive). Return a DataFrame with one
# row per finding (index: the finding names, in `FINDINGS`' order) and the columns
# `"MeSH positives"`, `"labelled positive"` (counts, int), `"sensitivity"` (of the positive
# MeSH reports, the share labelled positive), `"PPV"` (of the reports labelled positive, the
# share that are MeSH positive) and `"F1"` (the harmonic mean of sensitivity and PPV). A share
# whose denominator is 0 is `nan`; F1 is `nan` when sensitivity or PPV is `nan` or both are 0.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mesh_positive(mesh_major, heading):
    """True when a MeSH major code has this heading before its first '/'."""
    ### BEGIN SOLUTION
    return any(code.split("/")[0].strip().lower() == heading.lower() for code in mesh_major)
    ### END SOLUTION


def evaluate(labels, reports):
    """Sensitivity, PPV and F1 of the labeller against the MeSH codes, per finding."""
    ### BEGIN SOLUTION
    rows = {}
    for finding, (heading, _) in FINDINGS.items():
        truth = np.array([mesh_positive(codes, heading) for codes in reports["mesh_major"]])
        called = (labels[finding].to_numpy() == POSITIVE)
        tp = int(np.sum(truth & called))
        sensitivity = tp / truth.sum() if truth.sum() else math.nan
        ppv = tp / called.sum() if called.sum() else math.nan
        f1 = (2 * sensitivity * ppv / (sensitivity + ppv)
              if sensitivity + ppv > 0 else math.nan)  # nan + x is nan, and nan > 0 is False
        rows[finding] = {"MeSH positives": int(truth.sum()), "labelled positive": int(called.sum()),
                         "sensitivity": sensitivity, "PPV": ppv, "F1": f1}
    table = pd.DataFrame.from_dict(rows, orient="index")
    return table.astype({"MeSH positives": int, "labelled positive": int})
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert mesh_positive(["Cardiomegaly/borderline", "Pulmonary Atelectasis/base/left"], "Cardiomegaly")
assert not mesh_positive(["normal"], "Cardiomegaly")
assert not mesh_positive(["Hydropneumothorax/right"], "Pneumothorax"), (
    "compare the whole heading before the first '/', not a substring"
)
toy_reports = pd.DataFrame({"mesh_major": [["Cardiomegaly/mild"], ["normal"], ["Cardiomegaly"],
                                           ["Pleural Effusion/left"], ["normal"]]},
                           index=[10, 11, 12, 13, 14])
toy_labels = pd.DataFrame({"cardiomegaly": [POSITIVE, NEGATED, UNCERTAIN, None, NEGATED],
                           "pleural effusion": [None, None, NEGATED, POSITIVE, None],
                           "pneumothorax": [None, NEGATED, None, None, None]})
toy_scores = evaluate(toy_labels, toy_reports)
assert isinstance(toy_scores, pd.DataFrame) and list(toy_scores.index) == list(FINDINGS), (
    f"return a DataFrame with one row per finding, index {list(FINDINGS)}"
)
cm = toy_scores.loc["cardiomegaly"]
assert cm["MeSH positives"] == 2 and cm["labelled positive"] == 1, (
    "cardiomegaly: 2 MeSH positives, 1 report labelled POSITIVE (an UNCERTAIN label is not a "
    f"positive call); got {cm['MeSH positives']} and {cm['labelled positive']}. Compare by "
    "position: toy_labels and toy_reports have different indexes."
)
assert math.isclose(cm["sensitivity"], 0.5) and math.isclose(cm["PPV"], 1.0), (
    "sensitivity = true positives / MeSH positives = 1/2; PPV = true positives / labelled "
    f"positive = 1/1; got {cm['sensitivity']:.3f} and {cm['PPV']:.3f}"
)
assert math.isclose(cm["F1"], 2 / 3), "F1 is the harmonic mean, 2 * 0.5 * 1 / 1.5 = 2/3"
assert math.isnan(toy_scores.loc["pneumothorax", "sensitivity"]), (
    "no MeSH positive: sensitivity is nan (0/0), not 0"
)
scores = evaluate(labels, reports)
print(scores.round(3))
print("Public tests passed. Hidden tests use other codes and labels.")
### BEGIN HIDDEN TESTS
assert mesh_positive([" pleural effusion /bilateral"], "Pleural Effusion"), "ignore case and spaces"
assert not mesh_positive(["Pericardial Effusion"], "Pleural Effusion")
assert not mesh_positive(["Hemopneumothorax", "Pneumothorax, Tension"], "Pneumothorax")
assert not mesh_positive([], "Cardiomegaly")
assert mesh_positive(["Pneumothorax"], "Pneumothorax")
_rng = np.random.default_rng(12)
_n = 400
_codes = [["Cardiomegaly/mild"] if _x < 0.2 else ["Hydropneumothorax"] if _x < 0.25 else
          ["Pleural Effusion/right", "Pneumothorax"] if _x < 0.4 else ["normal"]
          for _x in _rng.random(_n)]
_rep = pd.DataFrame({"mesh_major": _codes}, index=_rng.permutation(_n))
_choices = np.array([POSITIVE, NEGATED, UNCERTAIN, np.nan])
_lab = pd.DataFrame({_f: _rng.choice(_choices, _n) for _f in FINDINGS},
                    index=_rng.permutation(_n))


def _expected(_labels, _reports):
    _out = {}
    for _f, (_h, _) in FINDINGS.items():
        _t = np.array([any(c.split("/")[0].strip().lower() == _h.lower() for c in _m)
                       for _m in _reports["mesh_major"]])
        _p = _labels[_f].to_numpy() == POSITIVE
        _tp = (_t & _p).sum()
        _out[_f] = (_t.sum(), _p.sum(), _tp / _t.sum(), _tp / _p.sum())
    return _out


_mine = evaluate(_lab, _rep)
for _f, (_nt, _np_, _se, _pp) in _expected(_lab, _rep).items():
    assert _mine.loc[_f, "MeSH positives"] == _nt and _mine.loc[_f, "labelled positive"] == _np_, (
        f"{_f}: counts differ; compare labels and reports by position"
    )
    assert math.isclose(_mine.loc[_f, "sensitivity"], _se), f"{_f}: sensitivity"
    assert math.isclose(_mine.loc[_f, "PPV"], _pp), f"{_f}: PPV"
    assert math.isclose(_mine.loc[_f, "F1"], 2 * _se * _pp / (_se + _pp)), (
        f"{_f}: F1 is the harmonic mean 2 * sens * PPV / (sens + PPV), not the arithmetic mean"
    )
_none = evaluate(pd.DataFrame({_f: [NEGATED, None] for _f in FINDINGS}),
                 pd.DataFrame({"mesh_major": [["Cardiomegaly"], ["normal"]]}))
assert math.isclose(_none.loc["cardiomegaly", "sensitivity"], 0.0)
assert math.isnan(_none.loc["cardiomegaly", "PPV"]), "nobody labelled positive: PPV is nan"
assert math.isnan(_none.loc["cardiomegaly", "F1"]), "F1 is nan when PPV is nan"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · Retrieve the passage that answers, or refuse (3 points)
#
# Write two functions for the pharmacy's assistant.
#
# `bm25_scores(query, documents)`: the Okapi BM25 score of each document (a list of strings)
# for the query, as a **NumPy array of floats**, one per document, in order. Tokenise the query
# and the documents with `tokens_of`. With $N$ documents, $n_t$ of them containing the token
# $t$, $f_{t,d}$ the number of times $t$ occurs in document $d$, $|d|$ its number of tokens and
# $\overline{|d|}$ the mean of $|d|$ over the documents:
#
# $$ \text{score}(q, d) = \sum_{t \in q} \text{IDF}(t)\,
#    \frac{f_{t,d}\,(k_1 + 1)}{f_{t,d} + k_1\left(1 - b + b\,\frac{|d|}{\overline{|d|}}\right)},
#    \qquad \text{IDF}(t) = \ln\!\left(1 + \frac{N - n_t + 0.5}{n_t + 0.5}\right), $$
#
# with $k_1 = 1.2$ and $b = 0.75$ (the defaults of Lucene and Elasticsearch). The sum runs over
# the **distinct** tokens of the query: a word typed twice counts once. The "1 +" inside the
# logarithm keeps every IDF positive, even for a word that occurs in most documents.
#
# `retrieve(question, passages, threshold)`: `passages` is a DataFrame like `passages` (columns
# `passage_id`, `title`, `text`, `source`; any index). A passage's document is its **title and
# its text joined by a space**. Return a dict with the keys `"passage_id"`, `"source"` and
# `"score"`: the id and source of the **best-scoring passage** (the first one in row order if
# several tie) and its score as a float. If that best score is **below `threshold`**, the
# assistant must refuse: return `None` as `"passage_id"` and as `"source"` (and still the best
# score).

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def bm25_scores(query, documents, k1=1.2, b=0.75):
    """Okapi BM25 score of every document for the query (distinct query tokens)."""
    ### BEGIN SOLUTION
    docs = [tokens_of(d) for d in documents]
    lengths = np.array([len(d) for d in docs], dtype=float)
    average = lengths.mean()
    scores = np.zeros(len(docs))
    for token in set(tokens_of(query)):
        counts = np.array([d.count(token) for d in docs], dtype=float)
        n_t = np.count_nonzero(counts)
        idf = math.log(1 + (len(docs) - n_t + 0.5) / (n_t + 0.5))
        scores += idf * counts * (k1 + 1) / (counts + k1 * (1 - b + b * lengths / average))
    return scores
    ### END SOLUTION


def retrieve(question, passages, threshold):
    """The best passage's id, source and score, or a refusal (None) below the threshold."""
    ### BEGIN SOLUTION
    documents = (passages["title"] + " " + passages["text"]).tolist()
    scores = bm25_scores(question, documents)
    best = int(np.argmax(scores))  # the first maximum
    score = float(scores[best])
    if score < threshold:
        return {"passage_id": None, "source": None, "score": score}
    row = passages.iloc[best]
    return {"passage_id": row["passage_id"], "source": row["source"], "score": score}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
toy_docs = ["warfarin and vitamin k", "warfarin dose", "grapefruit juice and statins"]
toy = bm25_scores("warfarin dose", toy_docs)
assert isinstance(toy, np.ndarray) and toy.shape == (3,), (
    "return a NumPy array, one score per document"
)
assert toy[2] == 0.0, "a document that shares no token with the query scores 0"
idf_dose = math.log(1 + 2.5 / 1.5)
idf_warfarin = math.log(1 + 1.5 / 2.5)
assert toy[0] > 0, (
    "'warfarin' occurs in 2 of the 3 documents and its IDF must still be positive: "
    "ln(1 + (N - n + 0.5) / (n + 0.5)), with the '1 +'"
)
expected = [idf_warfarin * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 4 / (10 / 3))),
            (idf_warfarin + idf_dose) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / (10 / 3))), 0.0]
assert np.allclose(toy, expected), (
    f"expected {np.round(expected, 4)}, got {np.round(toy, 4)}. Check the IDF, k1 = 1.2, "
    "b = 0.75 and the length of each document against the mean length (4, 2 and 4 tokens)."
)
assert np.allclose(bm25_scores("Warfarin DOSE dose", toy_docs), toy), (
    "tokenise the query with tokens_of (lower case), and count each distinct query token once"
)
answer = retrieve("How many hours between two doses of acetaminophen?", passages, MIN_SCORE)
assert isinstance(answer, dict) and set(answer) == {"passage_id", "source", "score"}, (
    "return a dict with the keys passage_id, source and score"
)
assert answer["passage_id"] == "paracetamol_dose", (
    f"expected 'paracetamol_dose', got {answer['passage_id']!r}. passages has the index 0, 2, "
    "4, ...: take the best row by position (iloc), not by label"
)
assert answer["source"] == passages["source"].iloc[0], "give the source of the passage you return"
refusal = retrieve("Can I take melatonin for jet lag?", passages, MIN_SCORE)
assert refusal["passage_id"] is None and refusal["source"] is None, (
    f"the best score {refusal['score']:.2f} is below MIN_SCORE = {MIN_SCORE}: refuse (None)"
)
print("Public tests passed. Hidden tests compare your scores with BM25 on other documents and "
      "queries, and your refusals with other thresholds.")
### BEGIN HIDDEN TESTS
def _bm25(_q, _docs, _k1=1.2, _b=0.75):
    _d = [tokens_of(_x) for _x in _docs]
    _avg = sum(len(_x) for _x in _d) / len(_d)
    _out = []
    for _x in _d:
        _s = 0.0
        for _t in set(tokens_of(_q)):
            _n = sum(_t in _y for _y in _d)
            _f = _x.count(_t)
            _s += (math.log(1 + (len(_d) - _n + 0.5) / (_n + 0.5)) * _f * (_k1 + 1)
                   / (_f + _k1 * (1 - _b + _b * len(_x) / _avg)))
        _out.append(_s)
    return np.array(_out)


_docs = ["insulin insulin pen fridge", "insulin", "pen in the fridge for a long long time",
         "insulin in the fridge", "travel with insulin in hand luggage"]
for _q in ["insulin fridge", "insulin", "long pen", "fridge fridge insulin", "nothing here",
           "Insulin, FRIDGE?"]:
    assert np.allclose(np.asarray(bm25_scores(_q, _docs), dtype=float), _bm25(_q, _docs)), (
        f"query {_q!r}: scores differ from BM25 (IDF with '1 +', k1 = 1.2, b = 0.75, document "
        "length over the mean length, distinct lower-case query tokens)"
    )
# a token in every document keeps a positive IDF: more of it is better, never worse
_s = np.asarray(bm25_scores("insulin", ["insulin insulin dose", "insulin dose", "insulin pen"]),
                dtype=float)
assert np.all(_s > 0) and _s[0] > _s[1], "IDF must stay positive: ln(1 + ...)"
# the shorter of two documents with the same count wins (length normalisation)
_long = "ankle swelling with amlodipine at night in older people"
_s = np.asarray(bm25_scores("ankle", ["ankle swelling", _long, "other"]), dtype=float)
assert _s[0] > _s[1], "a shorter document with the same count scores higher (b = 0.75)"
_faq = passages.iloc[::-1]  # another row order and index
_a = retrieve("Do I have to stop eating spinach and salads while on warfarin?", _faq, 0.0)
_best = _bm25("Do I have to stop eating spinach and salads while on warfarin?",
              (_faq["title"] + " " + _faq["text"]).tolist())
assert _a["passage_id"] == _faq["passage_id"].iloc[int(np.argmax(_best))], (
    "expected the passage whose title + ' ' + text scores best, taken by position (the passages "
    "here come in another order, with another index)"
)
assert math.isclose(float(_a["score"]), float(_best.max())), "score is the best BM25 score"
_a = retrieve("statins", passages, 100.0)
assert _a["passage_id"] is None and _a["source"] is None and _a["score"] > 0, (
    "below the threshold: passage_id and source None, but still the best score"
)
_a = retrieve("statins", passages, 0.5)
assert _a["passage_id"] in {"statin_grapefruit", "statin_muscle"}
assert _a["source"] == passages.loc[passages["passage_id"] == _a["passage_id"], "source"].iloc[0]
_tie = pd.DataFrame({"passage_id": ["a", "b"], "title": ["Dose", "Dose"],
                     "text": ["same text", "same text"], "source": ["s1", "s2"]}, index=[5, 3])
assert retrieve("dose", _tie, 0.0)["passage_id"] == "a", "ties go to the first row"
_exact = retrieve("grapefruit juice", passages, 0.0)["score"]
assert retrieve("grapefruit juice", passages, _exact)["passage_id"] == "statin_grapefruit", (
    "a score equal to the threshold is not below it: answer"
)
_title_only = pd.DataFrame({"passage_id": ["x", "y"], "title": ["Metformin", "Insulin"],
                            "text": ["with meals", "in the fridge"], "source": ["s", "t"]})
assert retrieve("metformin", _title_only, 0.0)["passage_id"] == "x", (
    "the title is part of the document: title and text joined by a space"
)
### END HIDDEN TESTS

# %% [markdown]
# ## The assistant on its test questions (locked, nothing to write)
#
# This cell asks **your** retriever the 41 English test questions of the FAQ: 35 that a passage
# answers and 6 that none does (the right answer is then a refusal).

# %% nbgrader={"grade": false, "grade_id": "assistant_test", "locked": true, "schema_version": 3, "solution": false, "task": false}
outcomes = []
for row in questions.itertuples():
    found = retrieve(row.question, passages, MIN_SCORE)["passage_id"]
    if found is None:
        outcomes.append("refused")
    else:
        outcomes.append("right passage" if found in row.answer_ids else "wrong passage")
kind = np.where(questions["answerable"], "answerable", "unanswerable")
summary = pd.crosstab(pd.Series(outcomes, name="retriever"), pd.Series(kind, name="question"))
print(summary)

# %% [markdown]
# ## Question 6 · Evaluating a generated answer (2 points, graded by hand)
#
# The pharmacy now puts a language model behind your retriever: it sends the model a prompt with
# the staff member's question and the retrieved passage, and shows the model's answer with the
# passage's source. In a trial, a ward nurse typed:
#
# > *Mr Kim Min-jun, 68, ward 7B, hospital no. 20231187, takes warfarin and has a headache. How
# > many hours between two doses of acetaminophen, and how much can he have in a day?*
#
# The retriever returned `paracetamol_dose` (printed below) and the model answered:
#
# > *Wait at least 4 hours between doses. Adults can take up to 4 g a day, and up to 6 g a day is
# > safe for a few days if the pain is severe. Ibuprofen is a good alternative if paracetamol is
# > not enough. [Source: NHS website, medicines A to Z: paracetamol for adults]*
#
# In **at most 250 words**, explain how you would evaluate such generated answers before the
# assistant is used on the wards, and what you would monitor afterwards:
#
# 1. **Faithfulness.** How do you check that an answer says only what its cited source says?
#    Which sentences of this answer pass, which fail, and why does the citation not make the
#    answer safe?
# 2. **Hallucination and refusal.** What would you measure, on which questions, judged by whom?
#    Use your retriever's results above (the crosstab): what should happen when it refuses?
# 3. **Prompt privacy.** What is wrong with this prompt from a privacy point of view, and what
#    would you require of the system (what the prompt may contain, where the model runs, what
#    is logged)?
#
# **Rubric** (2 points)
#
# | points | the answer |
# |---|---|
# | 0.5 | checks faithfulness claim by claim against the cited passage (not against general knowledge): the 4-hour interval is supported; the 6 g claim contradicts the source and is dangerous, and the ibuprofen advice is absent from it (and unsafe with warfarin), so a correct citation can carry an unfaithful answer |
# | 0.5 | proposes a measurable evaluation: a fixed test set including unanswerable and safety-critical questions, judged by pharmacists (automatic judges only as a screen checked against them), with rates such as answers with an unsupported claim, wrong citations and correct refusals; says the model must not answer when the retriever refuses, using the crosstab (right, wrong, refused) |
# | 1 | identifies the identifiers in the prompt (name, age, ward, hospital number) as personal and health information not needed to answer, and requires minimisation or pseudonymisation before prompting, a model run on premises or under a contract without retention or training on prompts (a legal basis and cross-border rules under PIPA if external), logs treated as personal data with access control and retention limits, and monitoring after deployment (sampled answers reviewed, incidents reported) |

# %% nbgrader={"grade": false, "grade_id": "show_passage", "locked": true, "schema_version": 3, "solution": false, "task": false}
shown_passage = passages.set_index("passage_id").loc["paracetamol_dose"]
for field in ["title", "text", "source"]:
    print(f"{field}: {shown_passage[field]}")

# %% [markdown] nbgrader={"grade": true, "grade_id": "q6_generated_answer", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer: **Faithfulness.** Split the answer into claims and check each against the
# cited passage only. "At least 4 hours between doses" is supported. "Up to 4 g a day" is
# supported (4 doses of at most 2 × 500 mg). "Up to 6 g is safe for a few days" contradicts the
# passage, which warns that more damages the liver: a dangerous hallucination. The ibuprofen
# advice is not in the passage at all, and another passage (`nsaid_blood_thinner`) says the
# opposite for a patient on warfarin. The citation is real, so the answer *looks* sourced: a
# citation proves where the passage came from, not that the answer follows it.
#
# **Measurement.** A fixed test set (the FAQ questions plus realistic staff questions, with
# unanswerable, ambiguous and safety-critical ones) answered by the system; pharmacists, blinded,
# label every claim supported / unsupported / contradicted and every citation right / wrong.
# Report the share of answers with any unsupported claim (target: zero for dosing), citation
# accuracy, and refusal rates. An automatic judge (entailment model or LLM) may screen, only
# after its agreement with the pharmacists is measured. The reference retriever refuses all 6
# unanswerable questions and returns no wrong passage, but it also refuses 12 of the 35
# answerable ones: when it refuses, the model must say so and not answer from its own memory;
# the threshold trades refusals against wrong passages and must be set on this test set.
#
# **Privacy.** Name, age, ward and hospital number identify the patient and are not needed to
# answer. Strip or pseudonymise them before the prompt, run the model on premises or under a
# contract without retention or training on prompts (a legal basis and the cross-border transfer
# rules of PIPA if external), treat logs as personal data with access control and retention
# limits. After go-live: sample answers for review, an incident channel, re-test after every
# model or corpus change.
# ### END SOLUTION
