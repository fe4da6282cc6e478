# %% [markdown]
# Arm statistics from a pandas groupby and the normal quantile scipy.stats.norm.ppf(0.975)
# instead of 1.96; the IPW arm means with np.average; both return NumPy float64 values.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    from scipy import stats

    outcome = pd.Series(np.asarray(y, dtype=float))
    arm = np.asarray(t).astype(int)
    arms = outcome.groupby(arm).agg(["mean", "var", "count"])  # var: denominator n - 1
    estimate = arms.loc[1, "mean"] - arms.loc[0, "mean"]
    se = np.sqrt((arms["var"] / arms["count"]).sum())
    z = stats.norm.ppf(0.975)
    return estimate, estimate - z * se, estimate + z * se


# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    y = np.asarray(y, dtype=float)
    treated = np.asarray(t).astype(bool)
    e = np.asarray(e, dtype=float)
    treated_mean = np.average(y[treated], weights=1 / e[treated])
    control_mean = np.average(y[~treated], weights=1 / (1 - e[~treated]))
    return treated_mean - control_mean
