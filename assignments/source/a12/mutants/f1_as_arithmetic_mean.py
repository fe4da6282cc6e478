# %% [markdown]
# F1 is computed as the arithmetic mean of sensitivity and PPV.

# %% nbgrader={"grade_id": "q4_answer"}
def mesh_positive(mesh_major, heading):
    """True when a MeSH major code has this heading before its first '/'."""
    return any(code.split("/")[0].strip().lower() == heading.lower() for code in mesh_major)


def evaluate(labels, reports):
    """Sensitivity, PPV and F1 of the labeller against the MeSH codes, per finding."""
    rows = {}
    for finding, (heading, _) in FINDINGS.items():
        truth = np.array([mesh_positive(codes, heading) for codes in reports["mesh_major"]])
        called = (labels[finding].to_numpy() == POSITIVE)
        tp = int(np.sum(truth & called))
        sensitivity = tp / truth.sum() if truth.sum() else math.nan
        ppv = tp / called.sum() if called.sum() else math.nan
        f1 = (sensitivity + ppv) / 2
        rows[finding] = {"MeSH positives": int(truth.sum()), "labelled positive": int(called.sum()),
                         "sensitivity": sensitivity, "PPV": ppv, "F1": f1}
    table = pd.DataFrame.from_dict(rows, orient="index")
    return table.astype({"MeSH positives": int, "labelled positive": int})
