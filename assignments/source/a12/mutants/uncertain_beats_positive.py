# %% [markdown]
# Across sentences, an uncertain mention wins over a positive one.

# %% nbgrader={"grade_id": "q3_answer"}
def label_report(report):
    """finding -> POSITIVE / UNCERTAIN / NEGATED / None over the findings and impression."""
    split = sentences(report)
    labels = {}
    for finding, (_, terms) in FINDINGS.items():
        found = {mention_status(words, term) for words in split for term in terms}
        labels[finding] = next((s for s in (UNCERTAIN, POSITIVE, NEGATED) if s in found), None)
    return labels
