# %% [markdown]
# Flagged studies are put on a priority list but left on the normal list too, so each flagged study is read twice and delays everyone behind it.

# %% nbgrader={"grade_id": "q5_answer"}
def time_to_report(arrival_min, read_min, flagged, prioritise):
    arrival = np.asarray(arrival_min, dtype=float)
    reading = np.asarray(read_min, dtype=float)
    flag = np.asarray(flagged, dtype=bool)
    order = list(np.argsort(arrival, kind="stable"))
    finished = np.empty(len(arrival))
    urgent, normal, clock = [], [], 0.0
    while order or urgent or normal:
        if not urgent and not normal:
            clock = max(clock, arrival[order[0]])
        while order and arrival[order[0]] <= clock:
            study = order.pop(0)
            if prioritise and flag[study]:
                urgent.append(study)
            normal.append(study)
        study = urgent.pop(0) if urgent else normal.pop(0)
        clock += reading[study]
        finished[study] = clock
    return finished - arrival
