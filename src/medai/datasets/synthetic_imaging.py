"""Synthetic imaging data with known answers: chest radiograph phantoms and an abdominal CT phantom.

* ``chest_xray_phantoms``: 2D radiograph-like images, half of them (by default) with a
  nodule or an opacity, lesion masks, and an optional "site token" for shortcut learning.
* ``ct_phantom``: a 3D abdominal CT phantom in Hounsfield units with a label map.
* ``ct_phantom_series``: the same phantom written as a real DICOM CT series (fake PHI)
  into the data cache, by :mod:`medai.datasets.dicom_writer`.

Every number that shapes the data is a module constant below and is copied into
``ground_truth``; the cards in datasets/cards/ describe the same model in words.
Randomness comes only from ``numpy.random.default_rng(seed)``, so the same options
give identical arrays (and identical DICOM bytes) on every machine. numpy, scipy,
pandas and pydicom are imported inside the loaders, so importing this module is cheap.
"""

from __future__ import annotations

from typing import Any

from medai.datasets.registry import DatasetSpec, Option

# ============================================================================
# chest_xray_phantoms
# ============================================================================

CXR_FIELD_OF_VIEW_MM = 0.7 * 256  # nominal: 256 pixels of 0.7 mm; pixel spacing = 179.2 / size
CXR_LABEL_NAMES = {0: "no lesion", 1: "lesion (nodule or opacity)"}
# Intensities are in [0, 1], bright = more attenuation (radiograph convention).
CXR_INTENSITY = {
    "air outside the body": 0.04,
    "soft tissue (body silhouette) added": 0.46,
    "lung fields subtracted": 0.28,
    "mediastinum added": 0.10,
    "spine added": 0.12,
    "rib peak added (inside lungs)": 0.07,
    "smooth noise sd": 0.025,
    "pixel noise sd": 0.012,
    "site token value": 0.97,
}
# Shapes in normalised coordinates u (left-right) and v (top-bottom), both in [-1, 1].
CXR_SHAPES = {
    "body": {"centre": (0.0, 0.10), "radii": (0.88, 1.05)},
    "right lung (image left)": {"centre": (-0.38, -0.08), "radii": (0.27, 0.62)},
    "left lung (image right)": {"centre": (0.38, -0.08), "radii": (0.27, 0.62)},
    "heart (image right of centre)": {"centre": (0.12, 0.28), "radii": (0.26, 0.24)},
    "mediastinum half-width": 0.12,
    "spine half-width": 0.06,
    "rib period": 0.17,
}
CXR_JITTER = {"shift": 0.04, "scale": (0.93, 1.06), "gain": (0.9, 1.1), "offset": (-0.03, 0.03)}
NODULE_FRACTION = 0.6  # of positives; the rest have an opacity
NODULE_RADIUS_MM = (5.0, 12.0)  # radius of the mask; the Gaussian blob has sigma = radius / 2
NODULE_CONTRAST = (0.10, 0.25)  # peak intensity added at the centre
OPACITY_SEMI_AXES_MM = (12.0, 28.0)  # ellipse, clipped to the lung field
OPACITY_CONTRAST = (0.08, 0.18)
SHORTCUT_TOKEN_RATE = {True: (0.9, 0.1), False: (0.5, 0.5)}  # (positives, negatives) at site B
TOKEN_GLYPH = ("#..", "#..", "#..", "#..", "###")  # an "L" marker, 5 x 3 cells
# A token cell is (size // 32) pixels; the glyph starts 2 cells from the top and right edge.


def _sigmoid(x):
    """The logistic function, written with tanh so that float32 never overflows."""
    import numpy as np

    return 0.5 + 0.5 * np.tanh(0.5 * x)


def _soft_inside(u, v, centre, radii, width):
    """1 inside an ellipse, 0 outside, with a logistic edge ``width`` wide."""
    import numpy as np

    distance = np.sqrt(((u - centre[0]) / radii[0]) ** 2 + ((v - centre[1]) / radii[1]) ** 2)
    return _sigmoid((1.0 - distance) / width)


def _chest_background(rng, size: int, u, v):
    """One radiograph-like chest image (float32) and its lung-field weight."""
    import numpy as np
    from scipy.ndimage import gaussian_filter

    # Python floats keep the float32 arrays float32 (numpy scalars would promote them)
    shift_u, shift_v = (float(d) for d in rng.uniform(-CXR_JITTER["shift"],
                                                      CXR_JITTER["shift"], size=2))
    scale = float(rng.uniform(*CXR_JITTER["scale"]))
    rib_phase = float(rng.uniform(0, 2 * np.pi))
    gain = float(rng.uniform(*CXR_JITTER["gain"]))
    offset = float(rng.uniform(*CXR_JITTER["offset"]))
    uu = (u - shift_u) / scale
    vv = (v - shift_v) / scale
    edge = 0.03
    body = _soft_inside(uu, vv, **CXR_SHAPES["body"], width=edge)
    lungs = np.maximum(
        _soft_inside(uu, vv, **CXR_SHAPES["right lung (image left)"], width=edge),
        _soft_inside(uu, vv, **CXR_SHAPES["left lung (image right)"], width=edge),
    )
    heart = _soft_inside(uu, vv, **CXR_SHAPES["heart (image right of centre)"], width=edge)
    lung_field = lungs * (1.0 - heart)
    mediastinum = (_sigmoid((CXR_SHAPES["mediastinum half-width"] - abs(uu)) / edge)
                   * _sigmoid((0.55 - vv) / edge))
    spine = _sigmoid((CXR_SHAPES["spine half-width"] - abs(uu)) / (edge / 2))
    ribs = (0.5 + 0.5 * np.cos(2 * np.pi * (vv - 0.3 * uu**2) / CXR_SHAPES["rib period"]
                               + rib_phase)) ** 6
    image = (
        CXR_INTENSITY["air outside the body"]
        + CXR_INTENSITY["soft tissue (body silhouette) added"] * body
        - CXR_INTENSITY["lung fields subtracted"] * lung_field
        + CXR_INTENSITY["mediastinum added"] * mediastinum * body
        + CXR_INTENSITY["spine added"] * spine * body
        + CXR_INTENSITY["rib peak added (inside lungs)"] * ribs * lung_field
    )
    smooth = gaussian_filter(rng.standard_normal((size, size), dtype=np.float32),
                             sigma=size / 12, mode="reflect")
    smooth /= smooth.std()
    image = image + CXR_INTENSITY["smooth noise sd"] * smooth
    return image, lung_field, gain, offset


def _cxr_labels(rng, n_images: int, prevalence: float):
    """Labels with exactly round(n_images * prevalence) positives, in random order."""
    import numpy as np

    n_positive = int(round(n_images * prevalence))
    labels = np.zeros(n_images, dtype=np.int64)
    labels[rng.permutation(n_images)[:n_positive]] = 1
    return labels, n_positive


def _site_b_images(rng, labels, shortcut: bool):
    """Which images come from site B, whose marker every one of its images carries.

    Site B depends on the label only when ``shortcut`` is true; counts are exact,
    not Bernoulli draws.
    """
    import numpy as np

    rate_pos, rate_neg = SHORTCUT_TOKEN_RATE[bool(shortcut)]
    has_token = np.zeros(len(labels), dtype=bool)
    positives = np.flatnonzero(labels == 1)
    negatives = np.flatnonzero(labels == 0)
    has_token[rng.permutation(positives)[: int(round(rate_pos * len(positives)))]] = True
    has_token[rng.permutation(negatives)[: int(round(rate_neg * len(negatives)))]] = True
    return has_token


def _pixel_grids(size: int) -> dict[str, Any]:
    """Normalised (u, v) and pixel (rows, cols) coordinates, float32 so images stay float32."""
    import numpy as np

    centres = ((np.arange(size) + 0.5) / size * 2.0 - 1.0).astype(np.float32)
    v, u = np.meshgrid(centres, centres, indexing="ij")
    rows, cols = np.meshgrid(np.arange(size, dtype=np.float32),
                             np.arange(size, dtype=np.float32), indexing="ij")
    return {"u": u, "v": v, "rows": rows, "cols": cols}


def _token_stamp(size: int):
    """The site token's pixel glyph and where it goes (top right corner)."""
    import numpy as np

    cell = max(1, size // 32)
    glyph = np.kron(np.array([[c == "#" for c in line] for line in TOKEN_GLYPH]),
                    np.ones((cell, cell), dtype=bool))
    token_rows = slice(2 * cell, 2 * cell + glyph.shape[0])
    token_cols = slice(size - 2 * cell - glyph.shape[1], size - 2 * cell)
    return glyph, token_rows, token_cols


def _lesion_centre(rng, lung_field) -> tuple[float, float]:
    """A random sub-pixel point well inside the lung field, so that lesions sit in the lungs."""
    import numpy as np

    size = lung_field.shape[1]
    candidates = np.flatnonzero(lung_field.ravel() > 0.9)
    pick = candidates[rng.integers(len(candidates))]
    row_c = float(pick // size + rng.uniform(-0.5, 0.5))
    col_c = float(pick % size + rng.uniform(-0.5, 0.5))
    return row_c, col_c


def _nodule(rng, grids: dict[str, Any], row_c: float, col_c: float, spacing: float):
    """A round Gaussian nodule: the intensity it adds, its mask and its metadata fields."""
    import numpy as np

    distance2 = (grids["rows"] - row_c) ** 2 + (grids["cols"] - col_c) ** 2
    # at least 0.75 px so that the mask always holds the nearest pixel
    radius_px = max(float(rng.uniform(*NODULE_RADIUS_MM)) / spacing, 0.75)
    contrast = float(rng.uniform(*NODULE_CONTRAST))
    sigma = radius_px / 2.0
    added = contrast * np.exp(-distance2 / (2 * sigma**2))
    mask = distance2 <= radius_px**2
    fields = dict(lesion_type="nodule", radius_mm=radius_px * spacing,
                  semi_axis_major_mm=radius_px * spacing,
                  semi_axis_minor_mm=radius_px * spacing, angle_deg=0.0, contrast=contrast)
    return added, mask, fields


def _opacity(rng, grids: dict[str, Any], row_c: float, col_c: float, spacing: float,
             lung_field):
    """A textured, soft-edged ellipse clipped to the lung field: added intensity, mask, fields."""
    import numpy as np
    from scipy.ndimage import gaussian_filter

    size = lung_field.shape[0]
    major, minor = (float(a) for a in np.sort(rng.uniform(*OPACITY_SEMI_AXES_MM, size=2))[::-1])
    angle = float(rng.uniform(0.0, 180.0))
    contrast = float(rng.uniform(*OPACITY_CONTRAST))
    theta = float(np.deg2rad(angle))
    d_row, d_col = grids["rows"] - row_c, grids["cols"] - col_c
    along = (d_col * np.cos(theta) + d_row * np.sin(theta)) * spacing / major
    across = (-d_col * np.sin(theta) + d_row * np.cos(theta)) * spacing / minor
    ellipse = np.sqrt(along**2 + across**2)
    texture = gaussian_filter(rng.standard_normal((size, size), dtype=np.float32),
                              sigma=size / 32)
    texture = 1.0 + 0.3 * texture / texture.std()
    inside_lung = lung_field > 0.5
    weight = _sigmoid((1.0 - ellipse) / 0.12)
    added = contrast * weight * texture * inside_lung
    mask = (ellipse <= 1.0) & inside_lung
    fields = dict(lesion_type="opacity", radius_mm=float(np.sqrt(major * minor)),
                  semi_axis_major_mm=major, semi_axis_minor_mm=minor, angle_deg=angle,
                  contrast=contrast)
    return added, mask, fields


def _lesion(rng, lung_field, grids: dict[str, Any], spacing: float):
    """A nodule or (else) an opacity in the lungs: added intensity, mask and metadata fields."""
    row_c, col_c = _lesion_centre(rng, lung_field)
    if rng.random() < NODULE_FRACTION:
        added, mask, fields = _nodule(rng, grids, row_c, col_c, spacing)
    else:
        added, mask, fields = _opacity(rng, grids, row_c, col_c, spacing, lung_field)
    return added, mask, {**fields, "centre_row": row_c, "centre_col": col_c}


def _chest_image(rng, label: int, token: bool, grids: dict[str, Any], stamp,
                 spacing: float):
    """One finished image (lesion, gain, pixel noise, token), its lesion mask and metadata row."""
    import numpy as np

    size = grids["u"].shape[0]
    image, lung_field, gain, offset = _chest_background(rng, size, grids["u"], grids["v"])
    record: dict[str, Any] = {
        "label": label, "lesion_type": "none", "centre_row": np.nan,
        "centre_col": np.nan, "radius_mm": np.nan, "semi_axis_major_mm": np.nan,
        "semi_axis_minor_mm": np.nan, "angle_deg": np.nan, "contrast": np.nan,
    }
    mask = np.zeros((size, size), dtype=bool)
    if label == 1:
        added, mask, fields = _lesion(rng, lung_field, grids, spacing)
        image = image + added
        record.update(fields)
    image = gain * image + offset
    image = image + CXR_INTENSITY["pixel noise sd"] * rng.standard_normal(
        (size, size), dtype=np.float32)
    if token:
        glyph, token_rows, token_cols = stamp
        image[token_rows, token_cols][glyph] = CXR_INTENSITY["site token value"]
    record["lesion_area_mm2"] = float(mask.sum()) * spacing**2
    record["has_token"] = token
    record["site"] = "B" if token else "A"
    return np.clip(image, 0.0, 1.0), mask, record


def _cxr_ground_truth(metadata, labels, n_positive: int, spacing: float, shortcut: bool,
                      stamp) -> dict[str, Any]:
    """The answers: each lesion, the token rule and every constant of the image model."""
    _, token_rows, token_cols = stamp
    rate_pos, rate_neg = SHORTCUT_TOKEN_RATE[bool(shortcut)]
    lesion_columns = ["lesion_type", "centre_row", "centre_col", "radius_mm",
                      "semi_axis_major_mm", "semi_axis_minor_mm", "angle_deg", "contrast",
                      "lesion_area_mm2"]
    return {
        "lesions": metadata.loc[labels == 1, lesion_columns].copy(),
        "n_positive": n_positive,
        "spacing_mm": spacing,
        "token_rule": {
            "shortcut": bool(shortcut),
            "fraction_of_positives_with_token": rate_pos,
            "fraction_of_negatives_with_token": rate_neg,
            "token": "an 'L' marker at the top right corner, value "
                     f"{CXR_INTENSITY['site token value']}, stamped on every site-B image",
            "token_rows": (token_rows.start, token_rows.stop),
            "token_cols": (token_cols.start, token_cols.stop),
        },
        "model": {
            "intensity": dict(CXR_INTENSITY), "shapes": dict(CXR_SHAPES),
            "jitter": dict(CXR_JITTER), "nodule_fraction": NODULE_FRACTION,
            "nodule_radius_mm": NODULE_RADIUS_MM, "nodule_contrast": NODULE_CONTRAST,
            "nodule_profile": "contrast * exp(-d^2 / (2 sigma^2)), sigma = radius / 2; "
                              "mask = d <= radius",
            "opacity_semi_axes_mm": OPACITY_SEMI_AXES_MM, "opacity_contrast": OPACITY_CONTRAST,
            "opacity_profile": "textured ellipse with a soft edge, clipped to the lung field; "
                               "mask = inside the ellipse and the lung field",
        },
    }


def _cxr_description(n_images: int, size: int, spacing: float, n_positive: int,
                     shortcut: bool) -> str:
    """The one-paragraph description, saying whether the token is a shortcut."""
    token_text = (
        "The site token is correlated with the label (90% of positives, 10% of negatives)."
        if shortcut else
        "The site token is independent of the label (50% of positives and of negatives)."
    )
    return (
        f"{n_images} synthetic chest-radiograph-like images of {size} x {size} pixels "
        f"({spacing:.2f} mm nominal spacing), {n_positive} with a lesion (nodule or "
        f"opacity) and a lesion mask. {token_text} Not real anatomy; for teaching "
        "detection, segmentation and shortcut learning."
    )


def chest_xray_phantoms(n_images: int = 400, size: int = 64, prevalence: float = 0.5,
                        shortcut: bool = False, seed: int = 0):
    """Radiograph-like chest images with and without a lesion, masks and a site token."""
    import numpy as np
    import pandas as pd

    from medai.datasets.types import ImageDataset

    rng = np.random.default_rng(seed)
    spacing = CXR_FIELD_OF_VIEW_MM / size
    labels, n_positive = _cxr_labels(rng, n_images, prevalence)
    has_token = _site_b_images(rng, labels, shortcut)
    grids = _pixel_grids(size)
    stamp = _token_stamp(size)
    images = np.empty((n_images, size, size), dtype=np.float32)
    masks = np.zeros((n_images, size, size), dtype=np.uint8)
    records = []
    for index in range(n_images):
        images[index], masks[index], record = _chest_image(
            rng, int(labels[index]), bool(has_token[index]), grids, stamp, spacing)
        records.append(record)
    metadata = pd.DataFrame.from_records(records)
    metadata.index.name = "image"
    return ImageDataset(
        name="chest_xray_phantoms",
        images=images,
        labels=labels,
        label_names=dict(CXR_LABEL_NAMES),
        spacing_mm=(spacing, spacing),
        description=_cxr_description(n_images, size, spacing, n_positive, shortcut),
        masks=masks,
        metadata=metadata,
        ground_truth=_cxr_ground_truth(metadata, labels, n_positive, spacing, shortcut, stamp),
    )


# ============================================================================
# ct_phantom
# ============================================================================

CT_SHAPES = {"small": (32, 96, 96), "medium": (64, 128, 128)}
# Both shapes cover the same 160 mm x 384 mm x 384 mm region; medium samples it more finely.
CT_SPACING_MM = {"small": (5.0, 4.0, 4.0), "medium": (2.5, 3.0, 3.0)}
CT_LABEL_NAMES = {
    0: "background (air)", 1: "subcutaneous fat", 2: "skeletal muscle", 3: "visceral fat",
    4: "liver", 5: "spleen", 6: "kidney", 7: "bowel", 8: "blood vessels", 9: "bone",
    10: "liver lesion",
}
# True (noise-free) value of each tissue in Hounsfield units, unenhanced CT.
CT_TISSUE_HU = {
    "background (air)": -1000, "subcutaneous fat": -100, "skeletal muscle": 45,
    "visceral fat": -90, "liver": 60, "spleen": 50, "kidney": 30, "bowel": 35,
    "blood vessels": 40, "bone": 700, "liver lesion": 20,
}
CT_NOISE_SD_HU = 10.0  # white Gaussian noise, then rounded to integers
CT_HU_RANGE = (-1024, 3071)  # values are clipped to what 12 stored bits hold after rescale
L3_Z_MM = -45.0  # nominal centre of the third lumbar vertebra (no vertebral levels are drawn)
LESION_RADIUS_MM = (6.0, 15.0)
CT_HABITUS = {  # per-seed body habitus, uniform ranges in mm
    "body_half_width": (140.0, 165.0), "body_half_depth": (105.0, 125.0),
    "subcutaneous_fat_thickness": (10.0, 35.0), "muscle_wall_thickness": (10.0, 15.0),
}


def _ellipsoid(x, y, z, centre, semi):
    return (((x - centre[0]) / semi[0]) ** 2 + ((y - centre[1]) / semi[1]) ** 2
            + ((z - centre[2]) / semi[2]) ** 2) <= 1.0


def _ct_labels(rng, shape: tuple[int, int, int], spacing: tuple[float, float, float]):
    """Label map (z, y, x) of the abdominal phantom, the body habitus and the LPS grid."""
    import numpy as np

    nz, ny, nx = shape
    dz, dy, dx = spacing
    z = ((np.arange(nz) - (nz - 1) / 2) * dz)[:, None, None]
    y = ((np.arange(ny) - (ny - 1) / 2) * dy)[None, :, None]
    x = ((np.arange(nx) - (nx - 1) / 2) * dx)[None, None, :]
    habitus = {key: float(rng.uniform(*low_high)) for key, low_high in CT_HABITUS.items()}
    fat = habitus["subcutaneous_fat_thickness"]
    wall = habitus["muscle_wall_thickness"]
    # the body narrows slightly away from the middle of the scanned range
    a = habitus["body_half_width"] * (1.0 - 0.04 * (z / 80.0) ** 2)
    b = habitus["body_half_depth"] * (1.0 - 0.03 * (z / 80.0) ** 2)
    body = (x / a) ** 2 + (y / b) ** 2 <= 1.0
    muscle_outer = (x / (a - fat)) ** 2 + (y / (b - fat)) ** 2 <= 1.0
    a_c, b_c = a - fat - wall, b - fat - wall
    cavity = (x / a_c) ** 2 + (y / b_c) ** 2 <= 1.0
    a_c0 = habitus["body_half_width"] - fat - wall  # cavity size at z = 0, for placement
    b_c0 = habitus["body_half_depth"] - fat - wall

    labels = np.zeros(shape, dtype=np.uint8)
    labels[np.broadcast_to(body, shape)] = 1
    labels[np.broadcast_to(muscle_outer, shape)] = 2
    labels[np.broadcast_to(cavity, shape)] = 3
    for _ in range(int(rng.integers(14, 23))):  # bowel loops, mostly anterior and low
        centre = (rng.uniform(-0.75, 0.75) * a_c0, rng.uniform(-0.85, 0.2) * b_c0,
                  rng.uniform(-80.0, 30.0))
        semi = tuple(rng.uniform(12.0, 30.0, size=3))
        labels[_ellipsoid(x, y, z, centre, semi) & cavity] = 7
    liver = _ellipsoid(x, y, z, (-0.45 * a_c0, -0.15 * b_c0, 55.0),
                       (0.55 * a_c0, 0.8 * b_c0, 70.0))
    labels[liver & cavity] = 4
    spleen = _ellipsoid(x, y, z, (0.7 * a_c0, 0.35 * b_c0, 50.0), (0.22 * a_c0, 0.45 * b_c0, 45))
    labels[spleen & cavity] = 5
    psoas_radius = np.clip(4.0 + 14.0 * (40.0 - z) / 120.0, 0.0, 18.0) * (z < 40.0)
    for side in (-1, 1):
        psoas = (x - side * (24.0 + psoas_radius)) ** 2 + (y - (b_c0 - 40.0)) ** 2
        labels[(psoas <= psoas_radius**2) & (psoas_radius > 0) & cavity] = 2
    for side in (-1, 1):
        kidney = _ellipsoid(x, y, z, (side * 0.6 * a_c0, b_c0 - 38.0, -5.0),
                            (0.2 * a_c0, 25.0, 50.0))
        labels[kidney & cavity] = 6
    aorta = (x - 14.0) ** 2 + (y - (b_c0 - 72.0)) ** 2 <= 11.0**2
    ivc = ((x + 24.0) / 14.0) ** 2 + ((y - (b_c0 - 68.0)) / 10.0) ** 2 <= 1.0
    labels[np.broadcast_to(aorta | ivc, shape)] = 8
    for side in (-1, 1):
        paraspinal = ((x - side * 32.0) / 26.0) ** 2 + ((y - (b_c0 - 8.0)) / 24.0) ** 2 <= 1.0
        labels[np.broadcast_to(paraspinal & muscle_outer, shape)] = 2
    vertebral_body = x**2 + (y - (b_c0 - 40.0)) ** 2 <= 18.0**2
    posterior_elements = (x / 7.0) ** 2 + ((y - (b_c0 - 12.0)) / 20.0) ** 2 <= 1.0
    labels[np.broadcast_to((vertebral_body | posterior_elements) & muscle_outer, shape)] = 9
    grid = {"x": x.ravel(), "y": y.ravel(), "z": z.ravel()}
    return labels, habitus, grid


def _place_lesions(rng, labels, spacing, grid, n_lesions: int) -> list[dict[str, Any]]:
    """Spheres of liver lesion (label 10) inside the liver and apart from each other.

    A centre needs liver for radius + the largest voxel size around it, so every
    lesion is wrapped in at least one voxel of liver in every direction.
    """
    import numpy as np
    from scipy.ndimage import distance_transform_edt

    liver = np.pad(labels == 4, 1)  # padding: a lesion never runs off the volume
    depth = distance_transform_edt(liver, sampling=spacing)[1:-1, 1:-1, 1:-1]
    lesions: list[dict[str, Any]] = []
    zz, yy, xx = (np.arange(n) for n in labels.shape)
    margin = max(spacing)
    for number in range(1, n_lesions + 1):
        radius = float(rng.uniform(*LESION_RADIUS_MM))
        while True:
            room = depth > radius + margin
            for other in lesions:  # keep 3 mm of liver between lesions
                cz, cy, cx = other["centre_voxel"]
                gap = other["radius_mm"] + radius + 3.0
                room &= (((zz[:, None, None] - cz) * spacing[0]) ** 2
                         + ((yy[None, :, None] - cy) * spacing[1]) ** 2
                         + ((xx[None, None, :] - cx) * spacing[2]) ** 2) > gap**2
            candidates = np.flatnonzero(room)
            if len(candidates) or radius <= LESION_RADIUS_MM[0]:
                break
            radius = max(LESION_RADIUS_MM[0], radius * 0.8)
        if not len(candidates):
            raise RuntimeError(f"no room in the liver for lesion {number}; use fewer lesions")
        cz, cy, cx = (int(i) for i in np.unravel_index(candidates[rng.integers(len(candidates))],
                                                       labels.shape))
        sphere = (((zz[:, None, None] - cz) * spacing[0]) ** 2
                  + ((yy[None, :, None] - cy) * spacing[1]) ** 2
                  + ((xx[None, None, :] - cx) * spacing[2]) ** 2) <= radius**2
        labels[sphere] = 10
        voxel_ml = spacing[0] * spacing[1] * spacing[2] / 1000.0
        lesions.append({
            "lesion": number,
            "centre_voxel": (cz, cy, cx),
            "centre_mm_lps": (float(grid["x"][cx]), float(grid["y"][cy]), float(grid["z"][cz])),
            "radius_mm": radius,
            "n_voxels": int(sphere.sum()),
            "volume_ml": int(sphere.sum()) * voxel_ml,
            "nominal_volume_ml": 4.0 / 3.0 * np.pi * radius**3 / 1000.0,
        })
    return lesions


def ct_phantom(shape: str = "small", n_lesions: int = 2, seed: int = 0):
    """An abdominal CT phantom in Hounsfield units with a label map and voxel spacing."""
    import numpy as np

    from medai.datasets.types import VolumeDataset

    rng = np.random.default_rng(seed)
    dims = CT_SHAPES[shape]
    spacing = CT_SPACING_MM[shape]
    labels, habitus, grid = _ct_labels(rng, dims, spacing)
    lesions = _place_lesions(rng, labels, spacing, grid, n_lesions)

    lookup = np.array([CT_TISSUE_HU[CT_LABEL_NAMES[i]] for i in range(len(CT_LABEL_NAMES))],
                      dtype=np.float64)
    noisy = lookup[labels] + rng.normal(0.0, CT_NOISE_SD_HU, size=dims)
    volume = np.clip(np.rint(noisy), *CT_HU_RANGE).astype(np.int16)

    dz, dy, dx = spacing
    voxel_ml = dz * dy * dx / 1000.0
    pixel_cm2 = dy * dx / 100.0
    counts = np.bincount(labels.ravel(), minlength=len(CT_LABEL_NAMES))
    l3_slice = int(np.argmin(np.abs(grid["z"] - L3_Z_MM)))
    per_slice = {
        name: (np.count_nonzero(labels == label, axis=(1, 2)) * pixel_cm2).tolist()
        for label, name in ((1, "subcutaneous fat"), (2, "skeletal muscle"), (3, "visceral fat"))
    }
    # affine: array index (z, y, x, 1) -> LPS millimetres (x, y, z) of the voxel centre
    affine = np.array([
        [0.0, 0.0, dx, float(grid["x"][0])],
        [0.0, dy, 0.0, float(grid["y"][0])],
        [dz, 0.0, 0.0, float(grid["z"][0])],
        [0.0, 0.0, 0.0, 1.0],
    ])
    ground_truth = {
        "tissue_hu": dict(CT_TISSUE_HU),
        "noise_sd_hu": CT_NOISE_SD_HU,
        "hu_clip": CT_HU_RANGE,
        "voxel_volume_ml": voxel_ml,
        "voxel_counts": {CT_LABEL_NAMES[i]: int(counts[i]) for i in CT_LABEL_NAMES},
        "volumes_ml": {CT_LABEL_NAMES[i]: int(counts[i]) * voxel_ml for i in CT_LABEL_NAMES
                       if i != 0},
        "lesions": lesions,
        "l3": {
            "slice_index": l3_slice,
            "z_mm": float(grid["z"][l3_slice]),
            "nominal_z_mm": L3_Z_MM,
            "muscle_area_cm2": per_slice["skeletal muscle"][l3_slice],
            "subcutaneous_fat_area_cm2": per_slice["subcutaneous fat"][l3_slice],
            "visceral_fat_area_cm2": per_slice["visceral fat"][l3_slice],
        },
        "area_per_slice_cm2": per_slice,
        "habitus_mm": habitus,
        "coordinates": "LPS; array index 0 along z is the most inferior slice; affine maps "
                       "(z, y, x, 1) array indices to LPS mm (x, y, z) of the voxel centre",
        "slice_z_mm": grid["z"].tolist(),
    }
    lesion_text = f"{n_lesions} hypodense liver lesion{'s' if n_lesions != 1 else ''}"
    return VolumeDataset(
        name="ct_phantom",
        volume=volume,
        spacing_mm=spacing,
        description=(
            f"Synthetic unenhanced abdominal CT phantom, {dims[0]} x {dims[1]} x {dims[2]} "
            f"voxels (z, y, x) of {dz:g} x {dy:g} x {dx:g} mm, int16 Hounsfield units with "
            f"Gaussian noise (sd {CT_NOISE_SD_HU:g} HU): subcutaneous and visceral fat, muscle, "
            f"liver, spleen, kidneys, bowel, aorta/IVC, vertebra and {lesion_text}, with a "
            "label map. Not real anatomy; for body composition at L3 and lesion segmentation."
        ),
        labels=labels,
        label_names=dict(CT_LABEL_NAMES),
        affine=affine,
        ground_truth=ground_truth,
    )


# ============================================================================
# ct_phantom_series
# ============================================================================

SERIES_FORMAT = "v1"  # part of the cache key; bump when the files' content changes
MANIFEST = "manifest.json"


def _series_complete(folder, series_uid: str) -> bool:
    """True if ``folder`` holds every file of this exact series (same volume, same seed)."""
    import json

    manifest = folder / MANIFEST
    if not manifest.is_file():
        return False
    try:
        content = json.loads(manifest.read_text(encoding="utf-8"))
        files = content["files"]
    except (ValueError, KeyError, TypeError):
        return False
    if content.get("SeriesInstanceUID") != series_uid:
        return False  # written by other code: the UID hashes the seed and the pixels
    return bool(files) and all(
        (folder / name).is_file() and (folder / name).stat().st_size == size
        for name, size in files.items()
    )


def ct_phantom_series(shape: str = "small", n_lesions: int = 2, seed: int = 0):
    """The ct_phantom written as a DICOM CT series (one file per slice) with fake PHI."""
    import json
    from pathlib import Path

    from medai.datasets import dicom_writer
    from medai.datasets.cache import atomic_folder, data_dir
    from medai.datasets.types import DicomCollection

    phantom = ct_phantom(shape=shape, n_lesions=n_lesions, seed=seed)
    uids = dicom_writer.series_uids(phantom, seed=seed)
    key = f"{shape}-lesions{n_lesions}-seed{seed}-{SERIES_FORMAT}"
    target = data_dir() / "synthetic" / "ct_phantom_series" / key
    if not _series_complete(target, uids["SeriesInstanceUID"]):
        with atomic_folder(target) as staging:
            written = dicom_writer.write_ct_series(phantom, staging, seed=seed)
            manifest = {"format": SERIES_FORMAT, "SeriesInstanceUID": uids["SeriesInstanceUID"],
                        "files": {path.name: path.stat().st_size for path in written}}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n",
                                            encoding="utf-8")
    names = json.loads((target / MANIFEST).read_text(encoding="utf-8"))["files"]
    paths = tuple(sorted(Path(target) / name for name in names))

    patient = dicom_writer.fake_patient(seed)
    nz = phantom.volume.shape[0]
    ground_truth = {
        "options": {"shape": shape, "n_lesions": n_lesions, "seed": seed},
        "regenerate": (
            f"medai.datasets.load('ct_phantom', shape={shape!r}, n_lesions={n_lesions}, "
            f"seed={seed}) returns the same volume in HU (slices in ascending "
            "ImagePositionPatient z) and its label map"
        ),
        "identity": patient,
        "phi": dicom_writer.phi_locations(patient),
        "phi_tags": dicom_writer.phi_tag_paths(),
        "uids": uids,
        "file_by_slice": [dicom_writer.file_name(sop) for sop in uids["SOPInstanceUID"]],
        "instance_number_by_slice": [dicom_writer.instance_number(k, nz) for k in range(nz)],
        "rescale": {"slope": 1, "intercept": dicom_writer.RESCALE_INTERCEPT, "type": "HU"},
        "private_block": {"group": f"{dicom_writer.PRIVATE_GROUP:04X}",
                          "creator": dicom_writer.PRIVATE_CREATOR},
        "folder": str(target),
    }
    return DicomCollection(
        name="ct_phantom_series",
        paths=paths,
        description=(
            f"The ct_phantom ({shape}, {n_lesions} lesions, seed {seed}) as a DICOM CT "
            f"series: {len(paths)} files, one per slice, CT Image Storage in Explicit VR "
            "Little Endian. Stored values are HU + 1024 (apply RescaleSlope and "
            "RescaleIntercept); file names and InstanceNumber are not in slice order (sort "
            "by ImagePositionPatient). Every identifier is fake; ground_truth['phi'] lists "
            "each one and where it is written."
        ),
        ground_truth=ground_truth,
    )


_SEED = Option(0, "seed of numpy.random.default_rng; same seed, same data", minimum=0,
               maximum=2**32 - 1)
_CT_OPTIONS = {
    "shape": Option("small", "volume size: small = 32 x 96 x 96, medium = 64 x 128 x 128",
                    choices=tuple(CT_SHAPES)),
    "n_lesions": Option(2, "number of hypodense liver lesions", minimum=0, maximum=6),
    "seed": _SEED,
}

DATASETS = {
    "chest_xray_phantoms": DatasetSpec(chest_xray_phantoms, {
        "n_images": Option(400, "number of images", minimum=20, maximum=5000),
        "size": Option(64, "image height and width in pixels", choices=(32, 64, 128)),
        "prevalence": Option(0.5, "fraction of images with a lesion", minimum=0.05,
                             maximum=0.95),
        "shortcut": Option(False, "True: the site token is present in 90% of positives and "
                                  "10% of negatives; False: in 50% of both"),
        "seed": _SEED,
    }),
    "ct_phantom": DatasetSpec(ct_phantom, dict(_CT_OPTIONS)),
    "ct_phantom_series": DatasetSpec(ct_phantom_series, dict(_CT_OPTIONS)),
}
