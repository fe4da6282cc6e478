# %% [markdown]
# # dx10 · Epidemics and contact tracing
#
# *Module: AI for diagnosis and clinical prediction · Expected time: the core path takes about
# 110 minutes in the lab; one optional deep dive adds about 8 · Prerequisites: dx05 (censoring),
# basic probability (Poisson distribution, likelihood), numpy and scipy; no epidemiology is
# assumed.*

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# By the end you can ...
#
# - ... explain how the reproduction number R and the **dispersion k** of a negative-binomial
#   offspring distribution shape **superspreading** (the 20/80 rule) and the probability that
#   an introduced case starts no outbreak;
# - ... estimate R and k from the **offspring counts** of a line list by maximum likelihood, and
#   the **serial interval** from infector–infectee pairs, leaving out cases whose transmission is
#   not yet over;
# - ... estimate the time-varying reproduction number from daily counts with the **renewal
#   equation**, and show how **reporting delays** make the latest days look like a decline and
#   how a simple **nowcast** corrects them;
# - ... fit an **SEIR** model with `solve_ivp` to reported counts by Poisson likelihood, and show
#   with profile likelihoods which parameters the early growth phase can and cannot identify;
# - ... quantify how the **delay** of contact tracing changes the share of onward transmission
#   prevented for MERS-like and COVID-19-like timing, and describe how Korea's
#   test–trace–isolate system worked and the privacy questions it raised.

# %% [markdown]
# ## Clinical question
# *Core · 5 min*
#
# On 20 May 2015 a man who had returned from the Middle East was diagnosed in Seoul with
# **Middle East respiratory syndrome** (MERS). Before the diagnosis he had been seen at several
# clinics and hospitals. By July the outbreak counted **186 confirmed cases and 38 deaths**
# (KCDC 2015), almost all infected inside hospitals: in crowded emergency departments, in
# multi-bed rooms, among family caregivers and visitors. Most cases did not infect anyone; a
# handful of patients each infected dozens, and one patient in the emergency department of a
# large Seoul hospital was linked to more than 80 cases (Nishiura et al. 2016). Over 16,000
# contacts were quarantined.
#
# Each day of such an outbreak, the infection-control doctor and the public-health officer face
# decisions that rest on numbers:
#
# 1. **Is it growing or shrinking?** The reproduction number $R$ (the mean number of people each
#    case infects) says whether the outbreak dies out ($R < 1$) or grows ($R > 1$). Estimated
#    from the latest counts, it drives the decision to close an emergency department or lift
#    a quarantine.
# 2. **Who spreads it?** If transmission is concentrated in a few **superspreaders**, control
#    should find the settings and patients that produce them (a patient with pneumonia in a
#    crowded emergency room) rather than treat every case alike.
# 3. **How fast must contacts be found?** Contact tracing works only if contacts are quarantined
#    *before* they infect others. The answer depends on when in the illness people transmit.
#
# A wrong answer costs lives or freedom: an $R$ that looks below 1 because the last week's cases
# are not reported yet ends control too early; an overestimated one keeps thousands in
# quarantine; tracing that is too slow uses scarce staff and prevents little. Five years later
# Korea's response to COVID-19 relied on the same ideas, with test–trace–isolate built on the
# legal and organisational changes that followed MERS.

# %% [markdown]
# ## Data card
# *Core · 5 min*
#
# | Item | `outbreak_linelist` | `seir_counts` |
# |---|---|---|
# | **What** | A **synthetic** outbreak line list from a branching process: one row per reported case, with its infector | **Synthetic** daily reported cases of an epidemic in a closed population |
# | **Model** | Each case infects a negative-binomial number of people (mean R, dispersion k); gamma serial interval, incubation period and onset-to-report delay; optional isolation and contact tracing | Stochastic SEIR (daily chain binomial), 25% of symptomatic infections reported after a delay of about 3 days |
# | **Parameters** | Preset `mers2015`: R 1.0 and k about 0.02 (the reconstructed Korean transmission tree, Nishiura et al. 2016), serial interval mean 12.6 days (Cowling et al. 2015); preset `covid2020`: R 2.5, k 0.1 (Endo et al. 2020), serial interval 4.7 days (Nishiura et al. 2020) | R0 2.2, latent 3 days, infectious 5 days, population 200,000 |
# | **Columns** | `case_id`, `infector_id`, `generation`, infection/onset/report dates and days, `traced`, `quarantined`; table `daily` with counts by onset and by report day | `day`, `reported_cases` |
# | **Answer key** | `ground_truth`: every infection (reported or not), each case's individual R and offspring, the parameters | true daily infections and compartments, the parameters |
# | **Licence / PHI** | generated by the course package; no real patients | same |
# | **Limitations** | No real MERS data: the outbreak is **redrawn until it has 150–250 infections** (like Korea's), which favours large, early superspreading; no hospital structure; who-infected-whom is known exactly (in reality it is reconstructed and uncertain) | homogeneous mixing, fixed ascertainment, no interventions |
#
# Real line lists of the Korean outbreak were published by the KCDC and analysed in the papers
# cited; we do not ship them. Dates in the synthetic line list start on 1 May 2015 for
# readability only.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.integrate import solve_ivp
from scipy.special import gammaln

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

pd.set_option("display.precision", 2)
mers = datasets.load("outbreak_linelist", preset="mers2015", seed=0)
linelist, daily = mers["linelist"], mers["daily"]
truth = mers.ground_truth
ANALYSIS_DAY = truth["parameters"]["days"]
for name in ("outbreak_linelist", "seir_counts"):
    info = datasets.info(name)
    print(f"{name}: {info['kind']} | {info['licence']} | {info['phi']}")
print(f"{len(linelist)} cases reported by day {ANALYSIS_DAY} "
      f"({daily['date'].iloc[-1]:%d %B %Y}); {linelist['infector_id'].isna().sum()} index case(s)")
linelist.head()

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Five tools, each answering part of the clinical question: the branching process (who spreads),
# estimation from a line list, estimation from daily counts, a compartmental model, and a
# simulation of contact tracing.

# %% [markdown]
# ### 1. Branching process, R and the dispersion k
# *Core · 7 min*
#
# Early in an outbreak, when almost everyone is still susceptible, each case infects people
# independently of the others: a **branching process**. Its offspring distribution, the number
# $Z$ of people one case infects, has mean $R$. If every case were alike, $Z$ would be Poisson
# with mean $R$. Real cases differ (how sick, how many contacts, which setting), so Lloyd-Smith
# et al. (2005) gave every case its own **individual reproduction number**
# $\nu \sim \text{Gamma}(\text{shape } k, \text{mean } R)$ and $Z \mid \nu \sim
# \text{Poisson}(\nu)$. Then $Z$ is **negative binomial** with
#
# $$ E[Z] = R, \qquad \operatorname{Var}[Z] = R\,(1 + R/k), \qquad
#    P(Z = 0) = (1 + R/k)^{-k}. $$
#
# Small $k$ means large variance: most cases infect nobody and a few infect many. For SARS in
# 2003, $k$ was about 0.16 (Lloyd-Smith et al. 2005). For MERS, two published estimates:
#
# - **Kucharski & Althaus (2015)**, from the sizes of MERS clusters in the Middle East before
#   the Korean outbreak: $R_0$ below 1 (about 0.5) and $k = 0.26$ (95% CI 0.09–1.24), wide
#   uncertainty. They showed that a cluster of over 150 cases, as in Korea, is not unexpected
#   with such $k$.
# - **Nishiura et al. (2016)**, from the reconstructed Korean transmission tree (185 cases):
#   $R \approx 1.0$ over the whole outbreak, with a variance of secondary cases of 52.1. Solving
#   $\operatorname{Var} = R(1 + R/k)$ for $k$ gives $k = R^2 / (\text{Var} - R) \approx 0.02$: a
#   method-of-moments figure we derive here, not one the paper reports, and only approximate.
#
# The dataset's `mers2015` preset uses $R = 1.0$ and $k = 0.02$. The **20/80 rule** (Woolhouse
# et al. 1997) says that about 20% of cases cause about 80% of transmission; with small $k$ the
# top 20% cause almost all of it.
#
# **Extinction.** A single introduced case starts a chain that dies out with probability $q$, the
# smallest root of $q = G(q)$, where $G(s) = (1 + \tfrac{R}{k}(1 - s))^{-k}$ is the probability
# generating function of $Z$. With $R \le 1$, $q = 1$: every chain ends, however large it grows
# on the way. With $R > 1$ and small $k$, most introductions still fizzle out, but those that
# take off are explosive.

# %% [markdown]
# ### 2. Estimating R, k and the serial interval from a line list
# *Core · 6 min*
#
# A line list with the infector of each case gives each case's number of offspring: count how
# often its `case_id` appears as an `infector_id`. The negative-binomial log-likelihood of
# offspring counts $z_1, \dots, z_n$ is
#
# $$ \ell(R, k) = \sum_i \Big[\ln\Gamma(z_i + k) - \ln\Gamma(k) - \ln z_i!
#    + k \ln\tfrac{k}{k + R} + z_i \ln\tfrac{R}{k + R}\Big]. $$
#
# Its maximum in $R$ is the sample mean; $k$ is found numerically, and its 95% interval from the
# **profile likelihood** (the $k$ values whose log-likelihood is within 1.92 of the maximum).
# Only cases whose transmission is over may count: a case reported yesterday has infected
# people who are not yet cases. We keep cases with onset at least two mean serial intervals
# before the analysis date.
#
# The **serial interval** is the time from the infector's symptom onset to the infectee's. From
# pairs in the line list we get its mean and SD; with a gamma fit it becomes the weight $w_s$ of
# day $s$ in the renewal equation below.

# %% [markdown]
# ### 3. R from daily counts: the renewal equation
# *Core · 6 min*
#
# Most surveillance only counts cases per day. If $I_t$ cases have onset on day $t$ and the
# serial interval puts weight $w_s$ on $s$ days, the cases of day $t$ are expected to be
#
# $$ E[I_t] = R_t \,\Lambda_t, \qquad \Lambda_t = \sum_{s \ge 1} w_s\, I_{t-s}, $$
#
# the **renewal equation**: $R_t$ times the infectiousness of earlier cases. Cori et al. (2013)
# assume $R_t$ constant over a window of $\tau$ days and a Gamma(1, scale 5) prior, which gives
# a Gamma posterior with shape $1 + \sum I_t$ and rate $1/5 + \sum \Lambda_t$ (sums over the
# window). Two things bias it near the analysis date: **reporting delays** (the most recent onsets
# are not reported yet, so $I_t$ is too small) and the wrong serial interval. A **nowcast**
# divides each recent day's count by the probability $F(T - t)$ that a case with onset on day $t$
# has been reported by the analysis day $T$, with $F$ the distribution of the onset-to-report
# delay estimated from earlier cases.

# %% [markdown]
# ### 4. An SEIR model fitted to counts
# *Core · 6 min*
#
# When an epidemic reaches a large part of a population, susceptibles run out and a branching
# process no longer fits. The **SEIR** model (Keeling & Rohani 2008) divides a population of $N$
# into susceptible, exposed (infected, not yet infectious), infectious and removed people:
#
# $$ \dot S = -\beta S I / N, \quad \dot E = \beta S I / N - \sigma E, \quad
#    \dot I = \sigma E - \gamma I, \quad \dot R = \gamma I, $$
#
# with $1/\sigma$ the mean latent period, $1/\gamma$ the mean infectious period and
# $R_0 = \beta / \gamma$. We add $\dot C = \sigma E$, the cumulative number of symptom onsets; daily
# onsets are its differences. A share $\rho$ (the **ascertainment**) of onsets are reported after
# a known delay distribution $d$, so the expected reports are
# $\mu_t = \rho \sum_u d_u\, \text{onsets}_{t-u}$. We integrate the ODEs with `solve_ivp` and
# minimise the Poisson negative log-likelihood $\sum_t (\mu_t - y_t \ln \mu_t)$ over
# $(R_0, \rho, I_0)$, with $\sigma$, $\gamma$ and $N$ taken as known. A **profile likelihood**
# fixes one parameter at a grid of values and re-optimises the others: if it is flat, the data
# cannot tell those values apart (the parameter is not **identifiable**).

# %% [markdown]
# ### 5. Contact tracing and its delays
# *Core · 5 min*
#
# In the simulation, every case is isolated when it is reported, and each of its infectees is
# traced with probability $c$ (the **coverage**) and quarantined $\delta$ days after the case's
# report (the **tracing delay**). Nobody transmits after isolation or quarantine. The share of
# onward transmission prevented among the traced generation, compared with no control at all,
# measures how well tracing works (in the spirit of Hellewell et al. 2020 and Kretzschmar et
# al. 2020). It depends on **when** people transmit relative to their symptom onset: MERS
# transmission happened mostly after onset, in hospitals (serial interval about 12.6 days,
# incubation about 6.7 days); SARS-CoV-2 transmitted much before onset (serial interval about
# 4.7 days, shorter than its incubation period of about 5.2 days, Li et al. 2020).

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# Five parts: superspreading in the line list (A), the serial interval and the epidemic curve
# (B), $R_t$ and nowcasting (C), the SEIR fit (D) and contact tracing (E).

# %% [markdown]
# ### A. Superspreading in the line list
# *Core · 12 min*
#
# First the offspring counts: how many people did each case infect?

# %%
infectors = linelist["infector_id"].dropna().value_counts()
linelist["offspring"] = linelist["case_id"].map(infectors).fillna(0).astype(int)
serial_mean = truth["parameters"]["serial_mean"]
finished = linelist["onset_day"] <= ANALYSIS_DAY - 2 * serial_mean
z = linelist.loc[finished, "offspring"].to_numpy()


def nb_loglik(z, R, k):
    """Negative-binomial log-likelihood of offspring counts z (mean R, dispersion k)."""
    return np.sum(gammaln(z + k) - gammaln(k) - gammaln(z + 1)
                  + k * np.log(k / (k + R)) + z * np.log(R / (k + R)))


def fit_offspring(z):
    """Maximum-likelihood R and k, with the profile-likelihood 95% interval of k."""
    R_hat = z.mean()
    fit = optimize.minimize_scalar(lambda lk: -nb_loglik(z, R_hat, np.exp(lk)),
                                   bounds=(-7, 7), method="bounded")
    k_hat, best = np.exp(fit.x), -fit.fun
    grid = np.exp(np.linspace(-7, 7, 561))
    profile = np.array([max(nb_loglik(z, R, k) for R in R_hat * np.array([0.8, 1, 1.25]))
                        for k in grid])
    inside = grid[profile >= best - stats.chi2.ppf(0.95, 1) / 2]
    return R_hat, k_hat, (inside.min(), inside.max())


def top_share(z, top=0.2):
    """Share of all offspring caused by the top `top` fraction of cases."""
    ordered = np.sort(z)[::-1]
    return ordered[: max(1, round(top * len(z)))].sum() / ordered.sum()


R_hat, k_hat, k_ci = fit_offspring(z)
share_top20 = top_share(z)
print(f"{finished.sum()} cases with finished transmission (onset by day "
      f"{ANALYSIS_DAY - 2 * serial_mean:.0f}); {(z == 0).mean():.0%} infected nobody, "
      f"the largest infected {z.max()}")
pd.DataFrame({
    shown("estimate"): [R_hat, k_hat, share_top20],
    shown("truth (model)"): [truth["parameters"]["R"], truth["parameters"]["k"], np.nan],
}, index=["R", "k", shown("share of transmission, top 20% of cases")])

# %% [markdown]
# The estimated $R$ is **larger** than the $R$ of the model. That is not bad luck: the dataset
# keeps only outbreaks that reached 150–250 infections (as Korea's did), and outbreaks become
# large because their early cases happened to infect many. Every outbreak we study was selected
# for being large, so its $R$ is biased upwards. The profile interval of $k$ (printed below) is
# wide but firmly below 1: extreme overdispersion is clear even from a hundred cases.

# %%
print(f"k = {k_hat:.3f}, profile-likelihood 95% CI {k_ci[0]:.3f} to {k_ci[1]:.3f}")
all_finished = truth["complete_linelist"]
print(f"share of transmission by the top 20% of all infections (answer key): "
      f"{truth['share_by_top_20_percent']:.2f}")

fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
counts = np.bincount(z)
axes[0].bar(np.arange(len(counts)), counts, color="tab:red", alpha=0.7,
            label=shown("cases with finished transmission"))
support = np.arange(len(counts))
p_nb = stats.nbinom.pmf(support, k_hat, k_hat / (k_hat + R_hat))
p_pois = stats.poisson.pmf(support, R_hat)
axes[0].plot(support, len(z) * p_nb, "ko-", markersize=3, label=f"NB fit (k = {k_hat:.2f})")
axes[0].plot(support, len(z) * p_pois, "s--", color="tab:blue", markersize=3,
             label=shown("Poisson with the same mean"))
axes[0].set_yscale("symlog", linthresh=1)
axes[0].set_xlabel("Number of people infected by one case")
axes[0].set_ylabel("Number of cases")
axes[0].set_title("Offspring distribution, MERS-like outbreak")
axes[0].legend(fontsize=8)

share_cases = np.linspace(0, 1, 101)
ordered = np.sort(z)[::-1]
cumulative = np.concatenate([[0], np.cumsum(ordered) / ordered.sum()])
axes[1].plot(np.arange(len(cumulative)) / len(z), cumulative, color="tab:red", linewidth=2,
             label=shown("this line list"))
rng_curve = np.random.default_rng(0)
for k_value, colour in [(0.1, "tab:purple"), (1.0, "tab:green"), (100.0, "tab:blue")]:
    draws = np.sort(stats.nbinom.rvs(k_value, k_value / (k_value + 1.0), size=20_000,
                                     random_state=rng_curve))[::-1]
    axes[1].plot(np.linspace(0, 1, len(draws) + 1),
                 np.concatenate([[0], np.cumsum(draws) / draws.sum()]), color=colour,
                 label=f"NB, R = 1, k = {k_value:g}")
axes[1].plot([0.2, 0.2, 0], [0, 0.8, 0.8], "k:", linewidth=1)
axes[1].set_xlabel("Share of cases (most infectious first)")
axes[1].set_ylabel("Share of all transmission")
axes[1].set_title("Who causes the transmission? (20/80 rule dotted)")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# On a log scale the Poisson distribution with the same mean has almost no room for a case that
# infects more than five people; the line list has several that infected far more. On the right,
# the curve of this outbreak rises almost vertically: a few cases produced nearly all
# transmission. A Poisson-like infection ($k = 100$) stays close to the diagonal.
#
# **Extinction.** The probability that one introduced case leads to no sustained outbreak,
# from the fixed point of the generating function:

# %%
def extinction_probability(R, k, iterations=5000):
    """Smallest root of q = G(q) for negative-binomial offspring, by fixed-point iteration."""
    q = np.zeros_like(np.asarray(k, dtype=float))
    for _ in range(iterations):
        q = (1 + R / k * (1 - q)) ** (-k)
    return q


k_grid = np.logspace(-2, 2, 60)
fig, axis = plt.subplots(figsize=(6.5, 4))
for R_value, colour in [(1.5, "tab:orange"), (2.5, "tab:red"), (4.0, "tab:purple")]:
    axis.plot(k_grid, extinction_probability(R_value, k_grid), color=colour,
              label=f"R = {R_value:g}")
axis.axvline(0.26, color="grey", linestyle="--", linewidth=1)
axis.text(0.27, 0.05, shown("MERS, k = 0.26\n(Kucharski & Althaus 2015)"), fontsize=8)
axis.set_xscale("log")
axis.set_xlabel("Dispersion k (log scale; small = superspreading)")
axis.set_ylabel("P(chain from one case dies out)")
axis.set_title("Probability of extinction after one introduction")
axis.legend(fontsize=8)
plt.show()
print(f"R = 2.5: extinction {extinction_probability(2.5, np.array([0.1]))[0]:.2f} with k = 0.1, "
      f"{extinction_probability(2.5, np.array([100.0]))[0]:.2f} with k = 100")

# %% [markdown]
# With the same $R$, small $k$ makes extinction much more likely: most introductions die out
# before anyone notices. This is why an imported case does not always start an outbreak, and
# why the ones that do start with a burst (a superspreading event).

# %% [markdown]
# ### B. The serial interval and the epidemic curve
# *Core · 8 min*

# %%
onset = linelist.set_index("case_id")["onset_day"]
pairs = linelist.dropna(subset=["infector_id"])
serial = (pairs["onset_day"].to_numpy() - onset[pairs["infector_id"]].to_numpy()).astype(float)
si_shape, _, si_scale = stats.gamma.fit(np.clip(serial, 0.5, None), floc=0)
print(f"{len(serial)} infector-infectee pairs: serial interval mean {serial.mean():.1f} days, "
      f"SD {serial.std(ddof=1):.1f} (model: mean {serial_mean:g}, "
      f"SD {truth['parameters']['serial_sd']:g}); gamma fit mean {si_shape * si_scale:.1f}")

all_daily = truth["daily_all_infections"]
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
axes[0].hist(serial, bins=np.arange(0, 31), color="tab:blue", alpha=0.7, density=True,
             label=shown("observed pairs"))
grid_days = np.linspace(0, 30, 200)
axes[0].plot(grid_days, stats.gamma.pdf(grid_days, si_shape, scale=si_scale), "k",
             label=shown("gamma fit"))
axes[0].set_xlabel("Serial interval (days, onset to onset)")
axes[0].set_ylabel("Density")
axes[0].set_title("Serial interval")
axes[0].legend(fontsize=8)
axes[1].bar(daily["date"], daily["cases_by_onset"], color="tab:red", alpha=0.6,
            label=shown("reported cases, by onset date"))
axes[1].step(all_daily["date"], all_daily["cases_by_onset"], where="mid", color="black",
             label=shown("all infections, by onset date (answer key)"))
axes[1].axvline(daily["date"].iloc[-1], color="grey", linestyle="--")
axes[1].set_xlabel("Date (synthetic calendar)")
axes[1].set_ylabel("Cases per day")
axes[1].set_title("Epidemic curve on the analysis date")
axes[1].legend(fontsize=8)
axes[1].tick_params(axis="x", rotation=30)
fig.tight_layout()
plt.show()

# %% [markdown]
# The serial interval is narrow and long, as it was for MERS in Korea: a new wave of cases about
# every two weeks, each wave produced in a hospital by one of the few superspreaders. The
# epidemic curve on the right shows the first pitfall of this lesson: at the analysis date
# (dashed line) the reported curve falls away, but the answer key shows cases whose onset has
# happened and whose report has not. The decline of the last days is **right-censoring**, not
# control.

# %% [markdown]
# ### C. R from daily counts, and a nowcast
# *Core · 12 min*
#
# The renewal estimate with a 7-day window, the serial interval discretised from the gamma fit,
# applied to the reported counts by onset date; then the same with the nowcast of the last days.

# %%
def discretise_serial(shape, scale, max_days=40):
    """w_s = P(s - 1 < serial interval <= s) for s = 1..max_days, normalised."""
    w = np.diff(stats.gamma.cdf(np.arange(max_days + 1), shape, scale=scale))
    return w / w.sum()


def renewal_R(incidence, w, window=7, prior_shape=1.0, prior_scale=5.0):
    """Cori et al. (2013) posterior mean and 95% interval of R_t (window ending on day t)."""
    n = len(incidence)
    lam = np.array([np.sum(w[: t][::-1] * incidence[max(0, t - len(w)): t][-len(w):])
                    if t else 0.0 for t in range(n)])
    out = np.full((n, 3), np.nan)
    for t in range(window, n):
        shape = prior_shape + incidence[t - window + 1: t + 1].sum()
        rate = 1 / prior_scale + lam[t - window + 1: t + 1].sum()
        if lam[t - window + 1: t + 1].sum() > 1:
            out[t] = [shape / rate, *stats.gamma.ppf([0.025, 0.975], shape, scale=1 / rate)]
    return out


w = discretise_serial(si_shape, si_scale)
onsets_reported = daily["cases_by_onset"].to_numpy().astype(float)

# Onset-to-report delays of cases with onset well before the analysis date (complete data).
early = linelist["onset_day"] <= ANALYSIS_DAY - 20
delays = (linelist.loc[early, "report_day"] - linelist.loc[early, "onset_day"]).to_numpy()
F = np.array([np.mean(delays <= d) for d in range(ANALYSIS_DAY + 1)])
days_before = ANALYSIS_DAY - daily["day"].to_numpy()
nowcast = onsets_reported / np.maximum(F[days_before], 0.2)

rt_reported = renewal_R(onsets_reported, w)
rt_nowcast = renewal_R(nowcast, w)
rt_truth = renewal_R(all_daily["cases_by_onset"].to_numpy().astype(float), w)
print(f"cases with onset in the last 7 days: reported {onsets_reported[-7:].sum():.0f}, "
      f"nowcast {nowcast[-7:].sum():.1f}, answer key {all_daily['cases_by_onset'].iloc[-7:].sum()}")

fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
last = daily["day"] >= ANALYSIS_DAY - 21
axes[0].bar(daily.loc[last, "day"], onsets_reported[last], color="tab:red", alpha=0.6,
            label=shown("reported by the analysis date"))
axes[0].plot(daily.loc[last, "day"], nowcast[last], "o-", color="tab:green",
             label=shown("nowcast"))
axes[0].step(all_daily.loc[last, "day"], all_daily.loc[last, "cases_by_onset"], where="mid",
             color="black", label=shown("answer key"))
axes[0].set_xlabel("Day of symptom onset")
axes[0].set_ylabel("Cases")
axes[0].set_title("The last three weeks: censoring and nowcast")
axes[0].legend(fontsize=8)
for estimate, colour, label in [(rt_truth, "black", shown("all cases (answer key)")),
                                (rt_reported, "tab:red", shown("reported cases")),
                                (rt_nowcast, "tab:green", shown("nowcast"))]:
    axes[1].plot(daily["day"], estimate[:, 0], color=colour, label=label)
axes[1].fill_between(daily["day"], rt_reported[:, 1], rt_reported[:, 2], color="tab:red",
                     alpha=0.15)
axes[1].axhline(1, color="grey", linestyle="--")
axes[1].set_ylim(0, 8)
axes[1].set_xlabel("Day (end of the 7-day window)")
axes[1].set_ylabel("R_t, posterior mean (band: 95% interval, reported)")
axes[1].set_title("Renewal-equation estimate of R_t")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# $R_t$ jumps far above 1 when a superspreader's wave arrives and falls below 1 between waves:
# with $k \approx 0.02$ an outbreak does not have one smooth $R$. At the end of the series the
# estimate from reported cases drops because the denominator (infectiousness of earlier cases,
# mostly reported) is complete while the numerator (recent onsets, partly reported) is not. The
# nowcast closes much of the gap. With so few cases the intervals are wide, and a 7-day window
# shorter than the serial interval makes $R_t$ jump (Gostic et al. 2020 discuss these choices).

# %% [markdown]
# ### D. An SEIR model fitted to reported counts
# *Core · 12 min*

# %%
seir = datasets.load("seir_counts", seed=0)
reports = seir["daily"]["reported_cases"].to_numpy()
N = seir.ground_truth["population"]
SIGMA, GAMMA = 1 / 3.0, 1 / 5.0  # latent and infectious periods taken as known (3 and 5 days)
delay = np.diff(stats.gamma.cdf(np.arange(32), (3.0 / 1.8) ** 2, scale=1.8**2 / 3.0))
delay /= delay.sum()  # onset-to-report delay: mean 3 days, SD 1.8, from an earlier study


def seir_onsets(R0, I0, n_days):
    """Daily symptom onsets of the deterministic SEIR model (solve_ivp)."""
    def rhs(t, y):
        S, E, I, _ = y
        infection = R0 * GAMMA * S * I / N
        return [-infection, infection - SIGMA * E, SIGMA * E - GAMMA * I, SIGMA * E]

    solution = solve_ivp(rhs, (0, n_days), [N - I0, 0.0, I0, 0.0],
                         t_eval=np.arange(n_days + 1), rtol=1e-6, atol=1e-6)
    return np.diff(solution.y[3])


def expected_reports(R0, rho, I0, n_days):
    return rho * np.convolve(seir_onsets(R0, I0, n_days), delay)[:n_days] + 1e-9


def poisson_nll(theta, y, rho=None):
    """Poisson negative log-likelihood; theta = (log R0, logit rho, log I0) or (log R0, log I0)."""
    if rho is None:
        R0, rho, I0 = np.exp(theta[0]), 1 / (1 + np.exp(-theta[1])), np.exp(theta[2])
    else:
        R0, I0 = np.exp(theta[0]), np.exp(theta[1])
    mu = expected_reports(R0, rho, I0, len(y))
    return float(np.sum(mu - y * np.log(mu)))


def fit_seir(y, start=(1.5, 0.5, 5.0)):
    theta0 = [np.log(start[0]), np.log(start[1] / (1 - start[1])), np.log(start[2])]
    fit = optimize.minimize(poisson_nll, theta0, args=(y,), method="Nelder-Mead",
                            options={"xatol": 1e-3, "fatol": 1e-3, "maxiter": 400})
    return np.exp(fit.x[0]), 1 / (1 + np.exp(-fit.x[1])), np.exp(fit.x[2]), fit.fun


EARLY_DAYS = 45
fits = {shown(f"first {EARLY_DAYS} days"): fit_seir(reports[:EARLY_DAYS]),
        shown(f"all {len(reports)} days"): fit_seir(reports)}
gt = seir.ground_truth
fit_table = pd.DataFrame(
    {label: {"R0": f[0], shown("ascertainment"): f[1], "I0": f[2]} for label, f in fits.items()})
fit_table[shown("truth")] = [gt["R0"], gt["ascertainment"], gt["initial_infectious"]]
fit_table

# %% [markdown]
# Now the profile likelihood of the ascertainment: fix $\rho$ on a grid, re-fit $R_0$ and $I_0$,
# and see how much worse the fit gets.

# %%
rho_grid = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.9])


def profile_rho(y, R0_hat, rho_hat, I0_hat):
    """Minimum negative log-likelihood over (R0, I0) for each fixed ascertainment."""
    values = []
    for rho in rho_grid:  # start where rho * I0 equals the best fit's (the identified product)
        fit = optimize.minimize(poisson_nll, [np.log(R0_hat), np.log(I0_hat * rho_hat / rho)],
                                args=(y, rho), method="Nelder-Mead",
                                options={"xatol": 1e-2, "fatol": 1e-2, "maxiter": 80})
        values.append(fit.fun)
    return np.array(values) - min(values)


profiles = {label: profile_rho(reports[: EARLY_DAYS if i == 0 else len(reports)], *f[:3])
            for i, (label, f) in enumerate(fits.items())}

fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
days_axis = np.arange(1, len(reports) + 1)
axes[0].plot(days_axis, reports, ".", color="grey", label=shown("reported cases"))
for (label, f), colour in zip(fits.items(), ["tab:orange", "tab:blue"]):
    axes[0].plot(days_axis, expected_reports(f[0], f[1], f[2], len(reports)), color=colour,
                 label=label)
axes[0].axvline(EARLY_DAYS, color="tab:orange", linestyle=":")
axes[0].set_xlabel("Day")
axes[0].set_ylabel("Reported cases per day")
axes[0].set_title("SEIR fits (dotted: end of the early data)")
axes[0].legend(fontsize=8)
for (label, profile), colour in zip(profiles.items(), ["tab:orange", "tab:blue"]):
    axes[1].plot(rho_grid, np.minimum(profile, 30), "o-", color=colour, label=label)
axes[1].axhline(1.92, color="grey", linestyle="--", label=shown("95% cut-off (1.92)"))
axes[1].axvline(gt["ascertainment"], color="black", linestyle=":", label=shown("truth"))
axes[1].set_xscale("log")
axes[1].set_xlabel("Ascertainment ρ (fixed)")
axes[1].set_ylabel("Increase in negative log-likelihood (capped at 30)")
axes[1].set_title("Profile likelihood of the ascertainment")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Both fits follow the data they saw, and the early fit gets the **growth rate** right: with the
# latent and infectious periods known, the growth rate fixes $R_0$ (Wallinga & Lipsitch 2007).
# But in the growth phase the model's reports are
# $\rho \times I_0 \times e^{rt}$ times a constant: only the product of ascertainment and initial
# size is identified, and the early profile is flat across the grid. Only when susceptibles run
# out, at the peak, does the size of the epidemic tell how many infections each report stands
# for. Had we also fitted the latent and infectious periods, even $R_0$ would not be
# identifiable from the growth phase: many combinations give the same growth rate.

# %% [markdown]
# ### E. Contact tracing: how fast is fast enough?
# *Core · 12 min*
#
# We simulate 300 imported cases and their infectees, with isolation at report and tracing of
# 80% of contacts after a delay of 0 to 8 days, once with MERS timing and once with COVID-19
# timing. To compare the timing alone, both get the same $R = 2$ and a mild $k = 1$ (less noise);
# the share prevented is counted among the infectees of the index cases (the first traced
# generation).

# %%
DELAYS = [0, 1, 2, 3, 4, 6, 8]
SCENARIOS = {shown("MERS timing"): "mers2015", shown("COVID-19 timing"): "covid2020"}
HORIZON = {"mers2015": 30, "covid2020": 20}  # days: long enough for the first generation
COMMON = dict(R=2.0, k=1.0, n_index=300, min_cases=0, max_cases=20_000, seed=1)


def prevented_share(preset, control, delay=0.0):
    """Share of potential transmission prevented among the first traced generation."""
    data = datasets.load("outbreak_linelist", preset=preset, control=control,
                         tracing_coverage=0.8, tracing_delay=float(delay),
                         days=HORIZON[preset], **COMMON)
    cases = data.ground_truth["complete_linelist"]
    first = cases[cases["generation"] == 1]
    return first["prevented_offspring"].sum() / first["potential_offspring"].sum()


tracing = pd.DataFrame({label: [prevented_share(preset, "tracing", d) for d in DELAYS]
                        for label, preset in SCENARIOS.items()}, index=DELAYS)
tracing.index.name = shown("tracing delay (days)")
ISOLATION_ONLY = shown("isolation at report only")
isolation_only = {label: prevented_share(preset, "isolation")
                  for label, preset in SCENARIOS.items()}

fig, axis = plt.subplots(figsize=(7, 4.2))
for (label, shares), colour in zip(tracing.items(), ["tab:red", "tab:blue"]):
    axis.plot(DELAYS, shares, "o-", color=colour, label=label)
    axis.axhline(isolation_only[label], color=colour, linestyle=":",
                 label=f"{label}: {ISOLATION_ONLY}")
axis.axhline(1 - 1 / 2.5, color="grey", linestyle="--",
             label=shown("needed to bring R = 2.5 below 1"))
axis.set_ylim(0, 1)
axis.set_xlabel("Delay from the infector's report to quarantine of contacts (days)")
axis.set_ylabel("Share of onward transmission prevented")
axis.set_title("Contact tracing (80% of contacts traced)")
axis.legend(fontsize=8)
plt.show()
tracing.round(2)

# %% [markdown]
# With MERS timing, isolating cases when they are reported already prevents much of the
# transmission, and tracing adds protection even with delays of several days: infectees
# transmit late, so there is time to find them. With COVID-19 timing much transmission happens
# before symptoms, so isolation at report prevents less, and the benefit of tracing melts away
# with every day of delay. That was the conclusion of Hellewell et al. (2020) and Kretzschmar et
# al. (2020): for COVID-19, speed of testing and tracing matters more than perfect coverage.

# %% [markdown]
# ### How Korea's test–trace–isolate worked
# *Core · 8 min*
#
# The 2015 outbreak changed Korean law and public-health organisation. The
# 「감염병의 예방 및 관리에 관한 법률」 (Infectious Disease Control and Prevention Act) was amended to
# let the health authorities, during an epidemic, request information needed for an
# **epidemiological investigation** (for example location data from mobile operators and card
# transaction records, through the police and other agencies; Article 76-2), and to require the
# disclosure to the public of the movement paths and visited places of confirmed cases (Article
# 34-2). The number of epidemiological investigators was raised and the KCDC (since 2020 the
# Korea Disease Control and Prevention Agency, KDCA) got a permanent emergency operations
# centre.
#
# In 2020 these tools made up **test–trace–isolate**:
#
# - **Test.** Commercial RT-PCR kits received emergency use authorisation early in the epidemic;
#   screening clinics, **drive-through** and walk-through testing stations took samples quickly
#   and safely; anyone with symptoms or contact with a case could be tested free.
# - **Trace.** Epidemiological investigators interviewed each case and, where memory was not
#   enough, used the data the law allows them to request; a computerised investigation support
#   system speeded up the reconstruction of movement paths (KCDC COVID-19 National Emergency
#   Response Center 2020; Park et al. 2020). Entry logs with QR codes at high-risk venues later
#   helped to find visitors.
# - **Isolate.** Contacts were placed in self-quarantine with support and monitoring by the local
#   government, using a **self-quarantine safety protection app** that reported symptoms and
#   warned when a person left the quarantine address; confirmed cases were isolated in hospitals
#   or in community treatment centres for mild cases.
#
# **Privacy.** Disclosing movement paths led to re-identification and stigma of patients and
# businesses. The National Human Rights Commission raised concerns, and the KDCA issued
# guidelines that limited what was disclosed (no personal identifiers, only places where
# contacts could not be identified otherwise) and for how long. After an outbreak linked to
# night clubs in May 2020, anonymous testing was offered because fear of exposure kept people
# from testing: privacy protection can be a condition of effective tracing, not only its cost.
# The same questions apply to every AI or data tool used in outbreak response.

# %% [markdown]
# ### Key results
# *Core · 3 min*

# %%
delay_1 = tracing.loc[1, shown("COVID-19 timing")]
key_results.show({
    "R from offspring counts (MLE)": R_hat,
    "dispersion k (MLE)": k_hat,
    "share of transmission by the top 20% of cases": share_top20,
    "SEIR fit, absolute error of R0 (all days)": abs(fits[shown(f"all {len(reports)} days")][0]
                                                     - gt["R0"]),
    "transmission prevented, COVID-19 timing, 1-day tracing delay": delay_1,
}, published={
    "R from offspring counts (MLE)": "about 1.0 (Korean tree, Nishiura et al. 2016)",
    "dispersion k (MLE)": "0.26 (95% CI 0.09–1.24), MERS clusters (Kucharski & Althaus 2015)",
    "share of transmission by the top 20% of cases": "about 0.8 (20/80 rule, Woolhouse 1997)",
}, caption="dx10 key results (synthetic MERS-like outbreak and SEIR epidemic, seed 0)")

# %% [markdown] tags=["deep-dive"]
# ### Do simulated introductions die out as often as the formula says?
# *Deep dive · 8 min · optional: a check of the extinction formula by simulation*
#
# We load 200 single-introduction outbreaks with COVID-19-like $R = 2.5$ and $k = 0.1$ and no
# conditioning on size, and count those with fewer than 20 infections in 30 days (an outbreak
# that escaped extinction has usually grown far beyond that).

# %% tags=["deep-dive"]
small = [datasets.load("outbreak_linelist", preset="covid2020", min_cases=0, max_cases=20_000,
                       days=30, seed=s).ground_truth["n_infections"] < 20 for s in range(200)]
print(f"share of introductions that fizzled out: simulated {np.mean(small):.2f}, "
      f"formula {extinction_probability(2.5, np.array([0.1]))[0]:.2f}")

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# 1. **Right-censoring of recent cases.** Cases with onset in the last days are not reported yet,
#    so the epidemic curve seems to fall and $R_t$ seems to drop below 1. *See it:* compare the
#    reported curve with the answer key in part B; in real data, plot the same week's counts as
#    they stood on successive report dates. Fix: nowcast, or leave out the last days.
# 2. **Unfinished offspring counts.** A case reported yesterday has not infected its contacts
#    yet; counting its offspring as zero lowers $R$ and makes $k$ look smaller. *See it:* estimate
#    $R$ from all cases and from finished cases only (Exercise 2).
# 3. **Reporting delays and report dates.** An epidemic curve by report date is the onset curve
#    smeared by the delay, and a change in testing capacity looks like a change in transmission.
#    *See it:* plot `cases_by_report` and `cases_by_onset` together.
# 4. **Under-ascertainment.** Only part of the infections are reported (mild cases, no test).
#    During growth, a constant ascertainment leaves $R_t$ unbiased but makes the size of the
#    epidemic unknowable; a changing one biases everything. *See it:* the flat early profile
#    likelihood of part D.
# 5. **Selection of large outbreaks.** Outbreaks are studied because they became large, and they
#    became large because their first cases infected many; estimates of $R$ from them are
#    biased upwards. *See it:* part A, the estimate against the model's $R$.
# 6. **One number for a superspreading disease.** With small $k$, a mean $R$ hides that most
#    cases infect nobody; control aimed at settings (emergency departments) beats control aimed
#    at the average case. *See it:* the offspring histogram.

# %% [markdown]
# ## Exercises
# *Core · 10 min*
#
# Worked answers are with your instructor and discussed in the seminar.
#
# 1. **Extinction.** With $R = 2.5$, which $k$ makes three out of four introductions die out?
#    Use `extinction_probability` and explain why countries with many imported COVID-19 cases
#    early in 2020 saw few of them start local outbreaks.
# 2. **Censoring of offspring.** Estimate $R$ and $k$ with `fit_offspring` from the offspring
#    counts of *all* reported cases instead of finished ones. What changes, and why?
# 3. **Selection bias.** Load `outbreak_linelist` with `min_cases=0` and 200 different seeds and
#    compute the mean offspring of every outbreak's index case and of all finished cases. Compare
#    with the model's $R = 1$. What does this say about estimating $R$ from the one outbreak that
#    made the news?
# 4. **Window and nowcast.** Re-run `renewal_R` with windows of 3 and 14 days, and with the
#    nowcast but the last 3 days removed. Which would you report to the health authority, and
#    with what caveat?
# 5. **What SEIR can identify.** Fit the early data again with the infectious period as a fourth
#    free parameter (e.g. 3 or 8 days instead of 5). How much does the fitted $R_0$ change, and
#    does the fit to the data get worse?
# 6. **Tracing policy.** With COVID-19 timing and $R = 2.5$, find a combination of coverage and
#    delay that prevents enough transmission to bring $R$ below 1 (use `prevented_share` with
#    other `tracing_coverage` values). Which is easier to improve in practice, and what does
#    Korea's experience suggest?

# %% [markdown]
# ## References
#
# 1. Lloyd-Smith JO, Schreiber SJ, Kopp PE, Getz WM. Superspreading and the effect of individual
#    variation on disease emergence. *Nature*. 2005;438:355–359. doi:10.1038/nature04153
# 2. Woolhouse MEJ, Dye C, Etard JF, et al. Heterogeneities in the transmission of infectious
#    agents: implications for the design of control programs. *PNAS*. 1997;94:338–342.
#    doi:10.1073/pnas.94.1.338
# 3. Kucharski AJ, Althaus CL. The role of superspreading in Middle East respiratory syndrome
#    coronavirus (MERS-CoV) transmission. *Euro Surveill*. 2015;20(25):21167.
#    doi:10.2807/1560-7917.ES2015.20.25.21167
# 4. Nishiura H, Endo A, Saitoh M, et al. Identifying determinants of heterogeneous transmission
#    dynamics of the Middle East respiratory syndrome (MERS) outbreak in the Republic of Korea,
#    2015: a retrospective epidemiological analysis. *BMJ Open*. 2016;6:e009936.
#    doi:10.1136/bmjopen-2015-009936
# 5. Cowling BJ, Park M, Fang VJ, Wu P, Leung GM, Wu JT. Preliminary epidemiological assessment
#    of MERS-CoV outbreak in South Korea, May to June 2015. *Euro Surveill*. 2015;20(25):21163.
# 6. Chowell G, Abdirizak F, Lee S, et al. Transmission characteristics of MERS and SARS in the
#    healthcare setting: a comparative study. *BMC Med*. 2015;13:210.
# 7. Korea Centers for Disease Control and Prevention. Middle East respiratory syndrome
#    coronavirus outbreak in the Republic of Korea, 2015. *Osong Public Health Res Perspect*.
#    2015;6(4):269–278.
# 8. Cori A, Ferguson NM, Fraser C, Cauchemez S. A new framework and software to estimate
#    time-varying reproduction numbers during epidemics. *Am J Epidemiol*. 2013;178:1505–1512.
#    doi:10.1093/aje/kwt133
# 9. Gostic KM, McGough L, Baskerville EB, et al. Practical considerations for measuring the
#    effective reproductive number, Rt. *PLoS Comput Biol*. 2020;16(12):e1008409.
#    doi:10.1371/journal.pcbi.1008409
# 10. Wallinga J, Lipsitch M. How generation intervals shape the relationship between growth
#     rates and reproductive numbers. *Proc R Soc B*. 2007;274:599–604. doi:10.1098/rspb.2006.3754
# 11. Keeling MJ, Rohani P. *Modeling Infectious Diseases in Humans and Animals*. Princeton
#     University Press; 2008.
# 12. Hellewell J, Abbott S, Gimma A, et al. Feasibility of controlling COVID-19 outbreaks by
#     isolation of cases and contacts. *Lancet Glob Health*. 2020;8:e488–e496.
#     doi:10.1016/S2214-109X(20)30074-7
# 13. Kretzschmar ME, Rozhnova G, Bootsma MCJ, et al. Impact of delays on effectiveness of contact
#     tracing strategies for COVID-19: a modelling study. *Lancet Public Health*. 2020;5:e452–e459.
#     doi:10.1016/S2468-2667(20)30157-2
# 14. Endo A, Abbott S, Kucharski AJ, Funk S. Estimating the overdispersion in COVID-19
#     transmission using outbreak sizes outside China. *Wellcome Open Res*. 2020;5:67.
# 15. Nishiura H, Linton NM, Akhmetzhanov AR. Serial interval of novel coronavirus (COVID-19)
#     infections. *Int J Infect Dis*. 2020;93:284–286. doi:10.1016/j.ijid.2020.02.060
# 16. Li Q, Guan X, Wu P, et al. Early transmission dynamics in Wuhan, China, of novel
#     coronavirus-infected pneumonia. *N Engl J Med*. 2020;382:1199–1207. doi:10.1056/NEJMoa2001316
# 17. COVID-19 National Emergency Response Center, Epidemiology and Case Management Team, Korea
#     Centers for Disease Control and Prevention. Contact transmission of COVID-19 in South Korea:
#     novel investigation techniques for tracing contacts. *Osong Public Health Res Perspect*.
#     2020;11(1):60–63.
# 18. Park YJ, Choe YJ, Park O, et al. Contact tracing during coronavirus disease outbreak, South
#     Korea, 2020. *Emerg Infect Dis*. 2020;26(10):2465–2468. doi:10.3201/eid2610.201315
# 19. 「감염병의 예방 및 관리에 관한 법률」 (Infectious Disease Control and Prevention Act),
#     Articles 34-2 and 76-2. Korean Law Information Center, https://www.law.go.kr
