"""Real DICOM files shipped by pydicom and pydicom-data, and the MNI152 brain template
shipped by nilearn. Files are read in place; nothing is copied or downloaded."""

from __future__ import annotations

from pathlib import Path

from medai.datasets.registry import DataPackageMissingError, DatasetSpec
from medai.datasets.types import DicomCollection, VolumeDataset

PYDICOM_FILES = {
    # name: (file, description)
    "dicom_ct": ("CT_small.dcm", "one axial CT slice, 128 x 128, stored values with "
                 "RescaleIntercept -1024 (downsized from NEMA WG04 CT1)"),
    "dicom_ct_512": ("693_UNCR.dcm", "one full-size axial head CT slice (CQ500), 512 x 512, "
                                    "uncompressed"),
    "dicom_mr": ("MR_small.dcm", "one MR slice, 64 x 64 (downsized from NEMA WG04 MR1)"),
    "dicom_mr_1024": ("MR2_UNCR.dcm", "one MR image, 1024 x 1024 (NEMA WG04 MR2)"),
    "dicom_enhanced_mr": ("emri_small.dcm", "a multi-frame MR object: 10 frames of 64 x 64 "
                          "in one file (without functional group sequences)"),
    "dicom_cr_chest": ("RG1_UNCR.dcm", "a computed radiograph of the chest, 1955 x 1841 "
                       "(NEMA WG04 RG1)"),
    "dicom_cr_extremity": ("RG3_UNCR.dcm", "a computed radiograph of an extremity, "
                           "1760 x 1760 (NEMA WG04 RG3)"),
    "dicom_ultrasound": ("US1_UNCR.dcm", "an ultrasound image, 480 x 640, RGB"),
    "dicom_ecg_waveform": ("waveform_ecg.dcm", "a 12-lead ECG Waveform object (multiplexed "
                           "groups of channels with sensitivity and baseline)"),
}


def _pydicom_file(filename: str) -> Path:
    from pydicom.data import get_testdata_file

    found = get_testdata_file(filename, download=False)
    if not found:
        raise DataPackageMissingError(
            f"{filename} ships in the pydicom-data package, which is not installed. "
            "Install it with `pip install pydicom-data` (32 MB, no network needed at run time)."
        )
    return Path(found)


def _dicom_loader(name: str):
    filename, what = PYDICOM_FILES[name]

    def load() -> DicomCollection:
        return DicomCollection(
            name=name,
            paths=(_pydicom_file(filename),),
            description=f"{what}. Real public DICOM test data ({filename}).",
        )

    load.__name__ = name
    load.__doc__ = f"{what} ({filename})."
    return load


def mni152_brain() -> VolumeDataset:
    """The MNI152 2009 T1 template (1 mm) with grey- and white-matter probability masks."""
    import numpy as np
    from nilearn import datasets

    template = datasets.load_mni152_template(resolution=1)
    # float32 throughout: float64 copies of three 8.7 M-voxel volumes cost ~200 MB.
    grey = datasets.load_mni152_gm_template(resolution=1).get_fdata(dtype=np.float32)
    white = datasets.load_mni152_wm_template(resolution=1).get_fdata(dtype=np.float32)
    # nibabel arrays are (x, y, z); medai volumes are (z, y, x) like DICOM stacks.
    volume = np.ascontiguousarray(np.transpose(template.get_fdata(dtype=np.float32), (2, 1, 0)))
    tissue = np.zeros(grey.shape, dtype=np.uint8)
    brain = (grey + white) > 0.5
    tissue[brain & (grey >= white)] = 1
    tissue[brain & (white > grey)] = 2
    zooms = template.header.get_zooms()[:3]
    return VolumeDataset(
        name="mni152_brain",
        volume=volume,
        spacing_mm=(float(zooms[2]), float(zooms[1]), float(zooms[0])),
        description=(
            "MNI152 ICBM 2009 nonlinear symmetric T1-weighted brain template at 1 mm, the "
            "average of 152 normal adult MRI scans, with a grey/white-matter label map "
            "(probability > 0.5, the larger class wins). Intensities are in arbitrary units."
        ),
        labels=np.ascontiguousarray(np.transpose(tissue, (2, 1, 0))),
        label_names={0: "background / CSF", 1: "grey matter", 2: "white matter"},
        affine=template.affine,
        ground_truth={},
    )


DATASETS = {name: DatasetSpec(_dicom_loader(name)) for name in PYDICOM_FILES}
DATASETS["mni152_brain"] = DatasetSpec(mni152_brain)
