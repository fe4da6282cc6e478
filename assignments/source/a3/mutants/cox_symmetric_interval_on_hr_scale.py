# %% [markdown]
# Cox model whose interval is hr ± 1.96 × se(coef), on the hazard-ratio scale, instead of exp(coef ± 1.96 × se).

# %% nbgrader={"grade_id": "q3_answer"}
def hazard_ratio(design, covariate, duration_col="years", event_col="event"):
    cox = CoxPHFitter().fit(design, duration_col=duration_col, event_col=event_col)
    row = cox.summary.loc[covariate]
    hr, se = float(row["exp(coef)"]), float(row["se(coef)"])
    return hr, hr - 1.96 * se, hr + 1.96 * se
