# %% [markdown]
# Kaplan-Meier that ignores censoring: every patient is treated as having had the event.

# %% nbgrader={"grade_id": "q1_answer"}
def kaplan_meier(durations, events):
    times = np.asarray(durations, dtype=float)
    distinct = np.unique(times)
    at_risk = (times[None, :] >= distinct[:, None]).sum(axis=1)
    deaths = (times[None, :] == distinct[:, None]).sum(axis=1)
    return pd.Series(np.cumprod(1.0 - deaths / at_risk), index=distinct)
