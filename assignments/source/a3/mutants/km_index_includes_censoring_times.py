# %% [markdown]
# Kaplan-Meier evaluated at every distinct observed time, so times with only censoring appear in the index (as flat steps).

# %% nbgrader={"grade_id": "q1_answer"}
def kaplan_meier(durations, events):
    times = np.asarray(durations, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    distinct = np.unique(times)
    at_risk = (times[None, :] >= distinct[:, None]).sum(axis=1)
    deaths = ((times[None, :] == distinct[:, None]) & observed[None, :]).sum(axis=1)
    return pd.Series(np.cumprod(1.0 - deaths / at_risk), index=distinct)
