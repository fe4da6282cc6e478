# %% [markdown]
# Labels and reports are combined as pandas Series, which align by index instead of by position.

# %% nbgrader={"grade_id": "q4_answer"}
def mesh_positive(mesh_major, heading):
    return any(code.split("/")[0].strip().lower() == heading.lower() for code in mesh_major)


def evaluate(labels, reports):
    rows = {}
    for finding, (heading, _) in FINDINGS.items():
        truth = reports["mesh_major"].apply(lambda codes: mesh_positive(codes, heading))
        called = labels[finding] == POSITIVE
        tp = int((truth & called).sum())
        n_truth, n_called = int(truth.sum()), int(called.sum())
        sensitivity = tp / n_truth if n_truth else math.nan
        ppv = tp / n_called if n_called else math.nan
        f1 = 2 * sensitivity * ppv / (sensitivity + ppv) if sensitivity + ppv > 0 else math.nan
        rows[finding] = {"MeSH positives": n_truth, "labelled positive": n_called,
                         "sensitivity": sensitivity, "PPV": ppv, "F1": f1}
    return pd.DataFrame(rows).T.astype({"MeSH positives": int, "labelled positive": int})
