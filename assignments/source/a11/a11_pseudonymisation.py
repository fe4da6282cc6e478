# %% [markdown]
# # Assignment 11 · A pseudonymised release that keeps its promise
#
# **Module:** AI diagnosis and prediction · **Lesson:** dx08 Pseudonymising hospital
# data · **Points:** 15
#
# A university hospital has been asked by a research team for its admissions of 2024, to build
# a model that predicts, at discharge, an unplanned readmission within 30 days. Under 「개인정보 보호법」
# (the Personal Information Protection Act, Articles 28-2 to 28-7) the hospital may provide
# **pseudonymised** data (가명정보) for scientific research without the patients' consent, but
# only if nobody can identify a patient from the release without additional information that
# the hospital keeps apart, and only after an **adequacy review** (적정성 검토) of the
# pseudonymisation. The hospital's data protection officer promises the review committee one
# number: *no released record can be re-identified with a probability above 20%*. You will
# build the release, check that promise the way an attacker would break it, and measure what
# the research team loses. A release that breaks its promise exposes patients' diagnoses and
# the hospital to sanctions; a release that generalises far more than it needs to leaves the
# researchers with data too coarse to learn from.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. NumPy, pandas and scikit-learn are allowed. Do not change
# the locked cells. Run every cell top to bottom before you submit. The cells with `assert` are
# the public tests; more (hidden) tests run when your work is graded, on **other tables** (other
# seeds of the dataset and small hand-made tables), so write general code that uses its
# arguments, not the global variables of this notebook, and test edge cases yourself.
#
# **Conventions.** A *direct identifier* names a person on its own (name, resident registration
# number, phone number, hospital patient number). A *quasi-identifier* does not, but can in
# combination with others and with outside data (birth date, sex, postcode, admission date).
# Records with equal values of all the quasi-identifiers form an **equivalence class**. A
# release's rows keep the **index of the patient's row** in `patients`: the hospital keeps it to
# grade the attack, a real file would not carry it.
#
# **Data.** `hospital_release` (lesson dx08): 5,000 index admissions of 2024 at a fictional
# hospital, and an attacker's `outside` table of 8,000 people (a leaked membership list of a
# regional health club with names, birth dates, sex and addresses); half of the patients are in
# it. Every person, number, district and postcode is fake; the true links between the two tables
# are known, so you can count exactly how many patients an attack re-identifies.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import hashlib
import hmac
import math

import numpy as np
import pandas as pd
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from medai import datasets

data = datasets.load("hospital_release", seed=0)
patients = data["patients"]  # the hospital's own table: identifiers and all
outside = data["outside"]  # the attacker's table


def true_links_of(dataset):
    """outside row label -> patients row label of the same person (answer key, for grading)."""
    links = dataset.ground_truth["links"]
    row_of_patient = pd.Series(dataset["patients"].index, index=dataset["patients"]["patient_id"])
    row_of_member = pd.Series(dataset["outside"].index, index=dataset["outside"]["outside_id"])
    return pd.Series(row_of_patient[links["patient_id"]].to_numpy(),
                     index=row_of_member[links["outside_id"]].to_numpy()).sort_index()


TRUE_LINKS = true_links_of(data)
DIRECT_IDENTIFIERS = ["patient_id", "name", "rrn", "phone"]
QUASI_IDENTIFIERS = ["birth_date", "sex", "postcode", "admission_date"]
OUTCOME = "readmit_30d"
RELEASE_COLUMNS = ["pseudonym", "birth_date", "sex", "postcode", "admission_date", "diagnosis",
                   "length_of_stay", "prior_admissions", "hemoglobin", "creatinine", "albumin",
                   "crp", OUTCOME]
KEY = b"kept-by-the-hospital-never-released"  # in practice 32 random bytes, stored apart

RISK_THRESHOLD = 0.2  # the promise: no record re-identifiable with probability above 20%
BIRTH_BAND = 10  # the hospital's generalisation: 10-year birth bands ...
POSTCODE_DIGITS = 3  # ... and the district (first three postcode digits)

# one split of the patients for Question 4 (rows of `patients`), the same for every model
train_rows, test_rows = train_test_split(patients.index.to_numpy(), test_size=0.3,
                                         stratify=patients[OUTCOME], random_state=0)


def new_model():
    """The research team's model: one-hot text columns, scaled numbers, logistic regression."""
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"),
         make_column_selector(dtype_include=[object, "string"])),
        remainder=StandardScaler())
    return make_pipeline(encode, LogisticRegression(max_iter=2000))


print(f"patients: {len(patients)} rows, columns: {', '.join(patients.columns)}")
print(f"outside: {len(outside)} rows, columns: {', '.join(outside.columns)}")
print(f"{len(TRUE_LINKS)} people are in both tables")
patients.head(3)

# %% [markdown]
# ## Question 1 · Generalise, then pseudonymise (3 points)
#
# **Generalisation** replaces a value by a coarser one from a stated hierarchy, the same for
# every record, so that more people share it. Write `generalise(table, birth_band,
# postcode_digits)`. `table` is any DataFrame with the columns `birth_date` (datetime),
# `sex` and `postcode` (a 5-digit string), perhaps `admission_date` (datetime), and perhaps
# other columns (the `outside` table has no admission date). Return a **new** DataFrame
# (leave `table` unchanged) with the same index and the same columns in the same order, in
# which
#
# * `birth_date` becomes the first year of its `birth_band`-year band, an integer:
#   `year - year % birth_band` (born 1957-03-02: 1950 with `birth_band=10`, 1955 with 5, 1957
#   with 1);
# * `postcode` keeps its first `postcode_digits` digits and every other digit becomes `*`
#   (`"69204"` becomes `"692**"` with 3 digits, `"69204"` with 5, `"*****"` with 0);
# * `admission_date`, if the table has it, becomes its year and quarter as a string such as
#   `"2024Q1"` (January to March) or `"2024Q4"`;
# * every other column is unchanged.
#
# Then write `pseudonymise(patients, birth_band, postcode_digits, key)`, the table the
# hospital would hand to the research team: `generalise(patients, birth_band,
# postcode_digits)` with **exactly the columns `RELEASE_COLUMNS`, in that order**, and the same
# index. Its first column, `pseudonym`, replaces the record number: the first 16 hexadecimal
# characters of the HMAC-SHA256 of the patient's `patient_id` under the secret `key`,
# `hmac.new(key, patient_id.encode(), hashlib.sha256).hexdigest()[:16]`. Only the hospital,
# which keeps the key apart (the *additional information*, 추가정보, of the Act), can link a
# pseudonym back to a patient; an unkeyed hash of a record number could be reversed by anyone
# who hashes every possible number. Every other column is dropped: the direct identifiers, and
# columns that would undo the generalisation (`age` and the admission date give the birth
# year back, `dong` and `sigungu` repeat the address, `discharge_date` minus `length_of_stay`
# gives the exact admission day).

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def generalise(table, birth_band, postcode_digits):
    """Coarsen birth date (band start year), postcode (first digits) and admission (quarter)."""
    ### BEGIN SOLUTION
    coarse = table.copy()
    year = coarse["birth_date"].dt.year
    coarse["birth_date"] = year - year % birth_band
    coarse["postcode"] = coarse["postcode"].str[:postcode_digits] + "*" * (5 - postcode_digits)
    if "admission_date" in coarse.columns:
        coarse["admission_date"] = coarse["admission_date"].dt.to_period("Q").astype(str)
    return coarse
    ### END SOLUTION


def pseudonymise(patients, birth_band, postcode_digits, key):
    """The release: generalised quasi-identifiers, a keyed pseudonym, RELEASE_COLUMNS only."""
    ### BEGIN SOLUTION
    release = generalise(patients, birth_band, postcode_digits)
    release["pseudonym"] = [hmac.new(key, str(pid).encode(), hashlib.sha256).hexdigest()[:16]
                            for pid in patients["patient_id"]]
    return release[RELEASE_COLUMNS]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
example = pd.DataFrame({
    "name": ["A", "B", "C"],
    "birth_date": pd.to_datetime(["1957-03-02", "1960-12-31", "1949-01-01"]),
    "sex": ["F", "M", "F"], "postcode": ["69204", "69512", "69101"],
    "admission_date": pd.to_datetime(["2024-01-15", "2024-04-01", "2024-12-31"]),
}, index=[7, 3, 5])
example_copy = example.copy()
coarse = generalise(example, 10, 3)
pd.testing.assert_frame_equal(example, example_copy, obj="generalise's input (do not modify it)")
assert list(coarse.columns) == list(example.columns), (
    "keep the same columns in the same order: replace birth_date, postcode and admission_date "
    "by their generalised values, do not add columns beside them (a birth year next to the full "
    "birth date generalises nothing)"
)
assert list(coarse.index) == [7, 3, 5], "keep the table's index"
assert [int(v) for v in coarse["birth_date"]] == [1950, 1960, 1940], (
    "birth_date must become the FIRST year of its band, year - year % birth_band (1957 -> 1950 "
    "with 10-year bands; rounding to the nearest band start would give 1960)"
)
assert list(coarse["postcode"]) == ["692**", "695**", "691**"], (
    "postcode keeps its first postcode_digits digits, the rest become '*' (69204 -> 692**)"
)
assert list(coarse["admission_date"]) == ["2024Q1", "2024Q2", "2024Q4"], (
    "admission_date becomes year and quarter, e.g. '2024Q1'"
)
assert coarse["name"].tolist() == ["A", "B", "C"], "other columns are unchanged"
assert list(generalise(example, 1, 5)["postcode"]) == ["69204", "69512", "69101"]
released = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
assert list(released.columns) == RELEASE_COLUMNS, (
    f"the release needs exactly RELEASE_COLUMNS, in order; you have {list(released.columns)}"
)
assert released.index.equals(patients.index), "the release keeps the patients' index"
first_id = patients["patient_id"].iloc[0]
assert released["pseudonym"].iloc[0] != hashlib.sha256(first_id.encode()).hexdigest()[:16], (
    "an unkeyed SHA-256 of the record number can be reversed by hashing every possible number: "
    "use hmac.new(key, ...) with the secret key"
)
assert released["pseudonym"].iloc[0] == (
    hmac.new(KEY, first_id.encode(), hashlib.sha256).hexdigest()[:16]
), "pseudonym: the first 16 hex characters of HMAC-SHA256(key, patient_id)"
print(released.head(3).to_string())
print("Public tests passed. Hidden tests use other tables, bands and keys.")
### BEGIN HIDDEN TESTS
_small = datasets.load("hospital_release", n_patients=400, n_outside=600, seed=3)
_p1 = _small["patients"].set_index(pd.Index(np.arange(1000, 1400)))
_p1_copy = _p1.copy()
for _band, _digits in [(1, 5), (5, 3), (20, 0), (7, 2)]:
    _g = generalise(_p1, _band, _digits)
    pd.testing.assert_frame_equal(_p1, _p1_copy, obj="generalise must not change its input")
    assert list(_g.columns) == list(_p1.columns) and _g.index.equals(_p1.index)
    _years = _p1["birth_date"].dt.year
    _starts = (_years - _years % _band).to_numpy()
    assert (_g["birth_date"].astype(int).to_numpy() == _starts).all(), (
        f"wrong birth band start with birth_band={_band}"
    )
    assert (_g["postcode"] == _p1["postcode"].str[:_digits] + "*" * (5 - _digits)).all(), (
        f"wrong postcode with postcode_digits={_digits}"
    )
    _q = "2024Q" + ((_p1["admission_date"].dt.month - 1) // 3 + 1).astype(str)
    assert (_g["admission_date"].astype(str) == _q).all(), "admission quarter"
    _kept = [c for c in _p1.columns if c not in ("birth_date", "postcode", "admission_date")]
    pd.testing.assert_frame_equal(_g[_kept], _p1[_kept], obj="the columns left unchanged")
_o1 = _small["outside"]
_go = generalise(_o1, 5, 3)
assert list(_go.columns) == list(_o1.columns), "a table without admission_date must work too"
assert (_go["birth_date"].astype(int) == _o1["birth_date"].dt.year // 5 * 5).all()
_key = b"another key"
_r1 = pseudonymise(_p1, 5, 4, _key)
assert list(_r1.columns) == RELEASE_COLUMNS and _r1.index.equals(_p1.index), (
    "pseudonymise must keep exactly RELEASE_COLUMNS (drop age, dong, sigungu, discharge_date...)"
)
_expected_ps = [hmac.new(_key, _i.encode(), hashlib.sha256).hexdigest()[:16]
                for _i in _p1["patient_id"]]
assert _r1["pseudonym"].tolist() == _expected_ps, "pseudonym must use the key it is given"
assert (_r1["postcode"] == _p1["postcode"].str[:4] + "*").all()
assert (_r1["birth_date"].astype(int) == _p1["birth_date"].dt.year // 5 * 5).all()
pd.testing.assert_frame_equal(_p1, _p1_copy, obj="pseudonymise must not change its input")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · k-anonymity at the promised risk (3 points)
#
# An attacker who knows a patient's quasi-identifiers can narrow the release down to that
# patient's equivalence class, and no further: in a class of `c` records, a guess is right with
# probability `1/c`. A release is **k-anonymous** when every class holds at least `k` records,
# so no record can be re-identified with a probability above `1/k` (the "prosecutor" model of
# risk, the strictest of the usual three). Write, for a DataFrame `table` and a list of column
# names `quasi_identifiers`:
#
# 1. `k_anonymity(table, quasi_identifiers)`: the size of the **smallest** equivalence class,
#    an `int` (the table is not empty);
# 2. `share_at_risk(table, quasi_identifiers, k)`: the share of **records** (not of classes)
#    that are in a class of fewer than `k` records, a `float` from 0 to 1;
# 3. `required_k(risk_threshold)`: the smallest integer `k` whose risk `1/k` is at most
#    `risk_threshold` (0.2 gives 5, 0.3 gives 4, 0.5 gives 2);
# 4. `suppress(table, quasi_identifiers, k)`: `table` without the records of the classes of
#    fewer than `k` records, and nothing else removed: the same columns, the remaining rows in
#    their order with their index. Removing only those records is the smallest suppression that
#    makes this generalisation k-anonymous.
#
# Then build `k_release`: `pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)` after
# suppression, k-anonymous on **all** the `QUASI_IDENTIFIERS` for the `k` that
# `RISK_THRESHOLD` requires.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def k_anonymity(table, quasi_identifiers):
    """The size of the smallest equivalence class."""
    ### BEGIN SOLUTION
    return int(table.groupby(quasi_identifiers).size().min())
    ### END SOLUTION


def share_at_risk(table, quasi_identifiers, k):
    """Share of records whose equivalence class has fewer than k records."""
    ### BEGIN SOLUTION
    sizes = table.groupby(quasi_identifiers)[quasi_identifiers[0]].transform("size")
    return float((sizes < k).mean())
    ### END SOLUTION


def required_k(risk_threshold):
    """The smallest integer k with 1/k <= risk_threshold."""
    ### BEGIN SOLUTION
    k = max(1, math.floor(1 / risk_threshold))
    while 1 / k > risk_threshold:
        k += 1
    return k
    ### END SOLUTION


def suppress(table, quasi_identifiers, k):
    """Drop the records of equivalence classes smaller than k; keep everything else."""
    ### BEGIN SOLUTION
    sizes = table.groupby(quasi_identifiers)[quasi_identifiers[0]].transform("size")
    return table[sizes >= k]
    ### END SOLUTION


k_required = required_k(RISK_THRESHOLD)
# k_release = ...
### BEGIN SOLUTION
k_release = suppress(pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY),
                     QUASI_IDENTIFIERS, k_required)
### END SOLUTION
print(f"k required: {k_required}; released {len(k_release)} of {len(patients)} records "
      f"({1 - len(k_release) / len(patients):.1%} suppressed)")

# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
toy = pd.DataFrame({"age_band": [40, 40, 40, 40, 40, 50, 50, 60],
                    "sex": ["F", "F", "F", "F", "M", "M", "M", "F"],
                    "dx": ["I50", "J18", "I50", "C34", "I50", "C34", "K35", "K35"]},
                   index=[9, 8, 7, 6, 5, 4, 3, 2])
assert k_anonymity(toy, ["age_band", "sex"]) == 1, (
    "k is the size of the SMALLEST class (here (40, M) and (60, F) have one record each), not "
    "the mean (2) or the median class size"
)
assert isinstance(k_anonymity(toy, ["age_band", "sex"]), int), "return k as an int"
assert k_anonymity(toy, ["age_band"]) == 1 and k_anonymity(toy.iloc[:7], ["age_band"]) == 2
assert math.isclose(share_at_risk(toy, ["age_band", "sex"], 2), 2 / 8), (
    "2 of the 8 RECORDS are in classes smaller than 2 (you may have counted classes: 2 of 4)"
)
assert math.isclose(share_at_risk(toy, ["age_band", "sex"], 3), 4 / 8), (
    "with k = 3 the class (50, M) of exactly k - 1 = 2 records is at risk too: 4 of 8 records"
)
assert required_k(0.2) == 5, "risk 1/k <= 0.2 needs k >= 5"
assert required_k(0.3) == 4, "1/3 = 0.33 is above 0.3: k = 4 is the smallest k with 1/k <= 0.3"
kept = suppress(toy, ["age_band", "sex"], 2)
assert len(kept) == 6, (
    f"suppress with k = 2 should keep 6 records, kept {len(kept)}: remove the records of classes "
    "SMALLER than k, and only those (a class of exactly k records stays)"
)
assert list(kept.index) == [9, 8, 7, 6, 4, 3], (
    "keep the remaining rows in their order with their index (the index says which patient a "
    "row is)"
)
assert list(kept.columns) == list(toy.columns), "suppress keeps every column"
assert k_required == 5
assert k_anonymity(k_release, QUASI_IDENTIFIERS) >= 5, (
    "k_release is not 5-anonymous on all of QUASI_IDENTIFIERS: did you leave one out?"
)
assert list(k_release.columns) == RELEASE_COLUMNS, "k_release is a pseudonymised release"
full = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
print(f"before suppression: k = {k_anonymity(full, QUASI_IDENTIFIERS)}, "
      f"{share_at_risk(full, QUASI_IDENTIFIERS, 5):.1%} of records at risk; "
      f"after: k = {k_anonymity(k_release, QUASI_IDENTIFIERS)}")
print("Public tests passed. Hidden tests use other tables and thresholds.")
### BEGIN HIDDEN TESTS
_small = datasets.load("hospital_release", n_patients=400, n_outside=600, seed=3)


def _sizes2(_t, _qi):
    return _t.groupby(_qi)[_qi[0]].transform("size")


for _th, _k in [(0.2, 5), (0.3, 4), (0.5, 2), (1.0, 1), (0.1, 10), (0.09, 12), (1 / 3, 3),
                (0.05, 20), (0.25, 4), (0.34, 3)]:
    assert required_k(_th) == _k and 1 / required_k(_th) <= _th, (
        f"required_k({_th}) should be {_k}"
    )
assert isinstance(required_k(0.2), (int, np.integer))
_t2 = pseudonymise(_small["patients"], 5, 3, b"x")
_t2 = _t2.set_index(pd.Index(np.arange(400)[::-1] * 3))
for _qi in [QUASI_IDENTIFIERS, ["birth_date", "sex"], ["postcode"]]:
    _s = _sizes2(_t2, _qi)
    assert k_anonymity(_t2, _qi) == int(_s.min())
    for _k in [1, 2, 3, 5, 11]:
        assert math.isclose(share_at_risk(_t2, _qi, _k), float((_s < _k).mean())), (
            f"share_at_risk wrong for k={_k}"
        )
        _kept2 = suppress(_t2, _qi, _k)
        pd.testing.assert_frame_equal(_kept2, _t2[_s >= _k], obj=f"suppress(k={_k})")
_expected2 = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
_expected2 = _expected2[_sizes2(_expected2, QUASI_IDENTIFIERS) >= 5]
pd.testing.assert_frame_equal(k_release, _expected2, obj="k_release (minimal suppression, k = 5)")
_single = pd.DataFrame({"a": [1, 1, 1], "b": ["x", "x", "x"]})
assert k_anonymity(_single, ["a", "b"]) == 3 and share_at_risk(_single, ["a"], 3) == 0.0
_none = suppress(_single, ["a"], 4)
assert len(_none) == 0 and list(_none.columns) == ["a", "b"]
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · The linkage attack, before and after (3 points)
#
# The attacker holds `outside`: names with birth date, sex and postcode. The hierarchies of a
# release are published with it, so the attacker can generalise `outside` the same way. Write
# `reidentification_rate(release, outside, quasi_identifiers, true_links)`:
#
# * for every person (row) of `outside`, find the records of `release` with the same values in
#   **all** the columns `quasi_identifiers`;
# * the attacker **claims** a record only when **exactly one** record matches (with two or more
#   the attacker cannot tell which, with none there is nothing to claim);
# * a claim is a **re-identification** only if it is correct: `true_links` is a Series from the
#   row label of an `outside` person to the row label of that person's record (the index of
#   `release` is the patients' index); people who are not patients are not in `true_links`;
# * return the number of re-identifications divided by the number of **records in `release`**:
#   the share of the published records that the attack re-identifies.
#
# Then compute three rates, linking on `LINK_ON` (the quasi-identifiers that `outside` has):
#
# * `rate_identifiers_dropped`: the release is `patients` without the `DIRECT_IDENTIFIERS`, no
#   generalisation, attacked with `outside` as it is;
# * `rate_birth_year`: the release is `pseudonymise(patients, 1, 5, KEY)` (birth year instead of
#   birth date, full postcode), no suppression;
# * `rate_k_anonymous`: the release is your `k_release`.
#
# Each time, the attacker generalises `outside` exactly as the release was generalised.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
LINK_ON = ["birth_date", "sex", "postcode"]


def reidentification_rate(release, outside, quasi_identifiers, true_links):
    """Share of release records that an attacker's unique, correct matches re-identify."""
    ### BEGIN SOLUTION
    left = outside[quasi_identifiers].rename_axis("person").reset_index()
    right = release[quasi_identifiers].rename_axis("record").reset_index()
    matches = left.merge(right, on=quasi_identifiers)
    per_person = matches.groupby("person")["record"].transform("size")
    claims = matches[per_person == 1]
    truth = pd.Series(true_links).reindex(claims["person"]).to_numpy()
    correct = int((truth == claims["record"].to_numpy()).sum())
    return correct / len(release)
    ### END SOLUTION


# rate_identifiers_dropped, rate_birth_year, rate_k_anonymous
### BEGIN SOLUTION
rate_identifiers_dropped = reidentification_rate(
    patients.drop(columns=DIRECT_IDENTIFIERS), outside, LINK_ON, TRUE_LINKS)
rate_birth_year = reidentification_rate(
    pseudonymise(patients, 1, 5, KEY), generalise(outside, 1, 5), LINK_ON, TRUE_LINKS)
rate_k_anonymous = reidentification_rate(
    k_release, generalise(outside, BIRTH_BAND, POSTCODE_DIGITS), LINK_ON, TRUE_LINKS)
### END SOLUTION
print("share of the released records that the linkage attack re-identifies:")
print(f"  identifiers dropped:       {rate_identifiers_dropped:6.1%}")
print(f"  birth year, full postcode: {rate_birth_year:6.1%}")
print(f"  k-anonymous release:       {rate_k_anonymous:6.1%}")

# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
toy_release = pd.DataFrame({"birth_date": [1950, 1960, 1960, 1970, 1980, 1990],
                            "sex": ["F", "M", "M", "M", "F", "F"]},
                           index=[100, 101, 102, 103, 104, 105])
toy_outside = pd.DataFrame({"birth_date": [1950, 1950, 1960, 1970, 1980, 2000, 1950],
                            "sex": ["F", "F", "M", "M", "F", "M", "F"]},
                           index=[10, 11, 12, 13, 14, 15, 16])
toy_links = pd.Series({10: 100, 12: 101, 13: 103, 14: 106})  # 106 was suppressed
toy_rate = reidentification_rate(toy_release, toy_outside, ["birth_date", "sex"], toy_links)
assert not math.isclose(toy_rate, 2 / 7), (
    "divide by the number of records in the release (6), not by the size of the outside table (7)"
)
assert not math.isclose(toy_rate, 5 / 6), (
    "5 people of the outside table have a unique match, but only 2 of those claims are right: "
    "check each claim against true_links"
)
assert not math.isclose(toy_rate, 3 / 6), (
    "person 12 matches two records (101 and 102): the attacker cannot tell which, so it is not "
    "a re-identification even though one of them is right"
)
assert math.isclose(toy_rate, 2 / 6), (
    f"expected 2/6: persons 10 and 13 are re-identified; got {toy_rate:.3f}"
)
assert rate_identifiers_dropped > 0.4, (
    "with only the direct identifiers dropped, birth date, sex and postcode re-identify over 40% "
    "of the records; check the join on LINK_ON"
)
assert 0.05 < rate_birth_year < rate_identifiers_dropped, (
    "with birth year and full postcode the attack still re-identifies some records: did you "
    "generalise outside the same way as the release (generalise(outside, 1, 5))?"
)
assert rate_k_anonymous <= 1 / k_required, "the k-anonymous release breaks its promise"
print("Public tests passed. Hidden tests attack other tables.")
### BEGIN HIDDEN TESTS
_small = datasets.load("hospital_release", n_patients=400, n_outside=600, seed=3)


def _rate3(_rel, _out, _qi, _links):
    _m = (_out[_qi].rename_axis("p").reset_index()
          .merge(_rel[_qi].rename_axis("r").reset_index(), on=_qi))
    _m = _m[_m.groupby("p")["r"].transform("size") == 1]
    _t = pd.Series(_links).reindex(_m["p"]).to_numpy()
    return float((_t == _m["r"].to_numpy()).sum()) / len(_rel)


_links3 = true_links_of(_small)
_pat3 = _small["patients"]
for _band, _digits in [(1, 5), (2, 5), (1, 3), (5, 5)]:
    _rel3 = pseudonymise(_pat3, _band, _digits, b"k")
    _out3 = generalise(_small["outside"], _band, _digits)
    assert math.isclose(reidentification_rate(_rel3, _out3, LINK_ON, _links3),
                        _rate3(_rel3, _out3, LINK_ON, _links3)), (
        f"wrong rate on another table (birth_band={_band}, postcode_digits={_digits})"
    )
_raw3 = _pat3.drop(columns=DIRECT_IDENTIFIERS)
assert math.isclose(reidentification_rate(_raw3, _small["outside"], LINK_ON, _links3),
                    _rate3(_raw3, _small["outside"], LINK_ON, _links3))
_rel3b = toy_release.copy()
_out3b = toy_outside.loc[[13, 14, 15]]
assert math.isclose(reidentification_rate(_rel3b, _out3b, ["birth_date", "sex"], toy_links), 1 / 6)
assert reidentification_rate(_rel3b, toy_outside.loc[[15]], ["birth_date", "sex"],
                             toy_links) == 0, "no match, no re-identification"
_rel3c = toy_release.loc[[101, 102, 104]]
_out3c = pd.DataFrame({"birth_date": [1960, 1980, 1980], "sex": ["M", "F", "F"]},
                      index=[20, 21, 22])
assert math.isclose(reidentification_rate(_rel3c, _out3c, ["birth_date", "sex"],
                                          pd.Series({20: 101, 22: 104})), 1 / 3), (
    "two outside people claiming the same record: only the right one counts"
)
assert math.isclose(rate_identifiers_dropped,
                    _rate3(patients.drop(columns=DIRECT_IDENTIFIERS), outside, LINK_ON, TRUE_LINKS))
assert math.isclose(rate_birth_year, _rate3(pseudonymise(patients, 1, 5, KEY),
                                            generalise(outside, 1, 5), LINK_ON, TRUE_LINKS))
assert rate_k_anonymous == 0.0
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · What the researchers lose (3 points)
#
# Generalisation and suppression protect patients and cost information. Measure the cost on
# the task the research team has: predicting `readmit_30d`. Write `utility_auroc(train,
# test)`. `train` and `test` are pseudonymised tables (columns `RELEASE_COLUMNS`, any
# generalisation). Fit `new_model()` (given in the setup cell) on `train`, with **every column
# except `pseudonym` and the outcome `readmit_30d`** as the features and `readmit_30d` as the
# target, and return the AUROC of its predicted **probabilities** on `test`, a `float`.
#
# Then compare two models on **the same test patients** (`test_rows`, drawn once in the setup
# cell):
#
# * `auroc_fine`: trained and tested on `pseudonymise(patients, 1, 5, KEY)` (birth year, full
#   postcode), training rows `train_rows`, test rows `test_rows`;
# * `auroc_release`: trained on the records of `k_release` whose row label is in `train_rows`
#   (what the researchers receive), and tested on **all** the `test_rows` patients coded the
#   way the release is coded, `pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)`
#   (suppression is a rule for publishing, so a patient the model meets later is never
#   "suppressed");
# * `utility_lost = auroc_fine - auroc_release`.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def utility_auroc(train, test):
    """AUROC on test of new_model() fitted on train (features: all but pseudonym and outcome)."""
    ### BEGIN SOLUTION
    features = [c for c in train.columns if c not in ("pseudonym", OUTCOME)]
    model = new_model().fit(train[features], train[OUTCOME])
    return float(roc_auc_score(test[OUTCOME], model.predict_proba(test[features])[:, 1]))
    ### END SOLUTION


# auroc_fine, auroc_release
### BEGIN SOLUTION
fine = pseudonymise(patients, 1, 5, KEY)
auroc_fine = utility_auroc(fine.loc[train_rows], fine.loc[test_rows])
coded = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
auroc_release = utility_auroc(k_release[k_release.index.isin(train_rows)], coded.loc[test_rows])
### END SOLUTION
utility_lost = auroc_fine - auroc_release
print(f"AUROC trained on birth year and full postcode: {auroc_fine:.3f}")
print(f"AUROC trained on the k-anonymous release:      {auroc_release:.3f}")
print(f"utility lost: {utility_lost:+.3f} (AUROC of the true risk: "
      f"{data.ground_truth['oracle_auroc']:.3f})")

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
assert isinstance(auroc_fine, float) and isinstance(auroc_release, float)
assert auroc_fine < 0.9 and auroc_release < 0.9, (
    "an AUROC above 0.9 is too good to be true here (the true risk itself reaches about 0.75): "
    "is the outcome readmit_30d among your features, or did you test on training rows?"
)
assert auroc_fine > 0.65 and auroc_release > 0.65, (
    "an AUROC near 0.5 means the scores do not rank patients: did you score predicted classes "
    "(predict) instead of probabilities (predict_proba(...)[:, 1])?"
)
fine_table = pseudonymise(patients, 1, 5, KEY)
flipped = fine_table.loc[test_rows].assign(**{OUTCOME: 1 - fine_table.loc[test_rows, OUTCOME]})
assert math.isclose(utility_auroc(fine_table.loc[train_rows], flipped), 1 - auroc_fine,
                    abs_tol=1e-3), (
    "with the test labels flipped the AUROC must become 1 - auroc_fine: fit on train only, and "
    "only score test (did you fit on the test table?)"
)
assert auroc_release <= auroc_fine + 0.02, (
    f"auroc_release {auroc_release:.3f} is implausible next to auroc_fine {auroc_fine:.3f}"
)
assert math.isclose(utility_lost, auroc_fine - auroc_release), (
    "utility_lost = auroc_fine - auroc_release"
)
assert abs(utility_lost) < 0.05, (
    "utility_lost is far larger than expected: compare the two models on the same test patients"
)
print("Public tests passed. Hidden tests refit your models on other tables.")
### BEGIN HIDDEN TESTS
_small = datasets.load("hospital_release", n_patients=400, n_outside=600, seed=3)


def _auroc4(_train, _test):
    _f = [_c for _c in _train.columns if _c not in ("pseudonym", OUTCOME)]
    _m = new_model().fit(_train[_f], _train[OUTCOME])
    return roc_auc_score(_test[OUTCOME], _m.predict_proba(_test[_f])[:, 1])


_fine4 = pseudonymise(patients, 1, 5, KEY)
assert math.isclose(auroc_fine, _auroc4(_fine4.loc[train_rows], _fine4.loc[test_rows]),
                    abs_tol=1e-3), "auroc_fine: train on train_rows, test on test_rows"
_coded4 = pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY)
_exp4 = _auroc4(k_release[k_release.index.isin(train_rows)], _coded4.loc[test_rows])
assert math.isclose(auroc_release, _exp4, abs_tol=1e-3), (
    "auroc_release: train on the k_release records of train_rows, test on ALL test_rows patients "
    "coded like the release (not only those that survived suppression)"
)
_small4 = pseudonymise(_small["patients"], 5, 3, b"y")
_tr4, _te4 = train_test_split(_small4.index.to_numpy(), test_size=0.4, random_state=2,
                              stratify=_small4[OUTCOME])
assert math.isclose(utility_auroc(_small4.loc[_tr4], _small4.loc[_te4]),
                    _auroc4(_small4.loc[_tr4], _small4.loc[_te4]), abs_tol=1e-3), (
    "utility_auroc differs from the specified model on another table"
)
# a model fitted on the test rows would score its own flipped labels: this one must not
_flipped4 = _small4.loc[_te4].assign(**{OUTCOME: 1 - _small4.loc[_te4, OUTCOME]})
assert math.isclose(utility_auroc(_small4.loc[_tr4], _flipped4),
                    1 - _auroc4(_small4.loc[_tr4], _small4.loc[_te4]), abs_tol=1e-3), (
    "utility_auroc must fit on train and only score test"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · What the adequacy review would ask (3 points, graded by hand)
#
# Before the hospital may hand `k_release` to the research team, the PIPC's pseudonymisation
# guideline asks for an **adequacy review** (적정성 검토) of the pseudonymisation, usually by a
# committee with outside experts (for health data, the hospital's data review board
# under the health-data guideline of the PIPC and the Ministry of Health and Welfare). In at
# most 250 words, write the questions that committee would ask of **this** release, and your
# answers, quoting your numbers (k, the share suppressed, the three re-identification rates,
# the utility lost). Cover:
#
# 1. the purpose and the columns: is each released column needed for the research, and is the
#    processing one the Act allows without consent (Article 28-2)?
# 2. the risk: what outside information a recipient could link to, what your attack shows, and
#    what k-anonymity does **not** protect against (think of a class in which every record has
#    the same diagnosis, of sensitive diagnoses such as HIV disease, and of what an attacker
#    might know beyond `outside`);
# 3. the environment and the safeguards after release: who holds the key, what the recipient
#    may and may not do, and what the hospital must record and check.
#
# **Rubric** (3 points)
#
# | points | the answer |
# |---|---|
# | 1 | states the purpose (scientific research on readmission, Article 28-2) and questions the necessity of each column (data minimisation), and quotes k = 5 (risk at most 1/5), the share suppressed and the three re-identification rates from the notebook with the utility lost |
# | 1 | names at least two limits of k-anonymity for this release: attribute disclosure when a class is homogeneous in the diagnosis (l-diversity), sensitive diagnoses (HIV disease, schizophrenia), an attacker who knows more (the admission date, a neighbour's stay, other tables), outliers and rare values, or the risk that the attack on the recipient's own data is not the one tested |
# | 1 | covers the environment and the safeguards: the HMAC key and the link table kept apart by the hospital (additional information, Article 28-4), a contract and a controlled analysis environment for the recipient, re-identification and onward linkage forbidden (Article 28-5, combination only through a designated combination agency under Article 28-3), records of the processing, retention and destruction, and a re-review if the data or the recipient change |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q5_adequacy_review", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer (reference numbers: k = 5, about 4.5% of records suppressed; re-identified
# about 48% with only the direct identifiers dropped, about 22% with birth year and full
# postcode, 0% for the k-anonymous release; AUROC lost about 0.001):
#
# * **Purpose and columns.** Readmission research is scientific research, so Article 28-2
#   allows pseudonymised processing without consent. Is every column needed? The laboratory
#   values, stay and diagnosis are; the admission quarter only if season matters; the
#   district, because rural residence changes the risk, but no finer address. The committee
#   would ask why the diagnosis is a three-character code rather than a group, given HIV
#   disease and schizophrenia in it.
# * **Risk.** The linkage attack with a realistic outside table re-identified half the
#   released records when only names and numbers were removed, a fifth with a birth year,
#   none at k = 5. But k-anonymity bounds identity disclosure only for the quasi-identifiers
#   tested: a class in which every record has the same diagnosis discloses it without any
#   re-identification (homogeneity; ask for l-diversity or t-closeness on the diagnosis: here
#   every class holds at least three diagnoses, but one may dominate a class), an
#   attacker who knows an admission date or a neighbour's stay has more quasi-identifiers,
#   rare diagnoses and extreme laboratory values act as identifiers, and the prosecutor model
#   assumes the attacker knows the person is in the data. What outside tables can this
#   recipient reach?
# * **Environment and safeguards.** The HMAC key and the link table stay with the hospital,
#   stored apart (Article 28-4); the recipient works in a controlled environment under a
#   contract forbidding re-identification, linkage with other data (combination only through a
#   designated combination agency, Article 28-3) and onward sharing (Article 28-5); the
#   hospital records the processing, sets a retention period and destruction, and repeats the
#   review if the data, the recipient or the outside world change. The utility cost (about
#   0.001 of AUROC) is small, so the generalisation is proportionate.
# ### END SOLUTION
