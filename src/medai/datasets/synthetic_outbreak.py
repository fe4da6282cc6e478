"""Synthetic outbreaks with known transmission: a line list with who-infected-whom, and counts.

Two datasets, both seeded and documented in their cards, so that every estimate a
student makes (the reproduction number, the dispersion, the share of transmission
prevented by contact tracing) can be checked against the parameters that made the data.

* ``outbreak_linelist``: an individual-based **branching process**. Every case draws an
  individual reproduction number nu ~ Gamma(shape k, scale R / k) and a Poisson(nu)
  number of potential infectees, so the offspring distribution is negative binomial with
  mean R and dispersion k (Lloyd-Smith et al. 2005). Infectees' symptom onsets follow
  their infector's onset by a gamma **serial interval**; their infection date is onset
  minus a gamma incubation period. Cases are reported after a gamma onset-to-report
  delay. Optional control: isolation at report, and **contact tracing** that quarantines a
  share of a reported case's infectees after a fixed delay; transmission after isolation
  or quarantine does not happen. Two presets set every parameter: ``mers2015`` (the
  2015 MERS outbreak in Korea: R about 1 and extreme overdispersion, serial interval of
  about 12.6 days) and ``covid2020`` (early SARS-CoV-2: R 2.5, k 0.1, serial interval
  about 4.7 days). The line list holds what a health authority would know on the analysis
  date (cases reported by then); ground_truth holds every infection, reported or not.
* ``seir_counts``: daily reported cases of a stochastic (chain-binomial) SEIR epidemic in a
  closed population, with under-ascertainment and a reporting delay: the counts a
  compartmental model is fitted to.

Random streams: ``numpy.random.default_rng(seed)``; for the line list each attempt
(outbreaks outside [min_cases, max_cases] are drawn again) uses the next child stream.
The loaders import numpy and pandas when they run, not at import.
"""

from __future__ import annotations

from typing import Any

from medai.datasets.registry import DatasetOptionError, DatasetSpec, Option

LINELIST = "outbreak_linelist"
SEIR = "seir_counts"
MAX_ATTEMPTS = 200_000

# Every parameter of a preset; any of them can be overridden by the option of the same name.
# Sources (see datasets/cards/outbreak_linelist.md): MERS R and variance of offspring from the
# reconstructed Korean transmission tree (Nishiura et al. 2016: R 1.0, variance 52.1, so by
# moments k = R^2 / (variance - R), about 0.02); MERS serial interval and incubation period
# (Cowling et al. 2015: means 12.6 and 6.7 days; SDs approximate); COVID-19 R and k (Endo et
# al. 2020), serial interval (Nishiura et al. 2020), incubation (Li et al. 2020, SD
# approximate). Report delays and tracing settings are illustrative, not estimates.
PRESETS: dict[str, dict[str, Any]] = {
    "mers2015": {
        "R": 1.0, "k": 0.02, "serial_mean": 12.6, "serial_sd": 2.8,
        "incubation_mean": 6.7, "incubation_sd": 3.0, "report_delay_mean": 4.0,
        "report_delay_sd": 3.0, "n_index": 1, "days": 70, "min_cases": 150,
        "max_cases": 250, "start_date": "2015-05-01",
    },
    "covid2020": {
        "R": 2.5, "k": 0.1, "serial_mean": 4.7, "serial_sd": 2.9,
        "incubation_mean": 5.2, "incubation_sd": 2.8, "report_delay_mean": 3.0,
        "report_delay_sd": 2.0, "n_index": 1, "days": 40, "min_cases": 100,
        "max_cases": 5000, "start_date": "2020-02-01",
    },
}
CONTROLS = ("none", "isolation", "tracing")


def _gamma(rng, mean: float, sd: float, size):
    """Gamma draws with the given mean and standard deviation (days)."""
    shape = (mean / sd) ** 2
    return rng.gamma(shape, sd**2 / mean, size)


def _parameters(preset: str, overrides: dict[str, Any]) -> dict[str, Any]:
    params = dict(PRESETS[preset])
    params.update({key: value for key, value in overrides.items() if value is not None})
    for key in ("n_index", "days", "min_cases", "max_cases"):
        if params[key] != int(params[key]):
            raise DatasetOptionError(f"{LINELIST}: option {key}={params[key]!r} must be a whole "
                                     "number")
        params[key] = int(params[key])
    for key in ("R", "k", "serial_mean", "serial_sd", "incubation_mean", "incubation_sd",
                "report_delay_mean", "report_delay_sd"):
        params[key] = float(params[key])
    if params["min_cases"] > params["max_cases"]:
        raise DatasetOptionError(f"{LINELIST}: min_cases={params['min_cases']} exceeds "
                                 f"max_cases={params['max_cases']}")
    if params["n_index"] > params["max_cases"]:
        raise DatasetOptionError(f"{LINELIST}: n_index={params['n_index']} exceeds "
                                 f"max_cases={params['max_cases']}")
    return params


def _new_cases(rng, p, infection, onset, traced, quarantine):
    """Draw everything a generation of cases needs once their infection and onset are known."""
    import numpy as np

    n = len(infection)
    report_natural = onset + _gamma(rng, p["report_delay_mean"], p["report_delay_sd"], n)
    report = np.where(traced, np.minimum(report_natural, np.maximum(onset, quarantine)),
                      report_natural)
    if p["control"] == "none":
        isolation = np.full(n, np.inf)
    else:
        isolation = np.where(traced, np.minimum(report_natural, quarantine), report_natural)
    nu = rng.gamma(p["k"], p["R"] / p["k"], n)
    return {"infection": infection, "onset": onset, "report": report, "isolation": isolation,
            "traced": traced, "quarantine": quarantine, "nu": nu,
            "potential": rng.poisson(nu)}


def _attempt(rng, p):
    """One outbreak: a list of generations (dicts of arrays), or None if it left the size range."""
    import numpy as np

    n0 = p["n_index"]
    infection = np.zeros(n0)
    onset = infection + _gamma(rng, p["incubation_mean"], p["incubation_sd"], n0)
    cases = _new_cases(rng, p, infection, onset, np.zeros(n0, bool), np.full(n0, np.inf))
    cases.update(infector=np.full(n0, -1), generation=np.zeros(n0, int))
    generations, total = [cases], n0
    while len(cases["infection"]):
        parent = np.repeat(np.arange(len(cases["infection"])), cases["potential"])
        child_onset = cases["onset"][parent] + _gamma(rng, p["serial_mean"], p["serial_sd"],
                                                      len(parent))
        incubation = _gamma(rng, p["incubation_mean"], p["incubation_sd"], len(parent))
        child_infection = np.maximum(child_onset - incubation, cases["infection"][parent] + 0.5)
        prevented = child_infection >= cases["isolation"][parent]
        cases["prevented"] = np.bincount(parent[prevented], minlength=len(cases["infection"]))
        cases["offspring"] = cases["potential"] - cases["prevented"]
        keep = ~prevented & (child_infection <= p["days"])
        parent, child_onset, child_infection = parent[keep], child_onset[keep], \
            child_infection[keep]
        total += len(parent)
        if total > p["max_cases"]:
            return None
        if p["control"] == "tracing":
            traced = rng.random(len(parent)) < p["tracing_coverage"]
        else:
            traced = np.zeros(len(parent), bool)
        quarantine = np.where(traced, cases["report"][parent] + p["tracing_delay"], np.inf)
        offset = sum(len(g["infection"]) for g in generations[:-1])
        cases = _new_cases(rng, p, child_infection, child_onset, traced, quarantine)
        cases.update(infector=offset + parent,
                     generation=np.full(len(parent), len(generations)))
        generations.append(cases)
    generations[-1].update(prevented=np.zeros(0, int), offspring=np.zeros(0, int))
    return generations if total >= p["min_cases"] else None


def _complete_table(generations, p):
    """Every infection up to the horizon, with what only the simulation knows."""
    import numpy as np
    import pandas as pd

    columns = {key: np.concatenate([g[key] for g in generations])
               for key in ("infector", "generation", "infection", "onset", "report", "traced",
                           "quarantine", "nu", "potential", "prevented", "offspring")}
    n = len(columns["infection"])
    ids = np.array([f"C{i + 1:04d}" for i in range(n)])
    infector = columns["infector"]
    children = np.bincount(infector[infector >= 0], minlength=n)
    start = np.datetime64(p["start_date"], "D")
    table = pd.DataFrame({
        "case_id": ids,
        "infector_id": np.where(infector >= 0, ids[np.maximum(infector, 0)], None),
        "generation": columns["generation"].astype("int64"),
        "infection_time": columns["infection"],
        "onset_time": columns["onset"],
        "report_time": columns["report"],
        "infection_day": np.floor(columns["infection"]).astype("int64"),
        "onset_day": np.floor(columns["onset"]).astype("int64"),
        "report_day": np.floor(columns["report"]).astype("int64"),
        "traced": columns["traced"].astype(bool),
        "quarantined": columns["quarantine"] <= columns["onset"],
        "individual_R": columns["nu"],
        "potential_offspring": columns["potential"].astype("int64"),
        "prevented_offspring": columns["prevented"].astype("int64"),
        "offspring_any_time": columns["offspring"].astype("int64"),
        "offspring_by_horizon": children.astype("int64"),
    })
    for what in ("infection", "onset", "report"):
        table[f"{what}_date"] = pd.to_datetime(start + table[f"{what}_day"].to_numpy())
    table["reported_by_analysis_date"] = table["report_day"] <= p["days"]
    return table


LINELIST_COLUMNS = ["case_id", "infector_id", "generation", "infection_date", "onset_date",
                    "report_date", "infection_day", "onset_day", "report_day", "traced",
                    "quarantined"]


def _daily(table, days: int, start_date: str):
    """Daily counts by onset and by report day, from the cases in ``table``."""
    import numpy as np
    import pandas as pd

    day = np.arange(days + 1)
    by_onset = np.bincount(table["onset_day"].clip(upper=days + 1), minlength=days + 2)
    by_report = np.bincount(table["report_day"].clip(upper=days + 1), minlength=days + 2)
    return pd.DataFrame({
        "day": day,
        "date": pd.to_datetime(np.datetime64(start_date, "D") + day),
        "cases_by_onset": by_onset[: days + 1].astype("int64"),
        "cases_by_report": by_report[: days + 1].astype("int64"),
    })


def outbreak_linelist(preset: str = "mers2015", R=None, k=None, serial_mean=None,
                      serial_sd=None, incubation_mean=None, incubation_sd=None,
                      report_delay_mean=None, report_delay_sd=None, n_index=None, days=None,
                      min_cases=None, max_cases=None, control: str = "none",
                      tracing_coverage: float = 0.8, tracing_delay: float = 2.0, seed: int = 0):
    import numpy as np

    from medai.datasets.types import TableDataset

    overrides = dict(R=R, k=k, serial_mean=serial_mean, serial_sd=serial_sd,
                     incubation_mean=incubation_mean, incubation_sd=incubation_sd,
                     report_delay_mean=report_delay_mean, report_delay_sd=report_delay_sd,
                     n_index=n_index, days=days, min_cases=min_cases, max_cases=max_cases)
    p = _parameters(preset, overrides)
    p.update(control=control, tracing_coverage=tracing_coverage, tracing_delay=tracing_delay)
    streams = np.random.default_rng(seed)
    for attempts in range(1, MAX_ATTEMPTS + 1):  # noqa: B007 (the count is reported)
        generations = _attempt(np.random.default_rng(streams.spawn(1)[0]), p)
        if generations is not None:
            break
    else:
        raise DatasetOptionError(
            f"{LINELIST}: no outbreak with {p['min_cases']}-{p['max_cases']} infections by day "
            f"{p['days']} in {MAX_ATTEMPTS} attempts; widen min_cases/max_cases or raise R")
    complete = _complete_table(generations, p)
    reported = complete[complete["reported_by_analysis_date"]]
    linelist = reported[LINELIST_COLUMNS].reset_index(drop=True)
    daily = _daily(reported, p["days"], p["start_date"])
    finished = complete["infection_time"] <= p["days"] - 3 * p["serial_mean"]
    sorted_offspring = np.sort(complete["offspring_any_time"].to_numpy())[::-1]
    top = max(1, int(round(0.2 * len(sorted_offspring))))
    potential = complete["potential_offspring"].sum()
    truth = {
        "preset": preset,
        "parameters": {key: p[key] for key in (*PRESETS[preset], "control", "tracing_coverage",
                                               "tracing_delay")},
        "model": {
            "individual_R": "nu ~ Gamma(shape k, scale R / k); potential infectees ~ "
                            "Poisson(nu), i.e. negative binomial(mean R, dispersion k)",
            "serial_interval": "infectee onset = infector onset + Gamma(serial_mean, serial_sd)",
            "incubation": "infectee infection = its onset - Gamma(incubation_mean, "
                          "incubation_sd), but at least 0.5 day after the infector's infection",
            "report": "report = onset + Gamma(report_delay_mean, report_delay_sd); a traced "
                      "case is reported at min(report, max(onset, quarantine))",
            "control": "none: nobody isolated; isolation: each case isolated at its report; "
                       "tracing: isolation, and each infectee of a case is traced with "
                       "probability tracing_coverage and quarantined at the infector's report "
                       "+ tracing_delay; no transmission at or after isolation/quarantine",
        },
        "attempts": attempts,
        "n_infections": len(complete),
        "n_reported": len(linelist),
        "complete_linelist": complete,
        "daily_all_infections": _daily(complete, p["days"], p["start_date"]).assign(
            infections=np.bincount(complete["infection_day"], minlength=p["days"] + 1)
            [: p["days"] + 1]),
        "mean_offspring_finished_cases": float(
            complete.loc[finished, "offspring_any_time"].mean()) if finished.any() else None,
        "share_by_top_20_percent": float(sorted_offspring[:top].sum()
                                         / max(1, sorted_offspring.sum())),
        "prevented_fraction": float(complete["prevented_offspring"].sum() / potential)
        if potential else 0.0,
        "seed": seed,
    }
    description = (
        f"A synthetic outbreak line list (preset {preset}, control '{control}'): "
        f"{len(linelist)} cases reported by day {p['days']} of {len(complete)} infections, from "
        f"a branching process with negative-binomial offspring (R {p['R']:g}, dispersion k "
        f"{p['k']:g}), a gamma serial interval (mean {p['serial_mean']:g} days) and "
        "onset-to-report delays. Each row has the case's infector, generation, infection, "
        "onset and report dates and tracing flags; ground_truth has every infection and the "
        "generative parameters. Not real data."
    )
    return TableDataset(name=LINELIST, tables={"linelist": linelist, "daily": daily},
                        description=description, data_dictionary=_LINELIST_DICTIONARY,
                        ground_truth=truth)


_LINELIST_DICTIONARY = {
    "case_id": "synthetic case identifier C0001..., in order of generation",
    "infector_id": "case_id of the case who infected this one (None for index cases)",
    "generation": "0 for index cases, infector's generation + 1 otherwise",
    "infection_date": "date of infection (never observed in reality; known here)",
    "onset_date": "date of symptom onset",
    "report_date": "date the case was confirmed and reported",
    "infection_day": "infection date as whole days since the first infection (day 0)",
    "onset_day": "onset date as whole days since day 0",
    "report_day": "report date as whole days since day 0",
    "traced": "True if found by contact tracing (an infectee of a reported case) and "
              "quarantined",
    "quarantined": "True if the quarantine began on or before symptom onset",
    "daily.cases_by_onset": "cases reported by the analysis date, by day of onset",
    "daily.cases_by_report": "cases by day of report",
}


# --- seir_counts -------------------------------------------------------------------------

def _report_delay_pmf(mean: float, sd: float, max_days: int = 30):
    """Daily probabilities of a gamma reporting delay, discretised to whole days."""
    import numpy as np
    from scipy import stats

    shape = (mean / sd) ** 2
    edges = stats.gamma.cdf(np.arange(max_days + 2), shape, scale=sd**2 / mean)
    pmf = np.diff(edges)
    return pmf / pmf.sum()


def seir_counts(R0: float = 2.2, latent_days: float = 3.0, infectious_days: float = 5.0,
                population: int = 200_000, initial_infectious: int = 10,
                ascertainment: float = 0.25, report_delay_mean: float = 3.0, days: int = 150,
                seed: int = 0):
    import numpy as np
    import pandas as pd

    from medai.datasets.types import TableDataset

    rng = np.random.default_rng(seed)
    beta, sigma, gamma = R0 / infectious_days, 1 / latent_days, 1 / infectious_days
    s, e, i, r = population - initial_infectious, 0, initial_infectious, 0
    states, infections, onsets = [], [], []
    for _ in range(days):
        new_e = rng.binomial(s, 1 - np.exp(-beta * i / population))
        new_i = rng.binomial(e, 1 - np.exp(-sigma))
        new_r = rng.binomial(i, 1 - np.exp(-gamma))
        s, e, i, r = s - new_e, e + new_e - new_i, i + new_i - new_r, r + new_r
        states.append((s, e, i, r))
        infections.append(new_e)
        onsets.append(new_i)
    onsets = np.array(onsets)
    ascertained = rng.binomial(onsets, ascertainment)
    pmf = _report_delay_pmf(report_delay_mean, max(1.0, report_delay_mean * 0.6))
    reported = np.zeros(days + len(pmf), dtype=np.int64)
    for day, count in enumerate(ascertained):
        reported[day: day + len(pmf)] += rng.multinomial(count, pmf)
    day = np.arange(1, days + 1)
    daily = pd.DataFrame({"day": day, "reported_cases": reported[:days]})
    states = np.array(states)
    truth_daily = pd.DataFrame({"day": day, "infections": infections, "onsets": onsets,
                                "ascertained_onsets": ascertained, "S": states[:, 0],
                                "E": states[:, 1], "I": states[:, 2], "R": states[:, 3]})
    truth = {
        "R0": R0, "latent_days": latent_days, "infectious_days": infectious_days,
        "beta": beta, "sigma": sigma, "gamma": gamma, "population": population,
        "initial_infectious": initial_infectious, "ascertainment": ascertainment,
        "report_delay_pmf": pmf,
        "model": "daily chain binomial: new E ~ Bin(S, 1 - exp(-beta I / N)), new I ~ "
                 "Bin(E, 1 - exp(-sigma)), new R ~ Bin(I, 1 - exp(-gamma)); each new I "
                 "(symptom onset) reported with probability ascertainment after a "
                 "discretised gamma delay (SD 0.6 x mean, at least 1 day)",
        "daily": truth_daily,
        "attack_rate": float(1 - states[-1, 0] / population),
        "seed": seed,
    }
    description = (
        f"Daily reported cases of a synthetic SEIR epidemic in a closed population of "
        f"{population:,} (R0 {R0:g}, latent {latent_days:g} d, infectious {infectious_days:g} "
        f"d), {ascertainment:.0%} of symptomatic infections reported after a delay of about "
        f"{report_delay_mean:g} days; {days} days. ground_truth has the true daily infections "
        "and compartments. Not real data."
    )
    return TableDataset(name=SEIR, tables={"daily": daily}, description=description,
                        data_dictionary={"day": "day since the start (1 = first day)",
                                         "reported_cases": "cases reported that day"},
                        ground_truth=truth)


_SEED = Option(0, "random seed", minimum=0, maximum=2**32 - 1)

DATASETS = {
    LINELIST: DatasetSpec(outbreak_linelist, options={
        "preset": Option("mers2015", "parameter set; any other option overrides its value",
                         choices=tuple(PRESETS)),
        "R": Option(None, "mean offspring (reproduction number); default from the preset",
                    minimum=0.05, maximum=10.0),
        "k": Option(None, "negative-binomial dispersion k (small = superspreading); default "
                          "from the preset", minimum=0.005, maximum=1000.0),
        "serial_mean": Option(None, "mean serial interval, days (default from the preset)",
                              minimum=1.0, maximum=30.0),
        "serial_sd": Option(None, "SD of the serial interval, days (preset)", minimum=0.3,
                            maximum=15.0),
        "incubation_mean": Option(None, "mean incubation period, days (preset)", minimum=0.5,
                                  maximum=21.0),
        "incubation_sd": Option(None, "SD of the incubation period, days (preset)", minimum=0.2,
                                maximum=10.0),
        "report_delay_mean": Option(None, "mean onset-to-report delay, days (preset)", minimum=0.2,
                                    maximum=21.0),
        "report_delay_sd": Option(None, "SD of the onset-to-report delay, days (preset)",
                                  minimum=0.1, maximum=15.0),
        "n_index": Option(None, "index (imported) cases infected on day 0 (preset)", minimum=1,
                          maximum=2000),
        "days": Option(None, "analysis date and horizon of infections, days after day 0 (preset)",
                       minimum=10, maximum=365),
        "min_cases": Option(None, "redraw the outbreak until it has at least this many "
                                  "infections (preset)", minimum=0, maximum=20_000),
        "max_cases": Option(None, "... and at most this many (preset)", minimum=1, maximum=20_000),
        "control": Option("none", "isolation of reported cases and contact tracing",
                          choices=CONTROLS),
        "tracing_coverage": Option(0.8, "share of a reported case's infectees traced",
                                   minimum=0.0, maximum=1.0),
        "tracing_delay": Option(2.0, "days from the infector's report to the quarantine of a "
                                     "traced contact", minimum=0.0, maximum=30.0),
        "seed": _SEED,
    }),
    SEIR: DatasetSpec(seir_counts, options={
        "R0": Option(2.2, "basic reproduction number", minimum=0.5, maximum=8.0),
        "latent_days": Option(3.0, "mean latent period (E), days", minimum=0.5, maximum=14.0),
        "infectious_days": Option(5.0, "mean infectious period (I), days", minimum=1.0,
                                  maximum=20.0),
        "population": Option(200_000, "population size N", minimum=1000, maximum=50_000_000),
        "initial_infectious": Option(10, "infectious people on day 0", minimum=1,
                                     maximum=10_000),
        "ascertainment": Option(0.25, "share of symptomatic infections reported",
                                minimum=0.01, maximum=1.0),
        "report_delay_mean": Option(3.0, "mean onset-to-report delay, days", minimum=0.5,
                                    maximum=14.0),
        "days": Option(150, "days simulated", minimum=20, maximum=730),
        "seed": _SEED,
    }),
}
