# %% [markdown]
# Splits sentences with re.finditer; finds each term's status by walking outwards from it token by token (backwards to a terminator or a pre-trigger, forwards to a terminator or a post-trigger); ranks statuses with a dict; scores BM25 with collections.Counter and document frequencies counted once; picks the best passage with a plain loop.

# %% nbgrader={"grade_id": "q1_answer"}
def sentences(report):
    result = []
    for name in ["findings", "impression"]:
        text = report[name] or ""
        start = 0
        for match in re.finditer(r"[.?!](\s+|$)", text):
            result.append(tokens_of(text[start:match.start()]))
            start = match.end()
        result.append(tokens_of(text[start:]))
    return [s for s in result if s]


# %% nbgrader={"grade_id": "q2_answer"}
def _starts_here(tokens, position, phrases):
    """The phrases of the list that start at this position."""
    return [p for p in phrases if tokens[position:position + len(p.split())] == p.split()]


def mention_status(tokens, term):
    n = len(term.split())
    starts = [i for i in range(len(tokens)) if tokens[i:i + n] == term.split()]
    if not starts:
        return None
    blocked = set()
    for i in range(len(tokens)):
        for p in _starts_here(tokens, i, PSEUDO_TRIGGERS + list(POST_TRIGGERS)):
            blocked |= set(range(i, i + len(p.split())))
    rank = {POSITIVE: 2, UNCERTAIN: 1, NEGATED: 0}
    best = None
    for start in starts:
        status = None
        j = start + n
        while j < len(tokens) and status is None:
            if _starts_here(tokens, j, TERMINATORS):
                break
            posts = _starts_here(tokens, j, list(POST_TRIGGERS))
            if posts:
                status = POST_TRIGGERS[posts[0]]
            j += 1
        j = start - 1
        while j >= 0 and status is None:
            if _starts_here(tokens, j, TERMINATORS):
                break
            for p in _starts_here(tokens, j, list(PRE_TRIGGERS)):
                if not blocked & set(range(j, j + len(p.split()))):
                    status = PRE_TRIGGERS[p]
            j -= 1
        if status is None:
            status = POSITIVE
        if best is None or rank[status] > rank[best]:
            best = status
    return best


# %% nbgrader={"grade_id": "q3_answer"}
def label_report(report):
    rank = {POSITIVE: 2, UNCERTAIN: 1, NEGATED: 0}
    split = sentences(report)
    result = {}
    for finding in FINDINGS:
        statuses = []
        for words in split:
            for term in FINDINGS[finding][1]:
                status = mention_status(words, term)
                if status is not None:
                    statuses.append(status)
        result[finding] = max(statuses, key=rank.get) if statuses else None
    return result


# %% nbgrader={"grade_id": "q4_answer"}
def mesh_positive(mesh_major, heading):
    for code in mesh_major:
        if code.partition("/")[0].strip().casefold() == heading.casefold():
            return True
    return False


def evaluate(labels, reports):
    table = []
    codes = list(reports["mesh_major"])
    for finding, (heading, _) in FINDINGS.items():
        values = list(labels[finding])
        tp = fp = fn = 0
        for label, mesh in zip(values, codes):
            truth, called = mesh_positive(mesh, heading), label == POSITIVE
            tp += truth and called
            fp += called and not truth
            fn += truth and not called
        sens = tp / (tp + fn) if tp + fn > 0 else float("nan")
        ppv = tp / (tp + fp) if tp + fp > 0 else float("nan")
        if math.isnan(sens) or math.isnan(ppv) or sens + ppv == 0:
            f1 = float("nan")
        else:
            f1 = 2 / (1 / sens + 1 / ppv) if sens > 0 and ppv > 0 else 0.0
        table.append([tp + fn, tp + fp, sens, ppv, f1])
    return pd.DataFrame(table, index=list(FINDINGS),
                        columns=["MeSH positives", "labelled positive", "sensitivity", "PPV", "F1"])


# %% nbgrader={"grade_id": "q5_answer"}
from collections import Counter


def bm25_scores(query, documents):
    counted = [Counter(tokens_of(d)) for d in documents]
    lengths = [sum(c.values()) for c in counted]
    mean_length = sum(lengths) / len(lengths)
    frequency = Counter(t for c in counted for t in c)
    result = []
    for c, length in zip(counted, lengths):
        total = 0.0
        for t in dict.fromkeys(tokens_of(query)):
            f = c[t]
            if f:
                idf = math.log(1 + (len(documents) - frequency[t] + 0.5) / (frequency[t] + 0.5))
                total += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * length / mean_length))
        result.append(total)
    return np.array(result, dtype=float)


def retrieve(question, passages, threshold):
    docs = [f"{title} {text}" for title, text in zip(passages["title"], passages["text"])]
    scores = bm25_scores(question, docs)
    best = 0
    for i in range(1, len(scores)):
        if scores[i] > scores[best]:
            best = i
    if scores[best] < threshold:
        return {"passage_id": None, "source": None, "score": float(scores[best])}
    return {"passage_id": passages["passage_id"].tolist()[best],
            "source": passages["source"].tolist()[best], "score": float(scores[best])}
