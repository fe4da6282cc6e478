"""Real survival data that ships inside lifelines (MIT).

Every loader returns a SurvivalDataset with the event coded 1 = event observed,
0 = censored, whatever the original coding, and the time unit in the data
dictionary.
"""

from __future__ import annotations

from medai.datasets import catalog
from medai.datasets.registry import DatasetSpec
from medai.datasets.types import SurvivalDataset

LIFELINES = "lifelines (MIT), lifelines.datasets"


def gbsg2() -> SurvivalDataset:
    from lifelines.datasets import load_gbsg2

    frame = load_gbsg2().rename(columns={"cens": "recurrence", "time": "days"})
    return SurvivalDataset(
        name="gbsg2",
        frame=frame,
        duration="days",
        event="recurrence",
        description=(
            "German Breast Cancer Study Group 2: 686 women with node-positive breast cancer "
            "in a randomised trial of hormonal therapy (tamoxifen) and chemotherapy duration; "
            "outcome recurrence-free survival."
        ),
        source=(
            "Schumacher et al. (1994) J Clin Oncol 12:2086-2093; data as in Sauerbrei & "
            f"Royston (1999) J R Stat Soc A 162:71-94; via {LIFELINES}.load_gbsg2"
        ),
        licence=catalog.licence("gbsg2"),
        data_dictionary={
            "horTh": "hormonal therapy (tamoxifen): yes / no",
            "age": "age at entry, years",
            "menostat": "menopausal status: Pre / Post",
            "tsize": "tumour size, mm",
            "tgrade": "tumour grade: I, II, III",
            "pnodes": "number of positive lymph nodes",
            "progrec": "progesterone receptor, fmol/mg",
            "estrec": "oestrogen receptor, fmol/mg",
            "days": "recurrence-free survival time, days",
            "recurrence": "1 = recurrence or death observed, 0 = censored",
        },
    )


def lung_ncctg() -> SurvivalDataset:
    from lifelines.datasets import load_lung

    frame = load_lung().rename(columns={"status": "death", "time": "days"})
    return SurvivalDataset(
        name="lung_ncctg",
        frame=frame,
        duration="days",
        event="death",
        description=(
            "North Central Cancer Treatment Group: 228 patients with advanced lung cancer; "
            "survival with performance scores rated by physician and patient."
        ),
        source=f"Loprinzi et al. (1994) J Clin Oncol 12:601-607; via {LIFELINES}.load_lung",
        licence=catalog.licence("lung_ncctg"),
        data_dictionary={
            "inst": "institution code",
            "days": "survival time, days",
            "death": "1 = death observed, 0 = censored",
            "age": "age, years",
            "sex": "1 = male, 2 = female",
            "ph.ecog": "ECOG performance score by physician (0 = good to 5 = dead)",
            "ph.karno": "Karnofsky performance score by physician (0-100)",
            "pat.karno": "Karnofsky performance score by patient (0-100)",
            "meal.cal": "calories consumed at meals",
            "wt.loss": "weight loss in the last six months, pounds",
        },
    )


def kidney_transplant() -> SurvivalDataset:
    from lifelines.datasets import load_kidney_transplant

    frame = load_kidney_transplant()
    return SurvivalDataset(
        name="kidney_transplant",
        frame=frame,
        duration="time",
        event="death",
        description=(
            "863 kidney-transplant recipients (Ohio State University, 1982-1992): time to "
            "death after transplant by age, sex and race."
        ),
        source=(
            "Klein & Moeschberger (2003) Survival Analysis, section 1.7; via "
            f"{LIFELINES}.load_kidney_transplant"
        ),
        licence=catalog.licence("kidney_transplant"),
        data_dictionary={
            "time": "time to death or censoring, days",
            "death": "1 = death observed, 0 = censored",
            "age": "age at transplant, years",
            "black_male": "1 if black male",
            "white_male": "1 if white male",
            "black_female": "1 if black female (reference: white female)",
        },
    )


def larynx() -> SurvivalDataset:
    from lifelines.datasets import load_larynx

    frame = load_larynx()
    return SurvivalDataset(
        name="larynx",
        frame=frame,
        duration="time",
        event="death",
        description="90 men with cancer of the larynx: survival by disease stage and age.",
        source=(
            "Kardaun (1983) Statistica Neerlandica; Klein & Moeschberger (2003) section 1.8; "
            f"via {LIFELINES}.load_larynx"
        ),
        licence=catalog.licence("larynx"),
        data_dictionary={
            "time": "time from first treatment to death or censoring, years",
            "age": "age at diagnosis, years",
            "death": "1 = death observed, 0 = censored",
            "Stage_II": "1 if stage II", "Stage_III": "1 if stage III",
            "Stage_IV": "1 if stage IV (reference: stage I)",
        },
    )


DATASETS = {
    "gbsg2": DatasetSpec(gbsg2),
    "lung_ncctg": DatasetSpec(lung_ncctg),
    "kidney_transplant": DatasetSpec(kidney_transplant),
    "larynx": DatasetSpec(larynx),
}
