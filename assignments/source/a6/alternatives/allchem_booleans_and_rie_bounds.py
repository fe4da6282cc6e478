# %% [markdown]
# The older AllChem.GetMorganFingerprintAsBitVect (same bits) returned as a boolean matrix,
# np.count_nonzero returning numpy.float64, a broadcast screen ordered with np.lexsort, a
# cumulative sum for EF and BEDROC as (RIE - RIEmin) / (RIEmax - RIEmin).

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    from rdkit.Chem import AllChem

    matrix = np.zeros((len(smiles_list), n_bits), dtype=bool)
    for row, smi in enumerate(list(smiles_list)):
        fp = AllChem.GetMorganFingerprintAsBitVect(Chem.MolFromSmiles(smi), 2, nBits=n_bits)
        matrix[row, list(fp.GetOnBits())] = True
    return matrix


# %% nbgrader={"grade_id": "q2_answer"}
def tanimoto(a, b):
    x = np.asarray(a) != 0
    y = np.asarray(b) != 0
    either = np.count_nonzero(x | y)
    if either == 0:
        return 0.0
    return np.float64(np.count_nonzero(x & y)) / either


# %% nbgrader={"grade_id": "q3_answer"}
def screen(query_fps, library_fps):
    queries = np.asarray(query_fps) != 0
    candidates = np.asarray(library_fps) != 0
    both = (candidates[:, None, :] & queries[None, :, :]).sum(axis=2)
    either = (candidates[:, None, :] | queries[None, :, :]).sum(axis=2)
    similarity = np.where(either > 0, both / np.maximum(either, 1), 0.0)
    scores = similarity.max(axis=1)
    order = np.lexsort((np.arange(len(scores)), -scores))  # by score, then library position
    return pd.DataFrame({"max_similarity": scores[order],
                         "nearest_query": similarity.argmax(axis=1)[order]}, index=order)


# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    hits = np.cumsum(np.asarray(ranked_is_active, dtype=float))
    n_total = len(hits)
    n_top = max(1, math.ceil(round(fraction * n_total, 9)))
    return float((hits[n_top - 1] / n_top) / (hits[-1] / n_total))


# %% nbgrader={"grade_id": "q5_answer"}
def bedroc(ranked_is_active, alpha=20.0):
    labels = np.asarray(ranked_is_active, dtype=float)
    n_total = labels.size
    r_a = labels.sum() / n_total
    ranks = np.arange(1, n_total + 1)
    rie = (labels * np.exp(-alpha * ranks / n_total)).sum() / (
        r_a * (1 - np.exp(-alpha)) / np.expm1(alpha / n_total))
    rie_max = (1 - np.exp(-alpha * r_a)) / (r_a * (1 - np.exp(-alpha)))
    rie_min = (1 - np.exp(alpha * r_a)) / (r_a * (1 - np.exp(alpha)))
    return float((rie - rie_min) / (rie_max - rie_min))
