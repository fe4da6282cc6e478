# %% [markdown]
# Splits sentences with a character loop; paints each trigger's scope onto the tokens it reaches (pre-triggers forwards in reading order, post-triggers backwards in reverse order, so the nearest trigger paints last) and reads the term's status from the paint; scores BM25 from postings lists kept in a dict.

# %% nbgrader={"grade_id": "q1_answer"}
def sentences(report):
    out = []
    for section in ("findings", "impression"):
        text, current = report[section], ""
        for k, char in enumerate(text):
            ends = char in ".?!" and (k + 1 == len(text) or text[k + 1].isspace())
            if ends:
                out.append(tokens_of(current))
                current = ""
            else:
                current += char
        out.append(tokens_of(current))
    return [words for words in out if len(words) > 0]


# %% nbgrader={"grade_id": "q2_answer"}
def mention_status(tokens, term):
    size = len(term.split())
    places = occurrences(tokens, term)
    if len(places) == 0:
        return None
    clause = [0] * len(tokens)  # clause number of each token
    for phrase in TERMINATORS:
        for i in occurrences(tokens, phrase):
            for k in range(i, len(tokens)):
                clause[k] += 1
    blocked = [False] * len(tokens)
    for phrase in PSEUDO_TRIGGERS + list(POST_TRIGGERS):
        for i in occurrences(tokens, phrase):
            for k in range(i, i + len(phrase.split())):
                blocked[k] = True
    forward = [None] * len(tokens)
    pres = sorted((i, PRE_TRIGGERS[p], len(p.split())) for p in PRE_TRIGGERS
                  for i in occurrences(tokens, p))
    for i, status, n in pres:
        if any(blocked[i:i + n]):
            continue
        for k in range(i + 1, len(tokens)):
            if clause[k] == clause[i]:
                forward[k] = status
    backward = [None] * len(tokens)
    posts = sorted(((i, POST_TRIGGERS[p]) for p in POST_TRIGGERS for i in occurrences(tokens, p)),
                   reverse=True)
    for i, status in posts:
        for k in range(i):
            if clause[k] == clause[i]:
                backward[k] = status
    found = []
    for start in places:
        last = start + size - 1
        if backward[last] is not None:
            found.append(backward[last])
        elif forward[start] is not None:
            found.append(forward[start])
        else:
            found.append(POSITIVE)
    if POSITIVE in found:
        return POSITIVE
    return UNCERTAIN if UNCERTAIN in found else NEGATED


# %% nbgrader={"grade_id": "q5_answer"}
def bm25_scores(query, documents, k1=1.2, b=0.75):
    postings = {}
    lengths = []
    for j, document in enumerate(documents):
        words = tokens_of(document)
        lengths.append(len(words))
        for word in words:
            postings.setdefault(word, {}).setdefault(j, 0)
            postings[word][j] += 1
    mean = float(np.mean(lengths))
    scores = np.zeros(len(documents), dtype=float)
    for word in set(tokens_of(query)):
        hits = postings.get(word, {})
        idf = math.log(1.0 + (len(documents) - len(hits) + 0.5) / (len(hits) + 0.5))
        for j, f in hits.items():
            scores[j] += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * lengths[j] / mean))
    return scores


def retrieve(question, passages, threshold):
    scores = bm25_scores(question, passages["title"].str.cat(passages["text"], sep=" ").tolist())
    best = scores.argmax()
    if scores[best] >= threshold:
        chosen = passages.iloc[best]
        return {"passage_id": chosen.passage_id, "source": chosen.source,
                "score": scores[best].item()}
    return {"passage_id": None, "source": None, "score": scores[best].item()}
