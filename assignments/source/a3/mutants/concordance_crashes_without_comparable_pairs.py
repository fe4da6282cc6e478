# %% [markdown]
# Harrell's C counted in a loop that divides by the number of comparable pairs without checking it, so it raises ZeroDivisionError instead of returning math.nan.

# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    times = [float(t) for t in durations]
    risk = [float(r) for r in risk_scores]
    observed = [int(e) == 1 for e in events]
    score, pairs = 0.0, 0
    for i in range(len(times)):
        if not observed[i]:
            continue
        for j in range(len(times)):
            if times[i] < times[j] or (times[i] == times[j] and not observed[j]):
                pairs += 1
                score += 1.0 if risk[i] > risk[j] else 0.5 if risk[i] == risk[j] else 0.0
    return score / pairs
