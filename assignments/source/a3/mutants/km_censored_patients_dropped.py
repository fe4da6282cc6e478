# %% [markdown]
# Kaplan-Meier computed after dropping the censored patients (they never enter any risk set).

# %% nbgrader={"grade_id": "q1_answer"}
def kaplan_meier(durations, events):
    times = np.asarray(durations, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    times = times[observed]
    event_times = np.unique(times)
    at_risk = (times[None, :] >= event_times[:, None]).sum(axis=1)
    deaths = (times[None, :] == event_times[:, None]).sum(axis=1)
    return pd.Series(np.cumprod(1.0 - deaths / at_risk), index=event_times)
