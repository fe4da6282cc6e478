# %% [markdown]
# The hazard ratio and its Wald interval computed from the coefficient and its standard error with z = 1.96 (lifelines uses norm.ppf(0.975) = 1.95996...), returned as a tuple; the median from idxmax.

# %% nbgrader={"grade_id": "q2_answer"}
def median_survival(survival):
    at_or_below = survival <= 0.5
    if not at_or_below.any():
        return math.inf
    return float(at_or_below.idxmax())


# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter().fit(design, duration_col=duration_col, event_col=event_col)
    coef = cox.params_[covariate]
    se = cox.standard_errors_[covariate]
    return (math.exp(coef), math.exp(coef - 1.96 * se), math.exp(coef + 1.96 * se))
