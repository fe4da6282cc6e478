# %% [markdown]
# Plain Python: string formatting and loops for the generalisation, collections.Counter for the
# class sizes, a while loop for k, a dictionary from quasi-identifier tuples to records for the
# attack, and the features chosen with drop().

# %% nbgrader={"grade_id": "q1_answer"}
from collections import Counter


def generalise(table, birth_band, postcode_digits):
    result = table.copy(deep=True)
    result["birth_date"] = [int(d.year // birth_band * birth_band) for d in table["birth_date"]]
    result["postcode"] = [str(p)[:postcode_digits].ljust(5, "*") for p in table["postcode"]]
    if "admission_date" in table:
        result["admission_date"] = [f"{d.year}Q{(d.month - 1) // 3 + 1}"
                                    for d in table["admission_date"]]
    return result


def pseudonymise(patients, birth_band, postcode_digits, key):
    coarse = generalise(patients, birth_band, postcode_digits)
    names = {pid: hmac.new(key, pid.encode("utf-8"), "sha256").hexdigest()[:16]
             for pid in patients["patient_id"]}
    coarse = coarse.assign(pseudonym=patients["patient_id"].map(names))
    return coarse.loc[:, RELEASE_COLUMNS]


# %% nbgrader={"grade_id": "q2_answer"}
def _keys(table, quasi_identifiers):
    return list(zip(*(table[c] for c in quasi_identifiers)))


def k_anonymity(table, quasi_identifiers):
    return min(Counter(_keys(table, quasi_identifiers)).values())


def share_at_risk(table, quasi_identifiers, k):
    keys = _keys(table, quasi_identifiers)
    counts = Counter(keys)
    return sum(counts[key] < k for key in keys) / len(keys)


def required_k(risk_threshold):
    k = 1
    while 1 / k > risk_threshold:
        k += 1
    return k


def suppress(table, quasi_identifiers, k):
    keys = _keys(table, quasi_identifiers)
    counts = Counter(keys)
    return table[[counts[key] >= k for key in keys]]


k_required = required_k(RISK_THRESHOLD)
k_release = suppress(pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY),
                     QUASI_IDENTIFIERS, k_required)
print(f"k required: {k_required}; released {len(k_release)} of {len(patients)} records")


# %% nbgrader={"grade_id": "q3_answer"}
LINK_ON = ["birth_date", "sex", "postcode"]


def reidentification_rate(release, outside, quasi_identifiers, true_links):
    records = {}
    for label, key in zip(release.index, _keys(release, quasi_identifiers)):
        records.setdefault(key, []).append(label)
    links = dict(true_links.items())
    hits = 0
    for person, key in zip(outside.index, _keys(outside, quasi_identifiers)):
        found = records.get(key, [])
        if len(found) == 1 and person in links and links[person] == found[0]:
            hits += 1
    return hits / len(release)


rate_identifiers_dropped = reidentification_rate(
    patients.drop(columns=DIRECT_IDENTIFIERS), outside, LINK_ON, TRUE_LINKS)
rate_birth_year = reidentification_rate(
    pseudonymise(patients, 1, 5, KEY), generalise(outside, 1, 5), LINK_ON, TRUE_LINKS)
rate_k_anonymous = reidentification_rate(
    k_release, generalise(outside, BIRTH_BAND, POSTCODE_DIGITS), LINK_ON, TRUE_LINKS)


# %% nbgrader={"grade_id": "q4_answer"}
def utility_auroc(train, test):
    model = new_model()
    model.fit(train.drop(columns=["pseudonym", OUTCOME]), train[OUTCOME])
    scores = model.predict_proba(test.drop(columns=["pseudonym", OUTCOME]))[:, 1]
    return float(roc_auc_score(test[OUTCOME].to_numpy(), scores))


fine = pseudonymise(patients, 1, 5, KEY)
auroc_fine = utility_auroc(fine.loc[train_rows], fine.loc[test_rows])
auroc_release = utility_auroc(k_release.loc[k_release.index.intersection(train_rows)],
                              pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY).loc[test_rows])
utility_lost = auroc_fine - auroc_release
