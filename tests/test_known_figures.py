"""Results that must agree with published figures for the same public data."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets


def test_regularised_logistic_regression_reaches_auroc_099_on_wdbc():
    data = datasets.load("breast_cancer_wisconsin")
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    folds = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
    auroc = cross_val_score(model, data.features, data.target, cv=folds, scoring="roc_auc")
    assert auroc.mean() >= 0.99, auroc.mean()


def test_gbsg2_tamoxifen_hazard_ratio_is_about_the_published_0_7():
    """Sauerbrei & Royston (1999) and Schumacher et al. (1994) report a hazard ratio of
    about 0.7 for hormonal therapy on recurrence-free survival in these 686 women."""
    from lifelines import CoxPHFitter

    data = datasets.load("gbsg2")
    frame = data.frame.assign(
        horTh=(data.frame["horTh"] == "yes").astype(int),
        menostat=(data.frame["menostat"] == "Post").astype(int),
        grade2=(data.frame["tgrade"] == "II").astype(int),
        grade3=(data.frame["tgrade"] == "III").astype(int),
        log_nodes=np.log(data.frame["pnodes"]),
        log_pgr=np.log1p(data.frame["progrec"]),
        log_er=np.log1p(data.frame["estrec"]),
    ).drop(columns=["tgrade", "pnodes", "progrec", "estrec"])
    fitted = CoxPHFitter().fit(frame, duration_col=data.duration, event_col=data.event)
    hazard_ratio = fitted.hazard_ratios_["horTh"]
    low, high = np.exp(fitted.confidence_intervals_.loc["horTh"])
    assert 0.6 < hazard_ratio < 0.8 and low < 0.7 < high, (hazard_ratio, low, high)


def test_ct_hounsfield_units_of_known_pixels_follow_the_header():
    """im01 prints these six pixels of pydicom's CT test file: stored value x RescaleSlope +
    RescaleIntercept, from the header alone, must equal pydicom's modality LUT and the
    tissue values the lesson names (lung about -850, fat -100, aorta with contrast 181)."""
    from pydicom.pixels import apply_rescale

    ds = datasets.load("dicom_ct").read()
    stored = ds.pixel_array
    slope, intercept = float(ds.RescaleSlope), float(ds.RescaleIntercept)
    expected = {(12, 6): -844, (14, 98): 181, (28, 60): 205, (70, 62): 384, (90, 40): 53,
                (118, 64): -100}
    by_pydicom = apply_rescale(stored, ds)
    for (row, col), hu in expected.items():
        assert stored[row, col] * slope + intercept == hu
        assert by_pydicom[row, col] == hu
