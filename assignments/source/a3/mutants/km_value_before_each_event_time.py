# %% [markdown]
# Kaplan-Meier that reports S just before each event time (the previous step's value) instead of just after it.

# %% nbgrader={"grade_id": "q1_answer"}
def kaplan_meier(durations, events):
    times = np.asarray(durations, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    event_times = np.unique(times[observed])
    at_risk = (times[None, :] >= event_times[:, None]).sum(axis=1)
    deaths = ((times[None, :] == event_times[:, None]) & observed[None, :]).sum(axis=1)
    after = np.cumprod(1.0 - deaths / at_risk)
    return pd.Series(np.concatenate([[1.0], after[:-1]]), index=event_times)
