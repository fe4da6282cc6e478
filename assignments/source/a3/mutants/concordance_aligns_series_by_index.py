# %% [markdown]
# Harrell's C that puts the three inputs in one DataFrame, which pairs Series by their index instead of by position.

# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    table = pd.DataFrame({"time": durations, "risk": risk_scores, "event": events}).dropna()
    times = table["time"].to_numpy(dtype=float)
    risk = table["risk"].to_numpy(dtype=float)
    observed = table["event"].astype(int).to_numpy() == 1
    earlier = (times[:, None] < times[None, :]) | (
        (times[:, None] == times[None, :]) & ~observed[None, :]
    )
    comparable = observed[:, None] & earlier
    n_pairs = comparable.sum()
    if n_pairs == 0:
        return math.nan
    higher = (risk[:, None] > risk[None, :]) & comparable
    tied = (risk[:, None] == risk[None, :]) & comparable
    return float((higher.sum() + 0.5 * tied.sum()) / n_pairs)
