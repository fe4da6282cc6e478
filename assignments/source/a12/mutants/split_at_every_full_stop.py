# %% [markdown]
# Sentences are split at every full stop, question or exclamation mark, also inside a decimal such as 1.5.

# %% nbgrader={"grade_id": "q1_answer"}
def sentences(report):
    """Token lists of the sentences of the findings, then of the impression."""
    found = []
    for section in ("findings", "impression"):
        for piece in re.split(r"[.?!]", report[section]):
            words = tokens_of(piece)
            if words:
                found.append(words)
    return found
