# %% [markdown]
# NPV with false negatives weighted by (1 - prevalence) instead of prevalence.

# %% nbgrader={"grade_id": "q2_answer"}
def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    true_pos = sensitivity * prevalence
    false_pos = (1 - specificity) * (1 - prevalence)
    true_neg = specificity * (1 - prevalence)
    false_neg = (1 - sensitivity) * (1 - prevalence)
    return true_pos / (true_pos + false_pos), true_neg / (true_neg + false_neg)
