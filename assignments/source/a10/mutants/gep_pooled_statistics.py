# %% [markdown]
# The GEP genes are standardised with the mean and SD of the training and the scored patients pooled, so the new patients shape their own scores.

# %% nbgrader={"grade_id": "q1_answer"}
def gep_score(train_expression, expression, genes):
    pooled = pd.concat([train_expression[list(genes)], expression[list(genes)]])
    z = (expression[list(genes)] - pooled.mean()) / pooled.std(ddof=0)
    return z.mean(axis=1).to_numpy()
