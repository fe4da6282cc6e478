# %% [markdown]
# A trigger acts on the whole clause, before and after it: a pre-trigger after the term still negates it.

# %% nbgrader={"grade_id": "q2_answer"}
def mention_status(tokens, term):
    """POSITIVE, NEGATED, UNCERTAIN or None: what a sentence says about a term."""
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
        before = [s for i, s in pre if clause_start < i < clause_end and not start <= i < end]
        statuses.add(after[0] if after else before[-1] if before else POSITIVE)
    return next(s for s in (POSITIVE, UNCERTAIN, NEGATED) if s in statuses)
