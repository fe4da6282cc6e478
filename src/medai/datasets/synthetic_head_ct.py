"""Synthetic head CT slices with and without acute intracranial haemorrhage (``head_ct_phantoms``).

**API.** ``medai.datasets.load("head_ct_phantoms", n_images=600, size=64, prevalence=0.5,
multi_fraction=0.2, slices_per_scan=1, label_noise=0.0, seed=0)`` returns an
``ImageDataset``: ``images`` int16 ``(n, size, size)`` in Hounsfield units (axial slices,
anterior at the top, the patient's right on the image left); ``labels`` uint8 ``(n, 5)``,
multi-label, columns coded by ``label_names`` = {0: "any", 1: "intraparenchymal",
2: "subdural", 3: "epidural", 4: "subarachnoid"} (column 0 = any bleed = the maximum of
columns 1-4); ``masks`` uint8 ``(n, size, size)``, pixel codes = the same numbers (0 = no
blood; where two bleeds touch, the later-painted one, in the order 1, 4, 2, 3, wins);
``spacing_mm`` (212 mm / size for both axes); ``metadata`` one row per image (``scan``,
``slice``, ``z_mm``, ``scanner``, the five labels as reported, ``label_flipped``,
``midline_shift_mm``, ``calcification``, blood area per type in mm²); ``ground_truth``
with ``true_labels`` (the labels before label noise), ``lesions`` (one row per bleed
and slice: type, centre, size, mean HU, area, whether a subdural crosses a suture),
``scan_labels`` (one row per scan) and every constant of the model. With
``slices_per_scan`` k > 1, consecutive images are k adjacent 5-mm slices of one scan (one
head, one set of bleeds that may miss some slices); ``prevalence`` is then per scan.
``label_noise`` flips that fraction of scans' reported labels (a positive scan reported
normal, a normal scan reported with one bleed type); ``true_labels`` stays clean.

**What is simulated.** An axial slice at the level of the lateral ventricles, built in
millimetres on a grid twice as fine as the output and block-averaged, so thin structures
lose contrast the way they do in a real voxel (partial volume): scalp, a skull with outer
and inner tables and diploe, sutures (coronal and lambdoid), a CSF rim, cortex with sulci,
white matter, Sylvian and interhemispheric fissures, lateral ventricles, thalami, and in
some heads pineal or choroid-plexus calcification (a bright dot that is not blood). Four
acute bleeds at 50-90 HU: intraparenchymal (irregular round clot with an oedema rim),
subdural (crescent along the inner skull, free to cross sutures), epidural (biconvex lens
that stops at sutures) and subarachnoid (blood replacing CSF in sulci or fissures). Large
bleeds shift midline structures away from their side. Two scanners differ in blur, noise
and calibration. Tissue values are typical unenhanced adult values (see the card,
datasets/cards/head_ct_phantoms.md). Randomness comes only from
``numpy.random.default_rng(seed)``; numpy, scipy and pandas are imported inside the
loader.
"""

from __future__ import annotations

from typing import Any

from medai.datasets.registry import DatasetOptionError, DatasetSpec, Option

# ---------------------------------------------------------------------------- constants

FIELD_OF_VIEW_MM = 212.0  # pixel spacing = 212 / size: 3.31 mm (64), 2.21 (96), 1.66 (128)
SUPERSAMPLE = {64: 2, 96: 2, 128: 2}  # fine-grid factor; the output is its block average
SLICE_GAP_MM = 5.0  # distance between adjacent slices of one scan
HU_RANGE = (-1024, 3071)
LABEL_NAMES = {0: "any", 1: "intraparenchymal", 2: "subdural", 3: "epidural",
               4: "subarachnoid"}
BLEED_TYPES = ("intraparenchymal", "subdural", "epidural", "subarachnoid")
TYPE_CODE = {name: code for code, name in LABEL_NAMES.items()}
PAINT_ORDER = ("intraparenchymal", "subarachnoid", "subdural", "epidural")  # later wins
PRIMARY_TYPE_MIX = {"intraparenchymal": 0.35, "subdural": 0.30, "epidural": 0.15,
                    "subarachnoid": 0.20}

# True (noise-free) values in HU. Ranges are drawn per head (or per bleed).
TISSUE_HU = {
    "air": (-1000, -1000),
    "scalp": (20, 40),
    "skull tables": (1100, 1500),
    "diploe": (500, 800),
    "suture": (60, 60),
    "CSF": (4, 12),
    "grey matter": (36, 44),
    "white matter": (24, 30),
    "deep grey matter (thalamus)": (33, 40),
    "pineal calcification": (150, 400),
    "choroid plexus calcification": (100, 250),
}
BLOOD_HU = {"intraparenchymal": (55, 85), "subdural": (50, 80), "epidural": (60, 90),
            "subarachnoid": (50, 75)}
OEDEMA_DROP_HU = (6, 12)  # perihaematomal oedema: this much below white matter

HEAD_MM = {  # per head, uniform ranges
    "outer skull half-width": (66.0, 76.0), "outer skull half-length": (82.0, 94.0),
    "scalp thickness": (4.0, 8.0), "skull thickness": (5.0, 8.0),
    "CSF rim": (1.0, 3.0), "cortex thickness": (3.0, 4.5), "rotation_deg": (-8.0, 8.0),
    "centre offset": (-3.0, 3.0), "ventricle half-width": (4.0, 7.0),
    "ventricle half-length": (20.0, 26.0),
}
N_SULCI = (22, 30)
SULCUS_MM = {"width": (1.2, 2.0), "depth": (6.0, 14.0)}
SYLVIAN_MM = {"width": 2.5, "depth": 26.0}
INTERHEMISPHERIC_WIDTH_MM = 2.0
CALCIFICATION_RATE = {"pineal": 0.5, "choroid plexus": 0.4}
# Suture angles in the skull ring, in degrees of the elliptic angle atan2(y/b, x/a) with
# x to the patient's left (image right) and y posterior (image down): the coronal sutures
# anterolaterally, the lambdoid sutures posterolaterally. They cut the ring into four bones.
SUTURES_DEG = {"coronal (patient left)": -40.0, "coronal (patient right)": -140.0,
               "lambdoid (patient left)": 45.0, "lambdoid (patient right)": 135.0}
SUTURE_WIDTH_MM = 1.5
BONES_DEG = {"frontal": (-140.0, -40.0), "parietal (patient left)": (-40.0, 45.0),
             "occipital": (45.0, 135.0), "parietal (patient right)": (135.0, 220.0)}
EDH_BONE_WEIGHTS = {"frontal": 0.2, "parietal (patient left)": 0.35, "occipital": 0.1,
                    "parietal (patient right)": 0.35}

BLEED_SHAPE = {
    "intraparenchymal": {"radius_mm": (4.0, 18.0), "harmonic_amplitude": (0.0, 0.15),
                         "oedema_rim_mm": (1.5, 5.0), "z_half_extent": "= radius"},
    "subdural": {"max_thickness_mm": (2.5, 14.0), "half_extent_deg": (35.0, 75.0),
                 "profile": "t_max * cos(pi/2 * d/half)^0.7", "z_half_extent_mm": (25.0, 50.0),
                 "midline_margin_deg": 85.0},
    "epidural": {"max_thickness_mm": (6.0, 20.0), "half_extent_deg": (14.0, 28.0),
                 "profile": "t_max * sqrt(1 - (d/half)^2)", "z_half_extent_mm": (10.0, 25.0),
                 "suture_margin_deg": 4.0},
    "subarachnoid": {"patterns": ("Sylvian fissure", "interhemispheric fissure",
                                  "convexity sulci"), "convexity_half_extent_deg": (25.0, 45.0),
                     "z_half_extent_mm": (10.0, 30.0)},
}
MIDLINE_SHIFT = {"mm_per_mm2": 1 / 150, "max_mm": 12.0,
                 "applies_to": ("intraparenchymal", "subdural", "epidural")}
SCANNERS = {  # blur (Gaussian sigma in output pixels), white-noise sd, calibration offset
    "A": {"blur_px": 0.5, "noise_sd_hu": 4.0, "offset_hu": 0.0},
    "B": {"blur_px": 0.8, "noise_sd_hu": 7.0, "offset_hu": 3.0},
}
MASK_COVERAGE = 0.25  # a pixel belongs to a bleed's mask when >= 25% of it is that blood


# ---------------------------------------------------------------------------- geometry


def _grid(size: int):
    """Fine-grid pixel-centre coordinates in mm (x to image right, y to image bottom)."""
    import numpy as np

    fine = size * SUPERSAMPLE[size]
    h = FIELD_OF_VIEW_MM / fine
    centres = ((np.arange(fine) + 0.5) * h - FIELD_OF_VIEW_MM / 2).astype(np.float32)
    y, x = np.meshgrid(centres, centres, indexing="ij")
    return x, y


def _wrap_deg(angle):
    """Angle difference folded into [-180, 180)."""
    import numpy as np

    return angle - 360.0 * np.floor((angle + 180.0) / 360.0)


def _draw_head(rng) -> dict[str, Any]:
    """One head's anatomy parameters (drawn once per scan)."""
    import numpy as np

    head = {key: float(rng.uniform(*low_high)) for key, low_high in HEAD_MM.items()
            if key != "centre offset"}
    head["centre_mm"] = tuple(float(v) for v in rng.uniform(*HEAD_MM["centre offset"], 2))
    head["hu"] = {key: float(rng.uniform(*low_high)) for key, low_high in TISSUE_HU.items()}
    n_sulci = int(rng.integers(N_SULCI[0], N_SULCI[1] + 1))
    head["sulci"] = {
        "angle_deg": np.sort(rng.uniform(-180.0, 180.0, n_sulci)),
        "width_mm": rng.uniform(*SULCUS_MM["width"], n_sulci),
        "depth_mm": rng.uniform(*SULCUS_MM["depth"], n_sulci),
    }
    head["calcification"] = {kind: bool(rng.random() < rate)
                             for kind, rate in CALCIFICATION_RATE.items()}
    head["calcification_radius_mm"] = float(rng.uniform(1.8, 3.0))
    return head


def _frames(head: dict[str, Any], x, y, z_mm: float) -> dict[str, Any]:
    """Head-frame coordinates and depth below the inner table, at slice height z_mm."""
    import numpy as np

    theta = np.deg2rad(head["rotation_deg"])
    cx, cy = head["centre_mm"]
    xs, ys = x - cx, y - cy
    hx = (np.cos(theta) * xs + np.sin(theta) * ys).astype(np.float32)
    hy = (-np.sin(theta) * xs + np.cos(theta) * ys).astype(np.float32)
    shrink = float(np.sqrt(max(1.0 - (z_mm / 110.0) ** 2, 0.5)))  # the head narrows up/down
    a = head["outer skull half-width"] * shrink
    b = head["outer skull half-length"] * shrink
    ai, bi = a - head["skull thickness"], b - head["skull thickness"]
    u, v = hx / ai, hy / bi
    rho = np.maximum(np.sqrt(u**2 + v**2), 1e-6)
    alpha = np.degrees(np.arctan2(v, u))
    # the inner-table point at the same elliptic angle is (ai u, bi v) / rho
    r_ellipse = np.sqrt((ai * u) ** 2 + (bi * v) ** 2) / rho
    depth = (1.0 - rho) * r_ellipse  # mm below the inner table (negative = in bone or out)
    outer = (hx / a) ** 2 + (hy / b) ** 2  # <= 1 inside the outer table
    scalp = ((hx / (a + head["scalp thickness"])) ** 2
             + (hy / (b + head["scalp thickness"])) ** 2)  # <= 1 inside the scalp
    mm_per_deg = np.pi / 180.0 * r_ellipse * np.clip(rho, 0.2, None)
    return {"hx": hx, "hy": hy, "alpha": alpha, "depth": depth, "rho": rho,
            "r_ellipse": r_ellipse, "mm_per_deg": mm_per_deg, "outer": outer, "scalp": scalp,
            "a": a, "b": b, "ai": ai, "bi": bi}


def _arc_mm(frame, angle_deg: float):
    """Distance in mm along the skull from the angle angle_deg, at each point's depth."""
    import numpy as np

    return np.abs(_wrap_deg(frame["alpha"] - angle_deg)) * frame["mm_per_deg"]


def _nearest_sulcus(frame, angles_deg):
    """Index of the nearest sulcus (by angle) at each point, and the distance to it in mm."""
    import numpy as np

    k = len(angles_deg)
    alpha = frame["alpha"]
    right = np.searchsorted(angles_deg, alpha) % k
    left = (right - 1) % k
    to_right = np.abs(_wrap_deg(alpha - angles_deg[right]))
    to_left = np.abs(_wrap_deg(alpha - angles_deg[left]))
    nearest = np.where(to_right < to_left, right, left)
    return nearest, np.minimum(to_right, to_left) * frame["mm_per_deg"]


# ---------------------------------------------------------------------------- bleeds


def _bleed_types(rng, multi_fraction: float) -> list[str]:
    """The bleed types of one positive scan: a primary type and, sometimes, a second one."""
    names = list(PRIMARY_TYPE_MIX)
    weights = list(PRIMARY_TYPE_MIX.values())
    primary = names[int(rng.choice(len(names), p=weights))]
    types = [primary]
    if rng.random() < multi_fraction:
        others = [name for name in names if name != primary]
        types.append(others[int(rng.integers(len(others)))])
    return types


def _draw_bleed(rng, kind: str, head: dict[str, Any]) -> dict[str, Any]:
    """The 3D parameters of one bleed (z centre and half-extent are set by the caller)."""
    import numpy as np

    shape = BLEED_SHAPE[kind]
    bleed: dict[str, Any] = {"type": kind, "hu": float(rng.uniform(*BLOOD_HU[kind]))}
    side = 1 if rng.random() < 0.5 else -1  # +1 = patient's left = image right
    bleed["side"] = "left" if side > 0 else "right"
    if kind == "intraparenchymal":
        radius = float(rng.uniform(*shape["radius_mm"]))
        deep = rng.random() < 0.5  # basal ganglia / thalamus, else lobar
        ai = head["outer skull half-width"] - head["skull thickness"]
        bi = head["outer skull half-length"] - head["skull thickness"]
        if deep:
            centre = (side * float(rng.uniform(16.0, 26.0)), float(rng.uniform(-10.0, 8.0)))
        else:
            angle = np.radians(float(rng.uniform(-150.0, 150.0)))
            reach = max(0.15, 1.0 - (radius + head["CSF rim"] + 6.0) / min(ai, bi))
            rel = float(rng.uniform(0.45, 1.0)) * reach
            centre = (side * abs(float(np.cos(angle))) * rel * ai,
                      float(np.sin(angle)) * rel * bi)
        bleed.update(location="deep" if deep else "lobar", centre_mm=centre, radius_mm=radius,
                     harmonics=[(k, float(rng.uniform(*shape["harmonic_amplitude"])),
                                 float(rng.uniform(0, 2 * np.pi))) for k in (2, 3, 4)],
                     oedema_rim_mm=float(rng.uniform(*shape["oedema_rim_mm"])),
                     oedema_drop_hu=float(rng.uniform(*OEDEMA_DROP_HU)), z_half_mm=radius)
    elif kind == "subdural":
        lateral = 0.0 if side > 0 else 180.0
        half = float(rng.uniform(*shape["half_extent_deg"]))
        room = shape["midline_margin_deg"] - half  # the falx stops it: it stays on its side
        bleed.update(centre_deg=lateral + float(rng.uniform(-room, room)),
                     half_extent_deg=half,
                     max_thickness_mm=float(rng.uniform(*shape["max_thickness_mm"])),
                     z_half_mm=float(rng.uniform(*shape["z_half_extent_mm"])))
    elif kind == "epidural":
        bones = [bone for bone in EDH_BONE_WEIGHTS
                 if bone == "frontal" or bone == "occipital" or bleed["side"] in bone]
        weights = np.array([EDH_BONE_WEIGHTS[bone] for bone in bones])
        bone = bones[int(rng.choice(len(bones), p=weights / weights.sum()))]
        low, high = BONES_DEG[bone]
        margin = shape["suture_margin_deg"]
        half = min(float(rng.uniform(*shape["half_extent_deg"])), (high - low) / 2 - margin)
        centre = float(rng.uniform(low + margin + half, high - margin - half))
        if bone in ("frontal", "occipital"):  # may cross the midline; side = its centre's
            bleed["side"] = "left" if np.cos(np.radians(centre)) > 0 else "right"
        bleed.update(bone=bone, centre_deg=_wrap_deg(centre), half_extent_deg=half,
                     max_thickness_mm=float(rng.uniform(*shape["max_thickness_mm"])),
                     z_half_mm=float(rng.uniform(*shape["z_half_extent_mm"])))
    else:
        patterns = shape["patterns"]
        chosen = [patterns[int(rng.integers(len(patterns)))]]
        if rng.random() < 0.4:
            chosen.append(patterns[int(rng.integers(len(patterns)))])
        lateral = 0.0 if side > 0 else 180.0
        bleed.update(patterns=sorted(set(chosen)),
                     convexity_deg=lateral + float(rng.uniform(-70.0, 70.0)),
                     convexity_half_deg=float(rng.uniform(*shape["convexity_half_extent_deg"])),
                     z_half_mm=float(rng.uniform(*shape["z_half_extent_mm"])))
    return bleed


def _scale_at(bleed: dict[str, Any], dz: float) -> float:
    """How much of the bleed's in-plane size is left at distance dz from its centre (0-1)."""
    ratio = abs(dz) / bleed["z_half_mm"]
    return float((1.0 - ratio**2) ** 0.5) if ratio < 1.0 else 0.0


def _iph_region(bleed, frame, scale: float):
    """Clot and oedema rim (booleans, fine grid) of an intraparenchymal bleed."""
    import numpy as np

    cx, cy = bleed["centre_mm"]
    dx, dy = frame["hx"] - cx, frame["hy"] - cy
    r = np.sqrt(dx**2 + dy**2)
    phi = np.arctan2(dy, dx)
    wobble = 1.0 + sum(amp * np.cos(k * phi + phase) for k, amp, phase in bleed["harmonics"])
    edge = bleed["radius_mm"] * scale * wobble
    inside_brain = frame["depth"] > 0
    clot = (r <= edge) & inside_brain
    rim = (r <= edge + bleed["oedema_rim_mm"] * scale) & inside_brain & ~clot
    return clot, rim


def _rim_region(bleed, frame, scale: float):
    """Subdural crescent or epidural lens: blood from the inner table down to t(angle)."""
    import numpy as np

    delta = _wrap_deg(frame["alpha"] - bleed["centre_deg"]) / bleed["half_extent_deg"]
    inside = np.abs(delta) < 1.0
    clipped = np.clip(np.abs(delta), 0.0, 1.0)
    if bleed["type"] == "subdural":
        cosine = np.clip(np.cos(np.pi / 2 * clipped), 0.0, 1.0)
        thickness = bleed["max_thickness_mm"] * cosine**0.7
    else:
        thickness = bleed["max_thickness_mm"] * np.sqrt(1.0 - clipped**2)
    return inside & (frame["depth"] >= 0) & (frame["depth"] < thickness * scale)


def _sah_region(bleed, spaces: dict[str, Any], frame):
    """Subarachnoid blood: the CSF spaces of the chosen patterns, on the bleed's side."""
    import numpy as np

    region = np.zeros(frame["hx"].shape, dtype=bool)
    same_side = (frame["hx"] > 0) if bleed["side"] == "left" else (frame["hx"] < 0)
    if "Sylvian fissure" in bleed["patterns"]:
        region |= spaces["sylvian"] & same_side
    if "interhemispheric fissure" in bleed["patterns"]:
        region |= spaces["interhemispheric"]
    if "convexity sulci" in bleed["patterns"]:
        near = _wrap_deg(frame["alpha"] - bleed["convexity_deg"])
        region |= (spaces["sulci"] | spaces["rim"]) & (np.abs(near) < bleed["convexity_half_deg"])
    return region


# ---------------------------------------------------------------------------- one slice


def _anatomy(head, frame, shift_mm: float):
    """Fine-grid HU of the normal head (float32) and the CSF spaces blood can fill."""
    import numpy as np

    hu = head["hu"]
    depth = frame["depth"]
    image = np.full(depth.shape, hu["air"], dtype=np.float32)
    image[frame["scalp"] <= 1.0] = hu["scalp"]
    skull = (frame["outer"] <= 1.0) & (depth < 0)
    image[skull] = hu["skull tables"]
    thickness = head["skull thickness"]
    image[skull & (depth < -0.3 * thickness) & (depth > -0.7 * thickness)] = hu["diploe"]
    for angle in SUTURES_DEG.values():
        image[skull & (_arc_mm(frame, angle) < SUTURE_WIDTH_MM / 2)] = hu["suture"]
    brain = depth >= 0
    image[brain] = hu["CSF"]
    rim_mm = head["CSF rim"]
    cortex_end = rim_mm + head["cortex thickness"]
    image[brain & (depth >= rim_mm)] = hu["grey matter"]
    image[brain & (depth >= cortex_end)] = hu["white matter"]
    nearest, distance = _nearest_sulcus(frame, head["sulci"]["angle_deg"])
    sulci = ((distance < head["sulci"]["width_mm"][nearest] / 2) & (depth >= rim_mm)
             & (depth < rim_mm + head["sulci"]["depth_mm"][nearest]))
    sylvian = np.zeros(depth.shape, dtype=bool)
    for lateral in (-12.0, 192.0):  # slightly anterior of lateral, both sides
        sylvian |= (_arc_mm(frame, lateral) < SYLVIAN_MM["width"] / 2) & brain & (
            depth < rim_mm + SYLVIAN_MM["depth"])
    # midline structures move by shift_mm (largest at the centre of the head)
    bend = shift_mm * np.exp(-(frame["hy"] / 60.0) ** 2)
    mx = frame["hx"] - bend
    hy = frame["hy"]
    front, back = -0.35 * frame["bi"], 0.45 * frame["bi"]
    interhemispheric = brain & (np.abs(mx) < INTERHEMISPHERIC_WIDTH_MM / 2) & (
        (hy < front) | (hy > back))
    image[sulci | sylvian | interhemispheric] = hu["CSF"]
    for side in (-1, 1):
        thalamus = ((mx - side * 11.0) / 8.0) ** 2 + ((hy - 6.0) / 11.0) ** 2 <= 1.0
        image[thalamus & brain] = hu["deep grey matter (thalamus)"]
    for side in (-1, 1):
        tilt = np.radians(side * 12.0)  # frontal horns converge anteriorly
        px = mx - side * (3.5 + head["ventricle half-width"])
        py = hy + 6.0
        along = -np.sin(tilt) * px + np.cos(tilt) * py
        across = np.cos(tilt) * px + np.sin(tilt) * py
        ventricle = ((across / head["ventricle half-width"]) ** 2
                     + (along / head["ventricle half-length"]) ** 2) <= 1.0
        image[ventricle & brain] = hu["CSF"]
    radius = head["calcification_radius_mm"]
    if head["calcification"]["pineal"]:
        image[(mx**2 + (hy - 20.0) ** 2 <= radius**2) & brain] = hu["pineal calcification"]
    if head["calcification"]["choroid plexus"]:
        for side in (-1, 1):
            spot = (mx - side * 14.0) ** 2 + (hy - 14.0) ** 2 <= radius**2
            image[spot & brain] = hu["choroid plexus calcification"]
    rim = brain & (depth < rim_mm)
    spaces = {"sulci": sulci, "sylvian": sylvian, "interhemispheric": interhemispheric,
              "rim": rim}
    return image, spaces


def _block_mean(array, factor: int):
    """Average factor x factor blocks: what a coarser detector element records."""
    n = array.shape[0] // factor
    return array.reshape(n, factor, n, factor).mean(axis=(1, 3))


def _bleed_regions(head, frame, bleeds, z_mm: float) -> list[tuple[dict, Any, Any, float]]:
    """(bleed, blood region, oedema region or None, scale) of the bleeds present at z_mm."""
    present = []
    for bleed in bleeds:
        scale = _scale_at(bleed, z_mm - bleed["z_mm"])
        if scale <= 0.0:
            continue
        if bleed["type"] == "intraparenchymal":
            clot, rim = _iph_region(bleed, frame, scale)
            present.append((bleed, clot, rim, scale))
        elif bleed["type"] in ("subdural", "epidural"):
            present.append((bleed, _rim_region(bleed, frame, scale), None, scale))
        else:
            present.append((bleed, None, None, scale))  # needs the CSF spaces, filled later
    return present


def _shift_mm(present, pixel_area_mm2: float) -> float:
    """Midline shift (signed, + = towards image right) from the mass of the bleeds present."""
    total = 0.0
    for bleed, region, _, _ in present:
        if bleed["type"] not in MIDLINE_SHIFT["applies_to"] or region is None:
            continue
        away = -1.0 if bleed["side"] == "left" else 1.0
        total += away * float(region.sum()) * pixel_area_mm2 * MIDLINE_SHIFT["mm_per_mm2"]
    return float(max(-MIDLINE_SHIFT["max_mm"], min(MIDLINE_SHIFT["max_mm"], total)))


def _slice(rng, head, bleeds, z_mm: float, size: int, grid, scanner: str):
    """One output slice (int16 HU), its mask, and a record per bleed present."""
    import numpy as np
    from scipy.ndimage import gaussian_filter

    factor = SUPERSAMPLE[size]
    fine_area = (FIELD_OF_VIEW_MM / (size * factor)) ** 2
    frame = _frames(head, *grid, z_mm)
    present = _bleed_regions(head, frame, bleeds, z_mm)
    shift = _shift_mm(present, fine_area)
    image, spaces = _anatomy(head, frame, shift)
    regions: dict[str, Any] = {}
    for bleed, region, oedema, _ in present:
        if bleed["type"] == "intraparenchymal":
            image[oedema & ~region] = head["hu"]["white matter"] - bleed["oedema_drop_hu"]
        if region is None:
            region = _sah_region(bleed, spaces, frame)
        regions[bleed["type"]] = region
    mask_fine = np.zeros(image.shape, dtype=np.uint8)
    records = []
    for kind in PAINT_ORDER:
        for bleed, _, _, scale in present:
            if bleed["type"] != kind:
                continue
            region = regions[kind]
            image[region] = bleed["hu"]
            mask_fine[region] = TYPE_CODE[kind]
            records.append((bleed, scale))
    coarse = _block_mean(image, factor)
    settings = SCANNERS[scanner]
    coarse = gaussian_filter(coarse, sigma=settings["blur_px"], mode="nearest")
    coarse = coarse + settings["offset_hu"] + settings["noise_sd_hu"] * rng.standard_normal(
        coarse.shape, dtype=np.float32)
    hu = np.clip(np.rint(coarse), *HU_RANGE).astype(np.int16)
    mask, rows = _masks(mask_fine, factor, records, frame, size)
    return hu, mask, rows, shift


def _masks(mask_fine, factor: int, records, frame, size: int):
    """Output-resolution mask (coverage >= MASK_COVERAGE) and one lesion record per bleed."""
    import numpy as np

    spacing = FIELD_OF_VIEW_MM / size
    mask = np.zeros((size, size), dtype=np.uint8)
    rows = []
    for bleed, scale in records:
        code = TYPE_CODE[bleed["type"]]
        coverage = _block_mean((mask_fine == code).astype(np.float32), factor)
        if coverage.max() <= 0.0:
            continue  # entirely overpainted by another bleed: not visible as its own type
        chosen = coverage >= MASK_COVERAGE
        if not chosen.any():  # thinner than a pixel: keep the best-covered pixel
            chosen = coverage == coverage.max()
        mask[chosen] = code  # records come in paint order: the later bleed wins
        weight = coverage / coverage.sum()
        rr, cc = np.indices(coverage.shape)
        rows.append({
            "type": bleed["type"], "side": bleed["side"], "hu": bleed["hu"],
            "centre_row": float((weight * rr).sum()), "centre_col": float((weight * cc).sum()),
            "area_mm2": float(coverage.sum()) * spacing**2,
            "mask_pixels": int(chosen.sum()), "size_scale": scale,
            **_size_fields(bleed, scale),
        })
    return mask, rows


def _size_fields(bleed: dict[str, Any], scale: float) -> dict[str, Any]:
    """Type-specific size numbers of one bleed in this slice."""
    import numpy as np

    fields = {"radius_mm": np.nan, "max_thickness_mm": np.nan, "half_extent_deg": np.nan,
              "location": "", "crosses_suture": False}
    kind = bleed["type"]
    if kind == "intraparenchymal":
        fields.update(radius_mm=bleed["radius_mm"] * scale, location=bleed["location"])
    elif kind in ("subdural", "epidural"):
        fields.update(max_thickness_mm=bleed["max_thickness_mm"] * scale,
                      half_extent_deg=bleed["half_extent_deg"],
                      location=bleed.get("bone", "convexity"),
                      crosses_suture=_crosses_suture(bleed))
    else:
        fields.update(location=", ".join(bleed["patterns"]))
    return fields


def _crosses_suture(bleed: dict[str, Any]) -> bool:
    """Whether a rim bleed's angular extent contains a suture."""
    return any(abs(_wrap_deg(angle - bleed["centre_deg"])) < bleed["half_extent_deg"]
               for angle in SUTURES_DEG.values())


# ---------------------------------------------------------------------------- scans


def _scan_plan(rng, n_scans: int, prevalence: float, label_noise: float):
    """Which scans bleed (exact count) and which have their reported labels flipped."""
    import numpy as np

    positive = np.zeros(n_scans, dtype=bool)
    positive[rng.permutation(n_scans)[: int(round(n_scans * prevalence))]] = True
    flipped = np.zeros(n_scans, dtype=bool)
    flipped[rng.permutation(n_scans)[: int(round(n_scans * label_noise))]] = True
    scanner = np.where(rng.random(n_scans) < 0.5, "A", "B")
    return positive, flipped, scanner


def _scan_bleeds(rng, head, positive: bool, multi_fraction: float, z_levels) -> list[dict]:
    """The bleeds of one scan, each centred in z within the scanned range."""
    if not positive:
        return []
    bleeds = []
    for kind in _bleed_types(rng, multi_fraction):
        bleed = _draw_bleed(rng, kind, head)
        low, high = min(z_levels), max(z_levels)
        bleed["z_mm"] = float(rng.uniform(low, high)) if high > low else float(low)
        bleeds.append(bleed)
    return bleeds


def _noisy_labels(true_labels, rng, flip: bool):
    """A scan's reported labels: unchanged, or flipped (missed bleed / false report)."""
    import numpy as np

    if not flip:
        return true_labels.copy()
    reported = np.zeros_like(true_labels)
    if true_labels[:, 0].max() == 0:
        column = 1 + int(rng.integers(len(BLEED_TYPES)))
        reported[:, 0] = 1
        reported[:, column] = 1
    return reported


def head_ct_phantoms(n_images: int = 600, size: int = 64, prevalence: float = 0.5,
                     multi_fraction: float = 0.2, slices_per_scan: int = 1,
                     label_noise: float = 0.0, seed: int = 0):
    """Axial head-CT-like slices in HU with four types of acute haemorrhage, masks and truth."""
    import numpy as np

    from medai.datasets.types import ImageDataset

    if n_images % slices_per_scan:
        raise DatasetOptionError(
            f"head_ct_phantoms: n_images={n_images} is not a multiple of "
            f"slices_per_scan={slices_per_scan}; every scan has the same number of slices")
    rng = np.random.default_rng(seed)
    n_scans = n_images // slices_per_scan
    positive, flipped, scanners = _scan_plan(rng, n_scans, prevalence, label_noise)
    label_rng = np.random.default_rng([seed, 1])  # label noise never changes the images
    grid = _grid(size)
    z_levels = [(j - (slices_per_scan - 1) / 2) * SLICE_GAP_MM for j in range(slices_per_scan)]
    images = np.empty((n_images, size, size), dtype=np.int16)
    masks = np.zeros((n_images, size, size), dtype=np.uint8)
    true_labels = np.zeros((n_images, 5), dtype=np.uint8)
    labels = np.zeros((n_images, 5), dtype=np.uint8)
    records, lesion_rows, scan_rows = [], [], []
    for scan in range(n_scans):
        head = _draw_head(rng)
        bleeds = _scan_bleeds(rng, head, bool(positive[scan]), multi_fraction, z_levels)
        first = scan * slices_per_scan
        for j, z_mm in enumerate(z_levels):
            index = first + j
            images[index], masks[index], rows, shift = _slice(
                rng, head, bleeds, z_mm, size, grid, str(scanners[scan]))
            for row in rows:
                true_labels[index, TYPE_CODE[row["type"]]] = 1
                lesion_rows.append({"image": index, "scan": scan, **row})
            true_labels[index, 0] = true_labels[index, 1:].max()
            records.append(_record(index, scan, j, z_mm, scanners[scan], head, shift,
                                   masks[index], FIELD_OF_VIEW_MM / size))
        block = slice(first, first + slices_per_scan)
        labels[block] = _noisy_labels(true_labels[block], label_rng, bool(flipped[scan]))
        scan_rows.append(_scan_row(scan, true_labels[block], bleeds, scanners[scan],
                                   bool(flipped[scan])))
    metadata = _metadata(records, labels, flipped, slices_per_scan)
    spacing = FIELD_OF_VIEW_MM / size
    return ImageDataset(
        name="head_ct_phantoms",
        images=images,
        labels=labels,
        label_names=dict(LABEL_NAMES),
        spacing_mm=(spacing, spacing),
        description=_description(n_images, size, spacing, n_scans, slices_per_scan,
                                 int(positive.sum()), label_noise),
        masks=masks,
        metadata=metadata,
        ground_truth=_ground_truth(true_labels, lesion_rows, scan_rows, spacing, size),
    )


def _record(index, scan, j, z_mm, scanner, head, shift, mask, spacing) -> dict[str, Any]:
    """One metadata row (labels are added afterwards)."""
    row = {"image": index, "scan": scan, "slice": j, "z_mm": float(z_mm),
           "scanner": str(scanner), "midline_shift_mm": round(abs(shift), 2),
           "calcification": bool(any(head["calcification"].values()))}
    for kind in BLEED_TYPES:
        row[f"mask_area_mm2_{kind}"] = float((mask == TYPE_CODE[kind]).sum()) * spacing**2
    return row


def _metadata(records, labels, flipped, slices_per_scan: int):
    """The per-image table: identifiers, reported labels, flags and mask areas."""
    import numpy as np
    import pandas as pd

    metadata = pd.DataFrame.from_records(records).set_index("image")
    for code, name in LABEL_NAMES.items():
        metadata[name] = labels[:, code].astype(np.int64)
    metadata["label_flipped"] = np.repeat(flipped, slices_per_scan)
    front = ["scan", "slice", "z_mm", "scanner", *LABEL_NAMES.values(), "label_flipped",
             "midline_shift_mm", "calcification"]
    return metadata[front + [c for c in metadata.columns if c not in front]]


def _scan_row(scan, block_labels, bleeds, scanner, flipped: bool) -> dict[str, Any]:
    """Scan-level truth: a type is present when any slice shows it."""
    row = {"scan": scan, "scanner": str(scanner), "label_flipped": flipped,
           "bleed_types_drawn": ", ".join(b["type"] for b in bleeds)}
    for code, name in LABEL_NAMES.items():
        row[name] = int(block_labels[:, code].max())
    return row


def _ground_truth(true_labels, lesion_rows, scan_rows, spacing, size) -> dict[str, Any]:
    """The answers and every constant of the model."""
    import pandas as pd

    lesion_columns = ["image", "scan", "type", "side", "location", "hu", "centre_row",
                      "centre_col", "area_mm2", "mask_pixels", "radius_mm",
                      "max_thickness_mm", "half_extent_deg", "crosses_suture", "size_scale"]
    lesions = pd.DataFrame.from_records(lesion_rows, columns=lesion_columns)
    return {
        "true_labels": true_labels,
        "lesions": lesions,
        "scan_labels": pd.DataFrame.from_records(scan_rows).set_index("scan"),
        "spacing_mm": spacing,
        "supersample": SUPERSAMPLE[size],
        "model": {
            "tissue_hu": dict(TISSUE_HU), "blood_hu": dict(BLOOD_HU),
            "oedema_drop_hu": OEDEMA_DROP_HU, "head_mm": dict(HEAD_MM),
            "sulci": {"n": N_SULCI, **SULCUS_MM}, "sylvian_mm": dict(SYLVIAN_MM),
            "sutures_deg": dict(SUTURES_DEG), "bones_deg": dict(BONES_DEG),
            "bleed_shape": dict(BLEED_SHAPE), "primary_type_mix": dict(PRIMARY_TYPE_MIX),
            "midline_shift": dict(MIDLINE_SHIFT), "scanners": dict(SCANNERS),
            "mask_coverage": MASK_COVERAGE, "slice_gap_mm": SLICE_GAP_MM,
            "field_of_view_mm": FIELD_OF_VIEW_MM, "hu_range": HU_RANGE,
            "paint_order": PAINT_ORDER,
        },
    }


def _description(n_images, size, spacing, n_scans, per_scan, n_positive, label_noise) -> str:
    """The one-paragraph description."""
    scans = (f"{n_scans} scans of {per_scan} adjacent slices, {n_positive} scans with a bleed"
             if per_scan > 1 else f"{n_positive} with a bleed")
    noise = (f" Reported labels of {label_noise:.0%} of scans are flipped "
             "(ground_truth['true_labels'] is clean)." if label_noise > 0 else "")
    return (
        f"{n_images} synthetic axial head CT slices of {size} x {size} pixels ({spacing:.2f} "
        f"mm) in Hounsfield units, {scans}: intraparenchymal, subdural, epidural and "
        "subarachnoid haemorrhage as multi-label labels (column 0 = any bleed) with lesion "
        f"masks.{noise} Not real anatomy; for teaching CT windowing and haemorrhage triage."
    )


_SEED = Option(0, "seed of numpy.random.default_rng; same seed, same data", minimum=0,
               maximum=2**32 - 1)

DATASETS = {
    "head_ct_phantoms": DatasetSpec(head_ct_phantoms, {
        "n_images": Option(600, "number of slices (a multiple of slices_per_scan)",
                           minimum=20, maximum=5000),
        "size": Option(64, "image height and width in pixels (212 mm field of view)",
                       choices=tuple(SUPERSAMPLE)),
        "prevalence": Option(0.5, "fraction of scans with any haemorrhage", minimum=0.0,
                             maximum=1.0),
        "multi_fraction": Option(0.2, "fraction of bleeding scans with a second bleed type",
                                 minimum=0.0, maximum=1.0),
        "slices_per_scan": Option(1, "adjacent 5-mm slices per scan (same head and bleeds)",
                                  minimum=1, maximum=8),
        "label_noise": Option(0.0, "fraction of scans whose reported labels are flipped",
                              minimum=0.0, maximum=0.5),
        "seed": _SEED,
    }),
}
