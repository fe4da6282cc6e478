# %% [markdown]
# Prioritisation sorts the whole worklist once (flagged first, then by arrival) and reads it in that order, so the radiologist waits for a flagged study that has not arrived yet while others are waiting.

# %% nbgrader={"grade_id": "q5_answer"}
def time_to_report(arrival_min, read_min, flagged, prioritise):
    arrival = np.asarray(arrival_min, dtype=float)
    reading = np.asarray(read_min, dtype=float)
    flag = np.asarray(flagged, dtype=bool)
    if prioritise:
        order = np.lexsort((arrival, ~flag))  # flagged first, then by arrival
    else:
        order = np.argsort(arrival, kind="stable")
    finished = np.empty(len(arrival))
    clock = 0.0
    for study in order:
        clock = max(clock, arrival[study]) + reading[study]
        finished[study] = clock
    return finished - arrival
