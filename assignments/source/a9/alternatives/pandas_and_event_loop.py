# %% [markdown]
# Windows a float32 copy with in-place operations; concatenates channel slices; finds the threshold with pandas and a cumulative count of the non-bleeds; uses scipy's exact normal quantile for z; simulates the worklist as a loop over time that keeps two deques (flagged and not).

# %% nbgrader={"grade_id": "q1_answer"}
def apply_window(hu, level, width):
    x = np.array(hu, dtype=np.float32, copy=True)
    x -= level - width / 2
    x /= width
    np.clip(x, 0.0, 1.0, out=x)
    return x


# %% nbgrader={"grade_id": "q2_answer"}
def three_windows(hu):
    parts = [apply_window(hu, 40, 80), apply_window(hu, 80, 200), apply_window(hu, 600, 2800)]
    return np.concatenate([p[:, np.newaxis] for p in parts], axis=1)


# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    frame = pd.DataFrame({"y": np.asarray(y_true), "s": np.asarray(scores, dtype=float)})
    negatives_at = frame.loc[frame["y"] == 0].groupby("s").size()
    candidates = pd.Series(np.sort(frame["s"].unique()))
    # negatives strictly below each candidate = negatives at all smaller distinct scores
    below = candidates.map(lambda t: negatives_at[negatives_at.index < t].sum())
    ok = candidates[below / negatives_at.sum() >= target]
    return float(ok.iloc[0]) if len(ok) else math.inf


# %% nbgrader={"grade_id": "q4_answer"}
from scipy.stats import norm

Z95 = float(norm.ppf(0.975))  # 1.959964..., the exact two-sided 95% quantile


def operating_point(y_true, scores, threshold):
    y = np.asarray(y_true) == 1
    flag = np.asarray(scores, dtype=float) >= threshold

    def wilson(k, n):
        p, z2 = k / n, Z95**2
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        return (float(centre - half), float(centre + half))

    k_pos, n_pos = int((flag & y).sum()), int(y.sum())
    k_neg, n_neg = int((~flag & ~y).sum()), int((~y).sum())
    return {"sensitivity": k_pos / n_pos, "specificity": k_neg / n_neg,
            "sensitivity_ci": wilson(k_pos, n_pos), "specificity_ci": wilson(k_neg, n_neg)}


threshold = threshold_for_specificity(pd.Series(y_val), pd.Series(val_scores), 0.90)
test_point = operating_point(y_test, test_scores, threshold)


# %% nbgrader={"grade_id": "q5_answer"}
from collections import deque


def time_to_report(arrival_min, read_min, flagged, prioritise):
    arrival = np.asarray(arrival_min, dtype=float)
    reading = np.asarray(read_min, dtype=float)
    flag = np.asarray(flagged, dtype=bool)
    upcoming = deque(sorted(range(len(arrival)), key=lambda i: (arrival[i], i)))
    urgent, routine = deque(), deque()
    report = np.zeros(len(arrival))
    now = 0.0
    while upcoming or urgent or routine:
        while upcoming and arrival[upcoming[0]] <= now:
            i = upcoming.popleft()
            (urgent if prioritise and flag[i] else routine).append(i)
        if not urgent and not routine:
            now = arrival[upcoming[0]]
            continue
        i = urgent.popleft() if urgent else routine.popleft()
        now += reading[i]
        report[i] = now
    return report - arrival
