# %% [markdown]
# Library scored with the Dice coefficient 2c / (a + b) instead of Tanimoto (vectorised, so Question 2 is not reused).

# %% nbgrader={"grade_id": "q3_answer"}
def screen(query_fps, library_fps):
    queries = np.asarray(query_fps).astype(np.int64)
    candidates = np.asarray(library_fps).astype(np.int64)
    both = candidates @ queries.T
    total = candidates.sum(axis=1)[:, None] + queries.sum(axis=1)[None, :]
    similarity = np.divide(2 * both, total, out=np.zeros(both.shape), where=total > 0)
    result = pd.DataFrame({"max_similarity": similarity.max(axis=1),
                           "nearest_query": similarity.argmax(axis=1)})
    return result.sort_values("max_similarity", ascending=False, kind="stable")
