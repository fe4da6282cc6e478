"""A synthetic memory-clinic cohort with T1-weighted brain MRI built from the real MNI152 template.

* ``brain_atrophy_cohort``: one row per subject (age, sex, diagnosis CN / MCI / AD, the
  scanning site A or B). ``ground_truth`` holds each subject's generative parameters and
  model volumes in mL.
* ``brain_atrophy_mri``: one subject's skull-stripped T1-weighted scan (a ``VolumeDataset``)
  at 3 mm by default, with the atlas regions a volumetry pipeline would have registered to it
  (``labels``) and the true tissue fractions (``ground_truth``). Any subject can be scanned at
  the enrolled site, at the other site (a "travelling subject"), or years later.

Why: volumetry products segment a T1 scan, measure structures in mL, adjust for head size and
compare with normative data. Teaching that honestly needs scans whose true volumes are known,
patients whose atrophy follows published rates, and a second scanner that shifts the numbers.

What is real: the anatomy. The grey-matter, white-matter and intracranial maps are the
ICBM 2009 nonlinear symmetric MNI152 template shipped by nilearn (an average of 152 young
adults; Fonov et al. 2011). Every 1 mm voxel gets its most probable tissue (one sharp brain
rather than an average of 152), and blocks of 2, 3 or 4 mm average those labels, so that a
coarse voxel holds the true partial volumes of its 1 mm sub-voxels. CSF is what the
intracranial mask holds besides grey and white matter.

What is simulated, per subject (in template space, then scaled to the subject's head):

1. head size: an intracranial volume (ICV) drawn by sex, reached by scaling the template
   about its centre (separable linear interpolation on a fixed grid);
2. atrophy: grey matter (GM) turns into CSF from its CSF side, sub-voxel by sub-voxel in order
   of depth (cortical thinning, sulcal widening); the thinning is global (age, disease) and
   stronger around ellipsoidal hippocampal regions placed on the template's hippocampi; the
   ventricles grow outward by a radius in mm that increases with age and disease. Hippocampal
   loss follows an age-accelerating rate in controls plus an extra rate for the years of
   disease in MCI and Alzheimer's dementia (AD), calibrated to published annual rates (Barnes
   et al. 2009) and cross-sectional differences (Shi et al. 2009). The hippocampal region
   scales less than proportionally with head size (allometry), which makes the choice of ICV
   normalisation matter;
3. the scanner: T1 intensity = gain x bias field x (sum of fraction x tissue intensity), with
   Rician noise. Site B has brighter CSF, lower grey/white contrast, more noise and a stronger
   bias field.

The template is read once per process and voxel size (about 1 s) with nibabel, in place from
nilearn's package data, and cached as small arrays; the 1 mm arrays are freed. numpy, scipy,
nibabel and pandas are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from medai.datasets.registry import DatasetSpec, Option

COHORT = "brain_atrophy_cohort"
MRI = "brain_atrophy_mri"

DIAGNOSES = ("CN", "MCI", "AD")
DIAGNOSIS_NAMES = {"CN": "cognitively normal", "MCI": "mild cognitive impairment",
                   "AD": "Alzheimer's disease dementia"}
DIAGNOSIS_P = (0.50, 0.25, 0.25)
AGE_RANGE = (55.0, 90.0)
AGE_MEAN = {"CN": 70.0, "MCI": 72.0, "AD": 74.0}  # years; normal, sd AGE_SD, truncated
AGE_SD = 7.5
P_FEMALE = 0.55
SITE_B_FRACTION = 0.3
# Intracranial volume (mL) by sex: normal, truncated to ICV_RANGE (the template's own ICV,
# about 1887 mL, is the ceiling: heads are made by shrinking the template, never enlarging it).
ICV_ML = {"F": (1350.0, 110.0), "M": (1530.0, 120.0)}
ICV_RANGE = (1080.0, 1850.0)
ICV_REFERENCE_ML = 1450.0  # the head size at which the allometric factor below is 1
SHAPE_SD = 0.02  # log-sd of the per-axis head-shape factors (their product is fixed by the ICV)

# Tissue multipliers relative to the young-adult template, at age 55 in a control of
# reference head size (before individual variation).
BASE_AT_55 = {"grey matter": 0.90, "hippocampal region": 0.82}
# Controls lose GM at a fixed yearly rate after 55; the hippocampal rate grows with age:
# rate(age) = HIPPO_RATE[0] + HIPPO_RATE[1] * (age - 55), in % per year.
GM_RATE = 0.0040  # per year
HIPPO_RATE = (1.00, 0.035)  # % per year, and its increase per year of age
# Extra yearly loss during the years of disease (years drawn uniformly in DISEASE_YEARS).
DISEASE_YEARS = {"CN": (0.0, 0.0), "MCI": (2.0, 10.0), "AD": (3.0, 14.0)}
EXTRA_HIPPO_RATE = {"CN": 0.0, "MCI": 2.0, "AD": 3.3}  # % per year
EXTRA_GM_RATE = {"CN": 0.0, "MCI": 0.2, "AD": 0.5}  # % per year
RATE_LOG_SD = 0.25  # individual multiplier of every rate (log-normal)
# Individual (lifelong) size differences, log-sd, independent of head size.
HIPPO_SIZE_SD = 0.08
GM_SIZE_SD = 0.06
# Allometry: region volume proportional to ICV ** exponent (1 = proportional).
ALLOMETRY = {"grey matter": 0.90, "hippocampal region": 0.30}
# Ventricular enlargement: the ventricles grow outward by a radius (mm), template = 0.
VENT_RADIUS_MM = {"at 55": 1.5, "per year of age": 0.08, "per year of disease": 0.15,
                  "individual sd": 1.3, "max": 7.0}

# Atlas regions (labels of brain_atrophy_mri) and how they are defined in MNI mm.
REGION_NAMES = {0: "outside the intracranial mask", 1: "intracranial, other",
                2: "left hippocampal region", 3: "right hippocampal region", 4: "ventricles"}
# Ellipsoids: centre (x, y, z) in MNI mm, long-axis direction, semi-axes (long, 2nd, 3rd) mm.
HIPPOCAMPAL_ELLIPSOIDS = {
    2: ((-27.0, -24.0, -11.0), (4.0, 26.0, -18.0), (21.0, 8.0, 9.0)),  # left: x < 0 (RAS)
    3: ((27.0, -24.0, -11.0), (-4.0, 26.0, -18.0), (21.0, 8.0, 9.0)),  # right
}
HIPPOCAMPAL_SHARE = 0.5  # of a coarse voxel's sub-voxels that must be hippocampal grey matter
MTL_HALO_MM = 6.0  # sd of the Gaussian that spreads medial-temporal atrophy around the region
VENTRICLE_BOX_MM = {"|x| <": 30.0, "y": (-50.0, 35.0), "z": (-5.0, 35.0)}
VENTRICLE_ROI_MM = 6.0  # the ventricle region: voxels within this distance of the ventricles

# Scanners. Intensities in arbitrary units (times a per-scan gain); the bias field
# is exp(polynomial of degree 2 in the normalised coordinates) with coefficients ~ N(0, sd).
SITES = {
    "A": {"description": "3D T1-weighted gradient echo, vendor 1, reference protocol",
          "intensity": {"CSF": 220.0, "GM": 600.0, "WM": 880.0},
          "noise_sd": 18.0, "bias_sd": 0.03},
    "B": {"description": "3D T1-weighted gradient echo, vendor 2, accelerated protocol, "
                         "no intensity normalisation",
          "intensity": {"CSF": 300.0, "GM": 640.0, "WM": 820.0},
          "noise_sd": 28.0, "bias_sd": 0.10},
}
GAIN_RANGE = (0.7, 1.4)  # log-uniform scanner gain per scan (arbitrary units differ by scan)
INTENSITY_JITTER = 0.02  # per-scan relative sd of each tissue intensity
NOISE_JITTER = 0.10  # per-scan relative sd of the noise level

PUBLISHED = {
    "hippocampal atrophy, controls (%/yr)": "1.41 (95% CI 0.52 to 2.30); Barnes et al. 2009",
    "hippocampal atrophy, AD (%/yr)": "4.66 (95% CI 3.92 to 5.40); Barnes et al. 2009",
    "hippocampal volume, MCI vs controls": "12.9% (left) and 11.1% (right) smaller; "
                                           "Shi et al. 2009",
    "hippocampal volume, AD vs controls": "24.2% (left) and 23.1% (right) smaller; "
                                          "Shi et al. 2009",
}

VOLUME_COLUMNS = ("icv_ml", "gm_ml", "wm_ml", "csf_ml", "hippocampus_left_ml",
                  "hippocampus_right_ml", "ventricles_ml")


# ============================================================================
# The template, once per process and voxel size
# ============================================================================


def _ellipsoid(axes_mm, centre, axis, semi):
    """True where the grid of MNI coordinates (three 1-D axes, mm) lies inside an ellipsoid."""
    import numpy as np

    u = np.asarray(axis, float) / np.linalg.norm(axis)
    v = np.cross(u, [1.0, 0.0, 0.0])
    v /= np.linalg.norm(v)
    w = np.cross(u, v)
    shifted = (a - c for a, c in zip(axes_mm, centre, strict=True))
    x, y, z = np.meshgrid(*shifted, indexing="ij", sparse=True)
    inside = 0.0
    for direction, length in zip((u, v, w), semi, strict=True):
        inside = inside + ((x * direction[0] + y * direction[1] + z * direction[2]) / length) ** 2
    return inside <= 1.0


def _blocks(array, b: int):
    """Mean over non-overlapping b x b x b blocks (array sides are multiples of b), float32."""
    import numpy as np

    nx, ny, nz = array.shape
    total = array.reshape(nx // b, b, ny // b, b, nz // b, b).sum(axis=(1, 3, 5),
                                                                   dtype=np.float32)
    return total / np.float32(b**3)


def _index_range(axis_mm, low_mm: float, high_mm: float, b: int):
    """A slice of whole b-blocks covering the 1 mm voxels whose coordinate is in [low, high]."""
    import numpy as np

    inside = np.flatnonzero((axis_mm >= low_mm) & (axis_mm <= high_mm))
    start = max(int(inside[0]) // b * b, 0)
    stop = min(-(-(int(inside[-1]) + 1) // b) * b, len(axis_mm) // b * b)
    return slice(start, stop)


MNI_FILES = {"t1": "mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz",
             "gm": "mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz",
             "wm": "mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz"}


def _mni_file(key: str):
    """One MNI152 file shipped in nilearn's package data, read in place with nibabel.

    nilearn itself is not imported (its import costs about 80 MB); its loaders do nothing
    more than this read and a division by the maximum, which callers of this function do.
    """
    import importlib.util
    from pathlib import Path

    import nibabel
    import numpy as np

    from medai.datasets.registry import DataPackageMissingError

    spec = importlib.util.find_spec("nilearn")
    path = (Path(spec.origin).parent / "datasets" / "data" / MNI_FILES[key]) if spec else None
    if path is None or not path.is_file():
        raise DataPackageMissingError(
            "the MNI152 template ships in the nilearn package, which is not installed. "
            "Install it with `pip install nilearn` (no network needed at run time).")
    image = nibabel.load(path)
    return np.asarray(image.dataobj), np.asarray(image.affine, dtype=float)


def _distance_mm(mask):
    """Distance (mm, float32) of each True voxel to the nearest False one on the 1 mm grid.

    The mean of the city-block and chessboard chamfer distances: within about 10% of the
    Euclidean distance, at a quarter of the memory of scipy's exact transform."""
    import numpy as np
    from scipy import ndimage

    taxicab = ndimage.distance_transform_cdt(mask, metric="taxicab").astype(np.float32)
    taxicab += ndimage.distance_transform_cdt(mask, metric="chessboard")
    taxicab *= np.float32(0.5)
    return taxicab


def _sorted_sub_voxels(values, b: int):
    """(n_coarse, b**3): the values of each coarse voxel's 1 mm sub-voxels, sorted."""
    import numpy as np

    n3 = tuple(n // b for n in values.shape)
    sub = values.reshape(n3[0], b, n3[1], b, n3[2], b).transpose(0, 2, 4, 1, 3, 5)
    return np.sort(sub.reshape(-1, b**3), axis=-1)


@lru_cache(maxsize=3)
def _template(voxel_mm: float) -> dict[str, Any]:
    """The MNI152 tissue maps block-averaged to voxel_mm, with regions; arrays (x, y, z)."""
    import numpy as np
    from scipy import ndimage

    b = int(round(voxel_mm))
    t1, affine_1mm = _mni_file("t1")
    if not np.allclose(affine_1mm[:3, :3], np.eye(3)):
        raise RuntimeError("expected the 1 mm MNI152 template in RAS without rotation")
    icv = t1 > 0  # the template is skull-stripped: its support is the intracranial volume
    del t1
    ends = [np.flatnonzero(icv.any(axis=tuple(k for k in range(3) if k != axis)))
            for axis in range(3)]
    low = np.maximum(np.array([e[0] for e in ends]) - b, 0)
    size = -(-(np.array([e[-1] for e in ends]) + 1 + b - low) // b) * b  # a multiple of b
    crop = tuple(slice(int(lo), int(lo + n)) for lo, n in zip(low, size, strict=True))
    axes_mm = [np.arange(lo, lo + n) + affine_1mm[k, 3] for k, (lo, n) in
               enumerate(zip(low, size, strict=True))]

    def cropped(array):
        part = array[crop]
        return np.pad(part, [(0, int(n) - s) for n, s in zip(size, part.shape, strict=True)])

    icv_1 = cropped(icv)
    del icv
    grey = cropped(_mni_file("gm")[0])
    white = cropped(_mni_file("wm")[0])
    # One brain, not a blur of 152: every 1 mm voxel gets the tissue of highest probability
    # (CSF = what the intracranial mask holds besides grey and white matter), so that coarse
    # voxels hold the partial volumes of sharp boundaries, as an individual's scan does. The
    # files store probabilities as integers 0-255 (nilearn divides them by 255).
    if grey.dtype != np.uint8 or white.dtype != np.uint8:
        raise RuntimeError("expected the MNI152 tissue maps as 8-bit probabilities")
    csf_255 = 255 - np.minimum(grey.astype(np.int16) + white, 255)
    is_grey = icv_1 & (grey >= csf_255) & (grey >= white)
    is_white = icv_1 & ~is_grey & (white >= csf_255)
    del csf_255, grey, white
    csf = icv_1 & ~is_grey & ~is_white
    grey, white = is_grey, is_white
    coarse = {"csf": _blocks(csf, b), "gm": _blocks(grey, b), "wm": _blocks(white, b),
              "icv": _blocks(icv_1, b)}
    shape = coarse["icv"].shape
    # Hippocampal regions: the grey matter of an ellipsoid placed on each hippocampus (MNI mm,
    # evaluated in a box around it); a coarse voxel belongs to a region when at least
    # HIPPOCAMPAL_SHARE of its 1 mm sub-voxels do.
    # The 1 mm masks are kept (small boxes) to place the regions in each subject's head.
    regions = np.where(coarse["icv"] >= 0.5, 1, 0).astype(np.uint8)
    hippocampal, hippocampal_fine = {}, {}
    for label, (centre, axis, semi) in HIPPOCAMPAL_ELLIPSOIDS.items():
        box = tuple(_index_range(a, c - semi[0], c + semi[0], b)
                    for a, c in zip(axes_mm, centre, strict=True))
        inside = _ellipsoid([a[s] for a, s in zip(axes_mm, box, strict=True)], centre, axis, semi)
        fine = inside & grey[box]
        hippocampal_fine[label] = (np.array([s.start for s in box]), fine)
        share = np.zeros(shape, dtype=np.float32)
        share[tuple(slice(s.start // b, s.stop // b) for s in box)] = _blocks(fine, b)
        hippocampal[label] = share >= HIPPOCAMPAL_SHARE

    # Cortical thinning: the depth (mm) of every grey 1 mm voxel below the nearest CSF (or the
    # edge of the mask). Atrophy of t mm turns the grey sub-voxels shallower than t into CSF:
    # boundaries recede, as sulci widen in a real brain, instead of every voxel fading.
    depth = _distance_mm(grey | white)
    # a fixed jitter below half a millimetre orders the voxels of equal depth (a rough surface)
    depth += np.random.default_rng(0).random(depth.shape, dtype=np.float32) * np.float32(0.5)
    depth[~grey] = np.inf
    del white, grey, icv_1
    gm_sub = _sorted_sub_voxels(depth, b)
    del depth
    gm_index = np.flatnonzero(np.isfinite(gm_sub[:, 0]))
    gm_sub = np.ascontiguousarray(gm_sub[gm_index])

    # Ventricles: the two largest CSF components in a central box (lateral ventricles; third
    # ventricle with the cisterns behind it). Distances to them are computed in a box with
    # room for the largest enlargement, and sorted per coarse voxel, so that the share of a
    # coarse voxel within R mm of the ventricles is a count for whatever R a subject needs.
    box = (_index_range(axes_mm[0], -VENTRICLE_BOX_MM["|x| <"], VENTRICLE_BOX_MM["|x| <"], b),
           _index_range(axes_mm[1], *VENTRICLE_BOX_MM["y"], b),
           _index_range(axes_mm[2], *VENTRICLE_BOX_MM["z"], b))
    components, _ = ndimage.label(csf[box])
    del csf
    sizes = np.bincount(components.ravel())[1:]
    keep = 1 + np.argsort(sizes)[::-1][:2]
    seeds = np.zeros(tuple(int(n) for n in size), dtype=bool)
    seeds[box] = np.isin(components, keep)
    del components
    # the box that the largest enlargement and the ventricle region can reach, in whole blocks
    margin = int(-(-(VENT_RADIUS_MM["max"] + VENTRICLE_ROI_MM + 2 * b) // b)) * b
    where = np.argwhere(seeds)
    low_corner = np.maximum(where.min(axis=0) - margin, 0) // b * b
    high_corner = np.minimum(where.max(axis=0) + 1 + margin, size) // b * b
    del where
    wide = tuple(slice(int(lo), int(hi)) for lo, hi in zip(low_corner, high_corner, strict=True))
    seeds = seeds[wide]
    distance = _distance_mm(~seeds)
    n3 = tuple(n // b for n in distance.shape)
    sub = _sorted_sub_voxels(distance, b)
    del distance, seeds
    offset = tuple(s.start // b for s in wide)
    local = np.arange(sub.shape[0])
    grid = np.unravel_index(local, n3)
    flat = np.ravel_multi_index(tuple(g + o for g, o in zip(grid, offset, strict=True)), shape)
    near = sub[:, 0] <= VENT_RADIUS_MM["max"] + b
    vent_index, vent_sub = flat[near], np.ascontiguousarray(sub[near])
    roi = np.zeros(shape, dtype=bool).reshape(-1)
    roi[flat[sub[:, b**3 // 2] <= VENTRICLE_ROI_MM]] = True  # the median sub-voxel is near
    del sub
    roi = roi.reshape(shape)
    regions[roi & (regions == 1)] = 4
    regions_base = regions.copy()  # without the hippocampi, which subjects get from 1 mm
    for label, mask in hippocampal.items():  # hippocampal regions win over the ventricles
        regions[mask & (regions > 0)] = label

    # Medial-temporal weight: 1 in the hippocampal regions, a Gaussian halo around them
    hippo = np.isin(regions, list(HIPPOCAMPAL_ELLIPSOIDS)).astype(np.float32)
    halo = ndimage.gaussian_filter(hippo, MTL_HALO_MM / b)
    mtl = np.maximum(hippo, np.clip(halo / max(float(halo.max()), 1e-6), 0, 1))
    # Sorted depths of all grey sub-voxels inside and outside the hippocampal regions: the
    # thinning that leaves a wanted share of grey matter is then a look-up.
    in_roi = hippo.reshape(-1)[gm_index] > 0
    depth_roi = np.sort(gm_sub[in_roi][np.isfinite(gm_sub[in_roi])])
    depth_rest = np.sort(gm_sub[~in_roi][np.isfinite(gm_sub[~in_roi])])

    affine = affine_1mm @ np.array([[b, 0, 0, low[0] + (b - 1) / 2],
                                    [0, b, 0, low[1] + (b - 1) / 2],
                                    [0, 0, b, low[2] + (b - 1) / 2],
                                    [0, 0, 0, 1.0]])
    icv_coarse = coarse["icv"]
    centre = (np.argwhere(icv_coarse > 0) * icv_coarse[icv_coarse > 0][:, None]).sum(0)
    centre = centre / icv_coarse.sum()
    voxel_ml = b**3 / 1000.0
    return {"voxel_mm": float(b), "voxel_ml": voxel_ml, "shape": shape, "affine": affine,
            "centre_voxel": centre, **coarse, "regions": regions, "regions_base": regions_base,
            "hippocampal_fine": hippocampal_fine, "mtl": mtl.astype(np.float32),
            "region_index": {k: np.flatnonzero(regions.reshape(-1) == k) for k in (2, 3, 4)},
            "vent_index": vent_index, "vent_sub": vent_sub, "gm_index": gm_index,
            "gm_sub": gm_sub, "depth_roi": depth_roi, "depth_rest": depth_rest,
            "icv_ml": float(icv_coarse.sum(dtype=np.float64) * voxel_ml)}


# ============================================================================
# Subjects: parameters, anatomy, volumes
# ============================================================================


def _truncated_normal(rng, mean: float, sd: float, low: float, high: float) -> float:
    """One draw of N(mean, sd) restricted to [low, high] (rejection; the range is wide)."""
    while True:
        value = rng.normal(mean, sd)
        if low <= value <= high:
            return float(value)


def _subject(seed: int, index: int) -> dict[str, Any]:
    """Every generative parameter of one subject; independent of cohort size."""
    import numpy as np

    rng = np.random.default_rng([seed, index, 0])
    diagnosis = DIAGNOSES[int(rng.choice(3, p=DIAGNOSIS_P))]
    age = round(_truncated_normal(rng, AGE_MEAN[diagnosis], AGE_SD, *AGE_RANGE), 1)
    sex = "F" if rng.random() < P_FEMALE else "M"
    site = "B" if rng.random() < SITE_B_FRACTION else "A"
    icv = _truncated_normal(rng, *ICV_ML[sex], *ICV_RANGE)
    shape = rng.normal(0.0, SHAPE_SD, 3)
    shape -= shape.mean()
    years = float(rng.uniform(*DISEASE_YEARS[diagnosis]))
    rate_factor = np.exp(rng.normal(0.0, RATE_LOG_SD, 3))
    return {
        "subject_id": f"S{index:04d}", "index": index, "age": age, "sex": sex,
        "diagnosis": diagnosis, "site": site, "icv_target_ml": icv,
        **{f"head_shape_log_{axis}": float(s) for axis, s in zip("xyz", shape, strict=True)},
        "disease_years": years,
        "hippocampal_age_rate_factor": float(rate_factor[0]),
        "extra_hippocampal_rate_pct": EXTRA_HIPPO_RATE[diagnosis] * float(rate_factor[1]),
        "extra_gm_rate_pct": EXTRA_GM_RATE[diagnosis] * float(rate_factor[2]),
        "hippocampal_size_log": float(rng.normal(0.0, HIPPO_SIZE_SD)),
        "gm_size_log": float(rng.normal(0.0, GM_SIZE_SD)),
        "ventricle_offset_mm": float(rng.normal(0.0, VENT_RADIUS_MM["individual sd"])),
    }


def _hippocampal_age_loss(age: float) -> float:
    """-log of the hippocampal multiplier from 55 to age: the integral of the yearly rate."""
    t = max(age - AGE_RANGE[0], 0.0)
    return (HIPPO_RATE[0] * t + HIPPO_RATE[1] * t**2 / 2) / 100.0


def _multipliers(subject: dict, years_later: float = 0.0) -> dict[str, float]:
    """Tissue multipliers (relative to the template) and ventricle radius at a scan time."""
    import numpy as np

    age = subject["age"] + years_later
    sick = subject["disease_years"] + (years_later if subject["diagnosis"] != "CN" else 0.0)
    head = subject["icv_target_ml"] / ICV_REFERENCE_ML
    t = age - AGE_RANGE[0]
    gm = (BASE_AT_55["grey matter"] * head ** (ALLOMETRY["grey matter"] - 1)
          * np.exp(subject["gm_size_log"] - GM_RATE * t - subject["extra_gm_rate_pct"] / 100
                   * sick))
    hippo = (BASE_AT_55["hippocampal region"] * head ** (ALLOMETRY["hippocampal region"] - 1)
             * np.exp(subject["hippocampal_size_log"]
                      - subject["hippocampal_age_rate_factor"] * _hippocampal_age_loss(age)
                      - subject["extra_hippocampal_rate_pct"] / 100 * sick))
    radius = (VENT_RADIUS_MM["at 55"] + VENT_RADIUS_MM["per year of age"] * t
              + VENT_RADIUS_MM["per year of disease"] * sick + subject["ventricle_offset_mm"])
    return {"gm": float(min(gm, 1.0)), "hippocampal": float(min(hippo, 1.0)),
            "ventricle_radius_mm": float(np.clip(radius, 0.0, VENT_RADIUS_MM["max"]))}


def _thinning(sorted_depths, keep: float) -> float:
    """The thinning (mm) that leaves a share `keep` of these grey sub-voxels."""
    lose = int(round((1.0 - keep) * len(sorted_depths)))
    if lose <= 0:
        return 0.0
    return float(sorted_depths[min(lose, len(sorted_depths)) - 1])


def _atrophied(template: dict, m: dict[str, float]):
    """Tissue fractions (csf, gm, wm) in template space after atrophy, float32 (x, y, z)."""
    import numpy as np

    t_rest = _thinning(template["depth_rest"], m["gm"])
    t_hippo = _thinning(template["depth_roi"], m["hippocampal"])
    csf, gm, wm, icv = (template[k].copy().reshape(-1) for k in ("csf", "gm", "wm", "icv"))
    index = template["gm_index"]
    thinning = t_rest + (t_hippo - t_rest) * template["mtl"].reshape(-1)[index]
    b3 = template["gm_sub"].shape[1]
    lost = (template["gm_sub"] <= thinning[:, None]).sum(axis=1) / np.float32(b3)
    gm[index] -= lost
    csf[index] += lost
    # Ventricles: the share of each coarse voxel within the radius becomes CSF.
    reach = (template["vent_sub"] <= m["ventricle_radius_mm"]).sum(axis=1) / np.float32(b3)
    index = template["vent_index"]
    new_csf = np.maximum(csf[index], reach * icv[index])
    tissue = icv[index] - csf[index]
    keep = np.where(tissue > 1e-6, (icv[index] - new_csf) / np.maximum(tissue, 1e-6), 0)
    gm[index] *= keep
    wm[index] *= keep
    csf[index] = new_csf
    shape = template["shape"]
    return (np.clip(csf, 0, 1).reshape(shape), np.clip(gm, 0, 1).reshape(shape),
            np.clip(wm, 0, 1).reshape(shape))


def _scales(template: dict, subject: dict):
    """Per-axis linear scale factors (x, y, z) that give the subject's ICV."""
    import numpy as np

    cube = (subject["icv_target_ml"] / template["icv_ml"]) ** (1 / 3)
    return cube * np.exp(np.array([subject[f"head_shape_log_{axis}"] for axis in "xyz"]))


def _model_parts(template: dict) -> dict:
    """Split the grey coarse voxels once: those where a subject's thinning varies or the
    ventricles can reach (computed voxel by voxel), and the rest, thinned uniformly, whose
    loss is one look-up in their sorted sub-voxel depths. Cached in the template."""
    import numpy as np

    if "model_parts" not in template:
        index = template["gm_index"]
        local = (template["mtl"].reshape(-1)[index] > 0) | np.isin(index, template["vent_index"])
        plain = template["gm_sub"][~local]
        template["model_parts"] = {
            "rows": index[local], "sub": np.ascontiguousarray(template["gm_sub"][local]),
            "plain_depths": np.sort(plain[np.isfinite(plain)]),
        }
    return template["model_parts"]


def _model_volumes(template: dict, subject: dict, years_later: float = 0.0) -> dict:
    """Volumes in mL of the continuous model: template-space sums x the scaling Jacobian.

    The same atrophy as ``_atrophied``, computed voxel by voxel only where regions and
    ventricles need it (a cohort of hundreds must load in seconds)."""
    import numpy as np

    m = _multipliers(subject, years_later)
    parts = _model_parts(template)
    t_rest = _thinning(template["depth_rest"], m["gm"])
    t_hippo = _thinning(template["depth_roi"], m["hippocampal"])
    gm, wm, icv = (template[k].copy().reshape(-1) for k in ("gm", "wm", "icv"))
    rows = parts["rows"]
    thinning = t_rest + (t_hippo - t_rest) * template["mtl"].reshape(-1)[rows]
    b3 = parts["sub"].shape[1]
    gm[rows] -= (parts["sub"] <= thinning[:, None]).sum(axis=1) / np.float32(b3)
    csf = icv - gm - wm
    reach = (template["vent_sub"] <= m["ventricle_radius_mm"]).sum(axis=1) / np.float32(b3)
    index = template["vent_index"]
    new_csf = np.maximum(csf[index], reach * icv[index])
    tissue = icv[index] - csf[index]
    keep = np.where(tissue > 1e-6, (icv[index] - new_csf) / np.maximum(tissue, 1e-6), 0)
    gm[index] *= keep
    wm[index] *= keep
    csf[index] = new_csf
    lost_elsewhere = np.searchsorted(parts["plain_depths"], t_rest, side="right") / b3
    jacobian = float(np.prod(_scales(template, subject))) * template["voxel_ml"]
    grey = float(gm.sum(dtype=np.float64)) - lost_elsewhere
    white = float(wm.sum(dtype=np.float64))
    total = template["icv_ml"] / template["voxel_ml"]
    where = template["region_index"]
    return {"icv_ml": total * jacobian, "gm_ml": grey * jacobian, "wm_ml": white * jacobian,
            "csf_ml": (total - grey - white) * jacobian,
            "hippocampus_left_ml": float(gm[where[2]].sum()) * jacobian,
            "hippocampus_right_ml": float(gm[where[3]].sum()) * jacobian,
            "ventricles_ml": float(csf[where[4]].sum()) * jacobian,
            **{f"multiplier_{k}": v for k, v in m.items()}}


# ============================================================================
# brain_atrophy_cohort
# ============================================================================

COHORT_DICTIONARY = {
    "subject_id": "pseudonymous subject code S0000, S0001, ... (the `subject` option of "
                  "brain_atrophy_mri is the number)",
    "age": "age at the baseline scan, years (55 to 90)",
    "sex": "F or M",
    "diagnosis": "clinical diagnosis: CN cognitively normal, MCI mild cognitive impairment, "
                 "AD Alzheimer's disease dementia",
    "site": "hospital and scanner of the baseline scan: A (reference protocol) or B",
}


def brain_atrophy_cohort(n_subjects: int = 400, seed: int = 0):
    """Subjects of a two-site memory-clinic MRI study; volumes and parameters in ground_truth."""
    import pandas as pd

    from medai.datasets.types import TableDataset

    template = _template(3.0)
    subjects = [_subject(seed, i) for i in range(n_subjects)]
    table = pd.DataFrame([{k: s[k] for k in COHORT_DICTIONARY} for s in subjects])
    table["sex"] = pd.Categorical(table["sex"], categories=["F", "M"])
    table["diagnosis"] = pd.Categorical(table["diagnosis"], categories=list(DIAGNOSES),
                                        ordered=True)
    table["site"] = pd.Categorical(table["site"], categories=["A", "B"])
    volumes = pd.DataFrame([_model_volumes(template, s) for s in subjects],
                           index=table["subject_id"])
    parameters = pd.DataFrame(subjects).set_index("subject_id").drop(
        columns=["age", "sex", "diagnosis", "site"])
    counts = table["diagnosis"].value_counts().reindex(list(DIAGNOSES))
    return TableDataset(
        name=COHORT,
        tables={"subjects": table},
        description=(
            f"{n_subjects} subjects of a synthetic two-site memory-clinic study ("
            + ", ".join(f"{counts[d]} {d}" for d in DIAGNOSES)
            + "), aged 55-90. Each has a T1-weighted MRI: load it with "
            "datasets.load('brain_atrophy_mri', subject=<number>, seed=<same seed>). "
            "Anatomy from the real MNI152 template; head size, atrophy and scanner simulated."),
        data_dictionary=dict(COHORT_DICTIONARY),
        ground_truth={
            "volumes_ml": volumes[list(VOLUME_COLUMNS)],
            "multipliers": volumes.drop(columns=list(VOLUME_COLUMNS)),
            "parameters": parameters,
            "model": _model_constants(),
            "published": dict(PUBLISHED),
        },
    )


def _model_constants() -> dict[str, Any]:
    """The generator's constants, for instructors (copied so callers cannot change them)."""
    import copy

    return copy.deepcopy({
        "diagnosis_p": dict(zip(DIAGNOSES, DIAGNOSIS_P, strict=True)),
        "diagnosis_names": DIAGNOSIS_NAMES, "age_mean": AGE_MEAN,
        "age_sd": AGE_SD, "age_range": AGE_RANGE, "p_female": P_FEMALE,
        "site_b_fraction": SITE_B_FRACTION, "icv_ml_by_sex": ICV_ML, "icv_range": ICV_RANGE,
        "icv_reference_ml": ICV_REFERENCE_ML, "base_at_55": BASE_AT_55, "gm_rate": GM_RATE,
        "hippocampal_rate_pct": HIPPO_RATE,
        "disease_years": DISEASE_YEARS, "extra_hippocampal_rate_pct": EXTRA_HIPPO_RATE,
        "extra_gm_rate_pct": EXTRA_GM_RATE,
        "rate_log_sd": RATE_LOG_SD, "hippocampal_size_sd": HIPPO_SIZE_SD,
        "gm_size_sd": GM_SIZE_SD, "allometry": ALLOMETRY, "ventricle_radius_mm": VENT_RADIUS_MM,
        "sites": SITES, "gain_range": GAIN_RANGE, "intensity_jitter": INTENSITY_JITTER,
        "noise_jitter": NOISE_JITTER, "regions": REGION_NAMES,
        "hippocampal_ellipsoids_mni_mm": HIPPOCAMPAL_ELLIPSOIDS,
    })


# ============================================================================
# brain_atrophy_mri
# ============================================================================


def _source_coordinates(template: dict, scales, axis: int):
    """For each output index along an axis, the template coordinate it samples."""
    import numpy as np

    n = template["shape"][axis]
    centre = template["centre_voxel"][axis]
    return centre + (np.arange(n) - centre) / scales[axis]


def _scale_linear(template: dict, scales, stack):
    """Scale (k, x, y, z) maps about the template centre: separable linear interpolation."""
    import numpy as np

    out = stack
    for axis in range(3):
        q = _source_coordinates(template, scales, axis)
        n = template["shape"][axis]
        low = np.floor(q).astype(int)
        weight = (q - low).astype(np.float32)
        valid = ((q >= 0) & (q <= n - 1)).astype(np.float32)
        low = np.clip(low, 0, n - 1)
        high = np.clip(low + 1, 0, n - 1)
        shape = [1, 1, 1, 1]
        shape[axis + 1] = n
        a = np.take(out, low, axis=axis + 1)
        a *= ((1 - weight) * valid).reshape(shape)
        a += np.take(out, high, axis=axis + 1) * (weight * valid).reshape(shape)
        out = a
    return out


def _scale_nearest(template: dict, scales, labels):
    """Scale an (x, y, z) label map about the template centre: nearest neighbour, 0 outside."""
    import numpy as np

    picks, valid = [], []
    for axis in range(3):
        q = np.rint(_source_coordinates(template, scales, axis)).astype(int)
        n = template["shape"][axis]
        valid.append((q >= 0) & (q < n))
        picks.append(np.clip(q, 0, n - 1))
    inside = valid[0][:, None, None] & valid[1][None, :, None] & valid[2][None, None, :]
    return np.where(inside, labels[np.ix_(*picks)], 0).astype(labels.dtype)


def _scaled_share(template: dict, scales, start, fine):
    """Share of each coarse subject voxel inside a 1 mm template mask (at `start` of the
    1 mm crop), after scaling: the mask is sampled at every 1 mm position of the subject's
    grid, so that region volumes change smoothly with head size."""
    import numpy as np

    b = int(template["voxel_mm"])
    padded = np.pad(fine, 1)  # outside the box: the False border
    picks, coarse = [], []
    for axis in range(3):
        centre = template["centre_voxel"][axis]
        position = (np.arange(template["shape"][axis] * b) - (b - 1) / 2) / b  # coarse units
        source = centre + (position - centre) / scales[axis]
        index = np.rint(source * b + (b - 1) / 2).astype(int) - start[axis] + 1
        index = np.clip(index, 0, padded.shape[axis] - 1)
        hit = np.flatnonzero((index > 0) & (index < padded.shape[axis] - 1))
        low, high = hit[0] // b, hit[-1] // b + 1
        coarse.append(slice(low, high))
        picks.append(index[low * b:high * b])
    share = np.zeros(template["shape"], dtype=np.float32)
    share[tuple(coarse)] = _blocks(padded[np.ix_(*picks)], b)
    return share


def _bias_field(rng, shape, sd: float):
    """A smooth multiplicative field: exp of a random quadratic in normalised coordinates."""
    import numpy as np

    axes = [np.linspace(-1.0, 1.0, n, dtype=np.float32) for n in shape]
    u, v, w = np.meshgrid(*axes, indexing="ij", sparse=True)
    terms = [u, v, w, u * u - 1 / 3, v * v - 1 / 3, w * w - 1 / 3, u * v, u * w, v * w]
    c = rng.normal(0.0, sd, len(terms)).astype(np.float32)
    log_field = sum(ci * t for ci, t in zip(c, terms, strict=True))
    return np.exp(np.broadcast_to(log_field, shape)).astype(np.float32), c


def brain_atrophy_mri(subject: int = 0, seed: int = 0, scanner: str = "enrolled",
                      years: float = 0.0, voxel_mm: float = 3.0):
    """One skull-stripped T1-weighted scan of a cohort subject, with atlas regions and truth."""
    import numpy as np

    from medai.datasets.types import VolumeDataset

    template = _template(voxel_mm)
    person = _subject(seed, subject)
    site = person["site"] if scanner == "enrolled" else scanner
    m = _multipliers(person, years)
    scales = _scales(template, person)
    fractions = _scale_linear(template, scales, np.stack(_atrophied(template, m)))
    np.clip(fractions, 0.0, 1.0, out=fractions)
    inside = fractions.sum(axis=0) >= 0.5
    regions = _scale_nearest(template, scales, template["regions_base"])
    regions = np.where(inside, np.maximum(regions, 1), 0).astype(np.uint8)
    for label, (start, fine) in template["hippocampal_fine"].items():
        regions[(_scaled_share(template, scales, start, fine) >= HIPPOCAMPAL_SHARE)
                & inside] = label

    # The scan: its own random draws, different for every site and time point
    scan_key = [seed, subject, 1, ord(site), int(round(years * 1000))]
    rng = np.random.default_rng(scan_key)
    spec = SITES[site]
    gain = float(np.exp(rng.uniform(*np.log(GAIN_RANGE))))
    intensity = {k: v * gain * float(1 + rng.normal(0, INTENSITY_JITTER))
                 for k, v in spec["intensity"].items()}
    noise_sd = spec["noise_sd"] * gain * float(1 + rng.normal(0, NOISE_JITTER))
    field, coefficients = _bias_field(rng, inside.shape, spec["bias_sd"])
    tissue_means = np.array([intensity["CSF"], intensity["GM"], intensity["WM"]], np.float32)
    signal = field[inside] * np.tensordot(tissue_means, fractions[:, inside], axes=1)
    real = signal + np.float32(noise_sd) * rng.standard_normal(signal.shape, dtype=np.float32)
    imaginary = np.float32(noise_sd) * rng.standard_normal(signal.shape, dtype=np.float32)
    image = np.zeros(inside.shape, dtype=np.float32)
    image[inside] = np.sqrt(real * real + imaginary * imaginary)  # magnitude: Rician noise

    def zyx(array):
        return np.ascontiguousarray(np.moveaxis(array, -1, -3).swapaxes(-1, -2))

    fractions = zyx(fractions)
    labels = zyx(regions)
    inside = labels > 0
    tissue = np.where(inside, 1 + fractions.argmax(axis=0), 0).astype(np.uint8)
    voxel_ml = template["voxel_ml"]
    volumes = {
        "icv_ml": float(fractions.sum(dtype=np.float64)) * voxel_ml,
        "gm_ml": float(fractions[1].sum(dtype=np.float64)) * voxel_ml,
        "wm_ml": float(fractions[2].sum(dtype=np.float64)) * voxel_ml,
        "csf_ml": float(fractions[0].sum(dtype=np.float64)) * voxel_ml,
        "hippocampus_left_ml": float(fractions[1][labels == 2].sum(dtype=np.float64)) * voxel_ml,
        "hippocampus_right_ml": float(fractions[1][labels == 3].sum(dtype=np.float64))
        * voxel_ml,
        "ventricles_ml": float(fractions[0][labels == 4].sum(dtype=np.float64)) * voxel_ml,
        "icv_mask_ml": float(np.count_nonzero(labels)) * voxel_ml,
    }
    b = template["voxel_mm"]
    return VolumeDataset(
        name=MRI,
        volume=zyx(image),
        spacing_mm=(b, b, b),
        description=(
            f"Synthetic skull-stripped T1-weighted MRI of subject {person['subject_id']} "
            f"({person['age'] + years:.1f} years, {person['sex']}, {person['diagnosis']}) at "
            f"site {site}, {b:g} mm isotropic voxels, arbitrary intensity units. Anatomy from "
            "the MNI152 template; atrophy, head size and scanner simulated. labels holds the "
            "atlas regions registered to this scan; ground_truth the true tissue fractions."),
        labels=labels,
        label_names=dict(REGION_NAMES),
        affine=template["affine"].copy(),
        ground_truth={
            "subject": {k: person[k] for k in ("subject_id", "sex", "diagnosis", "site")}
                       | {"age_at_scan": person["age"] + years, "years_after_baseline": years,
                          "scanned_at": site},
            "tissue_fractions": fractions,
            "tissue_labels": tissue,
            "tissue_names": {0: "outside", 1: "CSF", 2: "grey matter", 3: "white matter"},
            "volumes_ml": volumes,
            "multipliers": m,
            "head_scale_xyz": [float(s) for s in scales],
            "scanner": {"site": site, "gain": gain, "intensity": intensity,
                        "noise_sd": noise_sd, "bias_coefficients": [float(c) for c in
                                                                    coefficients]},
            "bias_field": zyx(field),
        },
    )


DATASETS = {
    COHORT: DatasetSpec(brain_atrophy_cohort, {
        "n_subjects": Option(400, "number of subjects", minimum=20, maximum=5000),
        "seed": Option(0, "seed of the cohort; the same seed with brain_atrophy_mri gives "
                          "the same subjects", minimum=0, maximum=2**32 - 1),
    }),
    MRI: DatasetSpec(brain_atrophy_mri, {
        "subject": Option(0, "subject number in the cohort (S0000 = 0)", minimum=0,
                          maximum=99_999),
        "seed": Option(0, "seed of the cohort (as in brain_atrophy_cohort)", minimum=0,
                       maximum=2**32 - 1),
        "scanner": Option("enrolled", "where the subject is scanned: the enrolled site, or "
                                      "site A or B whatever the enrolment",
                          choices=("enrolled", "A", "B")),
        "years": Option(0.0, "years after the baseline scan (a follow-up scan)", minimum=0.0,
                        maximum=10.0),
        "voxel_mm": Option(3.0, "isotropic voxel size in mm", choices=(2.0, 3.0, 4.0)),
    }),
}
