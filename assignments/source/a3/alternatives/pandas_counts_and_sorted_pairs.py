# %% [markdown]
# Kaplan-Meier from pandas counts per time (the risk set as a reversed cumulative sum), the median from a boolean mask, Harrell's C by one comparison per event against everyone after it, and the Cox result from lifelines' hazard_ratios_ and confidence_intervals_ as NumPy floats.

# %% nbgrader={"grade_id": "q1_answer"}
def kaplan_meier(durations, events):
    table = pd.DataFrame({"time": np.asarray(durations, dtype=float),
                          "event": np.asarray(events).astype(int)})
    per_time = table.groupby("time")["event"].agg(["sum", "count"]).sort_index()
    at_risk = per_time["count"][::-1].cumsum()[::-1]
    factor = 1.0 - per_time["sum"] / at_risk
    curve = factor.cumprod()
    return curve[per_time["sum"] > 0]


# %% nbgrader={"grade_id": "q2_answer"}
def median_survival(survival):
    reached = survival.index[survival.to_numpy() <= 0.5]
    return reached[0] if len(reached) else math.inf


# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter()
    cox.fit(design, duration_col, event_col)
    low, high = np.exp(cox.confidence_intervals_.loc[covariate]).to_numpy()
    return cox.hazard_ratios_[covariate], low, high


# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    times = np.asarray(durations, dtype=float)
    risk = np.asarray(risk_scores, dtype=float)
    observed = np.asarray(events).astype(bool)
    score, pairs = 0.0, 0
    for i in np.flatnonzero(observed):
        outlived = (times > times[i]) | ((times == times[i]) & ~observed)
        pairs += int(outlived.sum())
        score += np.sum(risk[i] > risk[outlived]) + 0.5 * np.sum(risk[i] == risk[outlived])
    if pairs == 0:
        return math.nan
    return score / pairs
