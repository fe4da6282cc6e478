# %% [markdown]
# Explicit bit vectors converted with DataStructs.ConvertToNumpyArray, Tanimoto from sets of on-bits,
# a plain loop for the screen, exact fractions for n_x and a Python loop for BEDROC.

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=n_bits)
    smiles_list = list(smiles_list)
    matrix = np.zeros((len(smiles_list), n_bits), dtype=np.int64)
    for row, smi in enumerate(smiles_list):
        DataStructs.ConvertToNumpyArray(generator.GetFingerprint(Chem.MolFromSmiles(smi)),
                                        matrix[row])
    return matrix


# %% nbgrader={"grade_id": "q2_answer"}
def tanimoto(a, b):
    on_a = set(np.flatnonzero(np.asarray(a)).tolist())
    on_b = set(np.flatnonzero(np.asarray(b)).tolist())
    union = on_a | on_b
    if not union:
        return 0.0
    return len(on_a & on_b) / len(union)


# %% nbgrader={"grade_id": "q3_answer"}
def screen(query_fps, library_fps):
    rows = []
    for position, candidate in enumerate(np.asarray(library_fps)):
        best, nearest = -1.0, 0
        for number, query in enumerate(np.asarray(query_fps)):
            value = tanimoto(candidate, query)
            if value > best:  # strictly greater: the first of equal queries stays
                best, nearest = value, number
        rows.append((position, best, nearest))
    table = pd.DataFrame(rows, columns=["position", "max_similarity", "nearest_query"])
    table = table.set_index("position")
    table.index.name = None
    return table.sort_values("max_similarity", ascending=False, kind="mergesort")


# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    from fractions import Fraction

    labels = [1 if v else 0 for v in ranked_is_active]
    n_total = len(labels)
    n_top = max(1, math.ceil(Fraction(str(fraction)) * n_total))
    hits = sum(labels[:n_top])
    return (hits / n_top) / (sum(labels) / n_total)


# %% nbgrader={"grade_id": "q5_answer"}
def bedroc(ranked_is_active, alpha=20.0):
    labels = [bool(v) for v in ranked_is_active]
    n_total = len(labels)
    n_active = sum(labels)
    total = 0.0
    for rank, active in enumerate(labels, start=1):
        if active:
            total += math.exp(-alpha * rank / n_total)
    r_a = n_active / n_total
    rie = total / (r_a * (1 - math.exp(-alpha)) / (math.exp(alpha / n_total) - 1))
    factor = r_a * math.sinh(alpha / 2) / (math.cosh(alpha / 2) - math.cosh(alpha / 2 - alpha * r_a))
    return rie * factor + 1 / (1 - math.exp(alpha * (1 - r_a)))
