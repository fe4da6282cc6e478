# %% [markdown]
# Windows with np.interp; fills a preallocated channel-first array; finds the threshold with a Python loop over the sorted distinct scores; counts the confusion matrix in a loop and writes the Wilson interval in its closed form; simulates the worklist with a heap keyed on (not flagged, arrival, position).

# %% nbgrader={"grade_id": "q1_answer"}
def apply_window(hu, level, width):
    low, high = level - width / 2, level + width / 2
    return np.interp(np.asarray(hu, dtype=np.float64), [low, high], [0.0, 1.0]).astype(np.float32)


# %% nbgrader={"grade_id": "q2_answer"}
def three_windows(hu):
    hu = np.asarray(hu)
    out = np.empty((hu.shape[0], 3) + hu.shape[1:], dtype=np.float32)
    for channel, name in enumerate(["brain", "subdural", "bone"]):
        out[:, channel] = apply_window(hu, *WINDOWS[name])
    return out


# %% nbgrader={"grade_id": "q3_answer"}
def threshold_for_specificity(y_true, scores, target):
    labels = list(np.asarray(y_true).astype(int))
    values = [float(v) for v in np.asarray(scores)]
    negatives = [v for v, y in zip(values, labels) if y == 0]
    for t in sorted(set(values)):
        cleared = sum(1 for v in negatives if v < t)
        if cleared / len(negatives) >= target:
            return t
    return math.inf


# %% nbgrader={"grade_id": "q4_answer"}
Z95 = 1.96


def operating_point(y_true, scores, threshold):
    tp = fn = tn = fp = 0
    for y, s in zip(np.asarray(y_true), np.asarray(scores, dtype=float)):
        if y == 1:
            tp, fn = (tp + 1, fn) if s >= threshold else (tp, fn + 1)
        else:
            fp, tn = (fp + 1, tn) if s >= threshold else (fp, tn + 1)

    def wilson(k, n):
        z2 = Z95 * Z95
        spread = Z95 * math.sqrt(z2 + 4 * k * (n - k) / n)
        return ((2 * k + z2 - spread) / (2 * (n + z2)), (2 * k + z2 + spread) / (2 * (n + z2)))

    return {"sensitivity": tp / (tp + fn), "specificity": tn / (tn + fp),
            "sensitivity_ci": wilson(tp, tp + fn), "specificity_ci": wilson(tn, tn + fp)}


threshold = threshold_for_specificity(y_val, val_scores, 0.90)
test_point = operating_point(y_test, test_scores, threshold)


# %% nbgrader={"grade_id": "q5_answer"}
import heapq


def time_to_report(arrival_min, read_min, flagged, prioritise):
    arrival = [float(a) for a in arrival_min]
    reading = [float(r) for r in read_min]
    flag = [bool(f) for f in flagged]
    pending = sorted(range(len(arrival)), key=lambda i: (arrival[i], i))
    heap, clock, done = [], 0.0, {}
    position = 0
    while len(done) < len(arrival):
        if not heap:
            clock = max(clock, arrival[pending[position]])
        while position < len(pending) and arrival[pending[position]] <= clock:
            i = pending[position]
            urgency = 0 if (prioritise and flag[i]) else 1
            heapq.heappush(heap, (urgency, arrival[i], i))
            position += 1
        _, _, i = heapq.heappop(heap)
        clock += reading[i]
        done[i] = clock - arrival[i]
    return np.array([done[i] for i in range(len(arrival))])
