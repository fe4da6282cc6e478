# %% [markdown]
# For the birth-year release, the attacker's table is generalised with the k-anonymous release's
# levels, not the way this release was generalised.

# %% nbgrader={"grade_id": "q3_answer"}
LINK_ON = ["birth_date", "sex", "postcode"]


def reidentification_rate(release, outside, quasi_identifiers, true_links):
    """Share of release records that an attacker's unique, correct matches re-identify."""
    left = outside[quasi_identifiers].rename_axis("person").reset_index()
    right = release[quasi_identifiers].rename_axis("record").reset_index()
    matches = left.merge(right, on=quasi_identifiers)
    per_person = matches.groupby("person")["record"].transform("size")
    claims = matches[per_person == 1]
    truth = pd.Series(true_links).reindex(claims["person"]).to_numpy()
    correct = int((truth == claims["record"].to_numpy()).sum())
    return correct / len(release)


# rate_identifiers_dropped, rate_birth_year, rate_k_anonymous
rate_identifiers_dropped = reidentification_rate(
    patients.drop(columns=DIRECT_IDENTIFIERS), outside, LINK_ON, TRUE_LINKS)
rate_birth_year = reidentification_rate(
    pseudonymise(patients, 1, 5, KEY), generalise(outside, BIRTH_BAND, POSTCODE_DIGITS), LINK_ON, TRUE_LINKS)
rate_k_anonymous = reidentification_rate(
    k_release, generalise(outside, BIRTH_BAND, POSTCODE_DIGITS), LINK_ON, TRUE_LINKS)
print("share of the released records that the linkage attack re-identifies:")
print(f"  identifiers dropped:       {rate_identifiers_dropped:6.1%}")
print(f"  birth year, full postcode: {rate_birth_year:6.1%}")
print(f"  k-anonymous release:       {rate_k_anonymous:6.1%}")
