# %% [markdown]
# Cox model with the duration and event columns hard-coded as "years" and "event".

# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter().fit(design, duration_col="years", event_col="event")
    row = cox.summary.loc[covariate]
    return (float(row["exp(coef)"]), float(row["exp(coef) lower 95%"]),
            float(row["exp(coef) upper 95%"]))
