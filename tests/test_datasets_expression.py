"""Tumour-expression datasets: the synthetic anti-PD-1 cohort carries the answers it claims,
and the real GSE7390 file is read in place, unchanged, without importing scikit-survival."""

from __future__ import annotations

import hashlib
import importlib.util

import numpy as np
import pytest

from medai import datasets
from medai.datasets import catalog, public_expression, synthetic_immunotherapy
from medai.datasets.registry import DataPackageMissingError, DatasetOptionError

NAME = "immunotherapy_cohort"


@pytest.fixture(scope="module")
def large():
    """A large cohort, so that sample statistics sit close to the model's values."""
    return datasets.load(NAME, n_patients=20_000, n_genes=200, seed=11)


def _logit(p):
    return np.log(p / (1 - p))


def test_default_shapes_types_and_ranges():
    data = datasets.load(NAME)
    x, clinical, genes = data["expression"], data["clinical"], data["genes"]
    assert x.shape == (180, 1500) and clinical.shape == (180, 6) and genes.shape == (1500, 2)
    assert list(x.index) == list(clinical.index) and list(x.columns) == list(genes.index)
    assert x.index[0] == "P0001" and x.to_numpy().dtype == float
    assert x.to_numpy().min() >= 0 and x.to_numpy().max() < 20  # log2 units
    assert clinical["cohort"].value_counts().to_dict() == {"A": 72, "B": 63, "C": 45}
    assert (clinical["tmb"] > 0).all()
    assert (clinical["tmb_high"] == (clinical["tmb"] >= 10)).all()
    responders = clinical["best_overall_response"].isin(["CR", "PR"])
    assert (clinical["response"] == responders).all()
    assert 0.18 <= clinical["response"].mean() <= 0.33
    assert genes["in_gep"].sum() == 18 and genes["named"].sum() == 89  # as the option help says
    assert set(genes.index[genes["in_gep"] == 1]) == set(synthetic_immunotherapy.GEP_GENES)
    assert {"CD274", "CXCL9", "STAT1", "TIGIT", "CD276"} <= set(x.columns)


def test_same_seed_same_data_and_other_seed_other_data():
    first = datasets.load(NAME, n_patients=60, n_genes=150, seed=4)
    again = datasets.load(NAME, n_patients=60, n_genes=150, seed=4)
    other = datasets.load(NAME, n_patients=60, n_genes=150, seed=5)
    for table in ("expression", "clinical"):
        assert first[table].equals(again[table])
        assert not first[table].equals(other[table])
    # the biology does not depend on the seed
    assert first.ground_truth["gene_loadings"].equals(other.ground_truth["gene_loadings"])


def test_named_genes_keep_their_parameters_when_n_genes_changes():
    small = datasets.load(NAME, n_patients=30, n_genes=120).ground_truth
    big = datasets.load(NAME, n_patients=30, n_genes=600).ground_truth
    shared = small["gene_loadings"].index
    assert big["gene_loadings"].loc[shared].equals(small["gene_loadings"])
    assert np.allclose(big["gene_means"].loc[shared], small["gene_means"])
    assert np.allclose(big["cohort_offsets"][shared], small["cohort_offsets"])


def test_expression_is_the_documented_sum_of_mean_offset_factors_and_noise(large):
    truth, x = large.ground_truth, large["expression"]
    cohort = large["clinical"]["cohort"]
    expected = (truth["gene_means"].to_numpy() + truth["cohort_offsets"].loc[cohort].to_numpy()
                + truth["latent_factors"].to_numpy() @ truth["gene_loadings"].to_numpy().T)
    residual = x.to_numpy() - expected
    unclipped = x.to_numpy() > 0
    sd = np.array([residual[unclipped[:, j], j].std() for j in range(x.shape[1])])
    assert np.allclose(sd, truth["gene_noise_sd"], rtol=0.05, atol=0.003)  # rounding to 0.001


def test_response_probability_follows_the_documented_model(large):
    truth, clinical = large.ground_truth, large["clinical"]
    f = truth["latent_factors"]
    c = truth["response_coefficients"]
    eta = (clinical["cohort"].map(truth["cohort_intercepts"])
           + c["inflamed"] * f["inflamed"] + c["stromal"] * f["stromal"]
           + c["log2_tmb_over_10"] * np.log2(clinical["tmb"] / 10))
    assert np.allclose(_logit(truth["response_probability"]), eta)
    for cohort, target in truth["target_response_rates"].items():
        observed = clinical.loc[clinical["cohort"] == cohort, "response"].mean()
        assert observed == pytest.approx(target, abs=0.025), cohort
    assert 0.7 < truth["oracle_auroc"] < 0.85


def test_informative_genes_carry_the_signal_and_noise_genes_do_not(large):
    truth, x = large.ground_truth, large["expression"]
    y = large["clinical"]["response"].to_numpy()
    within = x - x.groupby(large["clinical"]["cohort"]).transform("mean")  # remove batch
    r = within.apply(lambda column: np.corrcoef(column, y)[0, 1])
    informative = truth["informative_genes"]
    inflamed = truth["modules"]["inflamed"]
    noise = [g for g in x.columns if truth["gene_loadings"].loc[g].abs().sum() == 0]
    assert r[inflamed].min() > 0.08 and r[truth["modules"]["stromal"]].max() < 0
    assert r[noise].abs().max() < 0.03
    assert set(truth["gep_genes"]) - {"CD276"} <= set(informative)
    assert not set(truth["correlated_only_genes"]) & set(informative)
    assert r[truth["correlated_only_genes"]].min() > 0.03  # associated through correlation only


def test_gep_score_and_tmb_predict_response(large):
    from sklearn.metrics import roc_auc_score

    x, clinical = large["expression"], large["clinical"]
    gep = list(large["genes"].query("in_gep == 1").index)
    z = (x[gep] - x[gep].mean()) / x[gep].std()
    assert 0.65 < roc_auc_score(clinical["response"], z.mean(axis=1)) < 0.8
    assert 0.55 < roc_auc_score(clinical["response"], clinical["tmb"]) < 0.72
    median = clinical.groupby("tumour_type")["tmb"].median()
    assert median["melanoma"] > median["NSCLC"] > median["gastric"]


def test_signal_zero_leaves_only_the_cohort_rates():
    data = datasets.load(NAME, n_patients=20_000, n_genes=120, signal=0.0, seed=2)
    truth, clinical = data.ground_truth, data["clinical"]
    p = truth["response_probability"]
    assert p.groupby(clinical["cohort"]).nunique().eq(1).all()
    for cohort, target in truth["target_response_rates"].items():
        assert p[clinical["cohort"] == cohort].iloc[0] == pytest.approx(target, abs=1e-6)


def test_no_batch_shift_means_no_offsets():
    data = datasets.load(NAME, n_patients=40, n_genes=120, batch_shift=0.0)
    assert (data.ground_truth["cohort_offsets"].to_numpy() == 0).all()


@pytest.mark.parametrize("options, message", [
    ({"n_genes": 50}, "out of range"),
    ({"signal": -1.0}, "out of range"),
    ({"n_patients": 10}, "out of range"),
    ({"batch_shift": "large"}, "must be float"),
    ({"genes": 100}, "unknown option"),
])
def test_invalid_options_are_refused_clearly(options, message):
    with pytest.raises(DatasetOptionError, match=message):
        datasets.load(NAME, **options)


def test_gse7390_is_the_real_file_read_in_place():
    data = datasets.load("gse7390_breast")
    frame = data.frame
    probes = [c for c in frame.columns if c.endswith("_at")]
    assert frame.shape == (198, 82) and len(probes) == 76 and "219340_s_at" in probes
    assert (data.duration, data.event) == ("tdm_days", "metastasis")
    assert int(frame["metastasis"].sum()) == 51 and (frame["tdm_days"] > 0).all()
    assert frame["er"].value_counts().to_dict() == {"positive": 134, "negative": 64}
    assert set(frame["grade"]) == {"well differentiated", "intermediate",
                                   "poorly differentiated", "unknown"}
    assert frame["age"].between(24, 60).all() and frame["size_cm"].max() <= 5.0
    assert set(data.data_dictionary) - {"<probe set>"} == set(frame.columns) - set(probes)
    assert data.ground_truth == {}
    path = public_expression.package_file("sksurv", *public_expression.GSE7390_FILE)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == catalog.entries()["gse7390_breast"]["sha256"]


def test_gse7390_without_its_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DataPackageMissingError, match="requirements-data.txt"):
        datasets.load("gse7390_breast")


def test_reading_gse7390_does_not_import_scikit_survival():
    import subprocess
    import sys

    code = ("import sys; from medai import datasets; datasets.load('gse7390_breast'); "
            "print('sksurv' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
