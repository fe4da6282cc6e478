# %% [markdown]
# Cox model fitted with a small ridge penalty (penalizer=0.01) instead of lifelines' default unpenalised fit, which shrinks every hazard ratio towards 1.

# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter(penalizer=0.01).fit(design, duration_col=duration_col, event_col=event_col)
    row = cox.summary.loc[covariate]
    return (float(row["exp(coef)"]), float(row["exp(coef) lower 95%"]),
            float(row["exp(coef) upper 95%"]))
