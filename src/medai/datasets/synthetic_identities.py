"""A synthetic hospital extract full of (fake) identifiers, and an outside table to link it to.

API (stable; later additions only add options whose defaults keep these outputs):
``medai.datasets.load("hospital_release", n_patients=5000, n_outside=8000, overlap=0.5,
seed=0)`` returns a ``TableDataset`` with three tables:

* ``data["patients"]``: one row per patient (one index admission in 2024) of a synthetic
  university hospital, RangeIndex, columns in this order:
  ``patient_id`` (hospital record number, "P000001"...), ``name`` (Korean name in Hangul,
  fake), ``rrn`` (resident-registration-number-like string "YYMMDD-GXXXXXX" whose check
  digit is deliberately WRONG, see :func:`rrn_checksum_ok`), ``phone`` ("010-XXXX-XXXX",
  random digits), ``sigungu`` (district, 시/군/구, fictional), ``dong`` (neighbourhood,
  동/읍/면, fictional), ``postcode`` (5-digit string; the first three digits identify the
  district), ``birth_date`` (datetime64), ``age`` (whole years at admission, int),
  ``sex`` ("F"/"M"), ``admission_date`` and ``discharge_date`` (datetime64, day
  resolution), ``length_of_stay`` (days, int >= 1), ``department`` (English name),
  ``diagnosis`` (principal diagnosis, KCD-8 = ICD-10 three-character code, e.g. "I50"),
  ``diagnosis_name`` (English), ``prior_admissions`` (admissions in the previous 12
  months, int), ``hemoglobin`` (g/dL), ``creatinine`` (mg/dL), ``albumin`` (g/dL),
  ``crp`` (mg/L), ``readmit_30d`` (unplanned readmission within 30 days of discharge,
  0/1: the outcome of the prediction task).
* ``data["outside"]``: a table an attacker could hold (a leaked membership list of a
  regional health club, in the spirit of the voter list of Sweeney's linkage), one row
  per person, columns ``outside_id`` ("O000001"...), ``name``, ``birth_date``, ``sex``,
  ``sigungu``, ``dong``, ``postcode``, ``phone``. ``round(overlap * n_patients)`` rows
  are patients (same name, birth date, sex and phone; 5% of them have since moved, so
  their address differs from the hospital's); the other rows are residents of the same
  districts who are not in the hospital table. Rows are in random order.
* ``data["regions"]``: the address hierarchy, one row per postcode: ``postcode``,
  ``dong``, ``sigungu``, ``sigungu_type`` ("gu" urban district or "gun" rural county),
  ``postcode3`` (first three digits); a generalisation hierarchy for addresses.

``ground_truth`` holds: ``links`` (DataFrame ``outside_id``, ``patient_id``, ``moved``
(bool): every true link between the two tables), ``readmission_model`` (intercept,
``coefficients``, ``features`` (how each feature is computed from the columns of
``patients``), ``diagnosis_log_odds``, ``rural_log_odds``, ``dong_log_odds``),
``readmission_risk`` (numpy array, true probability per patient row), ``oracle_auroc``
(AUROC of the true risk), ``diagnoses`` (code -> (department, English name, share)),
``rrn_note``, ``moved_fraction`` and the options. Generation is vectorised; the default
size loads in well under a second.

What is simulated, and why. The lesson on pseudonymisation (dx08) walks through the
Korean PIPC pseudonymisation guideline on a table that looks like a real hospital
extract: direct identifiers (name, RRN, phone, record number), quasi-identifiers (birth
date, sex, address, postcode, admission date) and sensitive attributes (diagnosis,
including HIV disease and schizophrenia). The outside table makes a linkage attack
possible, with the true links as the answer key, and the readmission outcome, drawn
from a known logistic model in which age, sex, region and clinical variables matter,
makes the utility lost by generalisation measurable. People, names, numbers, districts
and postcodes are all fake: district and neighbourhood names are invented, the postcode
prefixes 691-695 point at those fictional districts, and every RRN fails the official
check-digit test on purpose, so no value can be mistaken for a real person's. Diagnosis
codes and their names are real ICD-10 categories; shares, lab values and the
readmission model are plausible, not fitted to any data set.

Random streams: ``numpy.random.default_rng(seed).spawn(4)`` (people: names, dates,
addresses; clinical variables; the outcome; the outside table). The region layout (names,
postcodes, population weights, neighbourhood effects) comes from a fixed seed, so it is
the same for every ``seed``. numpy and pandas are imported inside the loader.
"""

from __future__ import annotations

from typing import Any

from medai.datasets.registry import DatasetOptionError, DatasetSpec, Option

NAME = "hospital_release"
REGION_SEED = 20240311  # fixed: the fictional districts never change
YEAR = 2024  # index admissions are spread uniformly over this year
MOVED_FRACTION = 0.05  # linked patients whose outside-table address is a new one
RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)  # the published check-digit weights
RRN_NOTE = (
    "The 13th digit of every rrn is (correct check digit + 1) mod 10, so every number "
    "fails the check-digit test: none is a valid resident registration number."
)

# Districts: (name, type, number of neighbourhoods, share of the catchment population).
DISTRICTS = (
    ("한빛구", "gu", 8, 0.27), ("누리구", "gu", 8, 0.24), ("새솔구", "gu", 7, 0.21),
    ("미르구", "gu", 7, 0.18), ("가람군", "gun", 6, 0.10),
)
POSTCODE_PREFIX = ("691", "692", "693", "694", "695")
DONG_STEMS = (
    "해오름", "달빛", "은행", "새터", "푸른", "큰골", "버들", "샘골", "솔밭", "노을",
    "별빛", "들꽃", "한결", "바람", "너울", "모래", "갈대", "안골", "윗말", "숲속",
    "햇살", "구름", "연꽃", "단풍", "샛별", "이슬", "소나무", "아람", "다솜", "가온",
    "나래", "온새", "미리내", "하늬", "도담", "라온",
)
SURNAMES = (  # common Korean surnames with rough population shares
    ("김", 0.215), ("이", 0.147), ("박", 0.084), ("최", 0.047), ("정", 0.043),
    ("강", 0.023), ("조", 0.021), ("윤", 0.021), ("장", 0.020), ("임", 0.017),
    ("한", 0.015), ("오", 0.015), ("서", 0.015), ("신", 0.014), ("권", 0.014),
    ("황", 0.014), ("안", 0.013), ("송", 0.013), ("전", 0.011), ("홍", 0.011),
)
GIVEN_FIRST = tuple("민서지현수영준은하도유성우예시주재태승정혜동상경")
GIVEN_SECOND = tuple("준연우민서호윤진아희영수훈원빈현은석철숙자")

# Principal diagnoses: code -> (department, English name, share of admissions).
DIAGNOSES = {
    "I21": ("cardiology", "acute myocardial infarction", 0.06),
    "I50": ("cardiology", "heart failure", 0.07),
    "I48": ("cardiology", "atrial fibrillation and flutter", 0.04),
    "J18": ("pulmonology", "pneumonia, organism unspecified", 0.10),
    "J44": ("pulmonology", "other chronic obstructive pulmonary disease", 0.05),
    "K74": ("gastroenterology", "fibrosis and cirrhosis of liver", 0.04),
    "K85": ("gastroenterology", "acute pancreatitis", 0.03),
    "N18": ("nephrology", "chronic kidney disease", 0.05),
    "C34": ("oncology", "malignant neoplasm of bronchus and lung", 0.05),
    "C16": ("oncology", "malignant neoplasm of stomach", 0.04),
    "C18": ("oncology", "malignant neoplasm of colon", 0.04),
    "I63": ("neurology", "cerebral infarction", 0.07),
    "G40": ("neurology", "epilepsy", 0.02),
    "S72": ("orthopaedics", "fracture of femur", 0.06),
    "M17": ("orthopaedics", "gonarthrosis (knee osteoarthritis)", 0.06),
    "K35": ("general surgery", "acute appendicitis", 0.05),
    "K80": ("general surgery", "cholelithiasis", 0.06),
    "A41": ("infectious diseases", "other sepsis", 0.04),
    "B20": ("infectious diseases", "HIV disease", 0.01),
    "F32": ("psychiatry", "depressive episode", 0.02),
    "F20": ("psychiatry", "schizophrenia", 0.02),
}
# Diagnosis-specific log-odds of readmission (added to the linear predictor; others 0).
DIAGNOSIS_LOG_ODDS = {
    "I50": 0.70, "J44": 0.60, "K74": 0.60, "N18": 0.50, "C34": 0.50, "C16": 0.30,
    "C18": 0.30, "A41": 0.40, "B20": 0.30, "F20": 0.40, "M17": -0.60, "K35": -0.80,
    "K80": -0.60, "S72": 0.0,
}
# Diagnoses that pull age down (mean age at admission) or change labs / stay.
AGE_MEAN = {"K35": 38.0, "F32": 45.0, "F20": 42.0, "B20": 44.0, "G40": 45.0, "K85": 52.0,
            "S72": 76.0, "M17": 70.0, "I50": 74.0, "J44": 72.0, "I63": 71.0}
AGE_DEFAULT = (64.0, 14.0)  # mean, sd of age at admission for the other diagnoses
MALE_SHARE = {"M17": 0.25, "S72": 0.35, "F32": 0.35, "C16": 0.65, "C34": 0.68,
              "K74": 0.70, "B20": 0.85, "I21": 0.72}
LOS_MEDIAN = {"I21": 5, "I50": 8, "I48": 4, "J18": 8, "J44": 9, "K74": 10, "K85": 8,
              "N18": 9, "C34": 11, "C16": 12, "C18": 12, "I63": 12, "G40": 5, "S72": 16,
              "M17": 9, "K35": 4, "K80": 5, "A41": 13, "B20": 10, "F32": 21, "F20": 30}
CREATININE_MEDIAN = {"N18": 3.2, "I50": 1.4, "A41": 1.6}
CRP_MEDIAN = {"J18": 80.0, "A41": 150.0, "K85": 120.0, "K35": 60.0, "K80": 25.0}

READMISSION_INTERCEPT = -2.6
READMISSION_COEFFICIENTS = {
    "age_per10": 0.25, "male": 0.15, "log_los": 0.40, "prior_admissions": 0.35,
    "albumin_dev": -0.70, "hemoglobin_dev": -0.10, "log_creatinine": 0.40,
    "winter": 0.20,
}
READMISSION_FEATURES = {
    "age_per10": "(age - 60) / 10, age in whole years at admission",
    "male": "1 if sex == 'M' else 0",
    "log_los": "log(length_of_stay / 7)",
    "prior_admissions": "prior_admissions (count in the previous 12 months)",
    "albumin_dev": "albumin - 3.8 (g/dL)",
    "hemoglobin_dev": "hemoglobin - 13 (g/dL)",
    "log_creatinine": "log(creatinine / 1.0 mg/dL)",
    "winter": "1 if the admission month is December, January or February",
}
RURAL_LOG_ODDS = 0.35  # living in the rural county (sigungu_type 'gun'): farther from care
DONG_EFFECT_SD = 0.30  # neighbourhood deprivation: a fixed N(0, 0.3) log-odds per dong

DATA_DICTIONARY = {
    "patients.patient_id": "hospital record number (a direct identifier), 'P' + 6 digits",
    "patients.name": "patient name in Hangul (fake; names are common, so not unique)",
    "patients.rrn": "resident-registration-number-like string YYMMDD-GXXXXXX: birth date, "
                    "a sex/century digit (1/2 born 1900-1999, 3/4 born 2000+, odd = male), "
                    "5 random digits and a deliberately wrong check digit (fake)",
    "patients.phone": "mobile number 010-XXXX-XXXX (random digits)",
    "patients.sigungu": "district of residence (시/군/구; fictional)",
    "patients.dong": "neighbourhood of residence (동/읍/면; fictional)",
    "patients.postcode": "5-digit postcode of residence (string); first 3 digits = district",
    "patients.birth_date": "date of birth",
    "patients.age": "age at admission, whole years",
    "patients.sex": "recorded sex, 'F' or 'M'",
    "patients.admission_date": f"date of the index admission ({YEAR})",
    "patients.discharge_date": "date of discharge (admission_date + length_of_stay)",
    "patients.length_of_stay": "length of stay, days (>= 1)",
    "patients.department": "admitting department",
    "patients.diagnosis": "principal diagnosis, KCD-8 / ICD-10 three-character category",
    "patients.diagnosis_name": "English name of the ICD-10 category",
    "patients.prior_admissions": "hospital admissions in the 12 months before, count",
    "patients.hemoglobin": "haemoglobin at admission, g/dL",
    "patients.creatinine": "serum creatinine at admission, mg/dL",
    "patients.albumin": "serum albumin at admission, g/dL",
    "patients.crp": "C-reactive protein at admission, mg/L",
    "patients.readmit_30d": "unplanned readmission within 30 days of discharge, 1 = yes",
    "outside.outside_id": "row identifier of the outside table, 'O' + 6 digits",
    "outside.name": "member's name",
    "outside.birth_date": "member's date of birth",
    "outside.sex": "'F' or 'M'",
    "outside.sigungu": "district of the member's address",
    "outside.dong": "neighbourhood of the member's address",
    "outside.postcode": "5-digit postcode of the member's address",
    "outside.phone": "member's mobile number",
    "regions.postcode": "5-digit postcode (one basic zone)",
    "regions.dong": "neighbourhood the zone belongs to",
    "regions.sigungu": "district the neighbourhood belongs to",
    "regions.sigungu_type": "'gu' (urban district) or 'gun' (rural county)",
    "regions.postcode3": "first three digits of the postcode (identifies the district)",
}


def rrn_check_digit(first12: str) -> int:
    """The official check digit of a 13-digit RRN from its first 12 digits."""
    total = sum(int(d) * w for d, w in zip(first12, RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def rrn_checksum_ok(rrn: str) -> bool:
    """True if ``rrn`` ("YYMMDD-GXXXXXX") passes the check-digit test; every fake one fails."""
    digits = rrn.replace("-", "")
    if len(digits) != 13 or not digits.isdigit():
        return False
    return rrn_check_digit(digits[:12]) == int(digits[12])


def _regions():
    """The fictional address hierarchy (fixed seed): postcodes, dongs, districts, weights."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(REGION_SEED)
    rows, stem = [], 0
    for (district, kind, n_dong, share), prefix in zip(DISTRICTS, POSTCODE_PREFIX,
                                                       strict=True):
        dong_share = rng.dirichlet(np.full(n_dong, 4.0)) * share
        zone = 0
        for j in range(n_dong):
            suffix = "동" if kind == "gu" else ("읍" if j == 0 else "면")
            dong = DONG_STEMS[stem] + suffix
            stem += 1
            effect = float(rng.normal(0.0, DONG_EFFECT_SD))
            n_zone = int(rng.integers(1, 4))
            for weight in rng.dirichlet(np.full(n_zone, 3.0)) * dong_share[j]:
                zone += int(rng.integers(1, 5))
                rows.append((f"{prefix}{zone:02d}", dong, district, kind, prefix,
                             float(weight), effect))
    frame = pd.DataFrame(rows, columns=["postcode", "dong", "sigungu", "sigungu_type",
                                        "postcode3", "weight", "dong_effect"])
    frame["weight"] /= frame["weight"].sum()
    return frame


def _names(rng, n):
    """Korean names: a surname by population share and two given-name syllables."""
    import numpy as np

    surnames = np.array([s for s, _ in SURNAMES])
    share = np.array([p for _, p in SURNAMES])
    sur = rng.choice(surnames, size=n, p=share / share.sum())
    first = rng.choice(np.array(GIVEN_FIRST), size=n)
    second = rng.choice(np.array(GIVEN_SECOND), size=n)
    return np.char.add(np.char.add(sur, first), second)


def _phones(rng, n):
    import numpy as np

    middle = rng.integers(2000, 10000, size=n)
    last = rng.integers(0, 10000, size=n)
    return np.array([f"010-{m:04d}-{x:04d}" for m, x in zip(middle, last, strict=True)])


def _fake_rrns(rng, birth_dates, male):
    """YYMMDD-G + 5 random digits + a check digit that is wrong on purpose."""
    import numpy as np

    born_2000 = birth_dates.year >= 2000
    sex_digit = np.where(born_2000, np.where(male, 3, 4), np.where(male, 1, 2))
    tail = rng.integers(0, 100000, size=len(male))
    out = []
    for day, g, t in zip(birth_dates.strftime("%y%m%d"), sex_digit, tail, strict=True):
        first12 = f"{day}{g}{t:05d}"
        out.append(f"{day}-{g}{t:05d}{(rrn_check_digit(first12) + 1) % 10}")
    return np.array(out)


def _people(rng, n, ages, at_dates, regions):
    """Birth dates matching whole-year ages on given dates, addresses, names, phones."""
    import numpy as np
    import pandas as pd

    at = pd.DatetimeIndex(at_dates)
    # birth date = the date `age` years before (29 Feb -> 28 Feb), minus 0-364 days,
    # so the age in whole years on that date is exactly `age`
    year = np.asarray(at.year) - np.asarray(ages)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    day = np.where((np.asarray(at.month) == 2) & (np.asarray(at.day) == 29) & ~leap, 28,
                   np.asarray(at.day))
    anniversary = pd.DatetimeIndex(pd.to_datetime(
        pd.DataFrame({"year": year, "month": np.asarray(at.month), "day": day})))
    birth = anniversary - pd.to_timedelta(rng.integers(0, 365, size=n), unit="D")
    zone = rng.choice(len(regions), size=n, p=regions["weight"].to_numpy())
    return birth, zone, _names(rng, n), _phones(rng, n)


def _whole_years(birth, at):
    """Age in completed years on date ``at`` (vectorised)."""
    import numpy as np

    had_birthday = (at.month > birth.month) | ((at.month == birth.month)
                                              & (at.day >= birth.day))
    return np.asarray(at.year - birth.year - (~had_birthday), dtype=int)


def _clinical(rng, codes, age, male):
    """Stay, prior admissions and admission labs, driven by diagnosis, age and frailty."""
    import numpy as np

    n = len(codes)
    frailty = rng.normal(size=n) + 0.25 * (age - 60) / 10
    los_median = np.array([LOS_MEDIAN[c] for c in codes], float)
    los = np.maximum(1, np.round(los_median * np.exp(0.45 * rng.normal(size=n)
                                                      + 0.10 * frailty))).astype(int)
    prior = rng.poisson(np.exp(-1.3 + 0.45 * frailty))
    prior = np.minimum(prior, 8)
    hb = np.clip(13.6 - 0.9 * (~male) - 0.7 * frailty + 1.1 * rng.normal(size=n), 6.0, 18.0)
    creat_med = np.array([CREATININE_MEDIAN.get(c, 0.9) for c in codes])
    creat = np.clip(creat_med * (1 + 0.15 * male) * np.exp(0.08 * frailty
                                                           + 0.25 * rng.normal(size=n)),
                    0.3, 12.0)
    alb = np.clip(3.9 - 0.28 * frailty + 0.35 * rng.normal(size=n), 1.5, 5.2)
    crp_med = np.array([CRP_MEDIAN.get(c, 8.0) for c in codes])
    crp = np.clip(crp_med * np.exp(0.7 * rng.normal(size=n)), 0.2, 400.0)
    return {
        "length_of_stay": los, "prior_admissions": prior.astype(int),
        "hemoglobin": np.round(hb, 1), "creatinine": np.round(creat, 2),
        "albumin": np.round(alb, 1), "crp": np.round(crp, 1),
    }


def readmission_features(patients):
    """The model's features computed from a patients table (see READMISSION_FEATURES)."""
    import numpy as np
    import pandas as pd

    month = patients["admission_date"].dt.month
    return pd.DataFrame({
        "age_per10": (patients["age"] - 60) / 10,
        "male": (patients["sex"] == "M").astype(float),
        "log_los": np.log(patients["length_of_stay"] / 7),
        "prior_admissions": patients["prior_admissions"].astype(float),
        "albumin_dev": patients["albumin"] - 3.8,
        "hemoglobin_dev": patients["hemoglobin"] - 13.0,
        "log_creatinine": np.log(patients["creatinine"]),
        "winter": month.isin([12, 1, 2]).astype(float),
    })


def _auroc(score, y) -> float:
    """Mann-Whitney AUROC with ties counted one half."""
    import numpy as np
    from scipy.stats import rankdata

    y = np.asarray(y, bool)
    n1, n0 = y.sum(), (~y).sum()
    ranks = rankdata(score)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _outside(rng, patients, n_outside, overlap, regions):
    """Some patients (5% moved since) and residents who never came to this hospital."""
    import numpy as np
    import pandas as pd

    n_linked = int(round(overlap * len(patients)))
    linked = np.sort(rng.choice(len(patients), size=n_linked, replace=False))
    members = patients.iloc[linked][["patient_id", "name", "birth_date", "sex", "postcode",
                                     "phone"]].reset_index(drop=True)
    moved = rng.random(n_linked) < MOVED_FRACTION
    new_zone = rng.choice(len(regions), size=int(moved.sum()), p=regions["weight"].to_numpy())
    members.loc[moved, "postcode"] = regions["postcode"].to_numpy()[new_zone]
    members["moved"] = moved
    n_other = n_outside - n_linked
    ages = np.clip(np.round(rng.normal(50, 17, size=n_other)), 19, 95).astype(int)
    at = pd.Timestamp(f"{YEAR}-07-01") + pd.to_timedelta(np.zeros(n_other), unit="D")
    birth, zone, names, phones = _people(rng, n_other, ages, at, regions)
    others = pd.DataFrame({
        "patient_id": None, "name": names, "birth_date": birth,
        "sex": np.where(rng.random(n_other) < 0.49, "M", "F"),
        "postcode": regions["postcode"].to_numpy()[zone], "phone": phones, "moved": False,
    })
    table = pd.concat([members, others], ignore_index=True)
    table = table.iloc[rng.permutation(len(table))].reset_index(drop=True)
    table.insert(0, "outside_id", [f"O{i + 1:06d}" for i in range(len(table))])
    place = regions.set_index("postcode")
    table["sigungu"] = place.loc[table["postcode"], "sigungu"].to_numpy()
    table["dong"] = place.loc[table["postcode"], "dong"].to_numpy()
    links = table.loc[table["patient_id"].notna(), ["outside_id", "patient_id", "moved"]]
    outside = table[["outside_id", "name", "birth_date", "sex", "sigungu", "dong",
                     "postcode", "phone"]]
    return outside, links.reset_index(drop=True)


def hospital_release(n_patients: int = 5000, n_outside: int = 8000, overlap: float = 0.5,
                     seed: int = 0):
    """Load the synthetic hospital extract, the outside table and the region hierarchy."""
    import numpy as np
    import pandas as pd

    from medai.datasets.types import TableDataset

    if round(overlap * n_patients) > n_outside:
        raise DatasetOptionError(
            f"{NAME}: overlap={overlap:g} puts {round(overlap * n_patients)} patients in the "
            f"outside table, more than n_outside={n_outside}; lower overlap or raise "
            "n_outside")
    rng_people, rng_clinical, rng_outcome, rng_outside = np.random.default_rng(seed).spawn(4)
    regions = _regions()
    codes_all = list(DIAGNOSES)
    share = np.array([DIAGNOSES[c][2] for c in codes_all])
    codes = rng_people.choice(np.array(codes_all), size=n_patients, p=share / share.sum())
    male = rng_people.random(n_patients) < np.array([MALE_SHARE.get(c, 0.5) for c in codes])
    age_mean = np.array([AGE_MEAN.get(c, AGE_DEFAULT[0]) for c in codes])
    ages = np.clip(np.round(rng_people.normal(age_mean, AGE_DEFAULT[1])), 18, 99).astype(int)
    admission = pd.Timestamp(f"{YEAR}-01-01") + pd.to_timedelta(
        rng_people.integers(0, 366, size=n_patients), unit="D")
    birth, zone, names, phones = _people(rng_people, n_patients, ages, admission, regions)
    rrn = _fake_rrns(rng_people, birth, male)
    place = regions.iloc[zone].reset_index(drop=True)
    clinical = _clinical(rng_clinical, codes, ages, male)
    patients = pd.DataFrame({
        "patient_id": [f"P{i + 1:06d}" for i in range(n_patients)],
        "name": names, "rrn": rrn, "phone": phones,
        "sigungu": place["sigungu"].to_numpy(), "dong": place["dong"].to_numpy(),
        "postcode": place["postcode"].to_numpy(), "birth_date": birth,
        "age": _whole_years(birth, admission), "sex": np.where(male, "M", "F"),
        "admission_date": admission,
        "discharge_date": admission + pd.to_timedelta(clinical["length_of_stay"], unit="D"),
        "length_of_stay": clinical["length_of_stay"],
        "department": [DIAGNOSES[c][0] for c in codes], "diagnosis": codes,
        "diagnosis_name": [DIAGNOSES[c][1] for c in codes],
        "prior_admissions": clinical["prior_admissions"],
        "hemoglobin": clinical["hemoglobin"], "creatinine": clinical["creatinine"],
        "albumin": clinical["albumin"], "crp": clinical["crp"],
    })
    features = readmission_features(patients)
    coef = np.array([READMISSION_COEFFICIENTS[k] for k in features.columns])
    eta = (READMISSION_INTERCEPT + features.to_numpy() @ coef
           + np.array([DIAGNOSIS_LOG_ODDS.get(c, 0.0) for c in codes])
           + RURAL_LOG_ODDS * (place["sigungu_type"].to_numpy() == "gun")
           + place["dong_effect"].to_numpy())
    risk = 1.0 / (1.0 + np.exp(-eta))
    patients["readmit_30d"] = (rng_outcome.random(n_patients) < risk).astype(int)
    outside, links = _outside(rng_outside, patients, n_outside, overlap, regions)
    dong_effect = regions.drop_duplicates("dong").set_index("dong")["dong_effect"]
    truth: dict[str, Any] = {
        "links": links,
        "readmission_model": {
            "intercept": READMISSION_INTERCEPT, "coefficients": dict(READMISSION_COEFFICIENTS),
            "features": dict(READMISSION_FEATURES),
            "diagnosis_log_odds": dict(DIAGNOSIS_LOG_ODDS), "rural_log_odds": RURAL_LOG_ODDS,
            "dong_log_odds": {k: round(float(v), 4) for k, v in dong_effect.items()},
            "formula": "logit P(readmit_30d) = intercept + sum(coefficients * features) "
                       "+ diagnosis_log_odds[diagnosis] + rural_log_odds * (sigungu is a "
                       "gun) + dong_log_odds[dong]",
        },
        "readmission_risk": risk,
        "oracle_auroc": _auroc(risk, patients["readmit_30d"]),
        "diagnoses": {c: v for c, v in DIAGNOSES.items()},
        "rrn_note": RRN_NOTE, "moved_fraction": MOVED_FRACTION,
        "n_patients": n_patients, "n_outside": n_outside, "overlap": overlap, "seed": seed,
    }
    description = (
        f"A synthetic extract of {n_patients} index admissions ({YEAR}) at a fictional "
        "Korean university hospital, with direct identifiers (name, fake resident "
        "registration number, phone, record number), quasi-identifiers (birth date, sex, "
        "address, postcode, dates), sensitive diagnoses (ICD-10) and a 30-day readmission "
        f"outcome from a known model; plus an outside table of {n_outside} people (a "
        f"leaked membership list), {len(links)} of whom are patients, for a linkage "
        "attack. Every person, number, district and postcode is fake."
    )
    return TableDataset(
        name=NAME,
        tables={"patients": patients, "outside": outside,
                "regions": regions.drop(columns=["weight", "dong_effect"])},
        description=description, data_dictionary=dict(DATA_DICTIONARY), ground_truth=truth,
    )


DATASETS = {
    NAME: DatasetSpec(hospital_release, options={
        "n_patients": Option(5000, "patients (one index admission each)", minimum=200,
                             maximum=200_000),
        "n_outside": Option(8000, "people in the outside (attacker's) table", minimum=100,
                            maximum=500_000),
        "overlap": Option(0.5, "fraction of patients who also appear in the outside table",
                          minimum=0.0, maximum=1.0),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
}
