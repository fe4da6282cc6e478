# %% [markdown]
# Library scored by the mean similarity to the queries instead of the maximum.

# %% nbgrader={"grade_id": "q3_answer"}
def screen(query_fps, library_fps):
    similarity = np.array([[tanimoto(c, q) for q in query_fps] for c in library_fps])
    result = pd.DataFrame({"max_similarity": similarity.mean(axis=1),
                           "nearest_query": similarity.argmax(axis=1)})
    return result.sort_values("max_similarity", ascending=False, kind="stable")
