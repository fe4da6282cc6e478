# %% [markdown]
# The pseudonym is a plain SHA-256 of the record number, without the secret key: anyone can hash
# every possible number and reverse it.

# %% nbgrader={"grade_id": "q1_answer"}
def generalise(table, birth_band, postcode_digits):
    """Coarsen birth date (band start year), postcode (first digits) and admission (quarter)."""
    coarse = table.copy()
    year = coarse["birth_date"].dt.year
    coarse["birth_date"] = year - year % birth_band
    coarse["postcode"] = coarse["postcode"].str[:postcode_digits] + "*" * (5 - postcode_digits)
    if "admission_date" in coarse.columns:
        coarse["admission_date"] = coarse["admission_date"].dt.to_period("Q").astype(str)
    return coarse


def pseudonymise(patients, birth_band, postcode_digits, key):
    """The release: generalised quasi-identifiers, a keyed pseudonym, RELEASE_COLUMNS only."""
    release = generalise(patients, birth_band, postcode_digits)
    release["pseudonym"] = [hashlib.sha256(str(pid).encode()).hexdigest()[:16]
                            for pid in patients["patient_id"]]
    return release[RELEASE_COLUMNS]
