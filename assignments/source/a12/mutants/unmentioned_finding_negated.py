# %% [markdown]
# A finding the report never names is labelled NEGATED instead of None.

# %% nbgrader={"grade_id": "q3_answer"}
def label_report(report):
    """finding -> POSITIVE / UNCERTAIN / NEGATED / None over the findings and impression."""
    split = sentences(report)
    labels = {}
    for finding, (_, terms) in FINDINGS.items():
        found = {mention_status(words, term) for words in split for term in terms}
        labels[finding] = next((s for s in (POSITIVE, UNCERTAIN, NEGATED) if s in found), NEGATED)
    return labels
