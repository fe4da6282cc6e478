# %% [markdown]
# The p-value is the share of null values at or above the observed one, without the +1 in numerator and denominator, so it can be 0.

# %% nbgrader={"grade_id": "q4_answer"}
def permutation_test(X, y, k, C, n_permutations, seed=0):
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    observed = float(np.mean(cv_auroc(X, y, k, C, 5, seed)))
    null = np.array([np.mean(cv_auroc(X, rng.permutation(y), k, C, 5, seed))
                     for _ in range(n_permutations)])
    return observed, null, float(np.mean(null >= observed))
