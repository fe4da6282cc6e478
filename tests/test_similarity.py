"""`medai similarity`: planted copies are found, independent answers are not flagged.

The test class: 25 students who each answer a1 their own way, and 7 planted copies of
some of them (renamed, reordered, re-commented, reformatted, and all four at once).
Each independent student takes, for each of the five code questions, one of five
versions written independently (the reference, the assignment's alternatives, new ones;
where the reference is taken, sometimes one of the mutants instead: a wrong answer),
and one of five prose answers to question 6. The versions are dealt out like the lines
of a finite plane: student (a, b) takes version (a + q*b) mod 5 of question q, and prose
b, so any two independent students share exactly one of their six answers, never more.
That is harder than a real class (where two students rarely write even one answer
identically) and must not be flagged; every planted copy must be.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import io
import keyword
import os
import re
import tempfile
import time
import tokenize
from pathlib import Path

import pytest
from helpers import REPO, SCRATCH, copy_course
from submissions import reference_answers, submit

from medai.cli import main
from medai.course import manifest
from medai.grading import pipeline, similarity
from medai.grading.qa import load_mutants

A1 = "a1_diagnostic_metrics"
SOURCE = REPO / "assignments" / "source" / "a1"
QUESTIONS = ["q1_answer", "q2_answer", "q3_answer", "q4_answer", "q5_answer"]

# -- five independently written versions of each question (beyond the reference and the
#    alternatives in assignments/source/a1/alternatives/) ---------------------------------

Q1 = [
    '''def diagnostic_metrics(y_true, y_pred):
    """Sensitivity, specificity, PPV and NPV of binary predictions (1 = disease)."""
    labels = np.asarray(y_true).astype(int)
    guesses = np.asarray(y_pred).astype(int)
    # bincount of 2*truth + prediction: index 0 = TN, 1 = FP, 2 = FN, 3 = TP
    tn, fp, fn, tp = np.bincount(2 * labels + guesses, minlength=4)
    out = {}
    for key, hit, miss in (("sensitivity", tp, fn), ("specificity", tn, fp),
                           ("ppv", tp, fp), ("npv", tn, fn)):
        out[key] = hit / (hit + miss) if hit + miss > 0 else math.nan
    return out
''',
    '''def diagnostic_metrics(y_true, y_pred):
    """Sensitivity, specificity, PPV and NPV of binary predictions (1 = disease)."""
    pairs = list(zip(np.asarray(y_true).tolist(), np.asarray(y_pred).tolist()))
    TP = len([1 for t, p in pairs if t == 1 and p == 1])
    TN = len([1 for t, p in pairs if t == 0 and p == 0])
    FP = len([1 for t, p in pairs if t == 0 and p == 1])
    FN = len([1 for t, p in pairs if t == 1 and p == 0])
    safe = lambda a, b: math.nan if b == 0 else a / b
    return dict(sensitivity=safe(TP, TP + FN), specificity=safe(TN, TN + FP),
                ppv=safe(TP, TP + FP), npv=safe(TN, TN + FN))
''',
    '''def diagnostic_metrics(y_true, y_pred):
    """Sensitivity, specificity, PPV and NPV of binary predictions (1 = disease)."""
    actual = np.asarray(y_true) == 1
    called = np.asarray(y_pred) == 1
    matrix = np.array([[np.sum(~actual & ~called), np.sum(~actual & called)],
                       [np.sum(actual & ~called), np.sum(actual & called)]])
    rows = matrix.sum(axis=1)
    cols = matrix.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sens = matrix[1, 1] / rows[1] if rows[1] else math.nan
        spec = matrix[0, 0] / rows[0] if rows[0] else math.nan
        pos_pred = matrix[1, 1] / cols[1] if cols[1] else math.nan
        neg_pred = matrix[0, 0] / cols[0] if cols[0] else math.nan
    return {"sensitivity": sens, "specificity": spec, "ppv": pos_pred, "npv": neg_pred}
''',
]

Q2 = [
    '''def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    """(PPV, NPV) of a test with this sensitivity and specificity at this prevalence."""
    p_positive = sensitivity * prevalence + (1 - specificity) * (1 - prevalence)
    ppv = sensitivity * prevalence / p_positive
    npv = specificity * (1 - prevalence) / (1 - p_positive)
    return ppv, npv
''',
    '''def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    """(PPV, NPV) of a test with this sensitivity and specificity at this prevalence."""
    # odds form of Bayes: posterior odds = prior odds x likelihood ratio
    prior_odds = prevalence / (1 - prevalence)
    lr_plus = sensitivity / (1 - specificity) if specificity < 1 else math.inf
    lr_minus = (1 - sensitivity) / specificity
    post_pos = prior_odds * lr_plus
    post_neg = prior_odds * lr_minus
    ppv = 1.0 if math.isinf(post_pos) else post_pos / (1 + post_pos)
    return ppv, 1 - post_neg / (1 + post_neg)
''',
    '''def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    """(PPV, NPV) of a test with this sensitivity and specificity at this prevalence."""
    population = 1_000_000
    sick = population * prevalence
    healthy = population - sick
    caught, missed = sick * sensitivity, sick * (1 - sensitivity)
    cleared, alarmed = healthy * specificity, healthy * (1 - specificity)
    return caught / (caught + alarmed), cleared / (cleared + missed)
''',
    '''def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    """(PPV, NPV) of a test with this sensitivity and specificity at this prevalence."""
    joint = np.array([[sensitivity, 1 - sensitivity],
                      [1 - specificity, specificity]]) * np.array([[prevalence],
                                                                    [1 - prevalence]])
    column_totals = joint.sum(axis=0)
    return float(joint[0, 0] / column_totals[0]), float(joint[1, 1] / column_totals[1])
''',
]

Q3 = [
    '''def threshold_for_sensitivity(y_true, scores, target):
    """Highest observed score t such that flagging score >= t reaches the target sensitivity."""
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    cancer_scores = sorted(s[y == 1].tolist(), reverse=True)
    caught = 0
    for value in cancer_scores:
        caught += 1
        if caught / len(cancer_scores) >= target - 1e-12:
            return float(value)
    return float(cancer_scores[-1])
''',
    '''def threshold_for_sensitivity(y_true, scores, target):
    """Highest observed score t such that flagging score >= t reaches the target sensitivity."""
    diseased = np.sort(np.asarray(scores, dtype=float)[np.asarray(y_true) == 1])
    # sensitivity at threshold diseased[i] is (n - i) / n; keep the largest i that is enough
    n = diseased.size
    sensitivities = (n - np.arange(n)) / n
    good = np.nonzero(sensitivities >= target - 1e-12)[0]
    return float(diseased[good.max()])
''',
    '''def threshold_for_sensitivity(y_true, scores, target):
    """Highest observed score t such that flagging score >= t reaches the target sensitivity."""
    table = sorted(zip(scores, y_true), key=lambda row: -row[0])
    total = sum(1 for _, label in table if label == 1)
    found = 0
    best = None
    for score, label in table:
        if label == 1:
            found += 1
            best = score
            if found >= target * total - 1e-9:
                break
    return float(best)
''',
]

Q4 = [
    '''def auroc(y_true, scores):
    """Probability that a random positive outranks a random negative (ties count 1/2)."""
    labels = list(np.asarray(y_true).astype(int))
    values = list(np.asarray(scores, dtype=float))
    pos = [v for v, l in zip(values, labels) if l == 1]
    neg = [v for v, l in zip(values, labels) if l == 0]
    total = 0.0
    for p in pos:
        for n in neg:
            if p > n:
                total += 1
            elif p == n:
                total += 0.5
    return total / (len(pos) * len(neg))
''',
    '''def auroc(y_true, scores):
    """Probability that a random positive outranks a random negative (ties count 1/2)."""
    y = np.asarray(y_true) == 1
    s = np.asarray(scores, dtype=float)
    negatives = np.sort(s[~y])
    below = np.searchsorted(negatives, s[y], side="left")
    not_above = np.searchsorted(negatives, s[y], side="right")
    return float((below + 0.5 * (not_above - below)).sum() / (y.sum() * (~y).sum()))
''',
    '''def auroc(y_true, scores):
    """Probability that a random positive outranks a random negative (ties count 1/2)."""
    t = np.asarray(y_true).astype(int)
    x = np.asarray(scores, dtype=float)
    diff = np.subtract.outer(x[t == 1], x[t == 0])
    return float(np.mean(np.sign(diff) * 0.5 + 0.5))
''',
]

Q5 = [
    '''def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    """AUROC and its percentile-bootstrap interval, resampling patients with replacement."""
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    generator = np.random.default_rng(seed)
    n = len(y)
    draws = generator.integers(0, n, size=(n_boot, n))
    kept = [auroc(y[idx], s[idx]) for idx in draws if len(np.unique(y[idx])) == 2]
    tail = (1 - level) / 2
    return auroc(y, s), float(np.quantile(kept, tail)), float(np.quantile(kept, 1 - tail))
''',
    '''def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    """AUROC and its percentile-bootstrap interval, resampling patients with replacement."""
    rng = np.random.default_rng(seed)
    patients = list(zip(np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)))
    results = []
    done = 0
    while done < n_boot:
        done += 1
        picks = rng.integers(0, len(patients), len(patients))
        sample = [patients[i] for i in picks]
        classes = {label for label, _ in sample}
        if len(classes) < 2:
            continue
        results.append(auroc([l for l, _ in sample], [v for _, v in sample]))
    results.sort()
    low = np.percentile(results, 50 * (1 - level))
    high = np.percentile(results, 100 - 50 * (1 - level))
    whole = auroc([l for l, _ in patients], [v for _, v in patients])
    return whole, float(low), float(high)
''',
    '''def bootstrap_auroc_interval(y_true, scores, n_boot=2000, level=0.95, seed=0):
    """AUROC and its percentile-bootstrap interval, resampling patients with replacement."""

    def one_resample(rng, labels, values):
        rows = rng.integers(0, labels.size, labels.size)
        if labels[rows].all() or not labels[rows].any():
            return None
        return auroc(labels[rows], values[rows])

    labels = np.asarray(y_true).astype(bool).astype(int)
    values = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    stats = np.array([a for a in (one_resample(rng, labels, values) for _ in range(n_boot))
                      if a is not None])
    bounds = np.quantile(stats, [0.5 - level / 2, 0.5 + level / 2])
    return auroc(labels, values), float(bounds[0]), float(bounds[1])
''',
]

PROSE = [
    "For the breast clinic I would pick the 95%-sensitivity threshold from Question 3. "
    "It lets through far fewer cancers than 0.5 does, and an unnecessary biopsy of a benign "
    "lump is a much smaller harm than a cancer sent home. Its specificity is lower, so more "
    "women get a biopsy they did not need. In a screening programme with 0.5% prevalence the "
    "picture flips: Question 2 gives a PPV of only a few percent, so nearly all positives "
    "would be false alarms. Screening would need a far more specific cut-off or a second "
    "confirmatory test, and the model would have to be validated on a screening population.",
    "Recommendation: keep 0.5 only if biopsies are scarce; otherwise use the lower threshold. "
    "With the lower cut-off sensitivity reaches 0.95 against roughly 0.9 at 0.5, while "
    "specificity falls a little, from about 0.97 to 0.93. Missing a malignancy delays "
    "treatment by months; a benign biopsy costs a day and some anxiety. Population screening "
    "is different. At 0.5% prevalence, with sensitivity 0.95 and specificity 0.93, Bayes gives "
    "PPV = 0.00475 / (0.00475 + 0.0697), about 6%: sixteen of every seventeen recalled women "
    "are healthy. That calls for stricter thresholds, two-stage testing and prospective "
    "validation where the model will actually run.",
    "In a referral setting, around 37% of these patients have cancer, and the cost of a "
    "false negative dominates. I therefore choose the threshold tuned for 95% sensitivity; "
    "0.5 misses a few extra tumours in this test set. The price is several extra biopsies "
    "of benign tissue, which the clinic can absorb. Moved to mass screening, where only one "
    "in two hundred people tested has cancer, predictive value collapses: using the Q2 "
    "function the PPV drops to single digits, so most flagged people are healthy. The same "
    "model would need re-calibration, a much higher specificity and external validation "
    "before being trusted for screening.",
    "Both thresholds have similar AUROC behind them, so the choice is about costs. For "
    "deciding biopsies I'd take the high-sensitivity cut (about 0.2 on the score scale): "
    "fewer missed cancers; at 0.5 we miss roughly twice as many. Specificity drops from "
    "0.98 to about 0.90, meaning more negative biopsies, acceptable when a miss can be "
    "fatal. For screening at 0.5% prevalence my Q2 function gives PPV near 4%, meaning "
    "about 24 false alarms per true cancer, and overwhelming follow-up capacity. There I "
    "would raise the threshold, add a confirmatory step, and retrain or validate on a "
    "screening cohort.",
    "Short answer: the 95%-sensitivity threshold for the clinic, not for screening. In the "
    "clinic, prevalence is high (about 0.37) so PPV stays reasonable even with the lower "
    "cut-off, and catching 95% of cancers beats catching about 90%. Each extra false "
    "positive means one benign biopsy; each false negative can mean a late-stage diagnosis. "
    "Screening 200 people with one cancer among them is another world: PPV around 5% by "
    "Bayes, so the recall workload and patient anxiety explode. Screening demands high "
    "specificity, a follow-up test and evidence from a screening trial, not a clinic test set.",
]


def _alternative(name: str) -> dict[str, str]:
    return next(m.answers for m in load_mutants(SOURCE / "alternatives") if m.name == name)


def versions() -> dict[str, list[str]]:
    """Five independent versions of each code question (version 0: the reference)."""
    ref = reference_answers(SOURCE / f"{A1}.py")
    by_ranks, search, loop = (_alternative(n) for n in
                              ("auroc_by_ranks", "threshold_by_search", "counts_in_a_loop"))
    return {"q1_answer": [ref["q1_answer"], loop["q1_answer"], *Q1],
            "q2_answer": [ref["q2_answer"], *Q2],
            "q3_answer": [ref["q3_answer"], search["q3_answer"], *Q3],
            "q4_answer": [ref["q4_answer"], by_ranks["q4_answer"], *Q4],
            "q5_answer": [ref["q5_answer"], by_ranks["q5_answer"], *Q5]}


def mutants_of_the_reference() -> dict[str, list[dict[str, str]]]:
    """grade_id -> the wrong answers (mutants of the reference) of that question."""
    found: dict[str, list[dict[str, str]]] = {}
    for mutant in load_mutants(SOURCE / "mutants"):
        for grade_id, text in mutant.answers.items():
            found.setdefault(grade_id, []).append({grade_id: text})
    return found


def independent_class() -> dict[str, dict[str, str]]:
    """25 students (a, b): version (a + q*b) mod 5 of question q, prose b; where that is
    the reference, every other such student takes a mutant (a wrong answer) instead."""
    code, wrong = versions(), mutants_of_the_reference()
    students, used = {}, {q: 0 for q in QUESTIONS}
    for a in range(5):
        for b in range(5):
            answers = {}
            for q, grade_id in enumerate(QUESTIONS):
                version = (a + q * b) % 5
                answers[grade_id] = code[grade_id][version]
                if version == 0 and wrong.get(grade_id):
                    used[grade_id] += 1
                    if used[grade_id] % 2 == 0:
                        answers.update(wrong[grade_id][used[grade_id] // 2 %
                                                       len(wrong[grade_id])])
            answers["q6_tradeoff"] = PROSE[b]
            students[f"ind{a}{b}"] = answers
    return students


# -- ways of disguising a copy ------------------------------------------------------------

KEEP = (set(keyword.kwlist) | set(dir(builtins)) | {
    "np", "math", "auroc", "diagnostic_metrics", "predictive_values_at_prevalence",
    "threshold_for_sensitivity", "bootstrap_auroc_interval", "y_true", "y_pred", "scores",
    "sensitivity", "specificity", "prevalence", "target", "n_boot", "level", "seed",
    # keyword arguments of the library calls above
    "dtype", "kind", "size", "replace", "axis", "minlength", "side", "reverse", "key",
    "invalid", "divide"})


def renamed(code: str) -> str:
    """Every local name replaced by another (the layout kept)."""
    lines = code.splitlines(keepends=True)
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    for i in reversed(range(len(tokens))):
        tok = tokens[i]
        if (tok.type != tokenize.NAME or tok.string in KEEP
                or (i and tokens[i - 1].string == ".")):
            continue
        new = "w_" + hashlib.sha256(tok.string.encode()).hexdigest()[:5]
        (row, start), (_, end) = tok.start, tok.end
        line = lines[row - 1]
        lines[row - 1] = line[:start] + new + line[end:]
    return "".join(lines)


def _reads(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _writes(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


class _Reorder(ast.NodeTransformer):
    """Nested functions first, and every run of independent statements reversed."""

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        body = node.body
        doc = body[:1] if body and isinstance(body[0], ast.Expr) else []
        body = body[len(doc):]
        nested = [s for s in body if isinstance(s, ast.FunctionDef)]
        rest = [s for s in body if not isinstance(s, ast.FunctionDef)]
        out, run = [], []
        for statement in rest:
            independent = isinstance(statement, (ast.Assign, ast.AugAssign)) and not (
                _reads(statement) & set().union(*(_writes(s) for s in run))
                or _writes(statement) & set().union(*(_reads(s) | _writes(s) for s in run)))
            if independent:
                run.append(statement)
            else:
                out += run[::-1]
                run = [statement] if isinstance(statement, (ast.Assign, ast.AugAssign)) else []
                if not run:
                    out.append(statement)
        out += run[::-1]
        node.body = doc + nested + out
        return node


def reordered(code: str) -> str:
    """Statements moved where that does not change the result (written by ast.unparse)."""
    return ast.unparse(_Reorder().visit(ast.parse(code))) + "\n"


COMMENTS = ["# work out the value here", "# numpy version", "# keep this for later",
            "# TODO check edge case", "# my own approach"]


def recommented(code: str) -> str:
    """The comments and docstrings replaced by others."""
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    lines = code.splitlines()
    for tok in reversed(tokens):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col].rstrip()
    out = []
    for n, line in enumerate(lines):
        stripped = line.strip()
        indent = line[:len(line) - len(line.lstrip())]
        if stripped.startswith('"""') and stripped.endswith('"""'):
            out.append(f'{indent}"""My answer to this question (checked by hand)."""')
            continue
        if re.match(r"[A-Za-z_][\w, ]*=[^=]", stripped):
            out.append(f"{indent}{COMMENTS[n % len(COMMENTS)]}")
        if stripped or (out and out[-1].strip()):
            out.append(line)
    return "\n".join(out) + "\n"


def reformatted(code: str) -> str:
    """Another layout: ast.unparse's spacing and quotes, two-space indents, blank lines."""
    out = []
    for line in ast.unparse(ast.parse(code)).splitlines():
        body = line.lstrip(" ")
        depth = (len(line) - len(body)) // 4
        out.append("  " * depth + body.replace("'", '"'))
        if body.startswith(("return", "for ", "if ")):
            out.append("")
    return "\n".join(out) + "\n"


def _disguise(answers: dict[str, str], *steps) -> dict[str, str]:
    copied = dict(answers)
    for grade_id in QUESTIONS:
        for step in steps:
            copied[grade_id] = step(copied[grade_id])
    return copied


# source student -> (copy's name, the disguise)
PLANTED = {
    "ind01": ("copy_renamed", (renamed,)),
    "ind12": ("copy_reordered", (reordered,)),
    "ind23": ("copy_recommented", (recommented,)),
    "ind34": ("copy_reformatted", (reformatted,)),
    "ind40": ("copy_all_four", (renamed, reordered, reformatted, recommented)),
    "ind11": ("copy_renamed_recommented", (renamed, recommented)),
    "ind42": ("copy_reordered_reformatted", (reordered, reformatted)),
}


def whole_class() -> tuple[dict[str, dict[str, str]], set[frozenset]]:
    """Every student's answers, and the planted pairs (each copy with its source)."""
    students = independent_class()
    planted = set()
    for source, (name, steps) in PLANTED.items():
        copied = _disguise(students[source], *steps)
        copied["q6_tradeoff"] = (students[source]["q6_tradeoff"]
                                 + " I also looked at the ROC curve for this.")
        students[name] = copied
        planted.add(frozenset((source, name)))
    return students, planted


_RELEASED: dict[str, Path] = {}


def make_course(root: Path, students: dict[str, dict[str, str]]) -> manifest.Manifest:
    """A course copy with a1 released and these students' submissions (the release is
    made once per test process and copied: nbgrader's generate is the slow part)."""
    import shutil

    if "a1" not in _RELEASED:
        template = Path(tempfile.mkdtemp(prefix="similarity_course_", dir=SCRATCH))
        pipeline.generate(manifest.load(copy_course(template)), "a1")
        _RELEASED["a1"] = template
    shutil.copytree(_RELEASED["a1"], root, dirs_exist_ok=True, symlinks=True)
    m = manifest.load(root / "course" / "course.yml")
    released = m.course_folder("release", "a1") / f"{A1}.ipynb"
    for student, answers in students.items():
        submit(released, m.course_folder("submitted"), student, answers)
    return m


@pytest.fixture(scope="module")
def planted_class(tmp_path_factory):
    students, planted = whole_class()
    return make_course(tmp_path_factory.mktemp("class"), students), students, planted


def test_every_disguise_keeps_valid_python_that_differs_from_its_source():
    students, _ = whole_class()
    for source, (name, _) in PLANTED.items():
        for grade_id in QUESTIONS:
            ast.parse(students[name][grade_id])
            assert students[name][grade_id] != students[source][grade_id], (name, grade_id)


def test_the_independent_students_share_at_most_one_answer():
    students = independent_class()
    assert len(students) == 25
    names = sorted(students)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            same = [g for g in [*QUESTIONS, "q6_tradeoff"]
                    if students[first][g] == students[second][g]]
            assert len(same) <= 1, (first, second, same)


def test_every_planted_copy_is_found_and_no_independent_pair_is_flagged(planted_class):
    m, students, planted = planted_class
    assert len(students) >= 30
    result = similarity.compare(m, "a1")
    flagged = {frozenset((p.first, p.second)): p.score for p in result.flagged}
    scores = dict(zip(
        [frozenset(pair) for pair in _pairs(result.students)], result.scores, strict=True))
    found = planted & set(flagged)
    false_positives = set(flagged) - planted
    recall = len(found) / len(planted)
    independent = [s for pair, s in scores.items() if pair not in planted]
    print(f"\nsimilarity on {len(students)} submissions ({len(scores)} pairs): recall "
          f"{len(found)}/{len(planted)} = {recall:.2f}, false positives "
          f"{len(false_positives)} of {len(independent)} independent pairs; planted scores "
          f"{sorted(round(scores[p], 2) for p in planted)}; highest independent "
          f"{max(independent):.2f}; {result.seconds:.2f} s")
    assert recall == 1.0, {tuple(p): round(scores[p], 2) for p in planted - found}
    assert not false_positives, {tuple(p): round(flagged[p], 2) for p in false_positives}
    assert result.skipped == {} and result.empty == []
    assert len(result.scores) == len(students) * (len(students) - 1) // 2


def _pairs(students):
    from itertools import combinations

    return combinations(students, 2)


def test_the_report_shows_pairs_side_by_side_and_escapes_student_text(tmp_path):
    students, _ = whole_class()
    chosen = {s: students[s] for s in ("ind00", "ind13", "ind01", "copy_renamed", "ind22")}
    # a student's text that would be markup if it were not escaped
    evil = '<script>alert("x")</script>'
    chosen["ind01"] = dict(chosen["ind01"], q6_tradeoff=PROSE[1] + evil)
    chosen["copy_renamed"] = dict(chosen["copy_renamed"],
                                  q1_answer=chosen["copy_renamed"]["q1_answer"]
                                  + f"\n# {evil}\n")
    m = make_course(tmp_path, chosen)
    result, target = similarity.write(m, "a1")
    assert target == m.course_directory / "reports" / "similarity" / "a1.html"
    page = target.read_text()
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and "<link" not in page and "src=" not in page
    [pair] = result.flagged
    assert {pair.first, pair.second} == {"ind01", "copy_renamed"}
    assert page.count('<div class="side">') == len(pair.passages) >= 5
    assert "<mark>" in page and "<svg" in page and "not a verdict" in page
    # the passages show the students' own lines, without the released skeleton
    q1 = next(p for p in pair.passages if p.grade_id == "q1_answer")
    assert "YOUR CODE HERE" not in q1.left + q1.right
    assert "def diagnostic_metrics" not in q1.left


def test_answers_written_in_cells_the_students_added_are_compared_too(tmp_path):
    """nbgrader runs a cell a student added, so an answer can live there: such cells are
    compared as one more answer cell, with the handout's code (here the setup cell,
    copied by everyone) removed."""
    import nbformat

    students, _ = whole_class()
    m = make_course(tmp_path, {s: students[s] for s in ("ind00", "ind13")})
    released = m.course_folder("release", "a1") / f"{A1}.ipynb"
    setup = next(c.source for c in nbformat.read(released, as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    own = "\n\n".join(students["ind22"][q] for q in QUESTIONS)
    for student, extra in (("adder", own), ("adder_copy", renamed(own)),
                           ("setup_only", "")):
        target = submit(released, m.course_folder("submitted"), student, {})
        notebook = nbformat.read(target, as_version=4)
        notebook.cells += [nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell(extra)]
        nbformat.write(notebook, target)
    result = similarity.compare(m, "a1")
    assert [(p.first, p.second) for p in result.flagged] == [("adder", "adder_copy")]
    assert [p.grade_id for p in result.flagged[0].passages] == [similarity.ADDED]
    assert result.empty == ["setup_only"]


def test_malformed_empty_and_missing_notebooks_are_listed_not_fatal(tmp_path, capsys):
    students, _ = whole_class()
    m = make_course(tmp_path, {s: students[s] for s in ("ind00", "ind01", "copy_renamed")})
    submitted = m.course_folder("submitted")
    broken = submitted / "broken" / "a1" / f"{A1}.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("{ not a notebook")
    (submitted / "renamed_file" / "a1").mkdir(parents=True)
    (submitted / "renamed_file" / "a1" / "mine.ipynb").write_text("{}")
    released = m.course_folder("release", "a1") / f"{A1}.ipynb"
    submit(released, submitted, "blank", {})
    code = main(["--course", str(m.path), "similarity", "a1", "--threshold", "0.5"])
    out = capsys.readouterr().out
    assert code == 0
    assert "not compared: broken: " in out and "not valid JSON" in out
    assert f"not compared: renamed_file: no {A1}.ipynb" in out
    assert "no answer of their own: blank" in out
    assert re.search(r"\d\.\d\d  copy_renamed  ind01", out)
    page = (m.course_directory / "reports" / "similarity" / "a1.html").read_text()
    assert "broken" in page and "Submissions not compared" in page


def test_cli_out_threshold_and_clear_errors(tmp_path, capsys):
    students, _ = whole_class()
    m = make_course(tmp_path / "c", {"ind00": students["ind00"]})
    out = tmp_path / "elsewhere" / "sim.html"
    assert main(["--course", str(m.path), "similarity", "a1", "--out", str(out)]) == 0
    assert "1 submission, 0 pairs" in capsys.readouterr().out and out.is_file()
    assert main(["--course", str(m.path), "similarity", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["--course", str(m.path), "similarity", "a1", "--threshold", "3"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err
    # released but nothing submitted; and not even released
    fresh = make_course(tmp_path / "fresh", {})
    assert main(["--course", str(fresh.path), "similarity", "a1"]) == 2
    assert "no submissions" in capsys.readouterr().err
    other = manifest.load(copy_course(tmp_path / "other"))
    assert main(["--course", str(other.path), "similarity", "a1"]) == 2
    assert "medai release a1" in capsys.readouterr().err


@pytest.mark.slow
def test_five_hundred_students_in_reasonable_time(tmp_path):
    """A large synthetic class: scoring stays fast (the report lists only flagged pairs)."""
    students = independent_class()
    names = list(students)
    big = {f"s{i:03d}": students[names[i % 25]] for i in range(500)}
    m = make_course(tmp_path, big)
    started = time.perf_counter()
    result = similarity.compare(m, "a1", threshold=1.0)
    seconds = time.perf_counter() - started
    print(f"\n500 submissions, {result.pairs} pairs: {seconds:.1f} s")
    assert result.pairs == 500 * 499 // 2
    assert seconds < 120


def test_scores_are_the_same_on_every_run():
    """Fingerprints use a stable hash, not Python's salted one: the same class gets the
    same report whatever the process."""
    import subprocess
    import sys

    code = ("from medai.grading import similarity as s; "
            "print(sorted(s._fingerprint(open(0).read(), 'code').hashes))")
    text = versions()["q5_answer"][0]
    runs = {subprocess.run([sys.executable, "-c", code], input=text, capture_output=True,
                           text=True, env={**os.environ, "PYTHONHASHSEED": seed},
                           check=True).stdout for seed in ("1", "2")}
    assert len(runs) == 1 and len(runs.pop()) > 100
