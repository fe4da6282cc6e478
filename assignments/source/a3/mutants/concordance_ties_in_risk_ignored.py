# %% [markdown]
# Harrell's C that counts pairs with tied risk scores as discordant instead of one half.

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
    return float(((risk[:, None] > risk[None, :]) & comparable).sum() / n_pairs)
