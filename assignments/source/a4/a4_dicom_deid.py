# %% [markdown]
# # Assignment 4 · DICOM to Hounsfield units and a de-identified copy
#
# **Module:** Medical imaging and AI medical devices · **Lessons:** im01 DICOM from the inside,
# im02 De-identification and pseudonymisation · **Points:** 15
#
# The radiology department exports an abdominal CT series of a patient followed for liver
# lesions. Before the images go to a research partner you will (1) read the files into a correct
# 3D volume in Hounsfield units, (2) window and measure it the way the radiologist does, and (3)
# make a pseudonymised copy following the DICOM PS3.15 Basic Profile, which the hospital's data
# review board will check file by file.
#
# The series is the synthetic `ct_phantom_series` of the lessons: 32 real DICOM files with
# **invented** identifiers planted in 27 places, including nested sequences and a private block.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` and delete the
# `raise NotImplementedError()` line. Use numpy and pydicom; do not use a de-identification
# library. Every function must leave its input objects unchanged. Run every cell top to bottom
# before you submit. The cells with `assert` are the public tests; more (hidden) tests run when
# your work is graded, on **other series** (another invented patient, other seeds, other slice
# orientations), so test edge cases yourself.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import copy
import hashlib
import hmac
import math
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import UID, generate_uid

from medai import datasets

series = datasets.load("ct_phantom_series", shape="small", n_lesions=2, seed=0)
truth = series.ground_truth  # planted identifiers, UIDs, slice order: for the tests
slices = [pydicom.dcmread(p) for p in series.paths]  # in file-name order, NOT slice order
phantom = datasets.load("ct_phantom", shape="small", n_lesions=2, seed=0)  # labels for Question 4
KEY = b"a4-project-secret-key"  # the pseudonymisation key (in real life: never in the notebook)
print(f"{len(slices)} files, {slices[0].Rows} x {slices[0].Columns} pixels, "
      f"PixelSpacing {[float(v) for v in slices[0].PixelSpacing]} mm")

# %% [markdown]
# ## Question 1 · Sort the slices into a volume (2 points)
#
# Write `sort_slices(datasets)` that takes a list of single-slice pydicom Datasets of one series
# (in any order) and returns a **new list** of the same Dataset objects sorted by their position
# along the **slice normal**, in **ascending** order:
#
# * the normal is $n = X \times Y$, where $X$ and $Y$ are the first and last three values of
#   ImageOrientationPatient (the row and column direction cosines);
# * the position of a slice is $n \cdot S$, with $S$ its ImagePositionPatient.
#
# Do not rely on file names, InstanceNumber or SliceLocation, and remember that a series is not
# always axial.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sort_slices(datasets_):
    """The Datasets sorted by ascending position along the slice normal."""
    ### BEGIN SOLUTION
    orientation = np.asarray(datasets_[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(orientation[:3], orientation[3:])
    positions = [float(normal @ np.asarray(ds.ImagePositionPatient, dtype=float))
                 for ds in datasets_]
    order = np.argsort(positions, kind="stable")
    return [datasets_[i] for i in order]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
ordered = sort_slices(slices)
assert isinstance(ordered, list) and len(ordered) == len(slices), (
    "return a list with every Dataset once"
)
names = [Path(ds.filename).name for ds in ordered]
assert names != sorted(names), "you returned the files in file-name order; sort by position"
assert names != truth["file_by_slice"][::-1], (
    "the order is reversed: InstanceNumber runs from head to feet here, position from feet to head; "
    "sort by the position along the normal, ascending"
)
assert names == truth["file_by_slice"], "slices are not in ascending order along the normal"
assert [ds.filename for ds in slices] == [str(p) for p in series.paths], (
    "do not reorder the input list in place; return a new list"
)
print("Public tests passed. Hidden tests use shuffled, coronal and sagittal series.")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(44)
_shuffled = [slices[i] for i in _rng.permutation(len(slices))]
assert [Path(d.filename).name for d in sort_slices(_shuffled)] == truth["file_by_slice"]


_true_index = {}  # id(copy) -> its true position in the stack


def _reoriented(orientation, axis, sign):
    """Copies whose slices are stacked along `axis` (0 x, 1 y, 2 z) with this orientation."""
    _copies = []
    _perm = _rng.permutation(len(slices))
    for _k, _ds in enumerate(sort_slices(slices)):
        _c = copy.deepcopy(_ds)
        _c.ImageOrientationPatient = orientation
        _pos = [-190.0, -190.0, 40.0]
        _pos[axis] = sign * (-77.5 + 5.0 * _k)
        _c.ImagePositionPatient = _pos
        _c.InstanceNumber = str(int(_perm[_k]) + 1)
        if "SliceLocation" in _c:
            del _c.SliceLocation
        _true_index[id(_c)] = _k
        _copies.append(_c)
    return _copies


# coronal: X = (1,0,0), Y = (0,0,-1), normal = (0,1,0): ascending y
_coronal = _reoriented([1, 0, 0, 0, 0, -1], axis=1, sign=1)
_got = sort_slices([_coronal[i] for i in _rng.permutation(len(_coronal))])
assert [_true_index[id(d)] for d in _got] == list(range(len(_coronal))), (
    "coronal series not sorted along its normal (0, 1, 0)"
)
# sagittal: X = (0,1,0), Y = (0,0,-1), normal = (-1,0,0): ascending -x, i.e. descending x
_sagittal = _reoriented([0, 1, 0, 0, 0, -1], axis=0, sign=-1)
_got = sort_slices([_sagittal[i] for i in _rng.permutation(len(_sagittal))])
assert [_true_index[id(d)] for d in _got] == list(range(len(_sagittal))), (
    "sagittal series not sorted along its normal (-1, 0, 0)"
)
# another seed, shuffled
_other = datasets.load("ct_phantom_series", shape="small", n_lesions=4, seed=2)
_other_slices = [pydicom.dcmread(_p) for _p in _other.paths]
assert [Path(d.filename).name for d in sort_slices(_other_slices)] == \
    _other.ground_truth["file_by_slice"]
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 · Stored values to Hounsfield units (2 points)
#
# Write `to_hu(ds)` that returns the pixels of one CT slice in Hounsfield units as a **float**
# numpy array of shape (Rows, Columns):
#
# $$ \text{HU} = \text{stored} \times \text{RescaleSlope} + \text{RescaleIntercept}. $$
#
# Read both attributes from **this** file (they can differ between files and scanners; they are
# decimal strings in the header). If an attribute is absent, use slope 1 and intercept 0.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def to_hu(ds):
    """Hounsfield units of one slice: stored * RescaleSlope + RescaleIntercept (float)."""
    ### BEGIN SOLUTION
    stored = ds.pixel_array.astype(np.float64)
    slope = float(ds.get("RescaleSlope", 1.0))
    intercept = float(ds.get("RescaleIntercept", 0.0))
    return stored * slope + intercept
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
by_name = {Path(ds.filename).name: ds for ds in slices}
k = 10
hu = to_hu(by_name[truth["file_by_slice"][k]])
assert isinstance(hu, np.ndarray) and hu.shape == (96, 96), "return a (Rows, Columns) array"
assert np.issubdtype(hu.dtype, np.floating), "return floats (HU are not always integers)"
assert not np.allclose(hu, phantom.volume[k] + 1024), (
    "these are the stored values: you forgot the RescaleIntercept (-1024 here)"
)
assert np.array_equal(hu, phantom.volume[k]), "HU do not match stored * slope + intercept"
assert abs(hu[0, 0] + 1000) < 50, "a corner pixel is air and should be near -1000 HU"
print(f"slice {k}: HU from {hu.min():.0f} to {hu.max():.0f}")
print("Public tests passed. Hidden tests use other slopes and intercepts, a real CT file and "
      "files without one or both rescale attributes.")
### BEGIN HIDDEN TESTS
_ct = datasets.load("dicom_ct").read()  # real CT: signed stored values, intercept -1024
_hu = to_hu(_ct)
for (_r, _c), _expected in {(12, 6): -844.0, (14, 98): 181.0, (70, 62): 384.0,
                            (118, 64): -100.0}.items():
    assert math.isclose(_hu[_r, _c], _expected), "wrong HU on the real CT test file"
_scaled = copy.deepcopy(by_name[truth["file_by_slice"][5]])
_scaled.RescaleSlope = "2.5"
_scaled.RescaleIntercept = "-30.25"
assert np.allclose(to_hu(_scaled), _scaled.pixel_array * 2.5 - 30.25), (
    "RescaleSlope must multiply the stored values"
)
_no_rescale = datasets.load("dicom_mr").read()  # MR: no rescale attributes
_mr = to_hu(_no_rescale)
assert np.allclose(_mr, _no_rescale.pixel_array), (
    "without RescaleSlope/RescaleIntercept use slope 1 and intercept 0"
)
assert isinstance(_mr, np.ndarray) and np.issubdtype(_mr.dtype, np.floating), (
    "return floats also when the file has no rescale attributes"
)
_no_slope = copy.deepcopy(by_name[truth["file_by_slice"][5]])
del _no_slope.RescaleSlope  # the intercept alone: slope 1
assert np.allclose(to_hu(_no_slope), _no_slope.pixel_array - 1024.0), (
    "RescaleIntercept present without RescaleSlope: use slope 1 and still add the intercept"
)
_other = datasets.load("ct_phantom_series", shape="small", n_lesions=4, seed=2)
_other_by_name = {Path(_p).name: _p for _p in _other.paths}
_other_volume = datasets.load("ct_phantom", shape="small", n_lesions=4, seed=2).volume
for _k in (0, 13, 31):
    _ds = pydicom.dcmread(_other_by_name[_other.ground_truth["file_by_slice"][_k]])
    assert np.array_equal(to_hu(_ds), _other_volume[_k]), "wrong HU on another series"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3 · Window a slice for display (2 points)
#
# Write `window_image(ds, center, width)` that returns the **display values** of one slice for a
# window given in Hounsfield units, as floats in **[0, 1]** (0 = black, 1 = white): 0 for
# $\text{HU} \le c - w/2$, 1 for $\text{HU} \ge c + w/2$, linear in between:
#
# $$ g = \operatorname{clip}\!\left(\frac{\text{HU} - (c - w/2)}{w}, 0, 1\right). $$
#
# The window is defined on HU, so the conversion of Question 2 comes first.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def window_image(ds, center, width):
    """Display values in [0, 1] of one slice for a window (center, width) in HU."""
    ### BEGIN SOLUTION
    hu = to_hu(ds)
    return np.clip((hu - (center - width / 2.0)) / width, 0.0, 1.0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
ds_k = by_name[truth["file_by_slice"][k]]
shown = window_image(ds_k, 40, 400)  # abdomen window
assert isinstance(shown, np.ndarray) and shown.shape == (96, 96), "return a (Rows, Columns) array"
assert shown.min() >= 0 and shown.max() <= 1, (
    "display values must lie in [0, 1] (not 0..255)"
)
assert shown.mean() < 0.4, (
    f"the slice is far too bright (mean display value {shown.mean():.2f}, about 0.11 expected): "
    "air shows grey instead of black. Did you window the stored values instead of HU?"
)
expected = np.clip((phantom.volume[k] - (40 - 200)) / 400, 0, 1)
assert np.allclose(shown, expected), (
    "wrong mapping: HU -160 must give 0, +240 give 1, and +40 give 0.5"
)
bone = phantom.labels[k] == 9
assert np.allclose(shown[phantom.volume[k] <= -160], 0) and np.allclose(shown[bone], 1), (
    "air (about -1000 HU, below -160) must be 0 and bone (about +700 HU) must be 1 in this window"
)
print("Public tests passed.")
### BEGIN HIDDEN TESTS
_ct = datasets.load("dicom_ct").read()
_hu = _ct.pixel_array.astype(float) - 1024
assert np.allclose(window_image(_ct, -600, 1500), np.clip((_hu + 1350) / 1500, 0, 1)), (
    "lung window wrong on the real CT file"
)
assert np.allclose(window_image(_ct, 500, 2000), np.clip((_hu + 500) / 2000, 0, 1))
_scaled = copy.deepcopy(ds_k)
_scaled.RescaleSlope, _scaled.RescaleIntercept = "2", "-2048"
_hu2 = _scaled.pixel_array * 2.0 - 2048
assert np.allclose(window_image(_scaled, 50, 350), np.clip((_hu2 + 125) / 350, 0, 1)), (
    "the window must be applied to HU computed with this file's slope and intercept"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 · A measurement in HU and cm² (2 points)
#
# The radiologist places a region of interest (ROI) on the larger liver lesion. Write
# `roi_measurement(hu_slice, mask, pixel_spacing)` that returns the tuple
# `(mean_hu, area_cm2)`:
#
# * `hu_slice`: a 2D array of HU; `mask`: a 2D array of the same shape, **boolean or 0/1**,
#   marking the ROI;
# * `pixel_spacing`: the DICOM PixelSpacing, i.e. (**row spacing, column spacing**) in mm, as
#   numbers (pydicom's DS values are numbers) or as decimal strings such as `"0.7"`; pixels need
#   not be square;
# * `mean_hu` is the mean HU inside the ROI; `area_cm2` its area in cm² (1 cm² = 100 mm²).

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def roi_measurement(hu_slice, mask, pixel_spacing):
    """(mean HU, area in cm2) of the ROI `mask` on a slice with this PixelSpacing."""
    ### BEGIN SOLUTION
    inside = np.asarray(mask).astype(bool)
    row_mm, col_mm = (float(v) for v in pixel_spacing)
    mean_hu = float(np.asarray(hu_slice, dtype=float)[inside].mean())
    area_cm2 = float(inside.sum()) * row_mm * col_mm / 100.0
    return mean_hu, area_cm2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
lesion = phantom.ground_truth["lesions"][0]
k_lesion = lesion["centre_voxel"][0]
ds_lesion = by_name[truth["file_by_slice"][k_lesion]]
lesion_mask = phantom.labels[k_lesion] == 10  # label 10: liver lesion
mean_hu, area_cm2 = roi_measurement(phantom.volume[k_lesion], lesion_mask, ds_lesion.PixelSpacing)
assert 10 < mean_hu < 30, f"the lesion should read about +20 HU, got {mean_hu:.1f}"
assert not math.isclose(area_cm2, lesion_mask.sum()), "that is the area in pixels, not in cm2"
assert not math.isclose(area_cm2, lesion_mask.sum() * 16 / 10), (
    "1 cm2 is 100 mm2 (10 mm x 10 mm), not 10 mm2"
)
assert math.isclose(area_cm2, lesion_mask.sum() * 4.0 * 4.0 / 100), (
    "area = number of pixels x row spacing x column spacing, in mm2, then / 100 for cm2"
)
print(f"lesion on slice {k_lesion}: mean {mean_hu:.1f} HU, area {area_cm2:.2f} cm2")
print("Public tests passed. Hidden tests use non-square pixels and 0/1 masks.")
### BEGIN HIDDEN TESTS
_hu = np.arange(30 * 40, dtype=float).reshape(30, 40)
_mask = np.zeros((30, 40), dtype=int)
_mask[5:15, 10:30] = 1  # 10 x 20 pixels, given as 0/1 integers
_m, _a = roi_measurement(_hu, _mask, ["0.7", "0.9"])
assert math.isclose(_m, _hu[5:15, 10:30].mean()), "mean over the ROI wrong with a 0/1 mask"
assert math.isclose(_a, 200 * 0.7 * 0.9 / 100), (
    "area wrong with non-square pixels: use row spacing x column spacing"
)
_m, _a = roi_measurement(_hu, _mask.astype(bool), (0.5, 0.5))
assert math.isclose(_a, 0.5), "200 pixels of 0.25 mm2 are 0.5 cm2"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5 · Consistent replacement UIDs (2 points)
#
# Annex E's action **U** replaces a UID by a new one that is *internally consistent*: the same
# old UID must always give the same new UID, in every file and in every later export, so that
# series stay together and references between files still point to the right instance. Nobody
# without the key may be able to compute the mapping.
#
# Write `new_uid(old_uid, key)` (`key` is `bytes`) that returns the replacement as a `str`:
#
# * the **same** result for the same `old_uid` and `key`, every time;
# * a **different** result for a different key, and for different old UIDs;
# * a valid DICOM UID (digits and dots, at most 64 characters): for example
#   `generate_uid(entropy_srcs=[...])` with the key among the sources, or your own keyed hash
#   under the `2.25.` root;
# * UIDs defined by the standard itself (they start with `1.2.840.10008.`: SOP classes, transfer
#   syntaxes) are returned **unchanged**.

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def new_uid(old_uid, key):
    """Keyed, deterministic replacement UID; standard (1.2.840.10008.*) UIDs unchanged."""
    ### BEGIN SOLUTION
    old = str(old_uid)
    if old.startswith("1.2.840.10008."):
        return old
    tag = hmac.new(key, old.encode("ascii"), hashlib.sha256).hexdigest()
    return str(generate_uid(entropy_srcs=[tag]))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
study = truth["uids"]["StudyInstanceUID"]
replacement = new_uid(study, KEY)
assert isinstance(replacement, str), "return the UID as a str (pydicom's UID is a str too)"
assert replacement != study, "the UID must be replaced"
assert UID(replacement).is_valid and len(replacement) <= 64, (
    f"{replacement!r} is not a valid UID (digits and dots, no leading zeros, at most 64 chars)"
)
assert new_uid(study, KEY) == replacement, (
    "a second call gave another UID: the mapping must be deterministic (no fresh generate_uid())"
)
assert new_uid(truth["uids"]["SeriesInstanceUID"], KEY) != replacement, (
    "different old UIDs must give different new UIDs"
)
ct_storage = "1.2.840.10008.5.1.4.1.1.2"
assert new_uid(ct_storage, KEY) == ct_storage, "standard UIDs (1.2.840.10008.*) stay unchanged"
print("Public tests passed.")
### BEGIN HIDDEN TESTS
assert new_uid(study, b"another key") != replacement, (
    "the new UID does not depend on the key: anyone could recompute the mapping"
)
_olds = [generate_uid(entropy_srcs=["a4 hidden", str(_i)]) for _i in range(300)]
_news = [new_uid(_u, KEY) for _u in _olds]
assert len(set(_news)) == len(_olds), "collisions between replacement UIDs"
assert all(UID(_u).is_valid and len(_u) <= 64 for _u in _news)
assert _news == [new_uid(_u, KEY) for _u in _olds], "not deterministic"
assert new_uid("1.2.840.10008.1.2.1", KEY) == "1.2.840.10008.1.2.1"
assert new_uid(UID(study), KEY) == replacement, "a pydicom UID object must give the same result"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6 · A pseudonymised copy of the series (3 points)
#
# Write `deidentify_series(datasets, key)` that returns a list of **new** Datasets (deep copies,
# same order; the inputs must not change) following the Basic Profile with the *Retain
# Longitudinal Temporal Information with Modified Dates* option. Apply every rule **at every
# depth**: to the top-level data set and to every item of every sequence, however deeply nested.
#
# | rule | attributes (keywords) |
# |---|---|
# | **X** remove | all **private** elements; OtherPatientIDs, PatientAge, InstitutionName, InstitutionAddress, OperatorsName, SeriesTime, StudyDescription, SeriesDescription, RequestAttributesSequence, OperatorIdentificationSequence |
# | **Z** keep, but empty (zero-length value) | PatientBirthDate, PatientSex, ReferringPhysicianName, AccessionNumber, StudyID, StudyTime |
# | pseudonym | PatientName **and** PatientID: the same pseudonym, computed from the original PatientID and the key (same patient and key → same pseudonym in every call; another patient or another key → another pseudonym; it must not contain the original ID or the number in it) |
# | **U** new UID | every element with VR `UI`: `new_uid(value, key)` from Question 5; in the file meta, MediaStorageSOPInstanceUID becomes the new SOPInstanceUID |
# | **C** shift | every other element with VR `DA` (dates): shift by a whole number of days between −3650 and −1, computed from the original PatientID and the key, so that it is **the same for every date of the same patient in every call** and differs with the key |
# | add | PatientIdentityRemoved = `"YES"`, LongitudinalTemporalInformationModified = `"MODIFIED"`, DeidentificationMethod = a short text (at most 64 characters) |
# | keep | everything else, in particular **PixelData unchanged, byte for byte**, and the geometry and rescale attributes |
#
# A hint: `hmac.new(key, text.encode(), hashlib.sha256).hexdigest()` gives a keyed digest from
# which both a pseudonym and a day offset can be derived.

# %% nbgrader={"grade": false, "grade_id": "q6_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def deidentify_series(datasets_, key):
    """Pseudonymised deep copies of the Datasets (Basic Profile + Modified Dates option)."""
    ### BEGIN SOLUTION
    remove = {"OtherPatientIDs", "PatientAge", "InstitutionName", "InstitutionAddress",
              "OperatorsName", "SeriesTime", "StudyDescription", "SeriesDescription",
              "RequestAttributesSequence", "OperatorIdentificationSequence"}
    empty = {"PatientBirthDate", "PatientSex", "ReferringPhysicianName", "AccessionNumber",
             "StudyID", "StudyTime"}

    def shift(value, days):
        text = str(value).strip()
        if not text:
            return text
        day = np.datetime64(f"{text[:4]}-{text[4:6]}-{text[6:8]}") + np.timedelta64(days, "D")
        return str(day).replace("-", "")

    def clean(item, pseudonym, days):
        for element in list(item):
            if element.tag.is_private or element.keyword in remove:
                del item[element.tag]
            elif element.VR == "SQ":
                for sub in element.value:
                    clean(sub, pseudonym, days)
            elif element.keyword in empty:
                element.value = ""
            elif element.keyword in ("PatientName", "PatientID"):
                element.value = pseudonym
            elif element.VR == "UI":
                if element.VM > 1:
                    element.value = [new_uid(v, key) for v in element.value]
                elif element.value:
                    element.value = new_uid(element.value, key)
            elif element.VR == "DA" and element.value:
                element.value = shift(element.value, days)

    result = []
    for ds in datasets_:
        patient_id = str(ds.get("PatientID", ""))
        digest = hmac.new(key, patient_id.encode("utf-8"), hashlib.sha256).hexdigest()
        pseudonym = "ANON-" + digest[:12].upper()
        days = -(1 + int(digest[12:24], 16) % 3650)
        out = copy.deepcopy(ds)
        clean(out, pseudonym, days)
        if hasattr(out, "file_meta") and "MediaStorageSOPInstanceUID" in out.file_meta:
            out.file_meta.MediaStorageSOPInstanceUID = out.SOPInstanceUID
        out.PatientIdentityRemoved = "YES"
        out.LongitudinalTemporalInformationModified = "MODIFIED"
        out.DeidentificationMethod = "PS3.15 Basic Profile; Retain Long. Modified Dates Option"
        result.append(out)
    return result
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q6_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
def all_elements(ds):
    """Every element of ds, descending into every sequence item."""
    for element in ds:
        yield element
        if element.VR == "SQ":
            for item in element.value:
                yield from all_elements(item)


def phi_hits(ds, ground_truth):
    """Elements whose value contains a planted identifier (UIDs are checked separately)."""
    values = {str(v).strip().lower() for v in ground_truth["phi"].values() if str(v).strip()}
    long_values = [v for v in values if len(v) >= 5]
    names = set()
    for who in ("PatientName", "ReferringPhysicianName", "OperatorsName"):
        for part in ground_truth["identity"][who].replace("=", "^").split("^"):
            if len(part) >= 3 or (part and not part.isascii()):
                names.add(part.lower())
    digits = ground_truth["identity"]["PatientID"].split("-")[-1]
    hits = []
    for element in list(all_elements(ds)) + list(ds.file_meta):
        if element.VR in ("SQ", "UI", "OB", "OW", "UN") or element.value is None:
            continue
        text = "\\".join(map(str, element.value)) if element.VM > 1 else str(element.value)
        low = text.strip().lower()
        words = set(low.replace("^", " ").replace("=", " ").replace(",", " ")
                    .replace(";", " ").split())
        if low and (low in values or any(v in low for v in long_values) or digits in low
                    or any(n in words or (not n.isascii() and n in low) for n in names)):
            hits.append(f"{element.keyword or element.tag}: {text!r}")
    return hits


clean = deidentify_series(slices, KEY)
assert isinstance(clean, list) and len(clean) == len(slices), "return one Dataset per input"
assert str(slices[0].PatientName) == truth["phi"]["PatientName"] and (0x0009, 0x1001) in slices[0], (
    "the input Datasets were modified: work on copy.deepcopy(ds)"
)
leaks = phi_hits(clean[0], truth)
assert not leaks, f"identifiers left in the first file (at any depth): {leaks}"
assert not any(e.tag.is_private for ds in clean for e in all_elements(ds)), (
    "private elements must be removed"
)
assert all(a.PixelData == b.PixelData for a, b in zip(slices, clean)), (
    "PixelData changed: the pixels of this series carry no text and must stay byte for byte"
)
assert all(ds.PatientName == ds.PatientID != "" for ds in clean) and \
    len({str(ds.PatientID) for ds in clean}) == 1, (
    "PatientName and PatientID must hold the same non-empty pseudonym in every file"
)
for keyword in ("PatientBirthDate", "PatientSex", "AccessionNumber", "StudyTime"):
    assert keyword in clean[0] and str(clean[0][keyword].value or "") == "", (
        f"{keyword} must be kept with an empty value (action Z), not removed"
    )
assert "RequestAttributesSequence" not in clean[0] and "InstitutionName" not in clean[0], (
    "attributes with action X must be removed"
)
assert len({ds.StudyInstanceUID for ds in clean}) == 1 and \
    clean[0].StudyInstanceUID == new_uid(truth["uids"]["StudyInstanceUID"], KEY), (
    "StudyInstanceUID must be new_uid(old, key): one new UID shared by all files"
)
assert len({ds.SOPInstanceUID for ds in clean}) == len(clean), "SOPInstanceUIDs must stay unique"
assert all(ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID for ds in clean), (
    "file_meta.MediaStorageSOPInstanceUID must equal the new SOPInstanceUID"
)
shifts = {(np.datetime64(f"{c.StudyDate[:4]}-{c.StudyDate[4:6]}-{c.StudyDate[6:]}")
           - np.datetime64(f"{o.StudyDate[:4]}-{o.StudyDate[4:6]}-{o.StudyDate[6:]}")).astype(int)
          for o, c in zip(slices, clean)}
assert len(shifts) == 1, f"dates shifted by different amounts in different files: {shifts}"
assert -3650 <= next(iter(shifts)) <= -1, "shift dates by -3650 to -1 days"
assert clean[0].PatientIdentityRemoved == "YES" and \
    clean[0].LongitudinalTemporalInformationModified == "MODIFIED", (
    "add PatientIdentityRemoved YES and LongitudinalTemporalInformationModified MODIFIED"
)
print("Public tests passed. Hidden tests check all files, another (Korean) patient, nested "
      "identifiers, references between files and consistency across calls.")
### BEGIN HIDDEN TESTS
def _days(a, b):
    return int((np.datetime64(f"{a[:4]}-{a[4:6]}-{a[6:]}")
                - np.datetime64(f"{b[:4]}-{b[4:6]}-{b[6:]}")).astype(int))


def _uids(ds):
    _found = set()
    for _e in list(all_elements(ds)) + list(ds.file_meta):
        if _e.VR == "UI" and _e.value:
            _found.update(map(str, _e.value) if _e.VM > 1 else [str(_e.value)])
    return _found


# every file of seed 0, and the input untouched
assert all(not phi_hits(_c, truth) for _c in clean), "identifiers left in some file"
# another patient (Korean name with a Hangul group), with references between files and a
# PatientName copied into a nested sequence item
_other = datasets.load("ct_phantom_series", shape="small", n_lesions=4, seed=2)
_gt = _other.ground_truth
_raw = [pydicom.dcmread(_p) for _p in _other.paths]
for _i, _ds in enumerate(_raw):
    _target = _raw[(_i + 1) % len(_raw)]
    _ref = Dataset()
    _ref.ReferencedSOPClassUID = _target.SOPClassUID
    _ref.ReferencedSOPInstanceUID = _target.SOPInstanceUID
    _ref.PatientName = _ds.PatientName  # identifying copy, nested one level down
    _ref.StudyDate = _ds.StudyDate
    _ds.ReferencedImageSequence = [_ref]
_before = copy.deepcopy(_raw)
_out = deidentify_series(_raw, KEY)
assert all(str(_a.PatientName) == str(_b.PatientName) for _a, _b in zip(_raw, _before))
for _c in _out:
    assert not phi_hits(_c, _gt), f"identifiers left (another patient): {phi_hits(_c, _gt)}"
    assert not any(_e.tag.is_private for _e in all_elements(_c))
_original_uids = set().union(*(_uids(_d) for _d in _raw))
_new_uids = set().union(*(_uids(_d) for _d in _out))
_kept = {_u for _u in _original_uids & _new_uids if not _u.startswith("1.2.840.10008.")}
_kept.discard(str(_raw[0].file_meta.ImplementationClassUID))
assert not _kept, "some original UIDs survive (check sequences and the file meta)"
assert all(UID(_u).is_valid and len(_u) <= 64 for _u in _new_uids), "invalid new UIDs"
for _key in ("StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID"):
    assert len({str(getattr(_c, _key)) for _c in _out}) == 1, f"{_key} not consistent"
for _i, _c in enumerate(_out):
    assert _c.ReferencedImageSequence[0].ReferencedSOPInstanceUID == \
        _out[(_i + 1) % len(_out)].SOPInstanceUID, "a reference no longer points to its target"
    assert _c.ReferencedImageSequence[0].ReferencedSOPClassUID == _raw[0].SOPClassUID, (
        "standard UIDs (1.2.840.10008.*) must not change, in sequences too"
    )
    assert _c.SOPClassUID == _raw[0].SOPClassUID, "standard UIDs must not change"
    assert _c.file_meta.TransferSyntaxUID == _raw[0].file_meta.TransferSyntaxUID
assert all(_a.PixelData == _b.PixelData for _a, _b in zip(_raw, _out)), "pixels changed"
for _kw in ("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "RescaleSlope",
            "RescaleIntercept", "Modality", "InstanceNumber", "Rows", "Columns"):
    assert all(_a.get(_kw) == _b.get(_kw) for _a, _b in zip(_raw, _out)), f"{_kw} changed"
for _kw in ("OtherPatientIDs", "PatientAge", "InstitutionAddress", "OperatorsName", "SeriesTime",
            "StudyDescription", "SeriesDescription", "OperatorIdentificationSequence"):
    assert all(_kw not in _c for _c in _out), f"{_kw} must be removed"
for _kw in ("ReferringPhysicianName", "StudyID"):
    assert all(_kw in _c and str(_c[_kw].value or "") == "" for _c in _out), f"{_kw} must be empty"
assert all(_c.DeidentificationMethod and len(str(_c.DeidentificationMethod)) <= 64 for _c in _out), (
    "DeidentificationMethod must be a short text of at most 64 characters (VR LO)"
)
# dates: one shift per patient at every depth, in every call; a different key, another shift
_shift_b = _days(_out[0].StudyDate, _raw[0].StudyDate)
for _a, _c in zip(_raw, _out):
    for _kw in ("StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate"):
        assert _days(getattr(_c, _kw), getattr(_a, _kw)) == _shift_b, "inconsistent date shift"
    assert _days(_c.ReferencedImageSequence[0].StudyDate, _a.StudyDate) == _shift_b, (
        "dates inside sequences must be shifted too"
    )
_first_half = deidentify_series(_raw[:10], KEY)
_second_half = deidentify_series(_raw[10:], KEY)
assert _first_half[0].StudyInstanceUID == _second_half[0].StudyInstanceUID == \
    _out[0].StudyInstanceUID, "UIDs differ between two exports of the same study"
assert _days(_second_half[0].StudyDate, _raw[10].StudyDate) == _shift_b, (
    "the date shift differs between two exports of the same patient"
)
assert _second_half[0].PatientID == _out[0].PatientID, "pseudonym differs between calls"
assert _out[0].PatientID != clean[0].PatientID, "two patients got the same pseudonym"
_shift_a = _days(clean[0].StudyDate, slices[0].StudyDate)
_other_keys = [_days(deidentify_series(slices[:1], _k)[0].StudyDate, slices[0].StudyDate)
               for _k in (b"key one", b"key two", b"key three")]
assert any(_s != _shift_a for _s in _other_keys), "the date shift does not depend on the key"
assert any(deidentify_series(slices[:1], _k)[0].PatientID != clean[0].PatientID
           for _k in (b"key one", b"key two")), "the pseudonym does not depend on the key"
# a follow-up examination of patient A, 182 days later, exported separately
_follow = []
for _ds in slices[:3]:
    _f = copy.deepcopy(_ds)
    for _kw in ("StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate"):
        _d = np.datetime64(f"{_ds.StudyDate[:4]}-{_ds.StudyDate[4:6]}-{_ds.StudyDate[6:]}") + \
            np.timedelta64(182, "D")
        setattr(_f, _kw, str(_d).replace("-", ""))
    _f.StudyInstanceUID = generate_uid(entropy_srcs=["a4 follow-up", str(_ds.StudyInstanceUID)])
    _follow.append(_f)
_follow_out = deidentify_series(_follow, KEY)
assert _days(_follow_out[0].StudyDate, clean[0].StudyDate) == 182, (
    "the interval between two examinations of the same patient must be kept"
)
assert _follow_out[0].PatientID == clean[0].PatientID
assert _follow_out[0].StudyInstanceUID != clean[0].StudyInstanceUID
### END HIDDEN TESTS

# %% [markdown]
# ## Question 7 · What pseudonymisation does not protect against (2 points, graded by hand)
#
# Your copy passes every check above. The data review board still asks: *what risks remain once
# these files leave the hospital?* In at most 200 words, name at least **three distinct**
# re-identification or disclosure risks that a header-level pseudonymisation like yours does
# **not** remove (think of the pixels, of other data the recipient may hold, of the key, and of
# the shifted dates), and for each one a safeguard a hospital would use. Say in one sentence why
# the result is still personal data under Korea's PIPA or the GDPR.
#
# **Rubric** (2 points)
#
# | points | the answer |
# |---|---|
# | 1 | names three distinct, correct risks that header pseudonymisation leaves, at least one about the pixels or about linkage with other data |
# | 1 | gives a matching safeguard for each risk and says correctly why the copy is still personal (pseudonymised) data: whoever holds the key or the mapping can re-link it |

# %% [markdown] nbgrader={"grade": true, "grade_id": "q7_risks", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# ### BEGIN SOLUTION
# A model answer: (1) **The pixels.** Burned-in text (ultrasound, secondary captures, scanned
# forms), faces reconstructable from head CT/MR (face-recognition studies have matched them to
# photographs), implants or devices with serial numbers, and rare anatomy identify people;
# safeguard: the Clean Pixel Data / Recognizable Visual Features options (text blanking,
# defacing) and human review of samples. (2) **Linkage.** The recipient may hold other data
# (registries, other exports, social media) to match on quasi-identifiers left in the data:
# rare diagnosis, exact intervals, scanner model, body size; safeguards: data minimisation,
# generalisation, a data-use agreement forbidding re-identification, access in a closed
# analysis environment, review by the DRB. (3) **The key.** Whoever holds the key (or a
# mapping table) can re-identify everyone; if it leaks, or if an unkeyed hash was used, the
# pseudonyms are reversible; safeguard: keep the key with a trusted party apart from the
# data, access control, rotation per project. (4) **Dates.** One known real date of a patient
# reveals that patient's offset and all their real dates; per-patient offsets limit the
# damage. Free text and new private tags in future exports can also leak. Because the hospital
# (or whoever holds the key) can re-link the data, they remain personal (pseudonymised)
# information under PIPA Art. 2(1)(c) (pseudonymisation as defined in Art. 2(1-2)) and under
# the GDPR (Art. 4(5), Recital 26).
# ### END SOLUTION
