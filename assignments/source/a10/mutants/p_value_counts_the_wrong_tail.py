# %% [markdown]
# The p-value counts the null values at or below the observed AUROC (the wrong tail), so a strong signal gets a p-value near 1.

# %% nbgrader={"grade_id": "q4_answer"}
def permutation_test(X, y, k, C, n_permutations, seed=0):
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    observed = float(np.mean(cv_auroc(X, y, k, C, 5, seed)))
    null = np.array([np.mean(cv_auroc(X, rng.permutation(y), k, C, 5, seed))
                     for _ in range(n_permutations)])
    return observed, null, float((1 + np.sum(null <= observed)) / (1 + n_permutations))
