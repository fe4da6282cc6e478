# %% [markdown]
# Plain Python: the arms collected in a loop, the sample variances from the statistics module,
# and the IPW sums accumulated patient by patient; both return Python floats.

# %% nbgrader={"grade_id": "q1_answer"}
def difference_in_means(y, t):
    import statistics

    arms = {0: [], 1: []}
    for outcome, treatment in zip(list(y), list(t)):
        arms[int(treatment)].append(float(outcome))
    treated, control = arms[1], arms[0]
    estimate = statistics.mean(treated) - statistics.mean(control)
    se = (statistics.variance(treated) / len(treated)
          + statistics.variance(control) / len(control)) ** 0.5
    return (estimate, estimate - 1.96 * se, estimate + 1.96 * se)


# %% nbgrader={"grade_id": "q4_answer"}
def ipw_ate(y, t, e):
    sums = {"treated": [0.0, 0.0], "control": [0.0, 0.0]}  # weighted outcomes, weights
    for outcome, treatment, score in zip(list(y), list(t), list(e)):
        outcome, score = float(outcome), float(score)
        if treatment:
            arm, weight = "treated", 1 / score
        else:
            arm, weight = "control", 1 / (1 - score)
        sums[arm][0] += weight * outcome
        sums[arm][1] += weight
    return sums["treated"][0] / sums["treated"][1] - sums["control"][0] / sums["control"][1]
