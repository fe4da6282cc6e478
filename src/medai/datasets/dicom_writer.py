"""Write a CT volume in Hounsfield units as a real DICOM CT series, one file per slice.

Each file is a CT Image Storage instance (SOP class 1.2.840.10008.5.1.4.1.1.2) in the
DICOM File Format (128-byte preamble, "DICM", File Meta Information) with Explicit VR
Little Endian encoding. Stored pixel values are HU + 1024 (12 bits stored, unsigned),
with RescaleIntercept -1024 and RescaleSlope 1, so a reader must apply the rescale.

The patient, the hospital and the staff are invented. :func:`fake_patient` chooses
them deterministically from the seed; :func:`phi_locations` says where each value is
written, including inside sequences and a private block, so a de-identification
exercise (DICOM PS3.15 Annex E) can be checked against it. UIDs are derived from the
seed and the pixel data with ``pydicom.uid.generate_uid(entropy_srcs=...)``; dates and
times come from the seed, never from the clock. Same input, same bytes.

pydicom and numpy are imported inside the functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

RESCALE_INTERCEPT = -1024
BITS_STORED = 12
PRIVATE_GROUP = 0x0009
PRIVATE_CREATOR = "MEDAI TEACHING 1.0"
HOSPITAL = "Medai Teaching Hospital"
HOSPITAL_ADDRESS = "1 Imaginary Road, Medai City, Nowhereland 00000"
IMPLEMENTATION_VERSION = "MEDAI_PHANTOM_1"
CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"

# Invented people: common Korean family and given names combined at random, and
# English-style placeholder names. (romanised, Hangul, sex)
KOREAN_FAMILY = (("Kim", "김"), ("Lee", "이"), ("Park", "박"), ("Choi", "최"), ("Jung", "정"),
                 ("Kang", "강"), ("Cho", "조"), ("Yoon", "윤"), ("Jang", "장"), ("Lim", "임"))
KOREAN_GIVEN = (("Minjun", "민준", "M"), ("Seojun", "서준", "M"), ("Doyun", "도윤", "M"),
                ("Hyunwoo", "현우", "M"), ("Jiho", "지호", "M"), ("Seoyeon", "서연", "F"),
                ("Jiwoo", "지우", "F"), ("Hayoon", "하윤", "F"), ("Minseo", "민서", "F"),
                ("Soyeon", "소연", "F"))
ENGLISH_FAMILY = ("Doe", "Roe", "Example", "Sample", "Placeholder", "Testcase")
ENGLISH_GIVEN = (("John", "M"), ("Jane", "F"), ("Richard", "M"), ("Mary", "F"), ("Alex", "M"),
                 ("Robin", "F"))

# Where each fake value is written: path -> (key in fake_patient(), tag path).
# Paths use keywords, "[i]" for a sequence item and "(gggg,eeee)" for private tags.
PHI_FIELDS: dict[str, tuple[str, str]] = {
    "PatientName": ("PatientName", "(0010,0010)"),
    "PatientID": ("PatientID", "(0010,0020)"),
    "PatientBirthDate": ("PatientBirthDate", "(0010,0030)"),
    "PatientSex": ("PatientSex", "(0010,0040)"),
    "OtherPatientIDs": ("OtherPatientIDs", "(0010,1000)"),
    "PatientAge": ("PatientAge", "(0010,1010)"),
    "InstitutionName": ("InstitutionName", "(0008,0080)"),
    "InstitutionAddress": ("InstitutionAddress", "(0008,0081)"),
    "ReferringPhysicianName": ("ReferringPhysicianName", "(0008,0090)"),
    "OperatorsName": ("OperatorsName", "(0008,1070)"),
    "AccessionNumber": ("AccessionNumber", "(0008,0050)"),
    "StudyDate": ("StudyDate", "(0008,0020)"),
    "SeriesDate": ("SeriesDate", "(0008,0021)"),
    "AcquisitionDate": ("StudyDate", "(0008,0022)"),
    "ContentDate": ("StudyDate", "(0008,0023)"),
    "StudyTime": ("StudyTime", "(0008,0030)"),
    "SeriesTime": ("SeriesTime", "(0008,0031)"),
    "StudyID": ("StudyID", "(0020,0010)"),
    "RequestAttributesSequence[0].AccessionNumber": (
        "AccessionNumber", "(0040,0275)[0].(0008,0050)"),
    "RequestAttributesSequence[0].RequestedProcedureID": (
        "RequestedProcedureID", "(0040,0275)[0].(0040,1001)"),
    "RequestAttributesSequence[0].ScheduledProcedureStepID": (
        "ScheduledProcedureStepID", "(0040,0275)[0].(0040,0009)"),
    "RequestAttributesSequence[0].ReasonForTheRequestedProcedure": (
        "ReasonForTheRequestedProcedure", "(0040,0275)[0].(0040,1002)"),
    "OperatorIdentificationSequence[0].InstitutionName": (
        "InstitutionName", "(0008,1072)[0].(0008,0080)"),
    "OperatorIdentificationSequence[0].PersonIdentificationCodeSequence[0].CodeValue": (
        "OperatorStaffID", "(0008,1072)[0].(0040,1101)[0].(0008,0100)"),
    "OperatorIdentificationSequence[0].PersonIdentificationCodeSequence[0].CodeMeaning": (
        "OperatorDescription", "(0008,1072)[0].(0040,1101)[0].(0008,0104)"),
    "(0009,1001)": ("ConsoleName", "(0009,1001)"),
    "(0009,1002)": ("PatientID", "(0009,1002)"),
}


def fake_patient(seed: int) -> dict[str, str]:
    """Invented identifiers for one patient, study and staff, chosen from the seed."""
    import datetime as dt

    import numpy as np

    rng = np.random.default_rng(seed)
    korean = bool(rng.random() < 0.5)
    if korean:
        (family, family_ko), (given, given_ko, sex) = (
            KOREAN_FAMILY[rng.integers(len(KOREAN_FAMILY))],
            KOREAN_GIVEN[rng.integers(len(KOREAN_GIVEN))])
        # alphabetic = ideographic (none) = phonetic (Hangul), as in DICOM PS3.5 Annex I
        patient_name = f"{family}^{given}=={family_ko}^{given_ko}"
    else:
        family = ENGLISH_FAMILY[rng.integers(len(ENGLISH_FAMILY))]
        given, sex = ENGLISH_GIVEN[rng.integers(len(ENGLISH_GIVEN))]
        patient_name = f"{family}^{given}"
    referrer_family = ENGLISH_FAMILY[rng.integers(len(ENGLISH_FAMILY))]
    referrer_given = ENGLISH_GIVEN[rng.integers(len(ENGLISH_GIVEN))][0]
    operator_family = KOREAN_FAMILY[rng.integers(len(KOREAN_FAMILY))][0]
    operator_given = KOREAN_GIVEN[rng.integers(len(KOREAN_GIVEN))][0]

    study_day = dt.date(2023, 1, 1) + dt.timedelta(days=int(rng.integers(0, 730)))
    age = int(rng.integers(35, 81))
    birth_day = dt.date(study_day.year - age, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
    if (birth_day.month, birth_day.day) > (study_day.month, study_day.day):
        age -= 1  # birthday not reached yet in the study year
    start = dt.datetime.combine(study_day, dt.time(int(rng.integers(8, 18)),
                                                   int(rng.integers(0, 60)),
                                                   int(rng.integers(0, 60))))
    series_start = start + dt.timedelta(minutes=int(rng.integers(2, 9)),
                                        seconds=int(rng.integers(0, 60)))
    number = int(rng.integers(0, 1_000_000))
    return {
        "PatientName": patient_name,
        "PatientID": f"MEDAI-{number:06d}",
        "OtherPatientIDs": f"MEDAI-MRN-{int(rng.integers(0, 10_000_000)):07d}",
        "PatientBirthDate": birth_day.strftime("%Y%m%d"),
        "PatientSex": sex,
        "PatientAge": f"{age:03d}Y",
        "InstitutionName": HOSPITAL,
        "InstitutionAddress": HOSPITAL_ADDRESS,
        "ReferringPhysicianName": f"{referrer_family}^{referrer_given}^^Dr",
        "OperatorsName": f"{operator_family}^{operator_given}",
        "OperatorStaffID": f"MEDAI-E{int(rng.integers(0, 10_000)):04d}",
        "OperatorDescription": f"{operator_given} {operator_family}, CT technologist",
        "AccessionNumber": f"MEDAI-A{int(rng.integers(0, 10_000_000)):07d}",
        "StudyID": f"MEDAI-S{number % 100_000:05d}",
        "StudyDate": study_day.strftime("%Y%m%d"),
        "StudyTime": start.strftime("%H%M%S"),
        "SeriesDate": series_start.strftime("%Y%m%d"),
        "SeriesTime": series_start.strftime("%H%M%S"),
        "RequestedProcedureID": f"MEDAI-RP{int(rng.integers(0, 1_000_000)):06d}",
        "ScheduledProcedureStepID": f"MEDAI-SPS{int(rng.integers(0, 100_000)):05d}",
        "ReasonForTheRequestedProcedure": (
            f"Liver lesion follow-up, {given} {family}; "
            f"ward 555-01{int(rng.integers(0, 100)):02d}"
        ),
        "ConsoleName": f"{family.upper()} {given.upper()}",
    }


def phi_locations(patient: Mapping[str, str]) -> dict[str, str]:
    """Every place a fake identifier is written in each file: path -> value."""
    return {path: str(patient[key]) for path, (key, _tag) in PHI_FIELDS.items()}


def phi_tag_paths() -> dict[str, str]:
    """The same paths as :func:`phi_locations`, as tag numbers: path -> "(gggg,eeee)[i]..."."""
    return {path: tags for path, (_key, tags) in PHI_FIELDS.items()}


def _content_digest(volume_dataset) -> str:
    import numpy as np

    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(volume_dataset.volume).tobytes())
    digest.update(repr(tuple(volume_dataset.volume.shape)).encode())
    digest.update(repr(tuple(float(s) for s in volume_dataset.spacing_mm)).encode())
    return digest.hexdigest()


def series_uids(volume_dataset, *, seed: int) -> dict[str, Any]:
    """Study, series, frame-of-reference and per-slice SOP instance UIDs (slice order)."""
    from pydicom.uid import generate_uid

    sources = ["medai-ct-phantom-series", str(seed), _content_digest(volume_dataset)]
    return {
        "StudyInstanceUID": str(generate_uid(entropy_srcs=[*sources, "study"])),
        "SeriesInstanceUID": str(generate_uid(entropy_srcs=[*sources, "series"])),
        "FrameOfReferenceUID": str(generate_uid(entropy_srcs=[*sources, "frame-of-reference"])),
        "SOPInstanceUID": [str(generate_uid(entropy_srcs=[*sources, "instance", str(k)]))
                           for k in range(volume_dataset.volume.shape[0])],
    }


def file_name(sop_instance_uid: str) -> str:
    """A file name from a hash of the SOP Instance UID: name order is not slice order."""
    return f"CT_{hashlib.sha256(sop_instance_uid.encode()).hexdigest()[:16].upper()}.dcm"


def instance_number(slice_index: int, n_slices: int) -> int:
    """InstanceNumber 1 is the most superior slice (scanned head to feet); index 0 is inferior."""
    return n_slices - slice_index


def _ds(value: float) -> str:
    """A decimal string (VR DS) of at most 16 characters, without float noise."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _geometry(volume_dataset):
    """Per-slice positions, orientation and pixel spacing from the affine (LPS)."""
    import numpy as np

    nz, ny, nx = volume_dataset.volume.shape
    affine = volume_dataset.affine
    if affine is None:  # centred, axial, LPS
        dz, dy, dx = (float(s) for s in volume_dataset.spacing_mm)
        affine = np.array([[0, 0, dx, -(nx - 1) / 2 * dx], [0, dy, 0, -(ny - 1) / 2 * dy],
                           [dz, 0, 0, -(nz - 1) / 2 * dz], [0, 0, 0, 1]], dtype=float)
    affine = np.asarray(affine, dtype=float)
    along_row, along_column = affine[:3, 2], affine[:3, 1]  # +x index, +y index
    orientation = [*(along_row / np.linalg.norm(along_row)),
                   *(along_column / np.linalg.norm(along_column))]
    positions = [affine[:3, :3] @ np.array([k, 0.0, 0.0]) + affine[:3, 3] for k in range(nz)]
    pixel_spacing = (float(np.linalg.norm(along_column)), float(np.linalg.norm(along_row)))
    return positions, orientation, pixel_spacing


def _slice_dataset(pixels, k: int, n_slices: int, position, orientation, pixel_spacing,
                   thickness: float, uids: Mapping[str, Any], patient: Mapping[str, str]):
    """The pydicom Dataset of slice k, with File Meta Information."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import PYDICOM_IMPLEMENTATION_UID, ExplicitVRLittleEndian

    sop_uid = uids["SOPInstanceUID"][k]
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION

    ds = Dataset()
    ds.file_meta = meta
    ds.preamble = b"\x00" * 128
    ds.SpecificCharacterSet = "ISO_IR 192"  # UTF-8: Hangul in person names
    # SOP Common, General Image, CT Image
    ds.SOPClassUID = CT_IMAGE_STORAGE
    ds.SOPInstanceUID = sop_uid
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.InstanceNumber = str(instance_number(k, n_slices))
    ds.AcquisitionNumber = "1"
    ds.BurnedInAnnotation = "NO"
    ds.LossyImageCompression = "00"
    ds.KVP = "120"
    ds.ConvolutionKernel = "STANDARD"
    # Patient
    ds.PatientName = patient["PatientName"]
    ds.PatientID = patient["PatientID"]
    ds.PatientBirthDate = patient["PatientBirthDate"]
    ds.PatientSex = patient["PatientSex"]
    ds.PatientAge = patient["PatientAge"]
    ds.OtherPatientIDs = patient["OtherPatientIDs"]
    # General Study
    ds.StudyInstanceUID = uids["StudyInstanceUID"]
    ds.StudyDate = patient["StudyDate"]
    ds.StudyTime = patient["StudyTime"]
    ds.ReferringPhysicianName = patient["ReferringPhysicianName"]
    ds.StudyID = patient["StudyID"]
    ds.AccessionNumber = patient["AccessionNumber"]
    ds.StudyDescription = "CT ABDOMEN WITHOUT CONTRAST (SYNTHETIC PHANTOM)"
    # General Series
    ds.Modality = "CT"
    ds.SeriesInstanceUID = uids["SeriesInstanceUID"]
    ds.SeriesNumber = "2"
    ds.SeriesDate = patient["SeriesDate"]
    ds.SeriesTime = patient["SeriesTime"]
    ds.SeriesDescription = "AXIAL ABDOMEN STANDARD"
    ds.BodyPartExamined = "ABDOMEN"
    ds.PatientPosition = "HFS"
    ds.OperatorsName = patient["OperatorsName"]
    ds.AcquisitionDate = patient["StudyDate"]
    ds.ContentDate = patient["StudyDate"]
    # General Equipment
    ds.Manufacturer = "Medai Phantom Works"
    ds.ManufacturerModelName = "Virtual CT 1"
    ds.SoftwareVersions = IMPLEMENTATION_VERSION
    ds.InstitutionName = patient["InstitutionName"]
    ds.InstitutionAddress = patient["InstitutionAddress"]
    # Frame of Reference, Image Plane
    ds.FrameOfReferenceUID = uids["FrameOfReferenceUID"]
    ds.PositionReferenceIndicator = ""
    ds.ImagePositionPatient = [_ds(v) for v in position]
    ds.ImageOrientationPatient = [_ds(v) for v in orientation]
    ds.PixelSpacing = [_ds(v) for v in pixel_spacing]
    ds.SliceThickness = _ds(thickness)
    ds.SliceLocation = _ds(position[2])
    # Image Pixel and rescale to Hounsfield units
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = (int(n) for n in pixels.shape)
    ds.BitsAllocated = 16
    ds.BitsStored = BITS_STORED
    ds.HighBit = BITS_STORED - 1
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = str(RESCALE_INTERCEPT)
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    ds.WindowCenter = "40"
    ds.WindowWidth = "400"
    ds.WindowCenterWidthExplanation = "ABDOMEN"
    # Identifying text nested in sequences (Request Attributes, Operator Identification)
    request = Dataset()
    request.AccessionNumber = patient["AccessionNumber"]
    request.RequestedProcedureID = patient["RequestedProcedureID"]
    request.ScheduledProcedureStepID = patient["ScheduledProcedureStepID"]
    request.RequestedProcedureDescription = "CT ABDOMEN WITHOUT CONTRAST"
    request.ReasonForTheRequestedProcedure = patient["ReasonForTheRequestedProcedure"]
    ds.RequestAttributesSequence = [request]
    code = Dataset()
    code.CodeValue = patient["OperatorStaffID"]
    code.CodingSchemeDesignator = "99MEDAI"
    code.CodeMeaning = patient["OperatorDescription"]
    operator = Dataset()
    operator.PersonIdentificationCodeSequence = [code]
    operator.InstitutionName = patient["InstitutionName"]
    ds.OperatorIdentificationSequence = [operator]
    # A private block, as scanners write: the console's copy of the patient
    block = ds.private_block(PRIVATE_GROUP, PRIVATE_CREATOR, create=True)
    block.add_new(0x01, "LO", patient["ConsoleName"])
    block.add_new(0x02, "LO", patient["PatientID"])
    ds.PixelData = pixels.astype("<u2").tobytes()
    ds["PixelData"].VR = "OW"
    return ds


def _write_slice(ds, path: Path) -> None:
    ds.save_as(path, enforce_file_format=True)


def write_ct_series(volume_dataset, folder, *, seed: int,
                    patient: Mapping[str, str] | None = None) -> list[Path]:
    """Write ``volume_dataset`` (int HU, (z, y, x)) to ``folder`` as one DICOM file per slice.

    ``patient`` overrides any of the fake identifiers of :func:`fake_patient(seed)`;
    ``phi_locations({**fake_patient(seed), **patient})`` then says where each one went.
    Slice k of the volume goes to the file with ImagePositionPatient from the affine
    (index 0 is the most inferior slice); InstanceNumber runs the other way and file
    names are hashes, so readers must sort by ImagePositionPatient. Returns the paths
    sorted by file name.
    """
    import numpy as np

    volume = np.asarray(volume_dataset.volume)
    if volume.ndim != 3 or not np.issubdtype(volume.dtype, np.integer):
        raise ValueError(f"expected an integer (z, y, x) volume in HU, got {volume.dtype} "
                         f"with shape {volume.shape}")
    low, high = RESCALE_INTERCEPT, RESCALE_INTERCEPT + 2**BITS_STORED - 1
    if volume.size and (volume.min() < low or volume.max() > high):
        raise ValueError(f"HU values must lie in [{low}, {high}] to fit {BITS_STORED} "
                         f"stored bits; got [{volume.min()}, {volume.max()}]")
    identity = {**fake_patient(seed), **(patient or {})}
    uids = series_uids(volume_dataset, seed=seed)
    positions, orientation, pixel_spacing = _geometry(volume_dataset)
    thickness = float(volume_dataset.spacing_mm[0])
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stored = (volume.astype(np.int32) - RESCALE_INTERCEPT).astype(np.uint16)
    paths = []
    n_slices = volume.shape[0]
    for k in range(n_slices):
        ds = _slice_dataset(stored[k], k, n_slices, positions[k], orientation, pixel_spacing,
                            thickness, uids, identity)
        path = folder / file_name(uids["SOPInstanceUID"][k])
        _write_slice(ds, path)
        paths.append(path)
    return sorted(paths)
