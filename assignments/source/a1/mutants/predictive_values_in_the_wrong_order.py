# %% [markdown]
# Returns (NPV, PPV) instead of the tuple (PPV, NPV) the question asks for.

# %% nbgrader={"grade_id": "q2_answer"}
def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    true_pos = sensitivity * prevalence
    false_pos = (1 - specificity) * (1 - prevalence)
    true_neg = specificity * (1 - prevalence)
    false_neg = (1 - sensitivity) * prevalence
    return true_neg / (true_neg + false_neg), true_pos / (true_pos + false_pos)
