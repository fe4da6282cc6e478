# %% [markdown]
# The training mean and standard deviation written out as sums over the training patients.

# %% nbgrader={"grade_id": "q1_answer"}
def gep_score(train_expression, expression, genes):
    columns = list(genes)
    train = train_expression.loc[:, columns].to_numpy(dtype=float)
    scored = expression.loc[:, columns].to_numpy(dtype=float)
    mean = train.sum(axis=0) / len(train)
    sd = np.sqrt(((train - mean) ** 2).sum(axis=0) / len(train))
    return ((scored - mean) / sd).mean(axis=1)
