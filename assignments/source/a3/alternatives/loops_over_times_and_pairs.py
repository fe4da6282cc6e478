# %% [markdown]
# Kaplan-Meier by a loop over the sorted distinct event times, the median by a loop over the curve, and Harrell's C by a double loop over all ordered pairs, all in plain Python floats.

# %% nbgrader={"grade_id": "q1_answer"}
def kaplan_meier(durations, events):
    times = [float(t) for t in durations]
    observed = [bool(e) for e in events]
    survival, steps, values = 1.0, [], []
    for t in sorted({time for time, event in zip(times, observed) if event}):
        at_risk = sum(1 for time in times if time >= t)
        deaths = sum(1 for time, event in zip(times, observed) if event and time == t)
        survival *= 1.0 - deaths / at_risk
        steps.append(t)
        values.append(survival)
    return pd.Series(values, index=steps, dtype=float)


# %% nbgrader={"grade_id": "q2_answer"}
def median_survival(survival):
    for time, value in survival.items():
        if value <= 0.5:
            return time
    return math.inf


# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    times = [float(t) for t in durations]
    risk = [float(r) for r in risk_scores]
    observed = [bool(e) for e in events]
    score, pairs = 0.0, 0
    for i in range(len(times)):
        if not observed[i]:
            continue
        for j in range(len(times)):
            if times[i] < times[j] or (times[i] == times[j] and not observed[j]):
                pairs += 1
                if risk[i] > risk[j]:
                    score += 1.0
                elif risk[i] == risk[j]:
                    score += 0.5
    return score / pairs if pairs else math.nan
