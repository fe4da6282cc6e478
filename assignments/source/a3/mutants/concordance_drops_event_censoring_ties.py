# %% [markdown]
# Harrell's C that drops pairs of an event and a censoring at the same time (strict Y_i < Y_j only).

# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    times = np.asarray(durations, dtype=float)
    risk = np.asarray(risk_scores, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    comparable = observed[:, None] & (times[:, None] < times[None, :])
    n_pairs = comparable.sum()
    if n_pairs == 0:
        return math.nan
    higher = (risk[:, None] > risk[None, :]) & comparable
    tied = (risk[:, None] == risk[None, :]) & comparable
    return float((higher.sum() + 0.5 * tied.sum()) / n_pairs)
