# %% [markdown]
# # dx08 · Pseudonymising hospital data
#
# *Module: AI for diagnosis and prediction · Expected time: about 110 minutes for the core path,
# plus about 15 minutes of optional deep dive · Prerequisites: dx01 (logistic regression,
# AUROC, cross-validation) and pandas `groupby`; im02 (DICOM de-identification) helps but is
# not needed. No legal background needed.*

# %% [markdown]
# ## Learning objectives
# *Core · 2 min*
#
# By the end you can ...
#
# - ... classify the columns of a hospital extract into **identifiers**, **quasi-identifiers** and
#   **sensitive attributes**, and follow the five steps of the PIPC pseudonymisation guideline
#   (preparation, risk review, pseudonymisation, adequacy review, safe management) within Articles
#   28-2 to 28-7 of the Personal Information Protection Act;
# - ... **generalise** and **suppress** quasi-identifiers (age bands, postcode truncation, dates to
#   month) and compute **k-anonymity**, **l-diversity** and **t-closeness** of a release with
#   pandas groupby;
# - ... attack a release by **linkage** to an outside table on its quasi-identifiers, and report
#   the share of patients re-identified and the false links for each level of generalisation;
# - ... measure the **utility** a release loses as the change in cross-validated AUROC of the same
#   30-day readmission model trained on the original and on each generalised release;
# - ... publish counts with the **Laplace mechanism** and state its error for a given epsilon, and
#   explain what a **combination agency** does, what the **adequacy review** checks, and how HIPAA
#   and the GDPR draw the same lines.

# %% [markdown]
# ## Clinical question
# *Core · 4 min*
#
# The department of internal medicine of a university hospital sees too many patients come
# back within a month of discharge. A research group at a partner university offers to build a
# **30-day readmission model** from one year of admissions: who should get a follow-up call, a
# pharmacist review or an early clinic visit before they go home. The patients have not
# consented to this research, and asking 5,000 former inpatients for consent is not feasible.
#
# Korean law offers a route: since the 2020 amendment of the Personal Information Protection
# Act (「개인정보 보호법」, PIPA), a hospital may process **pseudonymised information** (가명정보)
# for scientific research without consent, and give it to a third party, if nobody can tell
# who a record belongs to without additional information that the hospital keeps apart. The
# hospital's **data review board** (데이터심의위원회) must approve the release, and it asks the
# data engineer and the clinician in charge:
#
# > 1. Which columns identify a patient directly, which do so in combination, and which are
# >    the sensitive facts that must not be attached to a name?
# > 2. How coarse must birth dates, addresses and dates be so that no record stands out, and
# >    how do you **show** that the risk is low: by a number, and by trying to break it?
# > 3. Will the researchers still be able to build a useful model from what is left?
#
# Both ways of getting this wrong are costly. Release too much, and someone who holds another
# list with names, birth dates and addresses can find out that a named neighbour was treated for
# HIV disease or schizophrenia: harm to that person, criminal and administrative sanctions for
# whoever re-identifies or leaks, and lost trust in every later data request. Generalise too
# much, and the model is worse than it could be; the price is paid by the patients whose
# readmission it fails to predict. This lesson works through the Personal Information
# Protection Commission's (PIPC) **pseudonymisation guideline** step by step on a synthetic
# extract and puts a number on each side of the trade-off.

# %% [markdown]
# ## Data card
# *Core · 4 min*
#
# | Item | Description |
# |---|---|
# | **What** | `hospital_release`: a **synthetic** extract of one index admission per patient at a fictional Korean university hospital in 2024 (table `patients`), an **outside table** that an attacker could hold (table `outside`: a leaked membership list of a regional health club with names, birth dates, sex, addresses and phones), and the address hierarchy (`regions`: postcode → neighbourhood → district). |
# | **Columns** | Direct identifiers: record number, name, a resident-registration-number-like string, mobile phone. Quasi-identifiers: district (시/군/구), neighbourhood (동/읍/면), 5-digit postcode, birth date, age, sex, admission and discharge dates. Clinical: length of stay, department, principal diagnosis (ICD-10 / KCD-8 three-character category, including HIV disease B20 and schizophrenia F20), prior admissions, haemoglobin, creatinine, albumin, CRP. Outcome: `readmit_30d`. |
# | **Generative model** | Diagnoses with fixed shares drive age, sex, length of stay and labs; readmission is drawn from a **known logistic model** (age, sex, stay, prior admissions, albumin, haemoglobin, creatinine, winter admission, diagnosis, rural county, neighbourhood). Half of the patients also appear in the outside table (5 % of them have moved since); the rest of the outside table are residents who were not admitted. `ground_truth["links"]` is the answer key of the linkage attack. |
# | **Size** | 5,000 patients; 8,000 people in the outside table; 74 postcodes in five fictional districts. |
# | **Licence** | MIT (generated by this project's code). |
# | **PHI status** | None. Every person, name, number, district and postcode is invented; every resident registration number fails the official check-digit test on purpose, and the postcode prefixes point at fictional districts. |
# | **Limitations** | One admission per patient and no free text. Quasi-identifiers are exact in both tables (except movers), which favours the attacker; the outside table is small compared with a real district's population, which hampers him. Rates are illustrative, not estimates for a real hospital. |
#
# `medai datasets info hospital_release` prints the full card with the model's equations.

# %%
import hashlib
import hmac

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 0  # one seed for every random step
rng = np.random.default_rng(SEED)
pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 30)
pd.set_option("display.precision", 3)

data = datasets.load("hospital_release", seed=SEED)
patients, outside, regions = data["patients"], data["outside"], data["regions"]
truth = data.ground_truth
print(data.description)
print({name: table.shape for name, table in data.tables.items()})
patients.head(3)

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Eight pieces, each used in the Results: the vocabulary; the law and the guideline's five
# steps; generalisation and suppression; three privacy models; the linkage attack; utility;
# differential privacy for counts; and what happens when two controllers combine their data.

# %% [markdown]
# ### 1. Identifiers, quasi-identifiers, sensitive attributes
# *Core · 4 min*
#
# - **Direct identifiers** point to one person on their own: name, resident registration
#   number (주민등록번호), phone number, hospital record number, e-mail. They are deleted or
#   replaced by a pseudonym.
# - **Quasi-identifiers** do not identify anyone alone but do in combination, because somebody
#   else holds them next to a name: birth date, sex, address or postcode, dates of admission.
#   Sweeney (2000) estimated that five-digit ZIP code, sex and full date of birth single out
#   most of the US population; Golle (2006) re-estimated the share with the 2000 census.
# - **Sensitive attributes** are what the release is for and what must not be tied to a
#   person: here the diagnosis (HIV disease, schizophrenia and depression are the obvious ones;
#   PIPA Art. 23 treats health information as sensitive information).
#
# The split is not a property of a column but of a column *and the outside world*: a column
# is a quasi-identifier if an adversary can plausibly hold it with a name. Note that the
# resident registration number is a direct identifier that also **contains** quasi-identifiers
# (the birth date and a sex digit), so a partial mask such as `640712-2******` still leaks them.
#
# **Pseudonymised versus anonymous.** PIPA Art. 2 defines *pseudonymisation* (가명처리, item
# 1-2) as processing so that a person cannot be identified without additional information,
# and *pseudonymised information* (가명정보, item 1(c)) as its result; it is still personal
# information. Information that cannot identify anyone even with other information, taking
# time, cost and technology into reasonable account, is **anonymous** and outside the Act
# (Art. 58-2). The GDPR draws the same line (Art. 4(5) and Recital 26).

# %% [markdown]
# ### 2. The law and the guideline's five steps
# *Core · 7 min*
#
# **The Act (in general terms).** Articles 28-2 to 28-7 of PIPA, added in 2020, are the
# special rules for pseudonymised information:
#
# - **Art. 28-2**: a controller may process pseudonymised information without the data
#   subject's consent for statistics, scientific research and archiving in the public interest;
#   when it gives such information to a third party it must not include information that could
#   be used to identify a specific person.
# - **Art. 28-3**: pseudonymised data of *different* controllers may be combined only by a
#   specialised **combination agency** (결합전문기관) designated by the PIPC or the head of a
#   central administrative agency; taking combined data out of the agency needs the agency
#   head's approval after further pseudonymisation or anonymisation.
# - **Art. 28-4**: technical, managerial and physical safeguards, including keeping the
#   **additional information** (the key or mapping table that could re-link the pseudonyms)
#   separately, and records of the processing.
# - **Art. 28-5**: processing pseudonymised information in order to identify a person is
#   prohibited; if identifiable information turns up, processing must stop and the information
#   be retrieved and destroyed.
# - **Arts. 28-6 and 28-7** deal with sanctions and with the general provisions that do not
#   apply to pseudonymised information (for example some data subjects' rights); the 2023
#   amendment of the Act changed this part, so read the current text before quoting it.
#
# **The guideline.** The PIPC's *Guidelines on Processing Pseudonymised Information*
# (가명정보 처리 가이드라인, 2020; revised, most recently in February 2024, when rules for
# unstructured data such as images, voice and text were added) lays out a procedure in five
# steps; health data follow the same steps with the health-data guideline of the Ministry of
# Health and Welfare and the PIPC (보건의료 데이터 활용 가이드라인) and the institution's data
# review board:
#
# | step | what is done | in this lesson |
# |---|---|---|
# | ① **사전준비** (preparation) | state the purpose (here: scientific research on readmission), select only the items the purpose needs, prepare the documents (plan, contracts with the recipient) | the role table below: every column gets a role and an action |
# | ② **위험성 검토** (risk review) | review the risk of the **data** (identifiers, quasi-identifiers, unique or rare values, outliers) and of the **processing environment** (who receives it, internal or external use, the recipient's safeguards, what outside data exist) | uniqueness of patients on combinations of quasi-identifiers |
# | ③ **가명처리** (pseudonymisation) | choose the techniques and the level item by item, and apply them | delete identifiers, keyed pseudonym, generalisation ladder, suppression |
# | ④ **적정성 검토** (adequacy review) | a review panel checks the documents, the risk review and the result: is the re-identification risk acceptable for this environment, and is the purpose still achievable? if not, back to ③ | privacy models, a linkage attack, the utility check, a review sheet |
# | ⑤ **안전한 관리** (safe management) | safeguards for the pseudonymised data and the separated key, access control, records of processing, destruction when the purpose is met, watching for re-identification | where the pseudonymisation key lives; what the recipient must not do |
#
# The guideline's annex lists families of techniques: deletion (of columns, of rows, local
# deletion, masking), statistical tools (totals), generalisation or categorisation (rounding,
# top and bottom coding, ranges), encryption (including one-way keyed hashes), randomisation
# (noise, permutation, tokens) and others, among them sampling, synthetic data and
# differential privacy. It names k-anonymity, l-diversity and t-closeness as privacy models
# that the adequacy review *may* use; it does not fix a value of k for every case.

# %% [markdown]
# ### 3. Generalisation hierarchies and suppression
# *Core · 4 min*
#
# **Generalisation** replaces a value by a coarser one along a hierarchy that the data
# recipient can still interpret:
#
# - birth date → birth year-month → birth year → 5-year age band → 10-year age band, with the
#   oldest grouped as "90+" (**top coding**: a 97-year-old is rare);
# - postcode (5 digits) → its first three digits, which identify the district (시/군/구);
# - admission date → month (or quarter).
#
# **Suppression** deletes what generalisation cannot hide: a whole record (row suppression)
# or a single value (local suppression, replaced by a missing value). Each step down a
# hierarchy costs information for everyone; suppression costs all information for a few
# people, often the unusual ones (the very old, the rare diagnosis), which can bias the
# released data. We use a ladder of five releases, **L0** (identifiers removed, quasi-
# identifiers exact) to **L4** (10-year age bands), and enforce k by suppressing rows.

# %% [markdown]
# ### 4. k-anonymity, l-diversity, t-closeness
# *Core · 7 min*
#
# Group the released records by their quasi-identifiers; each group is an **equivalence
# class** (records that look identical to anyone who knows only the quasi-identifiers).
#
# - **k-anonymity** (Sweeney 2002): every class has at least $k$
#   records. A person known to be in the data is confused with at least $k-1$ others, so the
#   chance of picking the right record at random is at most $1/k$ (the **prosecutor risk**).
#   With pandas: `release.groupby(qi)[col].transform("size")` gives each record its class size.
#   El Emam and Dankar (2008) discuss how to choose k and the attacker models for health data.
# - **l-diversity** (Machanavajjhala et al. 2007): k-anonymity does not help if all records of
#   a class have the *same* diagnosis (the **homogeneity attack**): the attacker does not
#   need to know which record is the neighbour's. Distinct l-diversity asks for at least $l$
#   distinct sensitive values in every class; entropy l-diversity asks for
#   $\exp(H) \ge l$, where $H$ is the entropy of the class's diagnosis distribution.
# - **t-closeness** (Li et al. 2007): even diverse classes leak if their distribution differs
#   much from the whole table's (a class where a third of the records are HIV disease, in a
#   table where 1 % are). It asks that the distance between each class's distribution $P$ and
#   the overall distribution $Q$ be at most $t$. For an unordered attribute with all
#   categories equally far apart, the earth mover's distance Li et al. use reduces to the
#   **total variation distance** $\tfrac12 \sum_i |p_i - q_i|$.
#
# The three models map onto the three risks of the EU's Article 29 Working Party (Opinion
# 05/2014): **singling out** (k-anonymity), **linkability** (the attack below) and
# **inference** (l-diversity, t-closeness).

# %% [markdown]
# ### 5. The linkage attack
# *Core · 4 min*
#
# The attacker holds the outside table (names, birth dates, sex, addresses) and the release.
# He generalises his own table exactly as the release was generalised, joins the two on the
# quasi-identifiers, and **claims a link** whenever a person of his table matches exactly one
# released record. A claim is right if it is the same person (`ground_truth["links"]`). We
# report the **share of the patients who are in the outside table that are correctly
# re-identified**, and the number of **false links**: outside people who are not patients but
# match a unique record. False links matter twice: they show that a record unique in the
# *release* (sample uniqueness) need not be unique in the *population*, and a false claim
# that a named person has HIV disease is a harm of its own. This attacker does not know
# admission dates, so they are not in his join; someone who saw the neighbour being admitted
# does, which is why the release also generalises admission dates to months.

# %% [markdown]
# ### 6. Utility
# *Core · 2 min*
#
# Utility is measured on the task the release is for: the same logistic regression for
# 30-day readmission (clinical variables plus whatever version of age, sex, area and month
# the release keeps), scored by five-fold cross-validated AUROC with the same folds for every
# release. Suppressed rows are dropped from the training folds, but every patient is scored in
# the test folds, generalised the same way, since a deployed model would meet every patient.
# The ceiling is the AUROC of the true risk (`ground_truth["oracle_auroc"]`).

# %% [markdown]
# ### 7. Differential privacy for counts: the Laplace mechanism
# *Core · 5 min*
#
# Sometimes only counts are needed: patients per diagnosis for a planning report. A count
# table seems harmless, but small cells (3 patients with HIV disease aged 40-44 in one
# county) can be as revealing as a record, and two counts published before and after one
# person's admission reveal that person (a **differencing attack**). A randomised algorithm
# $M$ is **$\varepsilon$-differentially private** (Dwork et al. 2006) if for any two data sets
# that differ in one person and any set of outputs $S$,
# $P[M(D) \in S] \le e^{\varepsilon}\, P[M(D') \in S]$. For a query whose value changes by at
# most $\Delta$ when one person is added or removed (its **sensitivity**; $\Delta = 1$ for a
# count, and for a whole histogram where each person is in one cell), adding
# Laplace$(0, \Delta/\varepsilon)$ noise satisfies it. The noise's mean absolute error is
# $\Delta/\varepsilon$ whatever the count: negligible for 400 pneumonia patients, large for
# 40 with HIV disease. Rounding or clipping at zero afterwards does not weaken the guarantee
# (post-processing), but every further query spends more of the **privacy budget**: $k$
# queries on the same people at $\varepsilon$ each cost $k\varepsilon$ in total.

# %% [markdown]
# ### 8. Combination, the adequacy review, and the view from abroad
# *Core · 5 min*
#
# **Combination (결합).** If the hospital's researchers also want the health club's data (does
# exercise protect against readmission?), neither party may hand identifiable data to the
# other. Each computes a **combination key** from the same identifying items with a keyed hash
# (the salt is issued by a key-management agency), attaches it to its pseudonymised records,
# and sends the records to a designated **combination agency** (결합전문기관) and the keys to
# the key-management agency, which turns them into linkage information for the combination
# agency. The agency joins the records without seeing names; the combined set is then
# pseudonymised further as needed, its
# adequacy is reviewed, and it leaves the agency only with the agency head's approval (or is
# analysed inside the agency's secure environment). The choice of identifying items decides
# who is linked: a key that includes the address misses everyone who moved.
#
# **The adequacy review (적정성 검토)** asks, in the guideline's order: is the purpose stated
# and are only the necessary items included (①)? was the risk review done for the data *and*
# the environment in which they will be used (②)? were the planned techniques applied, were
# all identifiers removed, is the remaining re-identification risk acceptable, and can the
# purpose still be achieved (③)? If any answer is no, the data go back to step ③. Evidence
# for the panel: the privacy models, an attempted linkage attack, and a utility check.
#
# **Elsewhere, in brief.**
#
# | | pseudonymised data | anonymised / de-identified data |
# |---|---|---|
# | **Korea (PIPA)** | 가명정보: personal information; research without consent under Arts. 28-2 to 28-7 with safeguards, combination only via a combination agency | 익명정보: the Act does not apply (Art. 58-2) |
# | **EU (GDPR)** | personal data (Art. 4(5), Recital 26); a safeguard for research (Art. 89) | outside the GDPR if no one can identify a person by means reasonably likely to be used (Recital 26) |
# | **US (HIPAA Privacy Rule, 45 CFR 164.514)** | a re-identification code may be kept if not derived from the person's data; a *limited data set* keeps dates and town under a data use agreement | **Safe Harbor**: remove 18 kinds of identifiers (e.g. all date elements except the year, ages over 89 grouped as 90+, geography below the state except the first three ZIP digits of areas with more than 20,000 people) and have no actual knowledge of residual risk; or **Expert Determination**: a qualified expert documents that the risk is very small for the anticipated recipient |

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# We walk through the five steps in order on the 5,000 patients.

# %% [markdown]
# ### Step ①: purpose and items: a role for every column
# *Core · 3 min*
#
# The purpose is a readmission model, so the release needs the outcome, the clinical
# variables and *some* version of age, sex, area and season. Names, numbers and phones serve
# no research purpose and are dropped; the record number is replaced by a pseudonym so that
# the hospital (and only the hospital) can answer questions about a record later.

# %%
IDENTIFIER = shown("identifier")
QUASI = shown("quasi-identifier")
SENSITIVE = shown("sensitive")
CLINICAL = shown("clinical / outcome")
ROLES = {
    "patient_id": (IDENTIFIER, shown("replace by keyed pseudonym")),
    "name": (IDENTIFIER, shown("delete")),
    "rrn": (IDENTIFIER, shown("delete")),
    "phone": (IDENTIFIER, shown("delete")),
    "sigungu": (QUASI, shown("keep (= first 3 postcode digits)")),
    "dong": (QUASI, shown("delete (finer than district)")),
    "postcode": (QUASI, shown("generalise: first 3 digits")),
    "birth_date": (QUASI, shown("generalise: age band")),
    "age": (QUASI, shown("generalise: age band")),
    "sex": (QUASI, shown("keep")),
    "admission_date": (QUASI, shown("generalise: month")),
    "discharge_date": (QUASI, shown("delete (stay is kept)")),
    "diagnosis": (SENSITIVE, shown("keep; check l-diversity, t-closeness")),
    "diagnosis_name": (SENSITIVE, shown("keep")),
    "department": (SENSITIVE, shown("keep")),
}
roles = pd.DataFrame(
    [(col, *ROLES.get(col, (CLINICAL, shown("keep")))) for col in patients.columns],
    columns=[shown("column"), shown("role"), shown("action")])
roles

# %% [markdown]
# ### Step ②: risk review: how unique is each patient?
# *Core · 5 min*
#
# The data risk first: how many patients are the only one with their combination of
# quasi-identifiers? We add attributes one at a time, from what nearly everyone's contacts
# know (sex, birth year) to what a membership list holds (full birth date, postcode). The
# environment risk is a matter for the review panel: the recipient is an external research
# group, and lists with names, birth dates and addresses (alumni, clubs, apartment
# residents' associations, leaked customer files) are easy to come by.

# %%
def unique_share(table, columns):
    """Share of rows whose combination of `columns` occurs only once in `table`."""
    sizes = table.groupby(columns)[columns[0]].transform("size")
    return float((sizes == 1).mean())


view = patients.assign(birth_year=patients["birth_date"].dt.year,
                       postcode3=patients["postcode"].str[:3])
COMBINATIONS = {
    shown("sex + birth year"): ["sex", "birth_year"],
    shown("sex + birth year + district"): ["sex", "birth_year", "postcode3"],
    shown("sex + birth date"): ["sex", "birth_date"],
    shown("sex + birth date + district"): ["sex", "birth_date", "postcode3"],
    shown("sex + birth date + postcode"): ["sex", "birth_date", "postcode"],
}
uniqueness = pd.Series({label: unique_share(view, cols) for label, cols in COMBINATIONS.items()})
unique_l0 = uniqueness[shown("sex + birth date + postcode")]
print((100 * uniqueness).round(1).to_string())

fig, ax = plt.subplots(figsize=(7, 3.2))
ax.barh(uniqueness.index[::-1], 100 * uniqueness.to_numpy()[::-1], color="tab:red")
ax.set_xlabel("patients unique in the hospital table (%)")
ax.set_title("Uniqueness grows fast with each quasi-identifier")
ax.set_xlim(0, 100)
plt.tight_layout()
plt.show()

# %% [markdown]
# Sex and birth year leave patients in crowds; a full birth date, even with only the district,
# makes nearly everyone unique in a table of 5,000 (the key results give the figure with
# the postcode, beside Sweeney's and Golle's population estimates). Unique in the hospital
# table does not yet mean re-identifiable: the attacker also needs the person in *his*
# table and unique there. The attack below measures that. With many attributes, uniqueness
# becomes near certain even in large populations: Rocher et al. (2019) estimated that 15
# demographic attributes would correctly re-identify 99.98 % of Americans.

# %% [markdown]
# ### Step ③: pseudonymise: delete, replace, generalise
# *Core · 7 min*
#
# **A keyed pseudonym.** The record number becomes `HMAC-SHA256(key, record number)`, cut to
# 16 hexadecimal characters. Without the key nobody can compute a patient's pseudonym from
# their record number; with it the hospital can re-link a record, for example to report an
# incidental finding or to add a second year of data with the same pseudonyms. The key is the
# **additional information** of Art. 28-4: it stays in the hospital, apart from the data,
# with its own access control. (A plain, unkeyed hash of a record number or RRN is not a
# pseudonym: anyone can hash every possible number and look the result up.) The key below is
# fixed only so that this notebook is reproducible; a real key is random, e.g. from
# `secrets.token_bytes(32)`.

# %%
PSEUDONYM_KEY = b"dx08 demo key: a real one is random and kept apart from the data"


def pseudonym(value, key=PSEUDONYM_KEY):
    """Keyed hash of an identifier: stable for the key holder, unpredictable for others."""
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()[:16]


print(patients["patient_id"].iloc[0], "->", pseudonym(patients["patient_id"].iloc[0]))

# %% [markdown]
# **A generalisation ladder.** Each level replaces birth date and postcode by something
# coarser; sex is kept everywhere. The attacker must apply the same function to *his* table.
# He does not know the admission date, so for the age bands he uses the age on 1 July 2024,
# which is off by one year for some people near a band boundary (that costs him links).

# %%
MID_YEAR = pd.Timestamp("2024-07-01")


def age_on(birth, date):
    """Whole years between birth dates and one date."""
    had_birthday = (date.month > birth.dt.month) | (
        (date.month == birth.dt.month) & (date.day >= birth.dt.day))
    return date.year - birth.dt.year - (~had_birthday).astype(int)


def age_band(age, width, top=90):
    """'60-64'-style bands; everyone aged `top` or more in one band (top coding)."""
    low = (np.minimum(age, top) // width) * width
    labels = low.astype(str) + "-" + (low + width - 1).astype(str)
    return labels.where(age < top, f"{top}+")


LEVELS = [shown("L0 birth date, postcode"), shown("L1 birth month, district"),
          shown("L2 birth year, district"), shown("L3 5-year band, district"),
          shown("L4 10-year band, district")]
QI = ["birth", "sex", "area"]


def quasi_identifiers(people, level, age):
    """The generalised quasi-identifiers of `people` at one level of the ladder."""
    birth = {0: people["birth_date"].dt.strftime("%Y-%m-%d"),
             1: people["birth_date"].dt.strftime("%Y-%m"),
             2: people["birth_date"].dt.strftime("%Y"),
             3: age_band(age, 5), 4: age_band(age, 10)}[level]
    area = people["postcode"] if level == 0 else people["postcode"].str[:3]
    return pd.DataFrame({"birth": birth, "sex": people["sex"], "area": area})


def class_sizes(qi):
    """Size of each record's equivalence class."""
    return qi.groupby(QI)["sex"].transform("size")


def make_release(level, k=1):
    """The table handed over at one level: pseudonym, generalised quasi-identifiers,
    admission month, clinical columns and outcome; rows in classes smaller than k removed."""
    qi = quasi_identifiers(patients, level, patients["age"])
    release = qi.assign(
        pseudonym=patients["patient_id"].map(pseudonym),
        admission_month=patients["admission_date"].dt.strftime("%Y-%m"),
        **{c: patients[c] for c in ["length_of_stay", "department", "diagnosis",
                                    "prior_admissions", "hemoglobin", "creatinine", "albumin",
                                    "crp", "readmit_30d"]})
    return release[class_sizes(qi) >= k]


releases = {name: make_release(level) for level, name in enumerate(LEVELS)}
releases[LEVELS[3]].head(3)

# %% [markdown]
# **How anonymous is each level?** Equivalence-class sizes per level, grouped as the review
# panel would read them: records alone in their class, records in classes of 2 to 4, and
# records in classes of at least 5.

# %%
GROUPS = [shown("k = 1"), shown("k = 2-4"), shown("k >= 5")]
size_table = {}
for level, name in enumerate(LEVELS):
    sizes = class_sizes(releases[name][QI])
    size_table[name] = [(sizes == 1).mean(), sizes.between(2, 4).mean(), (sizes >= 5).mean()]
size_table = pd.DataFrame(size_table, index=GROUPS).T
k_by_level = {name: int(class_sizes(r[QI]).min()) for name, r in releases.items()}
print((100 * size_table).round(1).assign(**{shown("smallest class"): k_by_level}))

fig, ax = plt.subplots(figsize=(7, 3.2))
left = np.zeros(len(LEVELS))
for group, colour in zip(GROUPS, ["tab:red", "tab:orange", "tab:green"], strict=True):
    ax.barh(LEVELS[::-1], 100 * size_table[group].to_numpy()[::-1], left=left[::-1],
            color=colour, label=group)
    left += 100 * size_table[group].to_numpy()
ax.set_xlabel("records (%)")
ax.set_title("Equivalence-class sizes at each level")
ax.legend(loc="lower right", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# No level is k-anonymous for any $k > 1$ as it stands: even with 10-year bands a few young
# adults, rare among inpatients, are alone in their class. That is what **suppression** is
# for, and how much must go depends on how far up the ladder we have climbed first:

# %%
K_VALUES = [1, 2, 3, 5, 10, 20]
suppressed = pd.DataFrame(
    {name: [float((class_sizes(releases[name][QI]) < k).mean()) for k in K_VALUES]
     for name in LEVELS[2:]}, index=K_VALUES)
suppressed.index.name = "k"
print((100 * suppressed).round(2))

# %% [markdown]
# With birth years, a k of 5 would cost a sizeable share of the patients; with 5-year bands
# only a handful. We propose **L3 with k = 5**: 5-year age bands (90+ together), sex,
# district, admission month, and the few rows in smaller classes suppressed.

# %%
K_PROPOSED = 5
LEVEL_PROPOSED = 3
proposed = make_release(LEVEL_PROPOSED, k=K_PROPOSED)
n_suppressed = len(patients) - len(proposed)
k_proposed = int(class_sizes(proposed[QI]).min())
print(f"proposed release: {len(proposed)} records, {n_suppressed} suppressed, "
      f"k = {k_proposed}, {proposed.groupby(QI).ngroups} equivalence classes")
print("who was suppressed (age, sex, district):")
print(patients.loc[~patients.index.isin(proposed.index), ["age", "sex", "sigungu"]]
      .value_counts().head(6).to_string())

# %% [markdown]
# The suppressed patients are all young adults: inpatients are mostly old, so the youngest
# bands are thin, especially in the smaller districts. Suppression thus removes a whole kind
# of patient, not a random few, and a study of young adults would be biased by it. A panel
# could prefer a wider band for the youngest (local generalisation) to deleting them;
# exercise 2 tries it.

# %% [markdown]
# ### Step ④ (a): beyond k: l-diversity and t-closeness of the diagnosis
# *Core · 7 min*
#
# k-anonymity says nothing about what the attacker learns *without* finding the record. For
# each class we compute the number of distinct diagnoses (distinct l), the entropy l, and
# the total variation distance (t) between the class's diagnosis distribution and the whole
# table's.

# %%
overall = patients["diagnosis"].value_counts(normalize=True)


def diversity(release):
    """Per equivalence class: size, distinct l, entropy l and t (total variation)."""
    counts = release.groupby(QI)["diagnosis"].value_counts().unstack(fill_value=0)
    share = counts.div(counts.sum(axis=1), axis=0)
    entropy = -(share * np.log(share.where(share > 0, 1.0))).sum(axis=1)
    t = 0.5 * share.sub(overall.reindex(share.columns, fill_value=0), axis=1).abs().sum(axis=1)
    t += 0.5 * overall.drop(share.columns, errors="ignore").sum()
    return pd.DataFrame({"size": counts.sum(axis=1), "distinct_l": (counts > 0).sum(axis=1),
                         "entropy_l": np.exp(entropy), "t": t})


def privacy_summary(release):
    """The privacy models of one release, as the review panel reads them."""
    per_class = diversity(release)
    k2 = per_class[per_class["size"] >= 2]
    return {shown("k"): per_class["size"].min(), shown("min distinct l"):
            per_class["distinct_l"].min(),
            shown("classes with k >= 2 but l = 1"): int((k2["distinct_l"] == 1).sum()),
            shown("max t"): per_class["t"].max()}


summary = pd.DataFrame({name: privacy_summary(r) for name, r in releases.items()}).T
summary.loc[shown("proposed (L3, k = 5)")] = privacy_summary(proposed)
summary

# %% [markdown]
# At birth-month and birth-year level (L1, L2) there are classes of two or more patients who
# all share one diagnosis: the attacker who knows a neighbour's sex, birth year and district
# learns her diagnosis without finding her record. In the proposed release every class has
# more than one diagnosis, but t tells a different story. Which classes are farthest from the
# overall distribution?

# %%
per_class = diversity(proposed)
far = per_class.sort_values("t", ascending=False).head(5)
far

# %%
worst = far.index[0]
in_class = proposed[QI].eq(pd.Series(worst, index=QI)).all(axis=1)
in_worst = proposed.loc[in_class, "diagnosis"].value_counts(normalize=True)
compare = pd.DataFrame({shown("worst class"): in_worst,
                        shown("whole table"): overall}).fillna(0).sort_values(
    shown("whole table"), ascending=False)

fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
axes[0].scatter(per_class["size"], per_class["t"], s=12, alpha=0.6)
axes[0].set_xscale("log")
axes[0].set_xlabel("equivalence class size (log scale)")
axes[0].set_ylabel("t (total variation distance)")
axes[0].set_title("Small classes drift farthest from the table")
x = np.arange(len(compare))
axes[1].bar(x - 0.2, 100 * compare[shown("whole table")], width=0.4,
            label=shown("whole table"))
axes[1].bar(x + 0.2, 100 * compare[shown("worst class")], width=0.4,
            label=f"{shown('worst class')}: {' / '.join(map(str, worst))}")
axes[1].set_xticks(x, compare.index, rotation=90, fontsize=7)
axes[1].set_ylabel("patients (%)")
axes[1].set_title("Diagnoses in the class with the largest t")
axes[1].legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# The young adults' classes are small and their diagnosis mix is far from the table's:
# appendicitis, psychiatric diagnoses, epilepsy and HIV disease are concentrated in young
# adults, while the table as a whole is dominated by the diseases of old age. Knowing that a
# 27-year-old man from one district was admitted already tells an attacker a lot about why.
# Enforcing a small t would mean coarser age bands for exactly those groups, or generalising
# the diagnosis itself (to its ICD-10 chapter), which is what the researchers need least. The guideline leaves the balance to the review;
# reporting t at least makes the inference risk visible.

# %% [markdown]
# ### Step ④ (b): try to break it: the linkage attack
# *Core · 7 min*

# %%
link_truth = truth["links"].set_index("outside_id")["patient_id"]
outside_age = age_on(outside["birth_date"], MID_YEAR)


def linkage_attack(release, level):
    """Claims of an attacker who holds `outside`: outside people who match exactly one
    released record on the generalised quasi-identifiers, scored against the true links."""
    theirs = quasi_identifiers(outside, level, outside_age).assign(
        outside_id=outside["outside_id"])
    ours = release[QI].assign(patient_id=patients.loc[release.index, "patient_id"])
    sizes = ours.groupby(QI).size().rename("matches").reset_index()
    candidates = theirs.merge(sizes, on=QI)
    claims = candidates[candidates["matches"] == 1].merge(ours, on=QI)
    correct = claims["patient_id"].to_numpy() == link_truth.reindex(
        claims["outside_id"]).to_numpy()
    return {shown("claims"): len(claims), shown("correct"): int(correct.sum()),
            shown("false"): int((~correct).sum()),
            shown("re-identified share"): correct.sum() / len(link_truth),
            shown("prosecutor risk (mean 1/k)"): float((1 / class_sizes(release[QI])).mean())}


attack = pd.DataFrame({name: linkage_attack(r, level)
                       for level, (name, r) in enumerate(releases.items())}).T
attack.loc[shown("proposed (L3, k = 5)")] = linkage_attack(proposed, LEVEL_PROPOSED)
reid_l0 = attack.loc[LEVELS[0], shown("re-identified share")]
reid_proposed = attack.loc[shown("proposed (L3, k = 5)"), shown("re-identified share")]
attack

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
rows = attack.index
x = np.arange(len(rows))
axes[0].bar(x - 0.2, attack[shown("correct")], width=0.4, color="tab:red",
            label=shown("correct links (re-identified)"))
axes[0].bar(x + 0.2, attack[shown("false")], width=0.4, color="tab:gray",
            label=shown("false links (wrong person)"))
axes[0].set_xticks(x, rows, rotation=30, ha="right", fontsize=7)
axes[0].set_ylabel("outside people linked")
axes[0].set_title("Linkage attack on each release")
axes[0].legend(fontsize=8)

for name, colour in zip(LEVELS[2:4], ["tab:blue", "tab:green"], strict=True):
    level = LEVELS.index(name)
    shares = [linkage_attack(make_release(level, k), level)[shown("re-identified share")]
              for k in K_VALUES]
    axes[1].plot(K_VALUES, 100 * np.array(shares), marker="o", color=colour,
                 label=f"{name}: {shown('re-identified')}")
    axes[1].plot(K_VALUES, 100 * suppressed[name], marker="x", linestyle=":", color=colour,
                 label=f"{name}: {shown('suppressed')}")
axes[1].set_xscale("log")
axes[1].set_xticks(K_VALUES, [str(k) for k in K_VALUES])
axes[1].set_xlabel("k enforced by suppression")
axes[1].set_ylabel("% (re-identified or suppressed)")
axes[1].set_title("Re-identification and suppression against k")
axes[1].legend(fontsize=7)
plt.tight_layout()
plt.show()

# %% [markdown]
# With only the direct identifiers removed (L0), nearly every patient who is in the outside
# table is found; the misses are mostly the people who moved. Birth month and district (L1) still
# expose a large share, and the attacker's false links now outnumber the true ones: his
# "unique match" is often a stranger who happens to share sex, birth month and district with
# a patient. From birth year on, the linkage attack rarely succeeds even before suppression,
# and enforcing k removes its last successes, at a suppression cost that the right panel
# shows is far lower for 5-year bands than for birth years.
#
# The **prosecutor risk** column answers a different question: if the attacker *knows* his
# target is in the release (he visited her on the ward), his chance of picking her record at
# random is 1 over her class size. For the proposed release it is small on average, and at
# most $1/k$.

# %% [markdown]
# ### Step ④ (c): what the release costs: utility
# *Core · 5 min*

# %%
CLINICAL_NUMERIC = ["log_stay", "prior_admissions", "hemoglobin", "log_creatinine",
                    "albumin", "log_crp"]


def model_frame(level):
    """Features the researchers can build from the release at one level (all patients)."""
    qi = quasi_identifiers(patients, level, patients["age"])
    if level <= 2:  # the age at admission they can compute from what they get
        born = pd.to_datetime(qi["birth"], format={0: "%Y-%m-%d", 1: "%Y-%m",
                                                  2: "%Y"}[level])
        age = (patients["admission_date"] - born).dt.days / 365.25
    else:  # band midpoint, 92 for 90+
        low = qi["birth"].str.extract(r"^(\d+)")[0].astype(float)
        age = np.where(qi["birth"].str.endswith("+"), 92.0, low + (2 if level == 3 else 4.5))
    return pd.DataFrame({
        "age": age, "male": (patients["sex"] == "M").astype(float), "area": qi["area"],
        "winter": patients["admission_date"].dt.month.isin([12, 1, 2]).astype(float),
        "log_stay": np.log(patients["length_of_stay"]),
        "prior_admissions": patients["prior_admissions"],
        "hemoglobin": patients["hemoglobin"], "log_creatinine": np.log(patients["creatinine"]),
        "albumin": patients["albumin"], "log_crp": np.log(patients["crp"]),
        "diagnosis": patients["diagnosis"]})


def readmission_model():
    """One model for every release: standardised numbers, one-hot categories, mild L2."""
    encode = ColumnTransformer([
        ("numbers", StandardScaler(), ["age", "male", "winter", *CLINICAL_NUMERIC]),
        ("categories", OneHotEncoder(handle_unknown="ignore"), ["area", "diagnosis"])])
    return make_pipeline(encode, LogisticRegression(C=0.5, max_iter=2000))


FOLDS = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(
    patients, patients["readmit_30d"]))
y = patients["readmit_30d"].to_numpy()


def cv_auroc(level, kept=None):
    """Five-fold AUROC; training rows limited to `kept` (suppression), every patient tested."""
    frame = model_frame(level)
    kept = np.ones(len(frame), bool) if kept is None else kept
    scores = np.empty(len(frame))
    for train, test in FOLDS:
        train = train[kept[train]]
        model = readmission_model().fit(frame.iloc[train], y[train])
        scores[test] = model.predict_proba(frame.iloc[test])[:, 1]
    return roc_auc_score(y, scores)


utility = pd.Series({name: cv_auroc(level) for level, name in enumerate(LEVELS)})
utility[shown("proposed (L3, k = 5)")] = cv_auroc(LEVEL_PROPOSED,
                                                  patients.index.isin(proposed.index))
auroc_l0 = utility[LEVELS[0]]
auroc_proposed = utility[shown("proposed (L3, k = 5)")]
print(utility.round(4).to_string())
print(f"AUROC of the true risk (ceiling): {truth['oracle_auroc']:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.4))
ax.plot(range(len(utility)), utility.to_numpy(), marker="o", label=shown("readmission model"))
ax.axhline(truth["oracle_auroc"], color="tab:green", linestyle="--",
           label=shown("true risk (ceiling)"))
ax.set_xticks(range(len(utility)), utility.index, rotation=30, ha="right", fontsize=7)
ax.set_ylabel("cross-validated AUROC")
ax.set_ylim(0.5, 0.8)
ax.set_title("Utility of each release for the readmission model")
ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# The curve is almost flat. The readmission signal is mostly clinical (stay, prior
# admissions, albumin, diagnosis), which every release keeps; coarsening age to 5-year bands
# and the neighbourhood to the district costs the model little, and suppressing a few dozen
# training rows costs less still. The finest level even scores a little lower than the
# coarser ones: 74 postcode indicators, each with a few dozen patients, add more noise than
# signal, so for this model generalisation is almost free. That is the usual finding when
# quasi-identifiers are only weak predictors, and it is what makes a release at this level
# defensible. It would not
# hold for a study *of* geography or age (a map of readmission by neighbourhood), so the
# utility check must use the recipient's actual purpose. Exercise 3 coarsens the clinical
# columns to see where utility really goes.

# %% [markdown]
# ### Counts instead of records: the Laplace mechanism
# *Core · 5 min*
#
# For a planning report the hospital publishes the number of patients per diagnosis.
# Each patient is in exactly one cell, so the whole histogram has sensitivity 1 and one
# Laplace draw of scale $1/\varepsilon$ per cell is $\varepsilon$-differentially private.

# %%
true_counts = patients["diagnosis"].value_counts().sort_index()
EPSILONS = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
N_DRAWS = 2000


def laplace_counts(counts, epsilon, generator, sensitivity=1.0):
    """Counts plus Laplace(0, sensitivity / epsilon) noise, rounded and clipped at zero
    (post-processing does not weaken the guarantee)."""
    noisy = counts + generator.laplace(0.0, sensitivity / epsilon, size=len(counts))
    return np.clip(np.round(noisy), 0, None)


errors = {}
for eps in EPSILONS:
    draws = np.array([laplace_counts(true_counts.to_numpy(), eps, rng)
                      for _ in range(N_DRAWS)])
    errors[eps] = np.abs(draws - true_counts.to_numpy()).mean()
mae_eps1 = errors[1.0]
print(pd.Series(errors, name="mean absolute error").round(2).to_string())

one_release = pd.DataFrame({eps: laplace_counts(true_counts, eps, rng) for eps in [0.1, 1.0]})
one_release.insert(0, shown("true"), true_counts)
one_release.loc[["B20", "F20", "J18"]]

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
axes[0].loglog(EPSILONS, list(errors.values()), marker="o", label=shown("measured"))
axes[0].loglog(EPSILONS, 1 / np.array(EPSILONS), linestyle="--",
               label=shown("theory: 1 / epsilon"))
axes[0].set_xlabel("epsilon (privacy loss)")
axes[0].set_ylabel("mean absolute error (patients)")
axes[0].set_title("Laplace noise on counts: error = 1/epsilon")
axes[0].legend(fontsize=8)
relative = pd.DataFrame({eps: 100 * (1 / eps) / true_counts for eps in [0.1, 1.0]})
for eps, colour in zip(relative.columns, ["tab:red", "tab:blue"], strict=True):
    axes[1].scatter(true_counts, relative[eps], color=colour, s=15,
                    label=f"epsilon = {eps:g}")
axes[1].set_xscale("log")
axes[1].set_yscale("log")
axes[1].set_xlabel("true count (patients per diagnosis)")
axes[1].set_ylabel("expected relative error (%)")
axes[1].set_title("Small cells suffer most")
axes[1].legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# The absolute error depends only on $\varepsilon$; the relative error is worst for the rare
# diagnoses, which are also the most sensitive. That is the honest trade-off of differential
# privacy: it protects everyone equally, including the person who is alone in a cell, and
# so blurs small cells most. A hospital that publishes monthly counts spends budget every
# month; after twelve releases at $\varepsilon = 1$ the total guarantee is $\varepsilon = 12$.

# %% [markdown]
# ### Combination through a combination agency
# *Core · 4 min*
#
# Suppose the health club is a second controller and both parties want the combined data.
# Each computes a combination key with a salt issued to both (here a fixed demo value), from
# items both hold: name, birth date and phone. The agency sees only keys and pseudonymised
# records.

# %%
SALT = b"dx08 demo salt issued to both controllers"


def combination_key(people, items):
    """Keyed hash of the chosen identifying items, computed by each controller on its own."""
    joined = people[items].astype(str).agg("|".join, axis=1)
    return joined.map(lambda text: hmac.new(SALT, text.encode(), hashlib.sha256).hexdigest())


for items in (["name", "birth_date", "phone"], ["name", "birth_date", "postcode"]):
    hospital_keys = set(combination_key(patients, items))
    club_keys = set(combination_key(outside, items))
    print(f"key from {' + '.join(items)}: {len(hospital_keys & club_keys)} combined "
          f"(true overlap {len(link_truth)})")

# %% [markdown]
# With phone in the key every shared member is found; with the address instead, the movers
# are lost. The combined table is then pseudonymised again: combining adds columns, and new
# columns add quasi-identifiers (the club's join date, its branch), so the adequacy review
# of the combined set is done afresh before anything leaves the agency.

# %% [markdown]
# ### Step ④ (d) and ⑤: the review sheet, and what happens after release
# *Core · 4 min*
#
# The panel gets one page. The thresholds below are **this course's choices** for an external
# research recipient under contract; the guideline asks the panel to set and justify them,
# and a public release would need stricter ones.

# %%
RRN_LIKE = r"\d{6}-\d{7}"
PHONE_LIKE = r"010-\d{4}-\d{4}"
min_l_proposed = int(summary.loc[shown("proposed (L3, k = 5)"), shown("min distinct l")])
text_columns = proposed.select_dtypes(include="object")
leaks = sum(int(text_columns[c].str.contains(f"{RRN_LIKE}|{PHONE_LIKE}").sum())
            for c in text_columns)
checks = pd.DataFrame([
    (shown("direct identifiers removed"), leaks == 0 and not set(proposed) & set(
        ["patient_id", "name", "rrn", "phone"]), shown("no column, no RRN- or phone-like value")),
    (shown("k-anonymity (age band, sex, district)"), k_proposed >= K_PROPOSED, f"k = {k_proposed}"),
    (shown("no class with a single diagnosis (l >= 2)"), min_l_proposed >= 2,
     f"min l = {min_l_proposed}"),
    (shown("linkage test"), reid_proposed <= 0.01,
     f"{100 * reid_proposed:.1f}% {shown('re-identified')}"),
    (shown("utility for the stated purpose"), auroc_l0 - auroc_proposed <= 0.02,
     f"AUROC {auroc_l0:.3f} -> {auroc_proposed:.3f}"),
    (shown("key kept apart from the data"), True, shown("HMAC key held by the hospital only")),
], columns=[shown("check"), shown("met"), shown("evidence")])
checks

# %% [markdown]
# Step ⑤ starts when the file leaves: the recipient signs that it will not try to re-identify
# anyone (Art. 28-5) and will not combine the data with anything else; access is limited and
# logged; the hospital records what was released to whom and for what purpose; the data are
# destroyed when the study ends; and the t-closeness finding goes into the record as a
# residual risk, with the recommendation not to publish results for cells smaller than the
# panel's threshold.

# %% [markdown]
# ### Key results
# *Core · 1 min*

# %%
key_results.show({
    "share of patients unique on birth date, sex and postcode": unique_l0,
    "re-identified share, identifiers removed only (L0)": reid_l0,
    "re-identified share, proposed release (L3, k = 5)": reid_proposed,
    "k of the proposed release": k_proposed,
    "cross-validated AUROC, L0": auroc_l0,
    "cross-validated AUROC, proposed release": auroc_proposed,
    "Laplace mean absolute error at epsilon = 1": mae_eps1,
}, published={
    "share of patients unique on birth date, sex and postcode":
        "US population, 5-digit ZIP + sex + birth date: 87% (Sweeney 2000); 63% (Golle 2006)",
    "Laplace mean absolute error at epsilon = 1":
        "1/epsilon = 1 for a sensitivity-1 count (Dwork et al. 2006), before rounding",
}, caption="Key results: pseudonymising the hospital release")

# %% [markdown] tags=["deep-dive"]
# ### A differencing attack on suppressed counts
# *Deep dive · 12 min · optional: why small-cell rules are not enough*
#
# A common rule publishes only cells of at least 5 patients ("small-cell suppression").
# Two tables that each obey the rule can still reveal one person. Suppose the hospital
# publishes the number of HIV-disease patients per district for January to June, and again
# for January to July. If one district's count rises by one, anyone who knows that a
# neighbour from that district was admitted in July learns his diagnosis. Small-cell rules do
# not help when both counts are above the threshold. Differential privacy blurs exactly this
# difference.

# %% tags=["deep-dive"]
hiv = patients[patients["diagnosis"] == "B20"]
first_half = hiv[hiv["admission_date"] < "2024-07-01"].groupby("sigungu").size()
to_july = hiv[hiv["admission_date"] < "2024-08-01"].groupby("sigungu").size()
difference = (to_july - first_half.reindex(to_july.index, fill_value=0))
print(pd.DataFrame({shown("Jan-Jun"): first_half, shown("Jan-Jul"): to_july,
                    shown("new in July"): difference})
      .fillna(0).astype(int))

target = difference.idxmax()  # the district whose count rose by one
dp_rng = np.random.default_rng(SEED + 1)
eps = 0.5
before = np.array([first_half.get(target, 0)])
after = np.array([to_july[target]])
noisy_diffs = np.array([laplace_counts(after, eps / 2, dp_rng)
                        - laplace_counts(before, eps / 2, dp_rng) for _ in range(1000)]).ravel()
print(f"with Laplace noise (total epsilon {eps} over the two releases), the published "
      f"difference for {target} ranges over {np.percentile(noisy_diffs, 5):.0f} to "
      f"{np.percentile(noisy_diffs, 95):.0f} (5th-95th percentile)")

# %% [markdown] tags=["deep-dive"]
# Each release spends half of the budget, so each gets noise of scale $2/\varepsilon$; the
# published difference now varies over many patients, and one admission more or less is
# hidden in it. Small-cell suppression has no such guarantee, because it reasons about each
# table alone.

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# 1. **Calling it anonymous.** Deleting names and numbers leaves a release that nearly every
#    patient can be found in (L0 in the attack). A systematic review of re-identification
#    attacks on health data (El Emam et al. 2011) found that most successful attacks hit data
#    that had not been de-identified to an existing standard. *See it:* run the linkage
#    attack, or simply count uniqueness on birth date, sex and postcode.
# 2. **Forgetting identifiers inside other columns.** The RRN carries the birth date and sex;
#    free text, file names and e-mail addresses carry names. *See it:* scan every string column
#    for patterns (the review sheet's first check), not just the column names.
# 3. **An unkeyed hash as a pseudonym.** `sha256(record number)` can be reversed by hashing
#    every possible number. *See it:* time how long it takes to hash all 10⁷ seven-digit numbers.
# 4. **Choosing the quasi-identifiers too narrowly.** This attacker had no admission dates; a
#    neighbour does. *See it:* add the admission month to the class definition of the proposed
#    release and recount k (exercise 1).
# 5. **Trusting k alone.** k-anonymous classes with one diagnosis disclose it (the L2 row of
#    the privacy summary). *See it:* count classes with l = 1, and look at t per class.
# 6. **Sample uniqueness is not population uniqueness.** A record unique in the release may
#    share its quasi-identifiers with many people outside the hospital; the L1 attack's false
#    links show it. The converse is the danger: a rare person (a 19-year-old inpatient from
#    the rural county) is unique in both. *See it:* compare the attacker's claims with his correct links.
# 7. **Measuring utility on the wrong task.** A flat AUROC curve says nothing about a study of
#    geography or age. *See it:* rerun the utility check with the variable the recipient
#    actually studies as the outcome or exposure.
# 8. **Spending the privacy budget twice.** Every noisy count on the same patients adds up.
#    *See it:* the deep dive's two releases each needed half the budget.

# %% [markdown]
# ## Exercises
# *Core · 10 min*
#
# Worked answers are with your instructor and discussed in the seminar.
#
# 1. **A neighbour's knowledge.** Add the admission month to the quasi-identifiers
#    (`QI + ["admission_month"]`) of the proposed release. What are k and the share of
#    records in classes smaller than 5 now? Propose a generalisation of the admission date
#    that restores k = 5 with little suppression, and check it.
# 2. **Local generalisation instead of suppression.** Instead of deleting the patients in
#    small classes, put all patients younger than 30 in one band ("18-29") and recompute the
#    number suppressed at k = 5, the privacy summary, the linkage attack and the utility.
#    Which would you propose to the panel, and why?
# 3. **Where utility really goes.** Coarsen the clinical columns of the proposed release:
#    diagnosis to its ICD-10 chapter letter (`diagnosis.str[0]`) and length of stay to bands
#    (1-3, 4-7, 8-14, 15+ days). How much AUROC is lost, and how do distinct l and t change?
# 4. **Budget for a year.** The hospital wants to publish monthly counts per diagnosis for a
#    year with a total $\varepsilon = 2$. What noise scale does each monthly table get, and what
#    is the expected absolute error of the yearly total of HIV-disease patients if it is
#    computed by adding the twelve noisy months? Compare with publishing the year once.
# 5. **The adequacy review.** Write the panel's decision on the proposed release in at most
#    eight sentences: adequate or not, the residual risks (use the t analysis), and the
#    conditions for the recipient under step ⑤. Which of your numbers would change if the
#    release were published on the open web, and what would you do then?

# %% [markdown]
# ## References
#
# 1. Republic of Korea. *Personal Information Protection Act* (「개인정보 보호법」), as amended
#    by Act No. 16930 (4 February 2020, in force 5 August 2020), Art. 2 items 1(c) and 1-2,
#    Arts. 28-2 to 28-7 and 58-2; later amended in 2023. Korean text: National Law Information
#    Center, https://www.law.go.kr; English: Korea Law Translation Center, https://elaw.klri.re.kr
# 2. Personal Information Protection Commission (Korea). *가명정보 처리 가이드라인* (Guidelines
#    on Processing Pseudonymised Information), 2020; revised February 2024.
# 3. Ministry of Health and Welfare and Personal Information Protection Commission (Korea).
#    *보건의료 데이터 활용 가이드라인* (Guidelines on the Use of Health and Medical Data), 2020,
#    with later revisions.
# 4. Sweeney L. *Simple Demographics Often Identify People Uniquely*. Carnegie Mellon
#    University, Data Privacy Working Paper 3, 2000.
# 5. Golle P. Revisiting the uniqueness of simple demographics in the US population.
#    *Proceedings of the 5th ACM Workshop on Privacy in Electronic Society (WPES)*. 2006:77–80.
# 6. Sweeney L. k-anonymity: a model for protecting privacy. *International Journal of
#    Uncertainty, Fuzziness and Knowledge-Based Systems*. 2002;10(5):557–570.
#    doi:10.1142/S0218488502001648
# 7. Machanavajjhala A, Kifer D, Gehrke J, Venkitasubramaniam M. l-diversity: privacy beyond
#    k-anonymity. *ACM Transactions on Knowledge Discovery from Data*. 2007;1(1):3.
#    doi:10.1145/1217299.1217302
# 8. Li N, Li T, Venkatasubramanian S. t-closeness: privacy beyond k-anonymity and l-diversity.
#    *Proceedings of the 23rd IEEE International Conference on Data Engineering (ICDE)*.
#    2007:106–115. doi:10.1109/ICDE.2007.367856
# 9. Dwork C, McSherry F, Nissim K, Smith A. Calibrating noise to sensitivity in private data
#    analysis. In: *Theory of Cryptography (TCC 2006)*, LNCS 3876. Springer; 2006:265–284.
#    doi:10.1007/11681878_14
# 10. Dwork C, Roth A. The algorithmic foundations of differential privacy. *Foundations and
#     Trends in Theoretical Computer Science*. 2014;9(3–4):211–407. doi:10.1561/0400000042
# 11. El Emam K, Dankar FK. Protecting privacy using k-anonymity. *Journal of the American
#     Medical Informatics Association*. 2008;15(5):627–637. doi:10.1197/jamia.M2716
# 12. El Emam K, Jonker E, Arbuckle L, Malin B. A systematic review of re-identification
#     attacks on health data. *PLoS ONE*. 2011;6(12):e28071. doi:10.1371/journal.pone.0028071
# 13. Rocher L, Hendrickx JM, de Montjoye YA. Estimating the success of re-identifications in
#     incomplete datasets using generative models. *Nature Communications*. 2019;10:3069.
#     doi:10.1038/s41467-019-10933-3
# 14. Article 29 Data Protection Working Party. *Opinion 05/2014 on Anonymisation Techniques*
#     (WP216), 10 April 2014.
# 15. Regulation (EU) 2016/679 (General Data Protection Regulation), Art. 4(5), 89 and
#     Recital 26.
# 16. US Department of Health and Human Services, Office for Civil Rights. *Guidance Regarding
#     Methods for De-identification of Protected Health Information in Accordance with the
#     HIPAA Privacy Rule*, 26 November 2012; 45 CFR §164.514.
