# %% [markdown]
# Fingerprints stacked with np.vstack, Tanimoto as sum(min) / sum(max) returning numpy.float64, a
# screen built from a pandas table of similarities with idxmax, EF from pandas with a small
# epsilon under the ceiling, and BEDROC from the ranks of the actives.

# %% nbgrader={"grade_id": "q1_answer"}
def morgan_bits(smiles_list, n_bits=2048):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=n_bits)
    mols = [Chem.MolFromSmiles(s) for s in smiles_list]
    return np.vstack([generator.GetFingerprintAsNumPy(m) for m in mols]).astype(np.int64)


# %% nbgrader={"grade_id": "q2_answer"}
def tanimoto(a, b):
    x = np.asarray(a, dtype=np.int64)
    y = np.asarray(b, dtype=np.int64)
    union = np.maximum(x, y).sum()
    return np.minimum(x, y).sum() / union if union else 0.0


# %% nbgrader={"grade_id": "q3_answer"}
def screen(query_fps, library_fps):
    similarity = pd.DataFrame([[tanimoto(c, q) for q in query_fps] for c in library_fps])
    ranked = pd.DataFrame({"max_similarity": similarity.max(axis=1),
                           "nearest_query": similarity.idxmax(axis=1)})
    return ranked.sort_values(by="max_similarity", ascending=False, kind="stable")


# %% nbgrader={"grade_id": "q4_answer"}
def enrichment_factor(ranked_is_active, fraction):
    labels = pd.Series(list(ranked_is_active), dtype=float)
    n_top = max(1, math.ceil(fraction * len(labels) - 1e-9))
    return float(labels.head(n_top).mean() / labels.mean())


# %% nbgrader={"grade_id": "q5_answer"}
def bedroc(ranked_is_active, alpha=20.0):
    labels = np.asarray(ranked_is_active) == 1
    n = labels.size
    ranks = np.nonzero(labels)[0] + 1.0
    r_a = ranks.size / n
    random_sum = r_a * (1 - math.exp(-alpha)) / (math.exp(alpha / n) - 1)
    rie = np.sum(np.exp(-alpha * ranks / n)) / random_sum
    factor = r_a * math.sinh(alpha / 2) / (math.cosh(alpha / 2) - math.cosh(alpha / 2 - alpha * r_a))
    return float(rie * factor + 1 / (1 - math.exp(alpha * (1 - r_a))))
