# %% [markdown]
# The clock stops when the radiologist starts reading a study, not when the report is finished, so the reading time itself is left out.

# %% nbgrader={"grade_id": "q5_answer"}
def time_to_report(arrival_min, read_min, flagged, prioritise):
    arrival = np.asarray(arrival_min, dtype=float)
    reading = np.asarray(read_min, dtype=float)
    flag = np.asarray(flagged, dtype=bool)
    order = list(np.argsort(arrival, kind="stable"))
    started = np.empty(len(arrival))
    waiting, clock = [], 0.0
    while order or waiting:
        if not waiting:
            clock = max(clock, arrival[order[0]])
        while order and arrival[order[0]] <= clock:
            waiting.append(order.pop(0))
        urgent = [i for i in waiting if flag[i]] if prioritise else []
        study = urgent[0] if urgent else waiting[0]
        waiting.remove(study)
        started[study] = clock
        clock += reading[study]
    return started - arrival
