"""Synthetic MALDI-TOF serum spectra (maldi_spectra): what lesson dd07 and its exercises rely on."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import savgol_filter

from medai import datasets
from medai.datasets.registry import DatasetOptionError

NAME = "maldi_spectra"


@pytest.fixture(scope="module")
def data():
    return datasets.load(NAME)


def apex(spectra, mz, centre, tolerance=0.003):
    """Highest count within ±tolerance of a m/z value, per spectrum, and where it is."""
    window = np.abs(mz - centre) <= tolerance * centre
    block = spectra[:, window]
    return block.max(axis=1), mz[window][np.argmax(block, axis=1)]


def local_excess(spectra, mz, centre):
    """Apex minus the median of a flanking band (1-2 % away): a crude baseline-free height."""
    top, _ = apex(spectra, mz, centre, 0.002)
    flank = (np.abs(mz - centre) > 0.01 * centre) & (np.abs(mz - centre) < 0.02 * centre)
    return top - np.median(spectra[:, flank], axis=1)


def test_shapes_units_and_tables(data):
    spectra = data["spectra"]
    assert spectra.shape == (400, 6000)
    assert (spectra.dtypes == np.float32).all()
    mz = spectra.columns.to_numpy()
    assert mz[0] == pytest.approx(2000.0) and mz[-1] == pytest.approx(20000.0)
    assert np.all(np.diff(mz) > 0)
    # uniform in sqrt(m/z): the time-of-flight grid
    assert np.allclose(np.diff(np.sqrt(mz)), np.diff(np.sqrt(mz)).mean(), rtol=1e-3)
    assert list(spectra.index[:2]) == ["S0000", "S0001"]
    samples = data["samples"]
    assert list(samples.columns) == ["spectrum_id", "site", "label", "diagnosis"]
    assert (samples["spectrum_id"].to_numpy() == spectra.index.to_numpy()).all()
    assert set(samples["label"]) == {0, 1}
    assert (samples["diagnosis"] == samples["label"].map({0: "control", 1: "cancer"})).all()
    assert samples["site"].value_counts().to_dict() == {s: 100 for s in
                                                        ("site_A", "site_B", "site_C", "site_D")}
    assert len(data["calibrants"]) == 6 and data["calibrants"]["mz"].between(6000, 14000).all()
    values = spectra.to_numpy()
    assert np.isfinite(values).all() and np.median(values) > 0
    for key in ("peaks", "peak_heights", "spectra", "sites", "resolving_power", "model"):
        assert key in data.ground_truth


def test_deterministic_per_seed_and_the_panel_is_fixed():
    a = datasets.load(NAME, n_spectra=60, n_points=2000, seed=5)
    b = datasets.load(NAME, n_spectra=60, n_points=2000, seed=5)
    c = datasets.load(NAME, n_spectra=60, n_points=2000, seed=6)
    assert np.array_equal(a["spectra"].to_numpy(), b["spectra"].to_numpy())
    assert a["samples"].equals(b["samples"])
    assert not np.array_equal(a["spectra"].to_numpy(), c["spectra"].to_numpy())
    # the "proteome" does not depend on the seed
    assert a.ground_truth["peaks"]["mz"].equals(c.ground_truth["peaks"]["mz"])


def test_peak_table_is_consistent(data):
    peaks = data.ground_truth["peaks"]
    assert len(peaks) == 69 and peaks["mz"].is_monotonic_increasing
    assert peaks["kind"].value_counts().to_dict() == {"shared": 55, "calibrant": 6,
                                                      "discriminative": 6, "haemoglobin": 2}
    assert peaks["mz"].between(2000, 20000).all()
    calibrants = peaks.loc[peaks["kind"] == "calibrant", "mz"].to_numpy()
    assert np.array_equal(calibrants, data["calibrants"]["mz"].to_numpy())
    d = peaks[peaks["discriminative"]]
    assert len(d) == 6 and (d["log_fold_change"].abs().between(0.15, 0.35)).all()
    assert (peaks.loc[~peaks["discriminative"], "log_fold_change"] == 0).all()
    assert data.ground_truth["peak_heights"].shape == (400, 69)


def test_peaks_are_where_the_truth_says_after_the_drift(data):
    """The apex of each calibrant sits at true m/z shifted by the spectrum's calibration error."""
    spectra = data["spectra"].to_numpy().astype(np.float64)
    mz = data["spectra"].columns.to_numpy()
    truth = data.ground_truth["spectra"]
    scale = 1 + truth["drift_ppm"].to_numpy() * 1e-6
    offset = truth["offset_da"].to_numpy()
    smoothed = savgol_filter(spectra, 7, 3, axis=1)
    for m in data["calibrants"]["mz"]:
        _, where = apex(smoothed, mz, m)
        expected = m * scale + offset
        step = np.interp(m, mz[1:], np.diff(mz))
        assert np.median(np.abs(where - expected)) < 1.5 * step, m
    # drift spans ppm-level to about 0.1 %
    ppm = np.abs(truth["drift_ppm"])
    assert ppm.min() < 50 and 700 < ppm.max() < 1500


def test_width_grows_with_mz(data):
    """Half-maximum width of an isolated peak is m / R."""
    mz = data["spectra"].columns.to_numpy()
    mean = data["spectra"].to_numpy().astype(np.float64).mean(axis=0)
    r = data.ground_truth["resolving_power"]
    for m in (6631.0, 13761.0):
        window = np.abs(mz - m) < 0.006 * m
        x, yv = mz[window], mean[window] - np.median(mean[np.abs(mz - m) < 0.03 * m])
        above = x[yv >= yv.max() / 2]
        width = above.max() - above.min()
        assert 0.6 * m / r < width < 2.0 * m / r, (m, width)  # drift blurs the mean a little


def test_class_specific_peaks_really_differ_and_shared_ones_do_not(data):
    spectra = data["spectra"].to_numpy().astype(np.float64)
    mz = data["spectra"].columns.to_numpy()
    y = data["samples"]["label"].to_numpy()
    peaks = data.ground_truth["peaks"]
    heights = data.ground_truth["peak_heights"]
    for _, row in peaks[peaks["discriminative"]].iterrows():
        true_ratio = np.log(heights[y == 1, int(row.name)]).mean() - np.log(
            heights[y == 0, int(row.name)]).mean()
        assert np.sign(true_ratio) == np.sign(row["log_fold_change"])
        if row["height"] >= 200:  # bright enough to see in the raw counts
            excess = local_excess(spectra, mz, row["mz"])
            observed = np.median(excess[y == 1]) / np.median(excess[y == 0])
            assert np.sign(np.log(observed)) == np.sign(row["log_fold_change"]), row["name"]
    shared = peaks.index[peaks["kind"] == "shared"]
    diffs = [np.log(heights[y == 1, k]).mean() - np.log(heights[y == 0, k]).mean()
             for k in shared]
    assert np.abs(diffs).max() < 0.2  # sampling noise only


def test_site_effects_artefacts_haemolysis_and_case_mix(data):
    spectra = data["spectra"].to_numpy().astype(np.float64)
    mz = data["spectra"].columns.to_numpy()
    samples = data["samples"]
    sites = data.ground_truth["sites"]
    truth = data.ground_truth["spectra"]
    # case mix follows confounding=0.5: 0.7 ... 0.3
    assert np.allclose(sites["prevalence"], [0.7, 0.5 + 0.2 / 3, 0.5 - 0.2 / 3, 0.3])
    by_site = samples.groupby("site")["label"].mean()
    assert by_site["site_A"] > by_site["site_D"] + 0.15
    # each site's artefact is in its own spectra and not in the others'
    for name, row in sites.iterrows():
        excess = local_excess(spectra, mz, row["artefact_mz"])
        own = (samples["site"] == name).to_numpy()
        assert np.median(excess[own]) > 3 * max(np.median(excess[~own]), 1.0), name
    # haemolysis follows the site table; the ground-truth flag marks present artefacts
    haem = truth.groupby("site")["haemolysis"].median()
    assert haem.idxmax() == "site_A" and haem.idxmin() == "site_D"
    assert 0.7 < truth["artefact_present"].mean() < 0.97


def test_confounding_zero_and_no_site_effects():
    plain = datasets.load(NAME, n_spectra=200, n_points=2000, confounding=0.0,
                          site_effects=False, seed=3)
    sites = plain.ground_truth["sites"]
    assert np.allclose(sites["prevalence"], 0.5)
    assert sites["artefact_mz"].isna().all()
    assert not plain.ground_truth["spectra"]["artefact_present"].any()
    assert (plain.ground_truth["spectra"].groupby("site")["drift_ppm"].mean().abs() < 100).all()
    null = datasets.load(NAME, n_spectra=40, n_points=2000, effect_size=0.0, seed=3)
    assert not null.ground_truth["peaks"]["discriminative"].any()
    full = datasets.load(NAME, n_spectra=40, n_points=2000, n_sites=8, confounding=1.0)
    assert np.allclose(full.ground_truth["sites"]["prevalence"].iloc[[0, -1]], [0.9, 0.1])


def test_calibration_drift_scales_the_same_draws():
    base = datasets.load(NAME, n_spectra=40, n_points=2000, seed=4)
    none = datasets.load(NAME, n_spectra=40, n_points=2000, calibration_drift=0.0, seed=4)
    four = datasets.load(NAME, n_spectra=40, n_points=2000, calibration_drift=4.0, seed=4)
    drift = {k: d.ground_truth["spectra"][["drift_ppm", "offset_da"]].to_numpy()
             for k, d in (("base", base), ("none", none), ("four", four))}
    assert np.all(drift["none"] == 0)
    assert np.allclose(drift["four"], 4 * drift["base"])
    assert base["samples"].equals(four["samples"])  # same women, same classes
    spectra = none["spectra"].to_numpy().astype(np.float64)
    mz = none["spectra"].columns.to_numpy()
    _, where = apex(savgol_filter(spectra, 7, 3, axis=1), mz, 9422.0)
    assert np.median(np.abs(where - 9422.0)) < 6.0  # within about one grid step


def test_noise_is_poisson_like(data):
    """Far from peaks, variance grows with the mean (counting noise)."""
    spectra = data["spectra"].to_numpy().astype(np.float64)
    mz = data["spectra"].columns.to_numpy()
    centres = np.concatenate([data.ground_truth["peaks"]["mz"],
                              data.ground_truth["sites"]["artefact_mz"]])
    start = next(m for m in np.arange(2100, 4000, 5.0)
                 if np.min(np.abs(centres - m - 10) / centres) > 0.015)
    low = (mz > start) & (mz < start + 20)  # no peak within 1.5 %, high baseline
    residual = spectra[:, low] - savgol_filter(spectra, 31, 2, axis=1)[:, low]
    level = spectra[:, low].mean(axis=1)
    ratio = residual.var(axis=1) / level
    assert 0.5 < np.median(ratio) < 2.0


@pytest.mark.parametrize("options, message", [
    ({"n_spectra": 10}, "out of range"),
    ({"n_sites": 9}, "out of range"),
    ({"confounding": 1.5}, "out of range"),
    ({"effect_size": "big"}, "must be float"),
    ({"site_effects": 1}, "must be bool"),
    ({"resolution": 400}, "unknown option"),
    ({"n_spectra": 5000, "n_points": 20000}, "reduce n_spectra or n_points"),
])
def test_invalid_options_give_clear_errors(options, message):
    with pytest.raises(DatasetOptionError, match=message):
        datasets.load(NAME, **options)


def test_default_load_is_quick_and_small():
    import time

    start = time.perf_counter()
    loaded = datasets.load(NAME)
    assert time.perf_counter() - start < 5.0  # generous on a busy machine
    assert loaded["spectra"].memory_usage(deep=True).sum() < 20e6
