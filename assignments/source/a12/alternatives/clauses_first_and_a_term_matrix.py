# %% [markdown]
# Cuts each sentence into clauses at the terminators first and labels the term inside its clause; splits sentences with a regular expression on the whole text of each section; evaluates with pandas on NumPy arrays; scores BM25 from a NumPy term-by-document count matrix and takes the best passage with np.flatnonzero.

# %% nbgrader={"grade_id": "q1_answer"}
def sentences(report):
    pieces = []
    for section in ("findings", "impression"):
        pieces += re.split(r"(?:[.?!]\s+)|(?:[.?!]$)", report[section].strip())
    return [tokens_of(p) for p in pieces if tokens_of(p)]


# %% nbgrader={"grade_id": "q2_answer"}
def _clauses(tokens):
    """(first index, tokens) of each clause, cut at the terminators."""
    cuts = sorted((i, i + len(p.split())) for p in TERMINATORS for i in occurrences(tokens, p))
    found, begin = [], 0
    for start, end in cuts:
        found.append((begin, tokens[begin:start]))
        begin = end
    found.append((begin, tokens[begin:]))
    return found


def _status_in_clause(clause, start, width, blocked):
    """Status of the term at `start` of a clause (positions relative to the clause)."""
    posts = sorted((i, s) for p, s in POST_TRIGGERS.items() for i in occurrences(clause, p)
                   if i >= start + width)
    if posts:
        return posts[0][1]
    pres = sorted((i, s) for p, s in PRE_TRIGGERS.items() for i in occurrences(clause, p)
                  if i < start and not any(k in blocked for k in range(i, i + len(p.split()))))
    return pres[-1][1] if pres else POSITIVE


def mention_status(tokens, term):
    width = len(term.split())
    statuses = []
    for _, clause in _clauses(tokens):
        blocked = {i + k for p in PSEUDO_TRIGGERS + list(POST_TRIGGERS)
                   for i in occurrences(clause, p) for k in range(len(p.split()))}
        for start in occurrences(clause, term):
            statuses.append(_status_in_clause(clause, start, width, blocked))
    if not statuses:
        return None
    for status in (POSITIVE, UNCERTAIN, NEGATED):
        if status in statuses:
            return status


# %% nbgrader={"grade_id": "q3_answer"}
def label_report(report):
    order = [POSITIVE, UNCERTAIN, NEGATED]
    split = sentences(report)
    out = {}
    for finding, (_, terms) in FINDINGS.items():
        seen = [mention_status(s, t) for s in split for t in terms]
        seen = [order.index(x) for x in seen if x is not None]
        out[finding] = order[min(seen)] if seen else None
    return out


# %% nbgrader={"grade_id": "q4_answer"}
def mesh_positive(mesh_major, heading):
    headings = {re.split("/", code, maxsplit=1)[0].strip().lower() for code in mesh_major}
    return heading.strip().lower() in headings


def evaluate(labels, reports):
    mesh = reports["mesh_major"].to_numpy()
    result = pd.DataFrame(index=list(FINDINGS), columns=["MeSH positives", "labelled positive",
                                                         "sensitivity", "PPV", "F1"], dtype=float)
    for finding, (heading, _) in FINDINGS.items():
        truth = np.fromiter((mesh_positive(m, heading) for m in mesh), dtype=bool, count=len(mesh))
        called = pd.to_numeric(labels[finding], errors="coerce").to_numpy() == POSITIVE
        tp = np.logical_and(truth, called).sum()
        sens = tp / truth.sum() if truth.any() else np.nan
        ppv = tp / called.sum() if called.any() else np.nan
        f1 = 2 * sens * ppv / (sens + ppv) if np.isfinite(sens + ppv) and sens + ppv > 0 else np.nan
        result.loc[finding] = [truth.sum(), called.sum(), sens, ppv, f1]
    return result.astype({"MeSH positives": int, "labelled positive": int})


# %% nbgrader={"grade_id": "q5_answer"}
def bm25_scores(query, documents):
    docs = [tokens_of(d) for d in documents]
    vocabulary = sorted(set(tokens_of(query)))
    counts = np.array([[d.count(t) for t in vocabulary] for d in docs], dtype=float)
    counts = counts.reshape(len(docs), len(vocabulary))
    n_t = (counts > 0).sum(axis=0)
    idf = np.log1p((len(docs) - n_t + 0.5) / (n_t + 0.5))
    lengths = np.array([len(d) for d in docs], dtype=float)[:, None]
    norm = 1.2 * (1 - 0.75 + 0.75 * lengths / lengths.mean())
    return (idf * counts * 2.2 / (counts + norm)).sum(axis=1)


def retrieve(question, passages, threshold):
    table = passages.reset_index(drop=True)
    scores = bm25_scores(question, list(table["title"] + " " + table["text"]))
    best = int(np.flatnonzero(scores == scores.max())[0])
    answer = {"passage_id": None, "source": None, "score": float(scores[best])}
    if scores[best] >= threshold:
        answer.update(passage_id=table.at[best, "passage_id"], source=table.at[best, "source"])
    return answer
