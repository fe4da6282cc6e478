# %% [markdown]
# Each GEP gene is standardised with the mean and SD of the patients being scored (StandardScaler fitted on expression), not of the training patients.

# %% nbgrader={"grade_id": "q1_answer"}
def gep_score(train_expression, expression, genes):
    z = StandardScaler().fit_transform(expression[list(genes)])
    return z.mean(axis=1)
