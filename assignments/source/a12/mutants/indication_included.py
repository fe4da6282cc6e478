# %% [markdown]
# The indication is split into sentences too, before the findings and the impression.

# %% nbgrader={"grade_id": "q1_answer"}
def sentences(report):
    """Token lists of the sentences of the findings, then of the impression."""
    found = []
    for section in ("indication", "findings", "impression"):
        for piece in re.split(r"[.?!](?=\s|$)", report[section]):
            words = tokens_of(piece)
            if words:
                found.append(words)
    return found
