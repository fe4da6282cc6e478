# %% [markdown]
# # dx07 · Clinical text, retrieval and language models
#
# *Module: AI diagnosis and prediction · Core path: about 115 minutes, plus about 20 minutes of
# optional deep dives · Prerequisites: dx01 (sensitivity, PPV, AUROC, logistic regression), basic
# pandas and regular expressions.*
#
# Each section says whether it is **core** (taught in the lab) or an optional **deep dive**
# (reading for after the lab). The core path runs on its own: nothing in it needs a deep dive.

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# By the end you can ...
#
# - ... split a radiology report into its sections and write a NegEx-style labeller (trigger
#   terms, a scope that ends at the sentence or a conjunction, pseudo-triggers) that tells
#   affirmed, negated and uncertain findings apart;
# - ... measure a text labeller against a reference standard (sensitivity, PPV, F1 per finding)
#   and train a TF-IDF and logistic-regression classifier with a split that keeps duplicate
#   reports on one side;
# - ... write BM25 retrieval from scratch, compare it with TF-IDF cosine by recall@k and MRR,
#   and make a FAQ assistant that answers with citations and refuses when retrieval is weak;
# - ... explain why whitespace tokens fail for Korean and use a morphological analyser
#   (kiwipiepy) to find terms and negation cues in Korean notes;
# - ... evaluate a generated answer for faithfulness to its cited source, recognise
#   hallucinations, and state what must not go into a prompt under Korean privacy rules.

# %% [markdown]
# ## Clinical question
# *Core · 5 min*
#
# Most of what a hospital knows about a patient is written as text: radiology reports,
# discharge letters, triage notes. Two everyday jobs depend on reading it by machine.
#
# 1. **Labelling reports.** A quality team wants every chest X-ray report of the last year
#    labelled for cardiomegaly, pleural effusion, pneumothorax and a few other findings, to
#    build a training set for an image model (CheXpert and MIMIC-CXR were labelled this way)
#    or to audit follow-up of nodules. A report that says *"No pneumothorax"* must not become
#    a pneumothorax label. A labeller that confuses mention with presence fills the image
#    training set with wrong labels; one that misses a stated nodule loses a patient to
#    follow-up.
# 2. **Answering questions from trusted text.** A pharmacy wants a chat assistant that answers
#    patients' questions about their medicines ("I forgot my warfarin yesterday, should I take
#    two today?") **only from its own approved leaflets**, shows where each answer came from,
#    and says "I don't know, ask a pharmacist" when the leaflets do not cover the question. A
#    fluent wrong answer here is worse than no answer: the patient may double a dose of an
#    anticoagulant.
#
# Large language models (LLMs) now do both jobs fluently, and that makes the evaluation
# questions sharper, not obsolete: *is each statement supported by the source it cites? what
# happens when the source has no answer? what did we send to the model?* This lesson builds the
# classical tools first, on real reports and a curated corpus, in English and Korean, and uses
# them to learn how to evaluate generated text.

# %% [markdown]
# ## Data card
# *Core · 5 min*
#
# | Item | `iu_xray_reports` (real) | `pharmacy_faq` (curated) | `clinical_notes`, `style="korean"` (synthetic) |
# |---|---|---|---|
# | **What** | 3,955 chest X-ray reports of the Indiana University collection (Demner-Fushman et al. 2016): comparison, indication, findings and impression sections; manual MeSH-based codes per report (`mesh_major`), `normal` when the coders found nothing | short passages about common medicines (dosing intervals, missed doses, interactions, storage, side effects, when to get help), each in English and Korean, with a `source` line; test questions with the ids of the passages that answer them, plus unanswerable questions | Korean emergency-department notes written by a template grammar, mixing Korean and English terms as real Korean notes do; every mention's status (affirmed, negated, uncertain, historical) and character span is known |
# | **Who** | outpatients of two Indiana hospital systems; de-identified by the distributor (`XXXX` replaces removed words) | no patients | no patients; ages and vital signs are random |
# | **Reference standard** | MeSH codes assigned by people reading the report, not the image | relevance judgements written with the corpus | the generator's own record |
# | **Licence** | CC BY-NC-ND 4.0: read in place from the torchxrayvision package, never saved or shared in modified form | MIT, written for this course; paraphrases public patient leaflets in general terms; not medical advice | MIT (generated) |
# | **Limitations** | one outpatient population; codes include incidental findings; no patient identifier (duplicate reports exist) | small; written by the course authors, so wording is cleaner than real leaflets | template grammar, far simpler than real notes |
#
# There is **no language model in this lesson**: no PyPI package ships the weights of a small
# generative model we could run offline in the course's memory budget, so the last section
# teaches the *evaluation* of generated answers in the retrieval setting and says where an LLM
# would plug in.

# %%
import math
import re
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from kiwipiepy import Kiwi
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import GroupShuffleSplit, ShuffleSplit

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 0
pd.set_option("display.max_colwidth", 110)

# %%
reports = datasets.load("iu_xray_reports").tables["reports"]
print(f"{len(reports):,} reports; {reports['normal'].sum():,} coded normal; "
      f"findings missing in {(reports['findings'] == '').sum()}, "
      f"impression missing in {(reports['impression'] == '').sum()}")
reports.loc[[1, 3], ["report_id", "indication", "findings", "impression", "mesh_major"]]

# %% [markdown]
# ### Sections of a report
# *Core · 5 min*
#
# A radiology report has a fixed structure. **Indication**: why the examination was requested
# (the clinical question). **Comparison**: earlier studies. **Findings**: what the radiologist
# saw, organ by organ, including the normal ("The lungs are clear"). **Impression**: the
# conclusion for the referring doctor, often numbered, usually only what matters. The
# impression is shorter and closer to a diagnosis; the findings are longer and full of
# negations. Which section you read changes what a labeller finds: a nodule mentioned in the
# findings but left out of the impression is still a nodule.
#
# The codes in `mesh_major` were assigned by people reading the whole report. They describe
# each finding with a MeSH heading followed by location and severity words. We keep the
# heading only and group a few headings into the seven findings this lesson labels.

# %%
words = pd.DataFrame({
    section: reports[section].str.split().str.len()
    for section in ["indication", "findings", "impression"]})
print("median words per section:", words.median().to_dict())
mesh_heads = Counter(code.split("/")[0] for codes in reports["mesh_major"]
                     for code in set(codes))
print("most frequent MeSH headings:", mesh_heads.most_common(12))

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Eight steps: a rule-based labeller and its evaluation (1-3), a learned classifier (4),
# retrieval for a FAQ assistant (5-6), Korean text (7), and evaluating generated answers (8).

# %% [markdown]
# ### 1. A NegEx-style labeller
# *Core · 10 min*
#
# NegEx (Chapman et al. 2001) decides whether a finding mentioned in a sentence is **negated**
# with three kinds of phrase and one idea of scope:
#
# - **Triggers** that negate what follows (*no, without, negative for, no evidence of*) or what
#   precedes (*is not seen, has resolved*). ConText (Harkema et al. 2009) added **uncertainty**
#   triggers (*possible, may represent, cannot be excluded*), which we check first because
#   several contain a negation word.
# - **Pseudo-triggers**: phrases that contain a trigger but do not negate (*no interval change,
#   no new*). They are removed before looking for triggers.
# - **Scope**: a trigger acts until the end of the sentence or a **terminator** (*but, however,
#   although, which*). In "No effusion, but there is a small pneumothorax", *no* does not reach
#   the pneumothorax.
#
# A finding is found by its **terms** (synonyms, plurals, variants); each mention gets a status,
# and a report is labelled positive for a finding if at least one mention is affirmed. The
# rules are plain data below, so you can read and change them.

# %%
CARDIOMEGALY, EFFUSION, PNEUMOTHORAX = (shown("cardiomegaly"), shown("pleural effusion"),
                                        shown("pneumothorax"))
ATELECTASIS, OPACITY, NODULE, OEDEMA = (shown("atelectasis"), shown("opacity"),
                                        shown("nodule"), shown("oedema"))
# finding -> (MeSH headings that code it, regular expressions of its terms)
FINDINGS = {
    CARDIOMEGALY: (["Cardiomegaly"],
                   [r"cardiomegaly", r"cardiac enlargement", r"enlarged (heart|cardiac \w+)",
                    r"(heart|cardiac silhouette|heart size|cardiac size) (is |are |appears "
                    r"|remains )?(?!not\b)(\w+ )?(enlarged|large)"]),
    EFFUSION: (["Pleural Effusion"], [r"effusions?"]),
    PNEUMOTHORAX: (["Pneumothorax"], [r"pneumothora(x|ces)"]),
    ATELECTASIS: (["Pulmonary Atelectasis"], [r"atelecta(sis|ses|tic)"]),
    OPACITY: (["Opacity", "Airspace Disease", "Consolidation", "Infiltrate", "Pneumonia"],
              [r"opacit(y|ies)", r"airspace disease", r"consolidation", r"infiltrates?",
               r"pneumonia"]),
    NODULE: (["Nodule"], [r"nodules?", r"nodular"]),
    OEDEMA: (["Pulmonary Edema", "Pulmonary Congestion"], [r"o?edema", r"congestion"]),
}

BASE_RULES = {
    "pre_negation": ["no", "without", "negative for", "free of", "absence of", "no evidence of",
                     "not", "nor", "resolution of"],
    "post_negation": ["not seen", "not identified", "not present", "not visualized",
                      "has resolved", "have resolved", "resolved", "absent"],
    "pseudo": ["no change", "no interval change", "no significant change", "no increase",
               "no new", "not only", "without change"],
    "uncertain": ["possible", "possibly", "may represent", "may be", "may reflect",
                  "cannot be excluded", "cannot exclude", "not excluded", "not entirely excluded",
                  "questionable", "suspicious for", "suggestive of", "concerning for",
                  "could represent", "likely", "probable", "versus", "to exclude"],
    "terminators": ["but", "however", "although", "though", "which", "except", "otherwise"],
}


def phrase_regex(phrases):
    """One regular expression matching any phrase as whole words, longest first."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in ordered) + r")\b")


def compile_rules(rules):
    """The rule lists as compiled regular expressions."""
    return {key: phrase_regex(value) for key, value in rules.items()}


def split_sentences(text):
    """Sentences: split after . ! ? and before list numbers such as '2.'."""
    parts = re.split(r"(?<=[.!?])\s+|\s+(?=\d+\.\s)", text)
    return [p.strip() for p in parts if p.strip()]


def mention_status(sentence, start, end, rules):
    """Affirmed, negated or uncertain for the term at sentence[start:end] (lower case)."""
    before, after = sentence[:start], sentence[end:]
    cuts = [m.end() for m in rules["terminators"].finditer(before)] + [0]
    before = before[max(cuts):]                       # scope starts after the last terminator
    stop = rules["terminators"].search(after)
    after = after[:stop.start()] if stop else after   # and ends at the next one
    before = rules["pseudo"].sub(" ", before)
    after = rules["pseudo"].sub(" ", after)
    if rules["uncertain"].search(before) or rules["uncertain"].search(after):
        return "uncertain"
    if rules["pre_negation"].search(before) or rules["post_negation"].search(after):
        return "negated"
    return "affirmed"


def label_report(text, rules):
    """Per finding: 'affirmed' if any mention is, else 'uncertain', 'negated' or 'absent'."""
    statuses = {finding: [] for finding in FINDINGS}
    for sentence in split_sentences(text.lower()):
        for finding, (_, patterns) in FINDINGS.items():
            for pattern in patterns:
                for match in re.finditer(r"\b" + pattern + r"\b", sentence):
                    statuses[finding].append(
                        mention_status(sentence, match.start(), match.end(), rules))
    order = ["affirmed", "uncertain", "negated"]
    return {f: next((s for s in order if s in found), "absent") for f, found in statuses.items()}


rules_v1 = compile_rules(BASE_RULES)
for example in ["No pleural effusion or pneumothorax.",
                "Small left pleural effusion, but no pneumothorax.",
                "No interval change in the right pleural effusion.",
                "Right basilar opacity may represent atelectasis or pneumonia."]:
    found = {f: s for f, s in label_report(example, rules_v1).items() if s != "absent"}
    print(f"{example:<65} {found}")

# %% [markdown]
# ### 2. Checking the labeller against the MeSH codes
# *Core · 10 min*
#
# The reference standard is the MeSH coding: a report is positive for a finding if any of its
# codes starts with one of the finding's headings. We label the text of findings and impression
# together, because that is what the coders read.
#
# Rules are a model too: every rule we add after reading errors is fitted to the reports we
# read. So we split the reports first, look at errors only in the **development** part, and
# measure once on the **test** part. The split must also keep **identical reports** together:
# many normal reports are word-for-word the same template, and a duplicate on both sides would
# make the test set partly a copy of the development set. The collection has no patient
# identifier, so grouping by the text itself is the best we can do.

# %%
reports["text"] = (reports["findings"] + " " + reports["impression"]).str.strip()
usable = reports[reports["text"] != ""].reset_index(drop=True)
template_key = usable["text"].str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
groups = pd.factorize(template_key)[0]
dev_idx, test_idx = next(GroupShuffleSplit(n_splits=1, test_size=0.4, random_state=SEED)
                         .split(usable, groups=groups))
print(f"{len(usable)} reports with text, {groups.max() + 1} distinct texts; "
      f"{usable['text'].duplicated(keep=False).sum()} reports share their text with another")
print(f"development {len(dev_idx)}, test {len(test_idx)}")

truth = pd.DataFrame({
    finding: usable["mesh_major"].apply(lambda codes, h=heads: any(
        code.split("/")[0] in h for code in codes))
    for finding, (heads, _) in FINDINGS.items()})
truth.sum().rename(shown("reports coded positive")).to_frame().T


# %%
SENSITIVITY, PPV, F1 = shown("sensitivity"), shown("PPV"), shown("F1")


def agreement(predicted, reference):
    """Sensitivity, PPV and F1 of 0/1 labels against the reference, per finding."""
    rows = {}
    for finding in reference.columns:
        p, r = predicted[finding].to_numpy(), reference[finding].to_numpy()
        tp = int((p & r).sum())
        rows[finding] = {shown("coded positive"): int(r.sum()),
                         shown("labelled positive"): int(p.sum()),
                         SENSITIVITY: tp / max(r.sum(), 1), PPV: tp / max(p.sum(), 1),
                         F1: 2 * tp / max(p.sum() + r.sum(), 1)}
    return pd.DataFrame.from_dict(rows, orient="index")


def run_labeller(texts, rules):
    return pd.DataFrame([label_report(t, rules) for t in texts])


dev_status = run_labeller(usable["text"].iloc[dev_idx], rules_v1)
dev_truth = truth.iloc[dev_idx].reset_index(drop=True)
agreement(dev_status == "affirmed", dev_truth).round(2)

# %% [markdown]
# **Error analysis on the development reports.** Pneumothorax is the weakest finding: few
# reports are coded with it, yet the labeller calls many of them positive. Reading the false
# positives shows why.

# %%
false_pos = (dev_status[PNEUMOTHORAX] == "affirmed") & ~dev_truth[PNEUMOTHORAX]
sentences = Counter(
    sentence for text in usable["text"].iloc[dev_idx][false_pos.to_numpy()]
    for sentence in split_sentences(text) if "pneumothorax" in sentence.lower())
for sentence, count in sentences.most_common(4):
    print(f"{count:3d} x  {sentence}")

# %% [markdown]
# The most frequent false positive is a phrasing our trigger list lacks: *"the lungs are clear of
# focal airspace disease, pneumothorax, or pleural effusion"*. Adding **"clear of"** as a
# pre-negation trigger is a general rule (it is not specific to this report), so we add it and
# nothing else. Further fixes are left as an exercise; each one should be checked on the
# development set only.

# %%
RULES = dict(BASE_RULES, pre_negation=BASE_RULES["pre_negation"] + ["clear of"])
rules_v2 = compile_rules(RULES)
dev_status_v2 = run_labeller(usable["text"].iloc[dev_idx], rules_v2)
print("development F1, before and after 'clear of':")
pd.DataFrame({shown("rules v1"): agreement(dev_status == "affirmed", dev_truth)[F1],
              shown("rules v2 (+ clear of)"): agreement(dev_status_v2 == "affirmed",
                                                         dev_truth)[F1]}).round(2).T

# %% [markdown]
# ### 3. The labeller on the test reports
# *Core · 5 min*
#
# Now the only measurement that counts: the final rules on the test reports, against a
# **keyword matcher** that labels a finding whenever a term occurs (no negation handling). We
# summarise each by the **macro F1**, the plain mean of the per-finding F1, so that rare findings
# weigh as much as common ones.

# %%
test_texts = usable["text"].iloc[test_idx]
test_truth = truth.iloc[test_idx].reset_index(drop=True)
test_status = run_labeller(test_texts, rules_v2)
keyword = agreement(test_status != "absent", test_truth)
negex = agreement(test_status == "affirmed", test_truth)
negex_uncertain = agreement(test_status.isin(["affirmed", "uncertain"]), test_truth)
macro_f1 = {"keyword": keyword[F1].mean(), "negex": negex[F1].mean(),
            "negex_uncertain": negex_uncertain[F1].mean()}
print(f"macro F1 on test reports: keyword matcher {macro_f1['keyword']:.3f}, NegEx-style "
      f"{macro_f1['negex']:.3f}, NegEx-style with uncertain as positive "
      f"{macro_f1['negex_uncertain']:.3f}")
negex.round(2)

# %% [markdown]
# Treating **uncertain** mentions as positive (CheXpert's "U-ones" policy) is the third row of
# the macro F1: the coders sometimes coded hedged findings and sometimes not, so neither policy
# is right for every finding. The figure in the Results section shows where negation handling
# matters: for findings that are mostly *denied* in normal reports (effusion, pneumothorax), a
# keyword matcher is useless.

# %% [markdown]
# ### 4. A learned classifier: normal versus abnormal
# *Core · 10 min*
#
# Rules need a human to name every finding. A classifier learns from labelled examples instead.
# **TF-IDF** turns a report into a vector with one entry per word or word pair (*n-gram*): the
# term frequency in the report times the inverse document frequency,
# $\mathrm{idf}(t)=\log\frac{1+N}{1+\mathrm{df}(t)}+1$, so words in every report (*the, chest*)
# weigh little. A logistic regression on these vectors predicts whether the coders called the
# report normal.
#
# The split matters more than the model. With a **random split**, the identical template
# reports land on both sides and the test set partly repeats the training set. With a
# **grouped split** (by text, as above), no test report has a copy in training. The collection
# has no patient identifier; in a hospital data set you would group by patient, because one
# patient's reports share wording and findings.

# %%
y = (~usable["normal"]).astype(int).to_numpy()


def fit_normal_classifier(train, test):
    """TF-IDF (words and word pairs) and logistic regression; test scores and the model."""
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectoriser.fit_transform(usable["text"].iloc[train])
    model = LogisticRegression(C=10, max_iter=2000).fit(x_train, y[train])
    scores = model.predict_proba(vectoriser.transform(usable["text"].iloc[test]))[:, 1]
    return scores, vectoriser, model


random_train, random_test = next(ShuffleSplit(n_splits=1, test_size=0.4, random_state=SEED)
                                 .split(usable))
splits = {shown("random split"): (random_train, random_test),
          shown("grouped by text"): (dev_idx, test_idx)}
classifier = {}
for name, (train, test) in splits.items():
    scores, vectoriser, model = fit_normal_classifier(train, test)
    copies = np.isin(groups[test], groups[train]).mean()
    classifier[name] = {"scores": scores, "y": y[test], "auroc": roc_auc_score(y[test], scores),
                        "model": model, "vectoriser": vectoriser}
    print(f"{name:<16} test AUROC {classifier[name]['auroc']:.3f}; "
          f"test reports with a copy in training: {copies:.0%}")

# %%
grouped = classifier[shown("grouped by text")]
weights = pd.Series(grouped["model"].coef_[0],
                    index=grouped["vectoriser"].get_feature_names_out()).sort_values()
print("pushes towards 'normal':  ", ", ".join(weights.index[:10]))
print("pushes towards 'abnormal':", ", ".join(weights.index[-10:][::-1]))

# %% [markdown]
# The words are sensible (*clear, no, normal* against *calcified, mild, spine, left, right*),
# and they show what "abnormal" means to these coders: chronic, incidental findings
# (calcified granulomas, degenerative spine) count. A classifier of "needs attention" would
# need different labels, not a better model.

# %% [markdown]
# ### 5. Retrieval with BM25, written from scratch
# *Core · 12 min*
#
# Now the FAQ assistant. Its first step is **retrieval**: given a question, rank the passages of
# the corpus. **BM25** (Robertson and Zaragoza 2009) scores a passage $d$ for a query $q$ as
#
# $$\mathrm{BM25}(q,d)=\sum_{t\in q}\mathrm{idf}(t)\,
#   \frac{f_{t,d}\,(k_1+1)}{f_{t,d}+k_1\left(1-b+b\,\frac{|d|}{\overline{|d|}}\right)},\qquad
#   \mathrm{idf}(t)=\ln\!\left(1+\frac{N-n_t+0.5}{n_t+0.5}\right)$$
#
# where $f_{t,d}$ counts term $t$ in $d$, $|d|$ is the passage length, $N$ the number of
# passages and $n_t$ how many contain $t$. Two ideas beyond TF-IDF: the term-frequency part
# **saturates** (the tenth "warfarin" adds little; $k_1$ sets how fast), and long passages are
# **normalised** ($b$ sets how much). We use the common defaults $k_1=1.5$, $b=0.75$.
#
# We compare with **TF-IDF cosine**: both query and passage as TF-IDF vectors, ranked by the
# cosine of the angle between them. Both see only words; neither knows that *acetaminophen* is
# *paracetamol*. The test questions were written with other words than the passages on purpose.

# %%
faq = datasets.load("pharmacy_faq")
passages, questions = faq.tables["passages"], faq.tables["questions"]
print(f"{passages['passage_id'].nunique()} passages x {passages['language'].nunique()} "
      f"languages; {questions['question_id'].nunique()} questions "
      f"({(~questions['answerable']).sum() // 2} unanswerable) in each language")
passages.loc[passages["language"] == "en", ["passage_id", "title", "text"]].head(3)

# %%
STOPWORDS = set("a an the of to and or in on for with is are be i my me it can do does should "
                "what how which while when after before this that at as by from your you have "
                "has if so will am was".split())


def tokens_en(text):
    """Lower-case words and numbers, without stop words."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS]


class BM25:
    """Okapi BM25 over pre-tokenised passages."""

    def __init__(self, docs, k1=1.5, b=0.75):
        self.k1, self.b = k1, b
        self.counts = [Counter(d) for d in docs]
        self.lengths = np.array([len(d) for d in docs], dtype=float)
        n_docs = len(docs)
        df = Counter(t for d in docs for t in set(d))
        self.idf = {t: math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for t, n in df.items()}

    def scores(self, query):
        """One score per passage; query terms unseen in the corpus add nothing."""
        norm = self.k1 * (1 - self.b + self.b * self.lengths / self.lengths.mean())
        out = np.zeros(len(self.counts))
        for term in query:
            if term not in self.idf:
                continue
            tf = np.array([c.get(term, 0) for c in self.counts], dtype=float)
            out += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return out


def corpus(language):
    """Passages and questions of one language, in a fixed order."""
    p = passages[passages["language"] == language].reset_index(drop=True)
    q = questions[questions["language"] == language].reset_index(drop=True)
    return p, q


faq_en, questions_en = corpus("en")
bm25_en = BM25([tokens_en(t + " " + x) for t, x in zip(faq_en["title"], faq_en["text"])])
question = questions_en.loc[6, "question"]
top = np.argsort(-bm25_en.scores(tokens_en(question)), kind="stable")[:3]
print(question)
for i in top:
    print(f"  {bm25_en.scores(tokens_en(question))[i]:5.2f}  {faq_en.loc[i, 'passage_id']}")

# %% [markdown]
# ### 6. Retrieval metrics, citations and refusing
# *Core · 8 min*
#
# For each answerable question we know its relevant passages, so we can find the **rank** of
# the first relevant passage in the retrieved list. **Recall@k** is the share of questions with
# a relevant passage in the top $k$ (the assistant will read the top 3); **MRR** (mean
# reciprocal rank) averages $1/\text{rank}$ and rewards putting it first.
#
# The assistant then answers **extractively**: it quotes the sentence of the top passage that
# shares most words with the question and cites the passage id. It **refuses** when the top
# BM25 score is below a threshold, because a low score means the corpus shares few rare words
# with the question. An extractive answer cannot contradict its source; it can still answer the
# wrong question, which is why the refusal and the citation matter.

# %%
def rank_all(score_fn, p, q):
    """Per question: passage ids in rank order and the top score."""
    ids = p["passage_id"].to_numpy()
    ranked, best = [], []
    for text in q["question"]:
        s = score_fn(text)
        ranked.append(list(ids[np.argsort(-s, kind="stable")]))
        best.append(float(s.max()))
    return ranked, np.array(best)


def retrieval_metrics(ranked, q, ks=(1, 2, 3, 5, 10)):
    """Recall@k for several k and MRR, over the answerable questions."""
    ranks = np.array([next(i for i, pid in enumerate(r) if pid in set(answers)) + 1
                      for r, answers, ok in zip(ranked, q["answer_ids"], q["answerable"])
                      if ok])
    return {**{f"recall@{k}": float((ranks <= k).mean()) for k in ks},
            "MRR": float((1 / ranks).mean())}


def tfidf_scorer(p, analyzer):
    """TF-IDF cosine (vectors are L2-normalised, so a dot product is the cosine)."""
    vectoriser = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
    matrix = vectoriser.fit_transform(p["title"] + " " + p["text"])
    return lambda text: (matrix @ vectoriser.transform([text]).T).toarray().ravel()


retrieval = {}
ranked_bm25_en, best_en = rank_all(lambda t: bm25_en.scores(tokens_en(t)), faq_en, questions_en)
retrieval[shown("BM25, English")] = retrieval_metrics(ranked_bm25_en, questions_en)
ranked_tfidf_en, _ = rank_all(tfidf_scorer(faq_en, tokens_en), faq_en, questions_en)
retrieval[shown("TF-IDF cosine, English")] = retrieval_metrics(ranked_tfidf_en, questions_en)
pd.DataFrame(retrieval).T.round(3)


# %%
def answer(question_text, threshold):
    """An extractive answer with its citation, or a refusal when retrieval is weak."""
    scores = bm25_en.scores(tokens_en(question_text))
    best = int(np.argmax(scores))
    if scores[best] < threshold:
        return shown("I cannot answer this from the pharmacy leaflets; please ask a pharmacist.")
    wanted = set(tokens_en(question_text))
    sentences_of_best = split_sentences(faq_en.loc[best, "text"])
    chosen = max(sentences_of_best, key=lambda s: len(wanted & set(tokens_en(s))))
    return f"{chosen} [{faq_en.loc[best, 'passage_id']}]"


answerable = questions_en["answerable"].to_numpy()
top1_right = np.array([bool(set(r[:1]) & set(a)) for r, a in
                       zip(ranked_bm25_en, questions_en["answer_ids"])])
thresholds = np.linspace(0, 12, 121)
answered_right = [(best_en >= t)[answerable & top1_right].mean() for t in thresholds]
refused_right = [(best_en < t)[~answerable].mean() for t in thresholds]
balanced = (np.array(answered_right) + np.array(refused_right)) / 2
THRESHOLD = float(thresholds[int(np.argmax(balanced))])
print(f"refusal threshold (chosen on these same questions, so optimistic): {THRESHOLD:.1f}")
for i in [0, 6, 35, 39]:
    asked = questions_en.loc[i, "question"]
    print(f"Q: {asked}\nA: {answer(asked, THRESHOLD)}\n")

# %% [markdown]
# Read the warfarin answer again. It is faithful (the sentence is in the cited passage) and
# correctly cited, yet it leaves out what this patient most needs: the next sentence of the
# passage says to skip yesterday's dose and never take two. **Faithful is not the same as
# complete.** Quoting whole passages, or letting a generator summarise them, trades one risk
# for the other; evaluation has to look at both.

# %% [markdown]
# ### 7. Korean text: particles, morphemes and kiwipiepy
# *Core · 10 min*
#
# Korean is **agglutinative**: particles and endings are glued to the word they follow, and
# there is no space between them. *발열은 없음* is "fever-TOPIC absent", *발열이 있음* "fever-SUBJECT
# present", *발열로 내원함* "came in with fever". Split on spaces and the term *발열* never appears on
# its own: the tokens are *발열은*, *발열이*, *발열로*. A dictionary lookup by whitespace token misses
# the term, and a BM25 index treats each inflected form as a different word.
#
# A **morphological analyser** splits each word into morphemes with a part-of-speech tag.
# `kiwipiepy` (Kiwi; Lee 2024) ships its model inside the PyPI package, so it runs offline.
# Negation also becomes simpler: *없음, 없으나, 없다고, 없이* all contain the morpheme **없**
# ("not exist"), and *호소하지 않음* contains **않** ("not"). Korean clinical notes put the cue
# **after** the term (*발열 없음*), mix in English terms and abbreviations (*SOB, r/o, (-)*) and
# abbreviate the verb endings. The synthetic notes reproduce these habits, and record every
# mention's true status.

# %%
kiwi = Kiwi(load_typo_dict=False, load_multi_dict=False)  # no typo model: ~200 MB less memory
for sentence in ["발열은 없으나 기침은 있음.", "RLQ pain은 없다고 함.", "흉통 배제할 수 없음."]:
    print(f"{sentence:<22} whitespace: {sentence.split()}")
    print(f"{'':<22} Kiwi: {[(t.form, t.tag) for t in kiwi.tokenize(sentence)]}")

# %%
notes = datasets.load("clinical_notes", style="korean", n_notes=400, seed=SEED)
note_text = notes.frame.set_index("note_id")["text"]
mentions = notes.ground_truth["mentions"]
note_tokens = {i: kiwi.tokenize(t) for i, t in note_text.items()}


def found_by_whitespace(row):
    """Is the term a whole whitespace token (ignoring trailing punctuation)?"""
    text = note_text[row.note_id]
    return any(m.start() == row.char_start and m.group().rstrip(".,:?") == row.term
               for m in re.finditer(r"\S+", text))


def found_by_kiwi(row):
    """Do Kiwi's morpheme boundaries fall exactly at the term's start and end?"""
    toks = note_tokens[row.note_id]
    return (row.char_start in {t.start for t in toks}
            and row.char_end in {t.start + t.len for t in toks})


term_found = {shown("whitespace tokens"): np.mean([found_by_whitespace(r)
                                                   for r in mentions.itertuples()]),
              shown("Kiwi morphemes"): np.mean([found_by_kiwi(r) for r in mentions.itertuples()])}
print(f"{len(mentions)} mentions in {len(note_text)} notes; share whose term is a separate unit:")
for name, share in term_found.items():
    print(f"  {name:<18} {share:.3f}")
print(note_text[3])

# %% [markdown]
# A Korean NegEx needs post-triggers on **morphemes**: look at the morphemes after the term up
# to the end of the sentence or a clause-ending connective (*-으나, -지만*), and before the term
# for *r/o* and history cues. The pseudo-trigger *호전 없음* ("no improvement") means the finding
# persists, so it is checked first, and uncertainty (*의심, 가능성, 배제할 수 없음*) before negation.
# Kiwi is trained on Korean and cuts English words it does not know in odd places (*denied.*
# becomes *den* + *ied.*), so the English cues are matched on the raw text of the sentence.

# %%
KO_NEGATION = {"없", "않", "부인", "없이", "-"}
LATIN_NEGATION = re.compile(r"\bdenied\b|\(-\)")  # English cues: matched on the raw text
KO_UNCERTAIN = {"의심", "가능", "확실", "수", "배제", "?"}
KO_PSEUDO = {"호전", "변화"}
KO_HISTORY = {"과거", "Hx", "병력"}
KO_CLAUSE_END = {"으나", "지만"}


def korean_status(note_id, start, end):
    """(status, historical) of the term at text[start:end] from the morphemes around it."""
    text, toks = note_text[note_id], note_tokens[note_id]
    previous = [m.end() for m in re.finditer(r"[.?](\s|$)", text[:start])]
    sentence_start = max(previous, default=0)
    following = re.compile(r"[.?](\s|$)").search(text, end)
    sentence_end = following.start() + 1 if following else len(text)  # keeps a "?"
    before = [t.form for t in toks if sentence_start <= t.start < start]
    after = []
    for t in toks:
        if t.start < end or t.form == ".":
            continue
        if t.start >= sentence_end:
            break
        after.append(t.form)
        if t.form in KO_CLAUSE_END or t.form == "없이":
            break
    if KO_HISTORY & set(before) or "병력" in after:
        return "affirmed", True
    if before[-3:] == ["r", "/", "o"]:
        return "uncertain", False
    if KO_PSEUDO & set(after[:2]) and "없" in after:
        return "affirmed", False
    if KO_UNCERTAIN & set(after):
        return "uncertain", False
    if KO_NEGATION & set(after) or LATIN_NEGATION.search(text[end:sentence_end]):
        return "negated", False
    return "affirmed", False


predicted = [korean_status(r.note_id, r.char_start, r.char_end) for r in mentions.itertuples()]
mentions = mentions.assign(predicted=[p[0] for p in predicted],
                           predicted_historical=[p[1] for p in predicted])
korean_correct = ((mentions["predicted"] == mentions["status"].astype(str))
                  & (mentions["predicted_historical"] == mentions["historical"]))
print(f"Korean rule, mentions with the right status: {korean_correct.mean():.3f}")
pd.crosstab(mentions["status"], mentions["predicted"])

# %% [markdown]
# The rule gets (nearly) every mention right **because it was written knowing the grammar that
# wrote the notes**: this measures whether the code works, not how it would do on real notes, where
# spelling, spacing (*발열없음*), and cue words vary far more. What carries over is the design:
# morphemes instead of whitespace tokens, post-triggers, clause boundaries.
#
# The same analyser fixes Korean retrieval. We index the Korean FAQ with BM25 twice: on
# whitespace tokens and on Kiwi morphemes (keeping nouns, verb and adjective stems, roots,
# adverbs, numbers and Latin-script words).

# %%
KEEP_TAGS = ("NN", "VV", "VA", "XR", "MAG", "SL", "SN")


def tokens_ko_whitespace(text):
    return re.findall(r"[^\s.,?!()]+", text.lower())


def tokens_ko_kiwi(text):
    return [t.form.lower() for t in kiwi.tokenize(text) if t.tag.startswith(KEEP_TAGS)]


faq_ko, questions_ko = corpus("ko")
for name, tokeniser in [(shown("BM25, Korean, whitespace"), tokens_ko_whitespace),
                        (shown("BM25, Korean, Kiwi morphemes"), tokens_ko_kiwi)]:
    index = BM25([tokeniser(t + " " + x) for t, x in zip(faq_ko["title"], faq_ko["text"])])
    ranked, _ = rank_all(lambda t, i=index, f=tokeniser: i.scores(f(t)), faq_ko, questions_ko)
    retrieval[name] = retrieval_metrics(ranked, questions_ko)
pd.DataFrame(retrieval).T.round(3)

# %% [markdown]
# ### 8. Language models: what changes, and how to evaluate what they write
# *Core · 10 min*
#
# A retrieval-augmented LLM assistant would replace our extractive step: the top passages and
# the question go into a **prompt**, and the model writes a fluent answer with citations. Three
# things change.
#
# - **Faithfulness.** Each statement should be supported by the passage it cites. LLMs can
#   produce **hallucinations**: plausible statements found in no source, wrong numbers, or real
#   sources cited for claims they do not make. Fluency hides them.
# - **Refusal.** A model will usually answer anyway. The retrieval score, or an explicit check
#   that the passages answer the question, has to decide when to refuse.
# - **Privacy.** A prompt is data sent to a model. A question with a name, a registration
#   number or a diagnosis is personal (often sensitive) information; sent to an external API it
#   is a disclosure to a third party. Korea's Personal Information Protection Commission (PIPC)
#   has issued guidance on personal information in AI development and generative AI services
#   that asks, in general terms, for a lawful basis under 「개인정보 보호법」, minimisation and
#   pseudonymisation (가명처리) of what goes into prompts and training data, and safeguards
#   against outputs that reveal personal information. A local model, or removing identifiers
#   before the prompt, is the usual answer in a hospital.
#
# Without a model we can still build and test the **evaluator**. Below are five answers to the
# question about acetaminophen intervals, written by hand to look like LLM output: one faithful,
# one with a wrong number, one with an invented claim, one with a wrong citation, and one that
# reverses its source. A simple
# **claim-support check** splits an answer into sentences (claims), and for each claim asks:
# are most of its content words in the cited passage, and is every number in it also in the
# passage?

# %%
passage_text = dict(zip(faq_en["passage_id"], faq_en["title"] + ". " + faq_en["text"]))
CITATION = re.compile(r"\s*\[(\w+)\]")


def claim_support(answer_text, min_overlap=0.6):
    """One row per claim: its citation, word overlap with the cited passage, numbers check."""
    rows = []
    for claim in split_sentences(answer_text):
        cited = CITATION.findall(claim)
        body = CITATION.sub("", claim)
        source = " ".join(passage_text.get(c, "") for c in cited)
        words_claim = set(tokens_en(body)) - set(re.findall(r"\d+", body))
        overlap = len(words_claim & set(tokens_en(source))) / max(len(words_claim), 1)
        numbers_ok = set(re.findall(r"\d+", body)) <= set(re.findall(r"\d+", source))
        rows.append({shown("claim"): body.strip(), shown("cited"): ", ".join(cited) or "-",
                     shown("word overlap"): round(overlap, 2),
                     shown("numbers in source"): numbers_ok,
                     shown("supported"): bool(cited) and overlap >= min_overlap and numbers_ok})
    return pd.DataFrame(rows)


CANDIDATES = {
    shown("faithful"): "Leave at least 4 hours between doses of paracetamol [paracetamol_dose]. "
                       "Do not take more than 4 doses in 24 hours [paracetamol_dose].",
    shown("wrong number"): "Leave at least 2 hours between doses of paracetamol "
                           "[paracetamol_dose]. Up to 6 doses in 24 hours are safe "
                           "[paracetamol_dose].",
    shown("invented claim"): "Leave at least 4 hours between doses [paracetamol_dose]. "
                             "Paracetamol is safe to combine with alcohol and is gentle on "
                             "the kidneys [paracetamol_dose].",
    shown("wrong citation"): "Leave at least 4 hours between doses of paracetamol "
                             "[ibuprofen_food].",
    shown("negation flipped"): "Taking more paracetamol relieves pain better "
                               "[paracetamol_dose].",
}
checked = pd.concat({name: claim_support(text) for name, text in CANDIDATES.items()})
checked

# %% [markdown]
# The check catches the wrong number, the invented claim and the wrong citation. It **passes
# the last answer**, which reverses the source ("taking more does *not* relieve pain better"):
# word overlap cannot see negation, the very problem of section 1. Real faithfulness
# evaluation uses natural-language inference models or human review for this reason, and
# published LLM evaluations in medicine rely on clinicians' ratings (Singhal et al. 2023).
# A claim-support check is a cheap first filter, not a guarantee.

# %% [markdown] tags=["deep-dive"]
# ### BM25's two knobs
# *Deep dive · 8 min · optional*
#
# $k_1$ controls how quickly repeated terms stop adding to the score ($k_1=0$: presence only;
# large $k_1$: raw counts), and $b$ how much long passages are penalised ($b=0$: none; $b=1$:
# full length normalisation). On a corpus of short passages of similar length, $b$ matters
# little; on reports that range from one line to a page, it matters a lot. The grid below
# re-runs the English evaluation; with 35 questions, differences of one or two questions are
# noise.

# %% tags=["deep-dive"]
grid = {}
docs_en = [tokens_en(t + " " + x) for t, x in zip(faq_en["title"], faq_en["text"])]
for k1 in (0.5, 1.2, 1.5, 2.0):
    for b in (0.0, 0.5, 0.75, 1.0):
        index = BM25(docs_en, k1=k1, b=b)
        ranked, _ = rank_all(lambda t, i=index: i.scores(tokens_en(t)), faq_en, questions_en)
        grid[(k1, b)] = retrieval_metrics(ranked, questions_en)["MRR"]
print("MRR by k1 (rows) and b (columns)")
pd.Series(grid).unstack().round(3)

# %% [markdown] tags=["deep-dive"]
# ### Which section carries the label?
# *Deep dive · 8 min · optional*
#
# The coders read the whole report. A classifier given only the **impression** sees the
# radiologist's conclusion; one given only the **findings** has to find the abnormality among
# the descriptions. Comparing the two on the same grouped split shows which section carries
# the label. Before you run it, predict which will win, then read a few abnormal reports whose
# impression is "No acute cardiopulmonary abnormality": the coders coded the chronic and
# incidental findings that the impression leaves out.

# %% tags=["deep-dive"]
for section in ["findings", "impression"]:
    text = usable[section]
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectoriser.fit_transform(text.iloc[dev_idx])
    model = LogisticRegression(C=10, max_iter=2000).fit(x_train, y[dev_idx])
    scores = model.predict_proba(vectoriser.transform(text.iloc[test_idx]))[:, 1]
    print(f"{section:<11} only: test AUROC {roc_auc_score(y[test_idx], scores):.3f}")

# %% [markdown]
# ## Results
# *Core · 8 min*
#
# The key results first; the figures below explain them. The published column puts the
# original NegEx evaluation beside our labeller, but the tasks differ: Chapman et al. measured
# negation detection in discharge summaries, we measure report labels against MeSH codes.

# %%
key_results.show({
    "NegEx labeller, macro F1 vs MeSH (test reports)": macro_f1["negex"],
    "keyword matcher, macro F1 vs MeSH (test reports)": macro_f1["keyword"],
    "TF-IDF classifier, test AUROC (grouped split)": grouped["auroc"],
    "BM25 recall@3 (English FAQ)": retrieval[shown("BM25, English")]["recall@3"],
    "BM25 recall@3 (Korean FAQ, Kiwi morphemes)":
        retrieval[shown("BM25, Korean, Kiwi morphemes")]["recall@3"],
    "BM25 recall@3 (Korean FAQ, whitespace tokens)":
        retrieval[shown("BM25, Korean, whitespace")]["recall@3"],
}, published={
    "NegEx labeller, macro F1 vs MeSH (test reports)":
        "NegEx negation detection in discharge summaries: sensitivity 77.8%, PPV 84.5% "
        "(Chapman et al. 2001; a different task)",
}, caption="Key results: dx07 (test reports, FAQ test questions)")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
positions = np.arange(len(FINDINGS))
for ax, metric in zip(axes, [SENSITIVITY, PPV]):
    for shift, (name, table) in zip((-0.2, 0.2), [(shown("keyword matcher"), keyword),
                                                   (shown("NegEx-style labeller"), negex)]):
        ax.bar(positions + shift, table[metric], width=0.4, label=name)
    ax.set_xticks(positions)
    ax.set_xticklabels(list(FINDINGS), rotation=35, ha="right")
    ax.set_title(shown("Sensitivity against MeSH codes") if metric == SENSITIVITY
                 else shown("PPV against MeSH codes"))
    ax.set_ylim(0, 1.25)
axes[0].set_ylabel("share (test reports)")
axes[1].legend(loc="upper center", ncol=2)
fig.suptitle("Labels from report text compared with manual MeSH codes")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Figure 1.** Both labellers find most coded findings (left): the terms are right, and
# negation handling costs some sensitivity (hedged or distant mentions the coders counted). The
# big difference is PPV (right). For findings that are usually *denied* (effusion, pneumothorax,
# opacity), the keyword matcher labels most normal reports positive. Negation handling recovers
# PPV; what remains are coding conventions (a hedged or trivial finding not coded), synonyms
# the term lists lack, and errors of scope.

# %%
fig, ax = plt.subplots(figsize=(5, 4.2))
for name, result in classifier.items():
    fpr, tpr, _ = roc_curve(result["y"], result["scores"])
    ax.plot(fpr, tpr, label=f"{name} (AUROC {result['auroc']:.3f})")
ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
ax.set_xlabel("1 - specificity (normal reports called abnormal)")
ax.set_ylabel("sensitivity (abnormal reports found)")
ax.set_title("TF-IDF + logistic regression: normal vs abnormal")
ax.legend(loc="lower right")
plt.show()

# %% [markdown]
# **Figure 2.** The random split looks better because a share of its test reports have
# identical copies in training (printed in section 4): the model is partly recognising text it
# has seen. The grouped split is the honest estimate for reports written in new words. Both are
# high because the label was assigned by reading exactly this text.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
ks = (1, 2, 3, 5, 10)
panels = [(shown("English FAQ"), [shown("BM25, English"), shown("TF-IDF cosine, English")]),
          (shown("Korean FAQ"), [shown("BM25, Korean, Kiwi morphemes"),
                                 shown("BM25, Korean, whitespace")])]
for ax, (title, names) in zip(axes, panels):
    for style, name in zip([("-", "o"), ("--", "s")], names):
        ax.plot(ks, [retrieval[name][f"recall@{k}"] for k in ks], linestyle=style[0],
                marker=style[1], label=name)
    ax.axvline(3, color="grey", linestyle=":")
    ax.set_xticks(ks)
    ax.set_xlabel("k (passages read by the assistant)")
    ax.set_title(title)
    ax.legend(loc="lower right")
axes[0].set_ylabel("recall@k (answerable questions)")
axes[0].set_ylim(0, 1.02)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Figure 3.** In English, BM25 and TF-IDF cosine are indistinguishable on a corpus this small
# (the lines overlap). The misses are questions whose words differ in form from the passage's:
# *cold* against *colds*, *pregnant* against *pregnancy*, *dispose of* against *getting rid of*.
# In Korean, whitespace tokens lose much of the recall because the inflected forms do not
# match; morphemes recover it.

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
bins = np.linspace(0, max(best_en) + 1, 25)
ax.hist(best_en[answerable], bins=bins, alpha=0.6, label=shown("answerable questions"))
ax.hist(best_en[~answerable], bins=bins, alpha=0.8, label=shown("unanswerable questions"))
ax.axvline(THRESHOLD, color="black", linestyle="--", label=shown("refusal threshold"))
ax.set_xlabel("top BM25 score of the question")
ax.set_ylabel("questions")
ax.set_title("When should the assistant refuse?")
ax.legend()
plt.show()

# %% [markdown]
# **Figure 4.** Unanswerable questions score lower on average, but the distributions overlap:
# *"Is it safe to take vitamin D and omega-3 together?"* shares *safe* and *take together*
# with real passages. Any threshold refuses some answerable questions or answers some
# unanswerable ones. The threshold was chosen on these same questions, so its performance here
# is optimistic; a deployed assistant needs a separate set of questions to set it, and a
# pharmacist to review what it refuses.

# %%
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.barh(list(term_found), list(term_found.values()), color=["tab:red", "tab:green"])
ax.set_xlim(0, 1.1)
ax.set_xlabel("share of term mentions that are a separate unit")
ax.set_title("Korean notes: finding the term")
for i, value in enumerate(term_found.values()):
    ax.text(value + 0.01, i, f"{value:.2f}", va="center")
plt.show()

# %% [markdown]
# **Figure 5.** In the Korean notes a whitespace token equals the term only when no particle
# follows it; morpheme boundaries fall at the term's edges for almost all mentions. The misses
# are mostly English abbreviations with a particle (*RLQ pain은*) and words Kiwi analyses
# differently (*숨참* as the adjective *숨차다*).

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# - **Mention is not presence.** Most findings in a normal report are denied. See it: count a
#   term's mentions in reports coded normal (`test_status != "absent"` against the codes), as
#   Figure 1's keyword bars do.
# - **Tuning rules on the test set.** Every trigger added after reading errors is fitted to
#   those reports. See it: add rules until the test F1 rises, then evaluate on a new split; the
#   gain shrinks. Read errors on development reports only.
# - **Duplicates across the split.** Template reports repeat word for word (and a patient's
#   reports repeat each other). See it: count test texts that also occur in training, as section
#   4 prints; group the split by text or by patient.
# - **Treating the codes as the truth about the patient.** The MeSH codes describe the report,
#   not the image, and include incidental findings. A labeller that agrees with them perfectly
#   inherits the radiologist's misses. See it: look at reports coded abnormal for *calcified
#   granuloma* only; would a clinician call them abnormal?
# - **Whitespace tokenisation of Korean.** Terms glued to particles are invisible to a
#   dictionary and split a BM25 index. See it: compare the two Korean rows of the retrieval
#   table and the two bars of Figure 5.
# - **Trusting fluent text and its citations.** A generated answer can cite a real passage for
#   a claim the passage does not make, or reverse it. See it: run `claim_support` on the
#   "negation flipped" answer; the check passes what a reader must reject.
# - **Pasting patient data into a prompt.** A prompt to an external service is a disclosure.
#   See it: read the prompt your tool sends; if it contains a name, a registration number or
#   free text from a record, it needs a legal basis and pseudonymisation first.

# %% [markdown]
# ## Exercises
# *Core · 10 min · in the lab: exercise 1 or 2; the others after the lab*
#
# Worked answers are with your instructor and discussed in the seminar.
#
# 1. **(Both tracks) Read the errors.** List 10 development reports where the final labeller
#    and the MeSH codes disagree about cardiomegaly or nodule. Sort each into: missing synonym,
#    wrong scope, uncertainty policy, coding convention, or labeller right and code wrong.
#    Which category would more rules fix, and which would not?
# 2. **(Clinician track) Faithful or not?** Write three answers to q07 ("I forgot yesterday's
#    warfarin tablet. Should I take two today?"): one faithful, one dangerous but fluent, one
#    that refuses. Run `claim_support` on each. Does the check rank them as you would? Write
#    the rule you would want the assistant to follow for anticoagulant questions.
# 3. **(Engineer track) More pseudo-triggers and synonyms.** Add two rules that you justify on
#    development errors (for example *"enlarged cardiomediastinal silhouette"*, *"no
#    significant"*). Report development and test macro F1 before and after. Did the test gain
#    match the development gain?
# 4. **(Engineer track) Better retrieval without a model.** Add a small synonym table
#    (*acetaminophen → paracetamol*, *thyroid → levothyroxine*, *cholesterol → statin*) applied
#    to queries only, and Porter stemming (`nltk` is not installed: write a three-rule suffix
#    stripper for *-s, -ing, -ed*). Report recall@3 and MRR for BM25 and TF-IDF. Which misses
#    remain?
# 5. **(Engineer track) Korean at the edges.** Write five Korean note sentences the rule gets
#    wrong (e.g. no space before the cue, *발열없음*; a double negative, *없지 않음*; a family
#    history, *부친 심근경색*). Tokenise them with Kiwi and fix the rule for at least two.
# 6. **(Both tracks) A privacy check for prompts.** Write a function that refuses to send a
#    question containing something that looks like a Korean resident registration number, a
#    phone number or a date of birth, and replaces hospital registration numbers with a
#    placeholder. Which identifiers can a regular expression never find?

# %% [markdown]
# ## References
#
# 1. Chapman WW, Bridewell W, Hanbury P, Cooper GF, Buchanan BG. A simple algorithm for
#    identifying negated findings and diseases in discharge summaries. *J Biomed Inform*.
#    2001;34(5):301-310. doi:10.1006/jbin.2001.1029
# 2. Harkema H, Dowling JN, Thornblade T, Chapman WW. ConText: an algorithm for determining
#    negation, experiencer, and temporal status from clinical reports. *J Biomed Inform*.
#    2009;42(5):839-851.
# 3. Demner-Fushman D, Kohli MD, Rosenman MB, et al. Preparing a collection of radiology
#    examinations for distribution and retrieval. *J Am Med Inform Assoc*. 2016;23(2):304-310.
#    doi:10.1093/jamia/ocv080
# 4. Irvin J, Rajpurkar P, Ko M, et al. CheXpert: a large chest radiograph dataset with
#    uncertainty labels and expert comparison. *Proc AAAI Conf Artif Intell*. 2019;33:590-597.
# 5. Peng Y, Wang X, Lu L, Bagheri M, Summers R, Lu Z. NegBio: a high-performance tool for
#    negation and uncertainty detection in radiology reports. *AMIA Jt Summits Transl Sci
#    Proc*. 2018:188-196.
# 6. Robertson S, Zaragoza H. The probabilistic relevance framework: BM25 and beyond. *Found
#    Trends Inf Retr*. 2009;3(4):333-389.
# 7. Lewis P, Perez E, Piktus A, et al. Retrieval-augmented generation for knowledge-intensive
#    NLP tasks. *Advances in Neural Information Processing Systems 33 (NeurIPS)*. 2020.
# 8. Singhal K, Azizi S, Tu T, et al. Large language models encode clinical knowledge.
#    *Nature*. 2023;620:172-180. doi:10.1038/s41586-023-06291-2
# 9. Ji Z, Lee N, Frieske R, et al. Survey of hallucination in natural language generation.
#    *ACM Comput Surv*. 2023;55(12):248.
# 10. Lee M. Kiwi: a Korean morphological analyzer based on statistical language models and
#     skip-bigrams (in Korean). *Korean Journal of Digital Humanities*. 2024. Software:
#     kiwipiepy (PyPI).
# 11. Personal Information Protection Commission (개인정보보호위원회), Republic of Korea.
#     Guidance on processing personal information for the development and use of generative
#     AI (in Korean). 2025. https://www.pipc.go.kr
