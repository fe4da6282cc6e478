# %% [markdown]
# Cox model fitted on the one covariate alone, so the hazard ratio is not adjusted for the others.

# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter().fit(design[[covariate, duration_col, event_col]],
                            duration_col=duration_col, event_col=event_col)
    row = cox.summary.loc[covariate]
    return (float(row["exp(coef)"]), float(row["exp(coef) lower 95%"]),
            float(row["exp(coef) upper 95%"]))
