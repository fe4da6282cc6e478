# %% [markdown]
# nearest_query is the last column of an argsort, so among equally similar queries the last one is named instead of the first.

# %% nbgrader={"grade_id": "q3_answer"}
def screen(query_fps, library_fps):
    similarity = np.array([[tanimoto(c, q) for q in query_fps] for c in library_fps])
    result = pd.DataFrame({"max_similarity": similarity.max(axis=1),
                           "nearest_query": np.argsort(similarity, axis=1, kind="stable")[:, -1]})
    return result.sort_values("max_similarity", ascending=False, kind="stable")
