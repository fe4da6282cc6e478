# %% [markdown]
# Harrell's C that also counts non-comparable pairs in which the earlier time is censored.

# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    times = np.asarray(durations, dtype=float)
    risk = np.asarray(risk_scores, dtype=float)
    comparable = times[:, None] < times[None, :]
    n_pairs = comparable.sum()
    if n_pairs == 0:
        return math.nan
    higher = (risk[:, None] > risk[None, :]) & comparable
    tied = (risk[:, None] == risk[None, :]) & comparable
    return float((higher.sum() + 0.5 * tied.sum()) / n_pairs)
