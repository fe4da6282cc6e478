# %% [markdown]
# Vectorised pandas: integer division for the bands, str.pad for the postcode, quarter from
# dt.quarter, value_counts and merge for the class sizes, math.ceil for k, and an attack that
# counts matches with value_counts and checks them with a merge on the answer key.

# %% nbgrader={"grade_id": "q1_answer"}
def generalise(table, birth_band, postcode_digits):
    out = table.assign(birth_date=table["birth_date"].dt.year // birth_band * birth_band,
                       postcode=table["postcode"].str.slice(0, postcode_digits)
                       .str.pad(5, side="right", fillchar="*"))
    if "admission_date" in out:
        dates = table["admission_date"]
        out["admission_date"] = dates.dt.year.astype(str) + "Q" + dates.dt.quarter.astype(str)
    return out


def pseudonymise(patients, birth_band, postcode_digits, key):
    def token(pid):
        return hmac.digest(key, pid.encode(), hashlib.sha256).hex()[:16]

    release = generalise(patients, birth_band, postcode_digits)
    release.insert(0, "pseudonym", patients["patient_id"].map(token))
    return release.reindex(columns=RELEASE_COLUMNS)


# %% nbgrader={"grade_id": "q2_answer"}
def _sizes(table, quasi_identifiers):
    counts = table.value_counts(subset=quasi_identifiers).rename("n").reset_index()
    merged = table[quasi_identifiers].merge(counts, on=quasi_identifiers, how="left")
    return pd.Series(merged["n"].to_numpy(), index=table.index)


def k_anonymity(table, quasi_identifiers):
    return int(table.value_counts(subset=quasi_identifiers).min())


def share_at_risk(table, quasi_identifiers, k):
    return float(np.mean(_sizes(table, quasi_identifiers).to_numpy() < k))


def required_k(risk_threshold):
    return math.ceil(1 / risk_threshold)


def suppress(table, quasi_identifiers, k):
    return table.loc[_sizes(table, quasi_identifiers) >= k]


k_required = required_k(RISK_THRESHOLD)
release_all = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
k_release = suppress(release_all, QUASI_IDENTIFIERS, k_required)


# %% nbgrader={"grade_id": "q3_answer"}
LINK_ON = ["birth_date", "sex", "postcode"]


def reidentification_rate(release, outside, quasi_identifiers, true_links):
    n_matching = release.value_counts(subset=quasi_identifiers).rename("n_matching").reset_index()
    people = outside[quasi_identifiers].reset_index(names="person")
    people = people.merge(n_matching, on=quasi_identifiers, how="left")
    unique = people[people["n_matching"] == 1]
    claims = unique.merge(release[quasi_identifiers].reset_index(names="record"),
                          on=quasi_identifiers)
    answer = true_links.rename("truth").rename_axis("person").reset_index()
    checked = claims.merge(answer, on="person", how="inner")
    return float((checked["record"] == checked["truth"]).sum() / len(release))


rate_identifiers_dropped = reidentification_rate(
    patients.drop(columns=DIRECT_IDENTIFIERS), outside, LINK_ON, TRUE_LINKS)
attack_fine = generalise(outside, 1, 5)
rate_birth_year = reidentification_rate(pseudonymise(patients, 1, 5, KEY), attack_fine, LINK_ON,
                                        TRUE_LINKS)
attack_release = generalise(outside, BIRTH_BAND, POSTCODE_DIGITS)
rate_k_anonymous = reidentification_rate(k_release, attack_release, LINK_ON, TRUE_LINKS)


# %% nbgrader={"grade_id": "q4_answer"}
def utility_auroc(train, test):
    columns = train.columns.difference(["pseudonym", OUTCOME], sort=False)
    fitted = new_model().fit(train[columns], train[OUTCOME].to_numpy())
    probability = fitted.predict_proba(test[columns])[:, list(fitted.classes_).index(1)]
    return float(roc_auc_score(test[OUTCOME], probability))


train_set, test_set = set(train_rows.tolist()), list(test_rows)
fine = pseudonymise(patients, 1, 5, KEY)
auroc_fine = utility_auroc(fine.loc[list(train_rows)], fine.loc[test_set])
release_train = k_release[[label in train_set for label in k_release.index]]
auroc_release = utility_auroc(release_train, release_all.loc[test_set])
utility_lost = auroc_fine - auroc_release
