"""Real tabular data that ships inside scikit-learn."""

from __future__ import annotations

from medai.datasets import catalog
from medai.datasets.registry import DatasetSpec
from medai.datasets.types import TabularDataset


def breast_cancer_wisconsin() -> TabularDataset:
    from sklearn.datasets import load_breast_cancer

    raw = load_breast_cancer(as_frame=True)
    # scikit-learn codes malignant as 0. Clinically the disease is the positive
    # class, so recode: 1 = malignant, 0 = benign. Sensitivity then means what
    # a clinician expects it to mean.
    malignant = (raw.target == 0).astype("int64").rename("malignant")
    summaries = {"mean": "mean over nuclei", "error": "standard error over nuclei",
                 "worst": "mean of the three largest values"}
    dictionary = {}
    for column in raw.data.columns:
        kind = "error" if column.endswith("error") else column.split()[0]
        dictionary[column] = f"{summaries.get(kind, kind)} of a nuclear feature (image units)"
    dictionary["malignant"] = "final diagnosis: 1 = malignant, 0 = benign"
    return TabularDataset(
        name="breast_cancer_wisconsin",
        features=raw.data.copy(),
        target=malignant,
        target_names={0: "benign", 1: "malignant"},
        description=(
            "Wisconsin Diagnostic Breast Cancer: 30 nuclear features computed from "
            "digitised fine-needle aspirates of breast masses, 569 patients "
            "(212 malignant, 357 benign)."
        ),
        source=(
            "Street, Wolberg & Mangasarian (1993), via scikit-learn "
            "sklearn.datasets.load_breast_cancer (UCI ML repository)."
        ),
        licence=catalog.licence("breast_cancer_wisconsin"),
        data_dictionary=dictionary,
    )


def diabetes_progression() -> TabularDataset:
    from sklearn.datasets import load_diabetes

    raw = load_diabetes(as_frame=True, scaled=False)
    dictionary = {
        "age": "age in years",
        "sex": "sex, coded 1 or 2 in the source (meaning not documented)",
        "bmi": "body-mass index, kg/m2",
        "bp": "mean arterial blood pressure, mmHg",
        "s1": "total serum cholesterol (tc), mg/dL",
        "s2": "low-density lipoproteins (ldl), mg/dL",
        "s3": "high-density lipoproteins (hdl), mg/dL",
        "s4": "total cholesterol / HDL ratio (tch)",
        "s5": "log of serum triglycerides level (ltg)",
        "s6": "blood sugar level (glu), mg/dL",
        "progression": "quantitative measure of disease progression one year after baseline",
    }
    return TabularDataset(
        name="diabetes_progression",
        features=raw.data.copy(),
        target=raw.target.rename("progression"),
        target_names={},
        description=(
            "442 patients with diabetes: age, sex, BMI, blood pressure and six serum "
            "measurements at baseline, and a quantitative measure of disease progression "
            "one year later (a regression target)."
        ),
        source="Efron, Hastie, Johnstone & Tibshirani (2004), Least Angle Regression, "
               "Annals of Statistics; via scikit-learn sklearn.datasets.load_diabetes.",
        licence=catalog.licence("diabetes_progression"),
        data_dictionary=dictionary,
    )


DATASETS = {
    "breast_cancer_wisconsin": DatasetSpec(breast_cancer_wisconsin),
    "diabetes_progression": DatasetSpec(diabetes_progression),
}
