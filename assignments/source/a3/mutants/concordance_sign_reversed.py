# %% [markdown]
# Harrell's C with the sign of the risk reversed (higher risk treated as longer survival).

# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    times = np.asarray(durations, dtype=float)
    risk = np.asarray(risk_scores, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    earlier = (times[:, None] < times[None, :]) | (
        (times[:, None] == times[None, :]) & ~observed[None, :]
    )
    comparable = observed[:, None] & earlier
    n_pairs = comparable.sum()
    if n_pairs == 0:
        return math.nan
    lower = (risk[:, None] < risk[None, :]) & comparable
    tied = (risk[:, None] == risk[None, :]) & comparable
    return float((lower.sum() + 0.5 * tied.sum()) / n_pairs)
