# %% [markdown]
# The propensity model written in NumPy: an unpenalised logistic regression on the standardised
# covariates, fitted by Newton-Raphson (no scikit-learn, no L2 penalty).

# %% nbgrader={"grade_id": "q3_answer"}
def propensity_scores(X, t):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(float)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    design = np.column_stack([np.ones(len(Z)), Z])
    beta = np.zeros(design.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (t - p)
        hessian = design.T @ (design * (p * (1 - p))[:, None])
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return 1 / (1 + np.exp(-design @ beta))
