# %% [markdown]
# Cox model that returns the three numbers as a slice of the summary table (a pandas Series) instead of a tuple of floats.

# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter().fit(design, duration_col=duration_col, event_col=event_col)
    return cox.summary.loc[covariate, ["exp(coef)", "exp(coef) lower 95%", "exp(coef) upper 95%"]]
