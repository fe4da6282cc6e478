"""The synthetic trial and observational cohort: the answers they carry are the right ones."""

from __future__ import annotations

import numpy as np
import pytest

from medai import datasets
from medai.datasets import synthetic_trials


def test_individual_effects_are_the_difference_of_potential_outcomes():
    data = datasets.load("trial", n_patients=400, seed=3)
    truth = data.ground_truth
    outcomes = truth["potential_outcomes"]
    assert np.allclose(outcomes["y1"] - outcomes["y0"], truth["cate"])
    patients = data["patients"].set_index("patient_id")
    observed = np.where(patients["treated"] == 1, outcomes["y1"], outcomes["y0"])
    assert np.allclose(patients["sbp_12w"], observed, atol=0.05)  # rounded to 0.1 mmHg
    assert truth["ate"] == pytest.approx(truth["cate"].mean())
    assert (truth["cate"] < 0).all(), "drug X lowers blood pressure in everyone"


@pytest.mark.parametrize("n, p", [(1000, 0.5), (301, 0.3)])
def test_trial_arms_and_eligibility(n, p):
    data = datasets.load("trial", n_patients=n, p_treated=p, seed=1)
    patients = data["patients"]
    assert len(patients) == n and patients["treated"].sum() == round(p * n)
    assert synthetic_trials.eligible(patients).all()
    assert patients["baseline_sbp"].between(140, 179).all() and (patients["egfr"] >= 45).all()


def test_no_confounding_means_a_coin_flip():
    data = datasets.load("observational_cohort", n_patients=2000, confounding=0.0, seed=2)
    assert np.allclose(data.ground_truth["propensity"], 0.5)


def test_weighting_by_the_true_propensity_recovers_the_average_effect():
    data = datasets.load("observational_cohort", n_patients=100_000, seed=5)
    patients, truth = data["patients"], data.ground_truth
    t = patients["treated"].to_numpy()
    y = patients["sbp_12w"].to_numpy()
    e = truth["propensity"].to_numpy()
    hajek = (np.sum(t * y / e) / np.sum(t / e)
             - np.sum((1 - t) * y / (1 - e)) / np.sum((1 - t) / (1 - e)))
    naive = y[t == 1].mean() - y[t == 0].mean()
    assert hajek == pytest.approx(truth["ate"], abs=0.5)
    assert naive - truth["ate"] > 2, "confounding by indication biases the naive difference up"


def test_same_seed_same_data_and_other_seed_other_data():
    first = datasets.load("observational_cohort", n_patients=500, seed=9)["patients"]
    again = datasets.load("observational_cohort", n_patients=500, seed=9)["patients"]
    other = datasets.load("observational_cohort", n_patients=500, seed=10)["patients"]
    assert first.equals(again) and not first.equals(other)
