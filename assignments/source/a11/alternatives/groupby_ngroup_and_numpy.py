# %% [markdown]
# NumPy: the equivalence classes numbered with groupby().ngroup() and counted with np.bincount,
# the postcode built with a list comprehension, the pseudonym with hmac.HMAC objects, and the
# attack as a left join with an indicator of unique matches.

# %% nbgrader={"grade_id": "q1_answer"}
def generalise(table, birth_band, postcode_digits):
    new = table.copy()
    years = new["birth_date"].dt.year.to_numpy()
    new["birth_date"] = years - np.mod(years, birth_band)
    new["postcode"] = [code[:postcode_digits] + "*" * (len(code) - postcode_digits)
                       for code in new["postcode"]]
    if "admission_date" in new.columns:
        new["admission_date"] = [str(period) for period in new["admission_date"].dt.to_period("Q")]
    return new


def pseudonymise(patients, birth_band, postcode_digits, key):
    tokens = []
    for pid in patients["patient_id"]:
        mac = hmac.HMAC(key, digestmod=hashlib.sha256)
        mac.update(pid.encode())
        tokens.append(mac.hexdigest()[:16])
    generalised = generalise(patients, birth_band, postcode_digits)
    generalised["pseudonym"] = tokens
    return generalised[list(RELEASE_COLUMNS)].copy()


# %% nbgrader={"grade_id": "q2_answer"}
def _class_size(table, quasi_identifiers):
    group = table.groupby(quasi_identifiers, sort=False).ngroup().to_numpy()
    return np.bincount(group)[group]


def k_anonymity(table, quasi_identifiers):
    return int(_class_size(table, quasi_identifiers).min())


def share_at_risk(table, quasi_identifiers, k):
    return float((_class_size(table, quasi_identifiers) < k).sum() / len(table))


def required_k(risk_threshold):
    k = int(1 / risk_threshold)
    return k if k >= 1 and 1 / k <= risk_threshold else k + 1


def suppress(table, quasi_identifiers, k):
    return table.iloc[np.flatnonzero(_class_size(table, quasi_identifiers) >= k)]


k_required = required_k(RISK_THRESHOLD)
k_release = suppress(pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY),
                     QUASI_IDENTIFIERS, k_required)


# %% nbgrader={"grade_id": "q3_answer"}
LINK_ON = ["birth_date", "sex", "postcode"]


def reidentification_rate(release, outside, quasi_identifiers, true_links):
    joined = outside[quasi_identifiers].assign(person=outside.index).merge(
        release[quasi_identifiers].assign(record=release.index), how="left",
        on=quasi_identifiers)
    joined = joined.dropna(subset=["record"])
    unique = joined[~joined.duplicated("person", keep=False)]
    truth = unique["person"].map(true_links)
    return float((truth == unique["record"]).sum()) / release.shape[0]


rate_identifiers_dropped = reidentification_rate(
    patients.drop(columns=DIRECT_IDENTIFIERS), outside, LINK_ON, TRUE_LINKS)
rate_birth_year = reidentification_rate(
    pseudonymise(patients, 1, 5, KEY), generalise(outside, 1, 5), LINK_ON, TRUE_LINKS)
rate_k_anonymous = reidentification_rate(
    k_release, generalise(outside, BIRTH_BAND, POSTCODE_DIGITS), LINK_ON, TRUE_LINKS)


# %% nbgrader={"grade_id": "q4_answer"}
def utility_auroc(train, test):
    keep = [name for name in RELEASE_COLUMNS if name not in {"pseudonym", OUTCOME}]
    model = new_model()
    model.fit(train.loc[:, keep], train.loc[:, OUTCOME])
    return float(roc_auc_score(test.loc[:, OUTCOME], model.predict_proba(test.loc[:, keep])[:, 1]))


fine = pseudonymise(patients, 1, 5, KEY)
coded = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
in_train = np.isin(k_release.index.to_numpy(), train_rows)
auroc_fine = utility_auroc(fine.loc[train_rows], fine.loc[test_rows])
auroc_release = utility_auroc(k_release[in_train], coded.loc[test_rows])
utility_lost = auroc_fine - auroc_release
