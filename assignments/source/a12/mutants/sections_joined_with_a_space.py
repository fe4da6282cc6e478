# %% [markdown]
# The findings and the impression are joined with a space and split together, so a findings section without a final full stop runs into the impression.

# %% nbgrader={"grade_id": "q1_answer"}
def sentences(report):
    text = report["findings"] + " " + report["impression"]
    found = []
    for piece in re.split(r"[.?!](?=\s|$)", text):
        words = tokens_of(piece)
        if words:
            found.append(words)
    return found
