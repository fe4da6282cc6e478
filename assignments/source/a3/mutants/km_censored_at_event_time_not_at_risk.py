# %% [markdown]
# Kaplan-Meier that removes patients censored at an event time from that time's risk set.

# %% nbgrader={"grade_id": "q1_answer"}
def kaplan_meier(durations, events):
    times = np.asarray(durations, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    event_times = np.unique(times[observed])
    later = (times[None, :] > event_times[:, None]).sum(axis=1)
    deaths = ((times[None, :] == event_times[:, None]) & observed[None, :]).sum(axis=1)
    at_risk = later + deaths
    return pd.Series(np.cumprod(1.0 - deaths / at_risk), index=event_times)
