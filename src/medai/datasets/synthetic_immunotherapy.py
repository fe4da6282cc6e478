"""A semi-synthetic tumour-expression cohort treated with an anti-PD-1 antibody, p >> n.

API (stable; later additions only add options whose defaults keep these outputs):
``medai.datasets.load("immunotherapy_cohort", n_patients=180, n_genes=1500, signal=1.0,
batch_shift=0.5, seed=0)`` returns a ``TableDataset`` with three tables, each indexed by
``patient_id`` (or ``gene``): ``data["expression"]`` (n_patients x n_genes float, log2
expression, one column per gene), ``data["clinical"]`` (columns ``cohort`` "A"/"B"/"C",
``tumour_type``, ``tmb`` in mutations per megabase, ``tmb_high`` = 1 if tmb >= 10,
``best_overall_response`` CR/PR/SD/PD and ``response`` = 1 for CR or PR) and
``data["genes"]`` (columns ``in_gep``: one of the 18 genes of the T-cell-inflamed gene
expression profile, and ``named``: a real HGNC symbol rather than a placeholder
``GENE0001``...). ``ground_truth`` holds the generative model: ``informative_genes``
(the genes whose expression carries information on response), ``response_coefficients``,
``cohort_intercepts``, ``response_probability`` and ``latent_factors`` (per patient),
``gene_loadings``, ``gene_means``, ``gene_noise_sd``, ``cohort_offsets``, ``modules``,
``oracle_auroc`` and the options. ``signal=0`` makes response independent of expression
and TMB within each cohort (only the cohorts' response rates differ).

What is simulated, and why. Pooled analyses of checkpoint-inhibitor trials found two
largely independent predictors of response to anti-PD-1 therapy: an interferon-gamma
driven, T-cell-inflamed tumour microenvironment, measured by the 18-gene profile (GEP) of
Ayers et al. 2017, and the tumour mutational burden (TMB), a proxy for neoantigens
(Cristescu et al. 2018). Stromal, TGF-beta-rich tumours that keep T cells out respond
less (Mariathasan et al. 2018). This generator builds a cohort with that structure so a
lesson can compare a signature score with learned models and show, with known answers,
how selecting genes outside cross-validation inflates performance:

* latent biology per patient: correlated standard-normal factors (T-cell inflamed,
  stromal/TGF-beta, myeloid, proliferation and six anonymous modules), with small
  tumour-type shifts in their means;
* expression: log2 value = max(0, gene mean + cohort (batch) offset + loadings x
  factors + gene-specific noise). Named genes (real HGNC symbols) load on their biological module;
  placeholder genes are either in an anonymous module or pure noise;
* TMB: log-normal per tumour type, weakly correlated with the inflamed factor;
  ``tmb_high`` uses the 10 mutations/Mb cut-off of the FDA's 2020 tissue-agnostic
  approval of pembrolizumab;
* response (RECIST 1.1 complete or partial response): Bernoulli with log-odds
  ``cohort intercept + signal x (1.1 inflamed - 0.5 stromal + 0.45 log2(tmb / 10))``;
  intercepts are calibrated so each tumour type has its target response rate.

What is real: gene symbols, the published 18-gene GEP list, the TMB cut-off, and
response rates and TMB medians chosen to be of the order reported for these tumour types.
No value of any patient is real; the gene means and correlations are not fitted to any
data set. datasets/cards/immunotherapy_cohort.md writes the model out.

Random streams: gene-level parameters (means, noise, loadings, batch offsets) come from a
fixed seed, so ``seed`` changes the patients but not the biology; per-patient draws use
``numpy.random.default_rng(seed).spawn(4)`` (factors and cohorts, TMB, expression noise,
response). numpy and pandas are imported inside the loader.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from medai.datasets.registry import DatasetSpec, Option

NAME = "immunotherapy_cohort"
GENE_SEED = 20170801  # fixed: the "biology" (gene parameters, batch offsets) never changes
CALIBRATION_SEED = 7390
CALIBRATION_DRAWS = 40_000

# The 18-gene T-cell-inflamed gene expression profile (Ayers et al. 2017 J Clin Invest
# 127:2930-2940), alphabetical.
GEP_GENES = (
    "CCL5", "CD27", "CD274", "CD276", "CD8A", "CMKLR1", "CXCL9", "CXCR6", "HLA-DQA1",
    "HLA-DRB1", "HLA-E", "IDO1", "LAG3", "NKG7", "PDCD1LG2", "PSMB10", "STAT1", "TIGIT",
)
# Named genes by the module they load on (real symbols; membership is this model's choice,
# guided by well-known biology). CD276 (B7-H3) is in the GEP but is broadly expressed by
# tumour and stromal cells: here it loads weakly on both modules.
MODULE_GENES = {
    "inflamed": tuple(g for g in GEP_GENES if g != "CD276") + (
        "IFNG", "CXCL10", "CXCL11", "GZMA", "GZMB", "GZMK", "PRF1", "CD8B", "CD3D", "CD3E",
        "CD2", "PDCD1", "CTLA4", "HLA-DRA", "CIITA", "CXCL13", "IL2RG", "ICOS", "IRF1", "TAP1",
    ),
    "stromal": (
        "TGFB1", "TGFBR2", "COL1A1", "COL1A2", "COL3A1", "COL5A1", "FAP", "ACTA2", "POSTN",
        "LUM", "DCN", "FN1", "SPARC", "PDGFRB", "THBS2", "VCAN",
    ),
    "myeloid": ("CD14", "CD68", "CD163", "CSF1R", "ITGAM", "LYZ", "C1QA", "C1QB", "FCGR3A",
                "MRC1"),
    "proliferation": (
        "MKI67", "TOP2A", "CCNB1", "BUB1", "CDK1", "AURKA", "BIRC5", "CENPF", "MCM2", "PCNA",
        "TYMS", "E2F1", "FOXM1", "CCNE1", "MYBL2",
    ),
}
HOUSEKEEPING = ("ACTB", "GAPDH", "RPLP0", "TBP", "PGK1", "HPRT1", "GUSB", "TFRC", "PPIA",
                "POLR2A")
MIXED_GENES = {"CD276": {"inflamed": 0.3, "stromal": 0.4}}
ANONYMOUS_MODULES = 6  # M1..M6: co-expressed placeholder genes unrelated to response
ANONYMOUS_SHARE = 0.30  # share of placeholder genes that belong to one anonymous module

FACTORS = ("inflamed", "stromal", "myeloid", "proliferation") + tuple(
    f"M{k + 1}" for k in range(ANONYMOUS_MODULES))
# Correlations between the named factors (the anonymous ones are independent).
FACTOR_CORRELATIONS = {("inflamed", "myeloid"): 0.5, ("inflamed", "stromal"): 0.2,
                       ("stromal", "myeloid"): 0.3, ("inflamed", "proliferation"): -0.1}

# Gene-level parameters (drawn once from GENE_SEED): log2 scale.
LOADING_RANGE = (0.6, 1.1)  # module genes: log2 units per SD of their factor
MODULE_NOISE_RANGE = (0.35, 0.7)
NAMED_MEAN = (7.5, 1.2)  # Normal(mean, sd) of a named gene's mean log2 expression
HOUSEKEEPING_MEAN_RANGE = (11.0, 13.0)
HOUSEKEEPING_NOISE_RANGE = (0.15, 0.3)
PLACEHOLDER_MEAN = (7.0, 1.8)
PLACEHOLDER_NOISE_RANGE = (0.2, 1.0)
MEAN_CLIP = (4.0, 14.0)
EXPRESSION_FLOOR = 0.0  # log2 values below 0 are set to 0 (rare: a detection floor)

# Cohorts: three single-arm anti-PD-1 trial cohorts with their own tumour type and lab.
COHORTS = {
    # name: tumour type, share of patients, target objective response rate, TMB median
    # (mut/Mb), shifts of the factor means
    "A": {"tumour_type": "melanoma", "share": 0.40, "response_rate": 0.35,
          "tmb_median": 12.0, "factor_shift": {"inflamed": 0.2}},
    "B": {"tumour_type": "NSCLC", "share": 0.35, "response_rate": 0.22,
          "tmb_median": 8.0, "factor_shift": {}},
    "C": {"tumour_type": "gastric", "share": 0.25, "response_rate": 0.13,
          "tmb_median": 4.0, "factor_shift": {"stromal": 0.3, "inflamed": -0.1}},
}
TMB_LOG_SD = 0.9  # natural-log SD of TMB within a tumour type
TMB_INFLAMED_CORRELATION = 0.15
TMB_HIGH_CUTOFF = 10.0  # mut/Mb, FDA 2020 pembrolizumab TMB-H approval (KEYNOTE-158)

# log-odds of response = cohort intercept + signal * sum(coefficient * term)
RESPONSE_COEFFICIENTS = {"inflamed": 1.1, "stromal": -0.5, "log2_tmb_over_10": 0.45}
COMPLETE_RESPONSE_SHARE = 0.2  # of responders: CR, the rest PR
STABLE_DISEASE_SHARE = 0.35  # of non-responders: SD, the rest PD


def _factor_covariance():
    import numpy as np

    cov = np.eye(len(FACTORS))
    for (a, b), r in FACTOR_CORRELATIONS.items():
        i, j = FACTORS.index(a), FACTORS.index(b)
        cov[i, j] = cov[j, i] = r
    return cov


def _named_genes() -> list[str]:
    named = [g for genes in MODULE_GENES.values() for g in genes]
    return named + list(MIXED_GENES) + list(HOUSEKEEPING)


@cache
def _gene_parameters(n_genes: int) -> dict[str, Any]:
    """Means, noise SDs, loadings and batch offsets of every gene: fixed by GENE_SEED.

    Named genes come first and are drawn from their own streams, so their parameters do
    not depend on n_genes; placeholder genes j keep theirs as n_genes grows.
    """
    import numpy as np
    import pandas as pd

    named = _named_genes()
    n_placeholder = n_genes - len(named)
    genes = named + [f"GENE{k + 1:04d}" for k in range(n_placeholder)]
    streams = np.random.default_rng(GENE_SEED).spawn(6)
    loadings = pd.DataFrame(0.0, index=pd.Index(genes, name="gene"), columns=list(FACTORS))
    means = np.empty(n_genes)
    noise = np.empty(n_genes)
    # named module genes
    s = streams[0]
    for module, members in MODULE_GENES.items():
        k = len(members)
        loadings.loc[list(members), module] = s.uniform(*LOADING_RANGE, k)
    for gene, weights in MIXED_GENES.items():
        for module, w in weights.items():
            loadings.loc[gene, module] = w
    n_named = len(named)
    n_hk = len(HOUSEKEEPING)
    means[:n_named - n_hk] = s.normal(*NAMED_MEAN, n_named - n_hk)
    noise[:n_named - n_hk] = s.uniform(*MODULE_NOISE_RANGE, n_named - n_hk)
    means[n_named - n_hk:n_named] = s.uniform(*HOUSEKEEPING_MEAN_RANGE, n_hk)
    noise[n_named - n_hk:n_named] = s.uniform(*HOUSEKEEPING_NOISE_RANGE, n_hk)
    # placeholders: each attribute from its own stream, so prefixes are stable in n_genes
    means[n_named:] = streams[1].normal(*PLACEHOLDER_MEAN, n_placeholder)
    in_module = streams[2].random(n_placeholder) < ANONYMOUS_SHARE
    module_index = streams[3].integers(0, ANONYMOUS_MODULES, n_placeholder)
    module_loading = streams[4].uniform(*LOADING_RANGE, n_placeholder)
    placeholder_noise = streams[5].uniform(*PLACEHOLDER_NOISE_RANGE, n_placeholder)
    noise[n_named:] = np.where(in_module, streams[5].uniform(*MODULE_NOISE_RANGE,
                                                              n_placeholder), placeholder_noise)
    values = loadings.to_numpy()
    rows = np.flatnonzero(in_module) + n_named
    cols = FACTORS.index("M1") + module_index[in_module]
    values[rows, cols] = module_loading[in_module]
    loadings = pd.DataFrame(values, index=loadings.index, columns=loadings.columns)
    means = np.clip(means, *MEAN_CLIP)
    return {"genes": genes, "loadings": loadings,
            "means": pd.Series(means, index=loadings.index, name="mean_log2"),
            "noise_sd": pd.Series(noise, index=loadings.index, name="noise_sd")}


@cache
def _unit_offsets(n_genes: int):
    """Per-cohort, per-gene batch offsets before scaling by batch_shift (fixed seed)."""
    import numpy as np

    rng = np.random.default_rng(GENE_SEED + 1)
    named = len(_named_genes())
    first = rng.standard_normal((len(COHORTS), named))
    rest = np.random.default_rng(GENE_SEED + 2).standard_normal((n_genes - named,
                                                                  len(COHORTS))).T
    return np.hstack([first, rest])


def _draw_patients(rng, rng_tmb, cohort_index):
    """Latent factors (n x factors) and TMB (mut/Mb) for patients of the given cohorts."""
    import numpy as np

    n = len(cohort_index)
    chol = np.linalg.cholesky(_factor_covariance())
    factors = rng.standard_normal((n, len(FACTORS))) @ chol.T
    names = list(COHORTS)
    for c, name in enumerate(names):
        for factor, shift in COHORTS[name]["factor_shift"].items():
            factors[cohort_index == c, FACTORS.index(factor)] += shift
    medians = np.array([COHORTS[name]["tmb_median"] for name in names])[cohort_index]
    inflamed = factors[:, FACTORS.index("inflamed")]
    z = (TMB_INFLAMED_CORRELATION * inflamed
         + np.sqrt(1 - TMB_INFLAMED_CORRELATION**2) * rng_tmb.standard_normal(n))
    tmb = np.round(medians * np.exp(TMB_LOG_SD * z), 1)
    return factors, np.maximum(tmb, 0.1)


def _linear_predictor(factors, tmb):
    import numpy as np

    c = RESPONSE_COEFFICIENTS
    return (c["inflamed"] * factors[:, FACTORS.index("inflamed")]
            + c["stromal"] * factors[:, FACTORS.index("stromal")]
            + c["log2_tmb_over_10"] * np.log2(tmb / TMB_HIGH_CUTOFF))


@cache
def _intercepts(signal: float) -> dict[str, float]:
    """Cohort intercepts giving each tumour type its target response rate (bisection on a
    fixed calibration population, independent of the dataset's seed)."""
    import numpy as np

    out = {}
    for c, name in enumerate(COHORTS):
        rng, rng_tmb = np.random.default_rng([CALIBRATION_SEED, c]).spawn(2)
        index = np.full(CALIBRATION_DRAWS, c)
        factors, tmb = _draw_patients(rng, rng_tmb, index)
        eta = signal * _linear_predictor(factors, tmb)
        target = COHORTS[name]["response_rate"]
        low, high = -15.0, 15.0
        for _ in range(60):
            mid = 0.5 * (low + high)
            rate = np.mean(1.0 / (1.0 + np.exp(-(mid + eta))))
            low, high = (mid, high) if rate < target else (low, mid)
        out[name] = round(0.5 * (low + high), 6)
    return out


def _auroc(score, y) -> float:
    """Mann-Whitney AUROC with ties counted one half (no sklearn import needed)."""
    import numpy as np
    from scipy.stats import rankdata

    y = np.asarray(y, bool)
    n1, n0 = y.sum(), (~y).sum()
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _cohort_sizes(n: int) -> list[int]:
    shares = [spec["share"] for spec in COHORTS.values()]
    sizes = [int(round(n * s)) for s in shares[:-1]]
    return sizes + [n - sum(sizes)]


def _data_dictionary() -> dict[str, str]:
    return {
        "expression": "table: one row per patient (index patient_id), one column per gene; "
                      "log2 expression of the pre-treatment tumour biopsy (arbitrary "
                      "log2 units, like normalised microarray or log2 TPM values)",
        "clinical.cohort": "trial cohort 'A', 'B' or 'C' (each from its own lab: batch "
                           "effects differ between cohorts)",
        "clinical.tumour_type": "tumour type of the cohort: melanoma (A), NSCLC (B), "
                                "gastric (C)",
        "clinical.tmb": "tumour mutational burden, mutations per megabase (0.1 steps)",
        "clinical.tmb_high": f"1 if tmb >= {TMB_HIGH_CUTOFF:g} mut/Mb (TMB-high, FDA 2020 "
                             "pembrolizumab cut-off)",
        "clinical.best_overall_response": "RECIST 1.1 best overall response: CR complete, "
                                          "PR partial, SD stable disease, PD progression",
        "clinical.response": "objective response, 1 = CR or PR (the outcome), 0 = SD or PD",
        "genes.in_gep": "1 if the gene is one of the 18 genes of the T-cell-inflamed GEP "
                        "(Ayers et al. 2017)",
        "genes.named": "1 for a real HGNC gene symbol, 0 for a placeholder GENE0001...",
    }


def immunotherapy_cohort(n_patients: int = 180, n_genes: int = 1500, signal: float = 1.0,
                         batch_shift: float = 0.5, seed: int = 0):
    import numpy as np
    import pandas as pd

    from medai.datasets.types import TableDataset

    params = _gene_parameters(n_genes)
    genes, loadings = params["genes"], params["loadings"]
    rng_patients, rng_tmb, rng_noise, rng_response = np.random.default_rng(seed).spawn(4)
    names = list(COHORTS)
    sizes = _cohort_sizes(n_patients)
    cohort_index = rng_patients.permutation(np.repeat(np.arange(len(names)), sizes))
    factors, tmb = _draw_patients(rng_patients, rng_tmb, cohort_index)

    offsets = batch_shift * _unit_offsets(n_genes)  # cohorts x genes
    noise = rng_noise.standard_normal((n_patients, n_genes)) * params["noise_sd"].to_numpy()
    expression = np.maximum(EXPRESSION_FLOOR, params["means"].to_numpy() + offsets[cohort_index]
                            + factors @ loadings.to_numpy().T + noise)

    intercepts = _intercepts(float(signal))
    eta = (np.array([intercepts[c] for c in names])[cohort_index]
           + signal * _linear_predictor(factors, tmb))
    probability = 1.0 / (1.0 + np.exp(-eta))
    response = rng_response.random(n_patients) < probability
    u = rng_response.random(n_patients)
    best = np.where(response, np.where(u < COMPLETE_RESPONSE_SHARE, "CR", "PR"),
                    np.where(u < STABLE_DISEASE_SHARE, "SD", "PD"))

    ids = pd.Index([f"P{i + 1:04d}" for i in range(n_patients)], name="patient_id")
    gene_index = pd.Index(genes, name="gene")
    expression = pd.DataFrame(np.round(expression, 3), index=ids, columns=gene_index)
    cohorts = np.array(names)[cohort_index]
    clinical = pd.DataFrame({
        "cohort": cohorts,
        "tumour_type": [COHORTS[c]["tumour_type"] for c in cohorts],
        "tmb": tmb,
        "tmb_high": (tmb >= TMB_HIGH_CUTOFF).astype("int64"),
        "best_overall_response": best,
        "response": response.astype("int64"),
    }, index=ids)
    named = set(_named_genes())
    gene_table = pd.DataFrame({
        "in_gep": [int(g in GEP_GENES) for g in genes],
        "named": [int(g in named) for g in genes],
    }, index=gene_index)

    informative = [g for g in genes
                   if loadings.loc[g, "inflamed"] != 0 or loadings.loc[g, "stromal"] != 0]
    truth = {
        "response_model": (
            "logit P(response) = cohort_intercepts[cohort] + signal * (1.1 * inflamed "
            "- 0.5 * stromal + 0.45 * log2(tmb / 10)); inflamed and stromal are latent "
            "factors (ground_truth['latent_factors'])"),
        "response_coefficients": dict(RESPONSE_COEFFICIENTS),
        "cohort_intercepts": dict(intercepts),
        "target_response_rates": {c: COHORTS[c]["response_rate"] for c in names},
        "response_probability": pd.Series(probability, index=ids, name="p_response"),
        "latent_factors": pd.DataFrame(factors, index=ids, columns=list(FACTORS)),
        "informative_genes": informative,
        "correlated_only_genes": list(MODULE_GENES["myeloid"]),
        "modules": {**{m: list(g) for m, g in MODULE_GENES.items()},
                    "mixed": {g: dict(w) for g, w in MIXED_GENES.items()},
                    "housekeeping": list(HOUSEKEEPING)},
        "gep_genes": list(GEP_GENES),
        "gene_loadings": loadings.copy(),
        "gene_means": params["means"].copy(),
        "gene_noise_sd": params["noise_sd"].copy(),
        "cohort_offsets": pd.DataFrame(offsets, index=pd.Index(names, name="cohort"),
                                       columns=gene_index),
        "factor_correlations": {f"{a}~{b}": r for (a, b), r in FACTOR_CORRELATIONS.items()},
        "cohorts": {c: {k: v for k, v in COHORTS[c].items()} for c in names},
        "tmb_model": {"log_sd": TMB_LOG_SD, "correlation_with_inflamed":
                      TMB_INFLAMED_CORRELATION, "cutoff": TMB_HIGH_CUTOFF,
                      "formula": "tmb = round(median[cohort] * exp(log_sd * z), 1), z = "
                                 "0.15 * inflamed + sqrt(1 - 0.15^2) * Normal(0, 1)"},
        "oracle_auroc": _auroc(probability, response),
        "signal": signal, "batch_shift": batch_shift, "seed": seed,
    }
    description = (
        f"A semi-synthetic cohort of {n_patients} patients with advanced cancer treated with "
        f"an anti-PD-1 antibody in three trial cohorts (melanoma, NSCLC, gastric), with "
        f"pre-treatment tumour expression of {n_genes} genes (log2), tumour mutational "
        f"burden and RECIST objective response ({int(response.sum())} responders). Response "
        "depends on a latent T-cell-inflamed state (measured by the 18-gene GEP among "
        "others), a stromal exclusion state and TMB; the cohorts differ in tumour type, "
        "response rate and lab batch effects. Gene names of the modules and the GEP list "
        "are real; every value is simulated (ground_truth holds the model)."
    )
    return TableDataset(
        name=NAME,
        tables={"expression": expression, "clinical": clinical, "genes": gene_table},
        description=description,
        data_dictionary=_data_dictionary(),
        ground_truth=truth,
    )


DATASETS = {
    NAME: DatasetSpec(immunotherapy_cohort, options={
        "n_patients": Option(180, "number of patients (split 40/35/25% over cohorts A/B/C)",
                             minimum=30, maximum=20_000),
        "n_genes": Option(1500, "number of genes (the first 89 are named; the rest are "
                                "placeholders GENE0001...)", minimum=100, maximum=20_000),
        "signal": Option(1.0, "multiplier of the biology's effect on the log-odds of "
                              "response; 0 = response independent of expression and TMB "
                              "within each cohort", minimum=0.0, maximum=3.0),
        "batch_shift": Option(0.5, "SD of each gene's per-cohort (lab) offset, log2 units; "
                                   "0 = no batch effects", minimum=0.0, maximum=3.0),
        "seed": Option(0, "random seed", minimum=0, maximum=2**32 - 1),
    }),
}
