"""The synthetic outbreak line list and SEIR counts: the answers they carry are the right ones."""

from __future__ import annotations

import numpy as np
import pytest

from medai import datasets
from medai.datasets.registry import DatasetOptionError


@pytest.fixture(scope="module")
def mers():
    return datasets.load("outbreak_linelist")


def test_same_seed_same_outbreak_and_other_seed_other_outbreak():
    first = datasets.load("outbreak_linelist", seed=3)["linelist"]
    again = datasets.load("outbreak_linelist", seed=3)["linelist"]
    other = datasets.load("outbreak_linelist", seed=4)["linelist"]
    assert first.equals(again) and not first.equals(other)


def test_line_list_is_a_consistent_transmission_tree(mers):
    cases = mers.ground_truth["complete_linelist"].set_index("case_id")
    params = mers.ground_truth["parameters"]
    assert params["min_cases"] <= len(cases) <= params["max_cases"]
    child = cases[cases["infector_id"].notna()]
    parent = cases.loc[child["infector_id"]]
    assert (child["generation"].to_numpy() == parent["generation"].to_numpy() + 1).all()
    assert (child["infection_time"].to_numpy() > parent["infection_time"].to_numpy()).all()
    assert (cases["onset_time"] > cases["infection_time"]).all()
    assert (cases["report_time"] >= cases["onset_time"]).all()
    assert (cases["infection_day"] <= params["days"]).all()
    counted = child["infector_id"].value_counts().reindex(cases.index, fill_value=0)
    assert (counted == cases["offspring_by_horizon"]).all()
    assert (cases["offspring_by_horizon"] <= cases["offspring_any_time"]).all()


def test_observed_line_list_holds_the_cases_reported_by_the_analysis_date(mers):
    truth = mers.ground_truth
    linelist, daily = mers["linelist"], mers["daily"]
    days = truth["parameters"]["days"]
    assert (linelist["report_day"] <= days).all()
    assert len(linelist) == truth["n_reported"] <= truth["n_infections"]
    assert daily["cases_by_report"].sum() == len(linelist)
    assert len(daily) == days + 1
    serial = (linelist["onset_date"] - linelist["onset_date"].min()).dt.days
    assert (serial >= 0).all() and str(linelist["onset_date"].min().year) == "2015"


def test_offspring_are_negative_binomial_with_the_stated_mean_and_dispersion():
    data = datasets.load("outbreak_linelist", preset="covid2020", R=1.5, k=0.5, n_index=2000,
                         days=15, min_cases=0, max_cases=20_000, seed=2)
    cases = data.ground_truth["complete_linelist"]
    z = cases["potential_offspring"].to_numpy()
    assert z.mean() == pytest.approx(1.5, rel=0.06)
    assert z.var() == pytest.approx(1.5 * (1 + 1.5 / 0.5), rel=0.15)
    assert (cases["prevented_offspring"] == 0).all(), "no control, nothing prevented"


def test_serial_interval_follows_the_preset(mers):
    cases = mers.ground_truth["complete_linelist"].set_index("case_id")
    child = cases[cases["infector_id"].notna()]
    infector_onset = cases.loc[child["infector_id"], "onset_time"].to_numpy()
    serial = child["onset_time"].to_numpy() - infector_onset
    assert serial.mean() == pytest.approx(12.6, abs=1.0)


def test_faster_tracing_prevents_more_transmission():
    shares = []
    for delay in (0.0, 6.0):
        data = datasets.load("outbreak_linelist", preset="covid2020", R=2.0, k=1.0, n_index=400,
                             days=20, min_cases=0, max_cases=20_000, control="tracing",
                             tracing_coverage=0.8, tracing_delay=delay, seed=5)
        cases = data.ground_truth["complete_linelist"]
        first = cases[cases["generation"] == 1]
        shares.append(first["prevented_offspring"].sum() / first["potential_offspring"].sum())
        assert first["traced"].mean() == pytest.approx(0.8, abs=0.05)
        assert not cases.loc[cases["generation"] == 0, "traced"].any()
    assert shares[0] > shares[1] + 0.1


def test_isolation_cuts_transmission_after_report():
    data = datasets.load("outbreak_linelist", preset="covid2020", control="isolation",
                         n_index=200, days=20, min_cases=0, max_cases=20_000, seed=1)
    truth = data.ground_truth
    assert 0 < truth["prevented_fraction"] < 1
    cases = truth["complete_linelist"].set_index("case_id")
    child = cases[cases["infector_id"].notna()]
    reported = cases.loc[child["infector_id"], "report_time"].to_numpy()
    assert (child["infection_time"].to_numpy() < reported).all()


def test_invalid_options_give_clear_errors():
    with pytest.raises(DatasetOptionError, match="valid values"):
        datasets.load("outbreak_linelist", preset="ebola")
    with pytest.raises(DatasetOptionError, match="out of range"):
        datasets.load("outbreak_linelist", k=0.0)
    with pytest.raises(DatasetOptionError, match="exceeds"):
        datasets.load("outbreak_linelist", min_cases=300, max_cases=200)
    with pytest.raises(DatasetOptionError, match="valid values"):
        datasets.load("outbreak_linelist", control="lockdown")
    with pytest.raises(DatasetOptionError, match="whole number"):
        datasets.load("outbreak_linelist", n_index=1.5)


def test_seir_counts_match_the_ascertainment_and_the_compartments():
    data = datasets.load("seir_counts", seed=1)
    truth = data.ground_truth
    daily = truth["daily"]
    totals = daily[["S", "E", "I", "R"]].sum(axis=1)
    assert (totals == truth["population"]).all()
    assert data["daily"]["reported_cases"].sum() <= daily["ascertained_onsets"].sum()
    share = daily["ascertained_onsets"].sum() / daily["onsets"].sum()
    assert share == pytest.approx(truth["ascertainment"], abs=0.01)
    assert 0.7 < truth["attack_rate"] < 0.95  # final size of an SEIR with R0 2.2 is about 0.85
    assert np.isclose(truth["report_delay_pmf"].sum(), 1.0)
    assert datasets.load("seir_counts", seed=1)["daily"].equals(data["daily"])
