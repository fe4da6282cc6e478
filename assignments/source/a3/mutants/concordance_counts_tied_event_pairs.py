# %% [markdown]
# Harrell's C that takes Y_i <= Y_j as "earlier", so two events at the same time count as a comparable pair (twice).

# %% nbgrader={"grade_id": "q4_answer"}
def concordance(durations, risk_scores, events):
    times = np.asarray(durations, dtype=float)
    risk = np.asarray(risk_scores, dtype=float)
    observed = np.asarray(events).astype(int) == 1
    earlier = times[:, None] <= times[None, :]
    np.fill_diagonal(earlier, False)  # a patient is not compared with herself
    comparable = observed[:, None] & earlier
    n_pairs = comparable.sum()
    if n_pairs == 0:
        return math.nan
    higher = (risk[:, None] > risk[None, :]) & comparable
    tied = (risk[:, None] == risk[None, :]) & comparable
    return float((higher.sum() + 0.5 * tied.sum()) / n_pairs)
