# %% [markdown]
# Cox model returning the coefficient (log hazard ratio) and its CI instead of exp(coef).

# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter().fit(design, duration_col=duration_col, event_col=event_col)
    row = cox.summary.loc[covariate]
    return float(row["coef"]), float(row["coef lower 95%"]), float(row["coef upper 95%"])
