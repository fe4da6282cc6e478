# %% [markdown]
# Triggers and terms are looked up as substrings of the sentence's text, so "no" is found inside "normal" or "now", and "effusion" inside "effusions".

# %% nbgrader={"grade_id": "q2_answer"}
def mention_status(tokens, term):
    text = " ".join(tokens)
    position = text.find(term)
    if position < 0:
        return None
    statuses = set()
    while position >= 0:
        before = text[:position]
        after = text[position + len(term):]
        for stop in TERMINATORS:
            if stop in before:
                before = before[before.rfind(stop) + len(stop):]
            if stop in after:
                after = after[:after.find(stop)]
        for phrase in PSEUDO_TRIGGERS + list(POST_TRIGGERS):
            before = before.replace(phrase, " " * len(phrase))
        post = [(after.find(p), s) for p, s in POST_TRIGGERS.items() if p in after]
        pre = [(before.rfind(p), s) for p, s in PRE_TRIGGERS.items() if p in before]
        if post:
            statuses.add(min(post)[1])
        elif pre:
            statuses.add(max(pre)[1])
        else:
            statuses.add(POSITIVE)
        position = text.find(term, position + 1)
    for status in (POSITIVE, UNCERTAIN, NEGATED):
        if status in statuses:
            return status
