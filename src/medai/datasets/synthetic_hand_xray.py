"""Synthetic left-hand radiographs whose anatomy follows a known skeletal (bone) age.

* ``hand_xray_phantoms``: radiograph-like posteroanterior (PA) images of a child's left
  hand and distal forearm, with the true bone age in months, the chronological age, the
  sex and two to five simulated human reads of each image.

Why synthetic: the public bone-age collections (the RSNA 2017 challenge set and others)
cannot ship inside a package, and with real radiographs nobody knows the *true* bone age,
only readers' estimates of it. Here the truth is known, so a lesson can separate the error
of a model from the error of the labels it was trained on.

What is simulated (every number is a module constant below and is copied into
``ground_truth``; datasets/cards/hand_xray_phantoms.md describes the same model):

* **Who.** Children referred for a bone age: chronological age (months) from a clipped
  normal distribution, sex 50/50. Bone age = chronological age + a normal deviation whose
  SD grows with age (about 3 months in infancy, 10-12 months in adolescence); a share of
  children are *delayed* or *advanced* by 2.5-4 SD (growth-hormone deficiency,
  hypothyroidism, constitutional delay; precocious puberty, congenital adrenal
  hyperplasia).
* **Sex.** Bone age is read against sex-specific standards: a girl of bone age B has the
  skeleton of an average girl aged B, which is more mature than an average boy aged B.
  The generator draws every image from a *maturity* M on the boys' scale; for girls
  M = g(B), a table that runs up to two years ahead in puberty. So the same image means
  a different bone age for a girl and a boy, and a model needs the sex.
* **Anatomy as a function of M.** Metacarpals and phalanges grow in length; epiphyses
  appear (proximal phalanges first, middle finger first, fifth finger last), widen to the
  width of their metaphysis, and fuse in adolescence (the lucent physis closes: distal
  phalanges first, radius last); the carpal bones ossify in their usual order (capitate
  and hamate in infancy, then triquetrum, lunate, trapezium, trapezoid, scaphoid, and the
  pisiform last, near 10-12 years) and grow; the adductor sesamoid of the thumb appears at
  puberty. Each child also has an individual hand size and proportions.
* **Acquisition.** Positioning (shift, rotation, collimation), exposure (gain, offset,
  gamma), detector blur and quantum noise vary per image.
* **Readers.** Each read = bone age + the reader's own fixed bias + a pull towards the
  chronological age when the reader knows it + random error (SD about 6 months from
  school age on, less in infancy), rounded to whole months. Reader k has the same bias in
  every data set, so training, validation and test sets are read by the same people.

Randomness comes only from ``numpy.random.default_rng(seed)``: the same options give
identical arrays on every machine. numpy, scipy and pandas are imported inside the loader.
"""

from __future__ import annotations

from medai.datasets.registry import DatasetSpec, Option

NAME = "hand_xray_phantoms"
SEXES = ("F", "M")
CATEGORIES = ("typical", "delayed", "advanced")

# --- Who is in the data -----------------------------------------------------------------
CHRONO_AGE_MONTHS = {"mean": 126.0, "sd": 45.0, "range": (6.0, 216.0)}
ADULT_BONE_AGE_MONTHS = {"F": 216.0, "M": 228.0}  # the atlas ends at 18 (girls), 19 (boys)
# SD (months) of bone age around chronological age in healthy children, by chronological
# age (linear between knots): small in infancy, about 10-12 months in adolescence.
REFERENCE_SD_KNOTS = ((0.0, 2.0), (12.0, 3.0), (36.0, 5.0), (72.0, 8.5), (120.0, 10.0),
                      (168.0, 11.0), (216.0, 12.0))
# Pathological children: their bone age deviates by this many reference SDs.
ABNORMAL_Z = (2.5, 4.0)
ABNORMAL_AGE_RANGE = {"delayed": (36.0, 204.0), "advanced": (36.0, 168.0)}
# Follow-up visits of the same child (images_per_child > 1).
FOLLOW_UP_MONTHS = (6.0, 18.0)
TEMPO_SD = 0.12  # bone age advances by (months elapsed) x tempo, tempo ~ Normal(1, 0.12)

# --- Sex: a girl's bone age B is drawn from the boys' maturity scale at M = g(B) ----------
GIRL_TO_BOY_MATURITY = ((0.0, 0.0), (12.0, 16.0), (24.0, 34.0), (84.0, 104.0),
                        (156.0, 174.0), (216.0, 228.0))

# --- Anatomy on the boys' maturity scale M (months) ---------------------------------------
# Carpal bones: (centre x, centre y) and semi-axes (mm, adult hand, x towards the thumb,
# y towards the fingers, origin at the distal radius), onset of ossification (M).
CARPALS = {
    "capitate": {"centre": (0.0, 15.0), "semi_axes": (5.0, 8.0), "onset": 3.0},
    "hamate": {"centre": (-9.5, 17.0), "semi_axes": (5.5, 6.5), "onset": 4.0},
    "triquetrum": {"centre": (-11.0, 6.5), "semi_axes": (5.0, 4.5), "onset": 30.0},
    "lunate": {"centre": (-1.0, 4.5), "semi_axes": (5.5, 5.0), "onset": 48.0},
    "trapezium": {"centre": (16.0, 17.0), "semi_axes": (5.5, 5.0), "onset": 66.0},
    "trapezoid": {"centre": (8.5, 19.0), "semi_axes": (4.0, 4.5), "onset": 70.0},
    "scaphoid": {"centre": (10.5, 6.5), "semi_axes": (7.0, 4.5), "onset": 74.0},
    "pisiform": {"centre": (-15.0, 9.5), "semi_axes": (3.0, 3.0), "onset": 138.0},
}
CARPAL_GROWTH_MONTHS = 110.0  # from onset to adult size; a new centre starts at 20% of it
SESAMOID = {"offset_mm": (-4.0, -3.0), "radius_mm": 2.5, "onset": 156.0}  # at the MC1 head
# Rays: 1 = thumb ... 5 = little finger. Metacarpal base (mm), angle from vertical (degrees,
# + towards the thumb), lengths of metacarpal and phalanges (mm), shaft radius (mm).
RAYS = {
    1: {"base": (18.0, 24.0), "angle": 42.0, "lengths": (44.0, 31.0, 0.0, 24.0),
        "radius": 4.6},
    2: {"base": (9.5, 27.0), "angle": 10.0, "lengths": (66.0, 40.0, 23.0, 17.0), "radius": 4.2},
    3: {"base": (1.0, 27.5), "angle": 0.0, "lengths": (63.0, 45.0, 28.0, 19.0), "radius": 4.3},
    4: {"base": (-7.5, 26.5), "angle": -9.0, "lengths": (57.0, 42.0, 26.0, 18.0),
        "radius": 3.9},
    5: {"base": (-15.0, 24.0), "angle": -18.0, "lengths": (52.0, 33.0, 18.0, 16.0),
        "radius": 3.5},
}
BONE_NAMES = ("metacarpal", "proximal phalanx", "middle phalanx", "distal phalanx")
JOINT_SPACE_MM = 2.0
FOREARM = {"radius": {"x": 9.0, "half_width": 9.5, "epiphysis_half_width": 12.0},
           "ulna": {"x": -13.0, "half_width": 5.5, "epiphysis_half_width": 5.5},
           "top_y": -3.0, "bottom_y": -90.0}
# Epiphyses: onset (M) per bone type; ray offsets (M) make the middle finger first and the
# fifth finger last; widening to the metaphysis width by WIDTH_COMPLETE_M; fusion windows.
EPIPHYSIS_ONSET = {"proximal phalanx": 18.0, "metacarpal": 22.0, "middle phalanx": 28.0,
                   "distal phalanx": 30.0, "radius": 14.0, "ulna": 78.0}
RAY_ONSET_OFFSET = {1: 2.0, 2: 1.0, 3: 0.0, 4: 2.0, 5: 5.0}
WIDTH_COMPLETE_M = 168.0
EPIPHYSIS_HEIGHT = 0.9  # epiphysis height / shaft radius when fully grown
PHYSIS_GAP_MM = 2.4  # the lucent growth plate, drawn wider than life so it shows at 64 px
FUSION_WINDOW = {"distal phalanx": (174.0, 186.0), "proximal phalanx": (180.0, 198.0),
                 "middle phalanx": (182.0, 198.0), "metacarpal": (182.0, 200.0),
                 "ulna": (192.0, 210.0), "radius": (198.0, 222.0)}
# Hand size as a share of the adult hand, by M (linear between knots); adult girls 0.92.
HAND_SIZE_KNOTS = ((0.0, 0.36), (12.0, 0.46), (36.0, 0.56), (72.0, 0.67), (120.0, 0.79),
                   (156.0, 0.88), (192.0, 0.97), (228.0, 1.0))
ADULT_SIZE = {"F": 0.92, "M": 1.0}
INDIVIDUAL = {"size_log_sd": 0.05, "proportion_sd": 0.03, "angle_sd_deg": 2.5,
              "spread": (0.85, 1.2), "carpal_shift_sd_mm": 0.7}

# --- Image formation ----------------------------------------------------------------------
# Thickness (mm) is turned into brightness by 1 - exp(-(mu_soft t_soft + mu_bone t_bone)):
# bright = more attenuation, the radiograph convention.
ATTENUATION_PER_MM = {"soft tissue": 0.016, "bone": 0.08}
MEDULLA = {"radius_share": 0.55, "density": 0.45}  # tubular bones: a lighter marrow canal
# Mineralisation: bone attenuation relative to the adult's, by M (linear between knots).
MINERAL_KNOTS = ((0.0, 0.6), (36.0, 0.72), (120.0, 0.88), (228.0, 1.0))
SOFT_TISSUE = {"finger_radius_factor": 2.0, "palm_centre": (1.0, 40.0),
               "palm_semi_axes": (37.0, 36.0), "palm_thickness_mm": 26.0,
               "forearm_half_width": 30.0, "forearm_flattening": 0.65}
FIELD_OF_VIEW_MM = 205.0  # square field for an adult hand; centre at y = 85 mm
FIELD_CENTRE_Y_MM = 85.0
FIELD_SIZE_EXPONENT = 0.5  # field of view ~ hand size ** 0.5: smaller hands fill less of it
ACQUISITION = {"zoom": (0.95, 1.08), "shift_fraction": 0.04, "rotation_deg": 8.0,
               "gain": (0.85, 1.1), "offset": (0.0, 0.08), "gamma": (0.8, 1.25),
               "blur_px": 0.5, "noise_sd": (0.005, 0.02)}

# --- Readers --------------------------------------------------------------------------------
READER = {"sd_months": 6.0, "anchor_to_age": 0.15,
          "sd_ramp": "sd x clip((bone age + 12) / 84, 0.3, 1)"}
# Each reader's systematic offset (months). Fixed, not drawn: reader k is the same person in
# every data set (training, validation and test sets loaded with different seeds).
READER_BIAS_MONTHS = (2.0, -3.0, 1.0, -1.5, 3.0)


def _interp(knots, x):
    """Piecewise-linear interpolation through (x, y) knots, constant beyond the ends."""
    import numpy as np

    xs, ys = (np.array(k, dtype=float) for k in zip(*knots, strict=True))
    return np.interp(x, xs, ys)


def reference_sd_months(chronological_age_months):
    """SD of bone age in healthy children at this chronological age (months)."""
    return _interp(REFERENCE_SD_KNOTS, chronological_age_months)


def maturity_months(bone_age_months, sex):
    """Bone age (months, sex-specific standard) -> maturity M on the boys' scale."""
    import numpy as np

    bone_age = np.asarray(bone_age_months, dtype=float)
    girls = _interp(GIRL_TO_BOY_MATURITY, bone_age)
    return np.where(np.asarray(sex) == "F", girls, bone_age)


# ============================================================================
# Who: ages, sexes, categories, visits
# ============================================================================

def _children(rng, n_children: int, abnormal_fraction: float):
    """One row per child: sex, age at the first visit, category, bone age, tempo, z."""
    import numpy as np

    low, high = CHRONO_AGE_MONTHS["range"]
    age = np.clip(rng.normal(CHRONO_AGE_MONTHS["mean"], CHRONO_AGE_MONTHS["sd"], n_children),
                  low, high)
    sex = np.where(rng.random(n_children) < 0.5, "F", "M")
    category = np.full(n_children, "typical", dtype=object)
    n_abnormal = int(round(abnormal_fraction * n_children))
    order = rng.permutation(n_children)
    for k, kind in enumerate(("delayed", "advanced")):
        chosen = order[k::2][: (n_abnormal + 1 - k) // 2]
        category[chosen] = kind
        lo, hi = ABNORMAL_AGE_RANGE[kind]
        age[chosen] = rng.uniform(lo, hi, len(chosen))  # such children are seen at these ages
    z = rng.standard_normal(n_children)
    size = rng.uniform(*ABNORMAL_Z, n_children)
    z = np.where(category == "delayed", -size, np.where(category == "advanced", size, z))
    tempo = np.clip(rng.normal(1.0, TEMPO_SD, n_children), 0.6, 1.5)
    return {"sex": sex, "age": age, "category": category, "z": z, "tempo": tempo}


def _visits(rng, children: dict, images_per_child: int):
    """One row per image: child, visit number, chronological and bone age (months)."""
    import numpy as np

    n_children = len(children["age"])
    rows = {"child": [], "visit": [], "age": [], "bone_age": []}
    for child in range(n_children):
        age = float(children["age"][child])
        cap = ADULT_BONE_AGE_MONTHS[children["sex"][child]]
        bone = age + float(children["z"][child]) * float(reference_sd_months(age))
        for visit in range(images_per_child):
            if visit:
                gap = float(rng.uniform(*FOLLOW_UP_MONTHS))
                age += gap
                bone += gap * float(children["tempo"][child])
            rows["child"].append(child)
            rows["visit"].append(visit + 1)
            rows["age"].append(age)
            rows["bone_age"].append(float(np.clip(bone, 1.0, cap)))
    return {key: np.array(value) for key, value in rows.items()}


# ============================================================================
# Anatomy: the shapes of one hand at maturity M
# ============================================================================

def _fraction(m, start, end):
    """0 before start, 1 after end, linear between."""
    return min(1.0, max(0.0, (m - start) / (end - start)))


def _epiphysis_state(m: float, kind: str, ray: int = 3):
    """(present, width share, fusion share) of one epiphysis at maturity m."""
    onset = EPIPHYSIS_ONSET[kind] + RAY_ONSET_OFFSET.get(ray, 0.0) * (kind not in
                                                                        ("radius", "ulna"))
    if m < onset:
        return False, 0.0, 0.0
    width = 0.2 + 0.8 * _fraction(m, onset, WIDTH_COMPLETE_M) + 0.1 * _fraction(
        m, WIDTH_COMPLETE_M, WIDTH_COMPLETE_M + 12.0)  # then capping: a little wider
    return True, width, _fraction(m, *FUSION_WINDOW[kind])


def _individual(rng):
    """A child's fixed anatomy: size factor, bone proportions, finger spread, carpal shifts."""
    return {
        "size": float(rng.lognormal(0.0, INDIVIDUAL["size_log_sd"])),
        "proportions": rng.normal(1.0, INDIVIDUAL["proportion_sd"], size=(5, 4)),
        "angles": rng.normal(0.0, INDIVIDUAL["angle_sd_deg"], size=5),
        "spread": float(rng.uniform(*INDIVIDUAL["spread"])),
        "carpal_shift": rng.normal(0.0, INDIVIDUAL["carpal_shift_sd_mm"], size=(8, 2)),
    }


def _tube(shapes, start, direction, length, radius, epi_at_start, state, kind_density=1.0):
    """A tubular bone from `start` along `direction`: shaft capsule plus its epiphysis.

    The cartilage of an epiphysis not yet ossified (and the physis) is invisible on a
    radiograph, so the shaft covers only length - (epiphysis + gap) until fusion.
    """
    import numpy as np

    present, width, fused = state
    epi_height = EPIPHYSIS_HEIGHT * radius
    gap = PHYSIS_GAP_MM * (radius / 4.2) * (1.0 - fused)
    cartilage = epi_height + gap
    end = start + direction * length
    if epi_at_start:
        shaft_a, shaft_b = start + direction * cartilage, end
        epi_centre = start + direction * (epi_height * 0.5)
    else:
        shaft_a, shaft_b = start, end - direction * cartilage
        epi_centre = end - direction * (epi_height * 0.5)
    # a capsule reaches `radius` beyond the ends of its axis: pull the axis in
    inset = min(radius, 0.45 * float(np.linalg.norm(shaft_b - shaft_a)))
    axis_a, axis_b = shaft_a + direction * inset, shaft_b - direction * inset
    shapes["capsules"].append((*axis_a, *axis_b, radius, kind_density, 1.0))
    if present:
        angle = float(np.degrees(np.arctan2(direction[0], direction[1])))
        semi = (radius * width * 1.05, epi_height * (0.45 + 0.55 * width) * 0.5)
        shapes["ellipses"].append((*epi_centre, *semi, angle, 1.6 * semi[0]))
    return end


def _ray_bones(m: float, ray: int, person: dict):
    """The tubular bones of one ray (metacarpal and phalanges); returns shapes and landmarks."""
    import numpy as np

    spec = RAYS[ray]
    shapes = {"capsules": [], "ellipses": []}
    angle = np.radians(spec["angle"] * person["spread"] + person["angles"][ray - 1])
    direction = np.array([np.sin(angle), np.cos(angle)])
    point = np.array(spec["base"], dtype=float)
    marks = {"direction": direction}
    for b, (name, length) in enumerate(zip(BONE_NAMES, spec["lengths"], strict=True)):
        if length == 0.0:
            continue
        length = length * person["proportions"][ray - 1, b]
        radius = spec["radius"] * (1.0 - 0.12 * b)  # phalanges narrow towards the tip
        epi_at_start = not (name == "metacarpal" and ray != 1)
        point = _tube(shapes, point, direction, length, radius, epi_at_start,
                      _epiphysis_state(m, name, ray))
        if b == 0:
            marks["metacarpal_head"] = point.copy()
        point = point + direction * JOINT_SPACE_MM
    marks["tip"] = point
    return shapes, marks


def _carpal_bones(m: float, person: dict, thumb_head):
    """Ossified carpal bones (ellipsoids that grow from 20% of adult size) and the sesamoid."""
    import numpy as np

    shapes = {"capsules": [], "ellipses": []}
    for index, spec in enumerate(CARPALS.values()):
        if m < spec["onset"]:
            continue
        grown = 0.2 + 0.8 * _fraction(m, spec["onset"], spec["onset"] + CARPAL_GROWTH_MONTHS)
        cx, cy = np.array(spec["centre"]) + person["carpal_shift"][index]
        a, b = (s * grown for s in spec["semi_axes"])
        shapes["ellipses"].append((cx, cy, a, b, 0.0, 1.6 * min(a, b)))
    if m >= SESAMOID["onset"]:
        r = SESAMOID["radius_mm"] * (0.4 + 0.6 * _fraction(m, SESAMOID["onset"],
                                                           SESAMOID["onset"] + 36.0))
        centre = thumb_head + np.array(SESAMOID["offset_mm"])
        shapes["ellipses"].append((*centre, r, r, 0.0, 1.6 * r))
    return shapes


def _forearm_bones(m: float):
    """Distal radius and ulna with their distal epiphyses."""
    import numpy as np

    shapes = {"capsules": [], "ellipses": []}
    for bone in ("radius", "ulna"):
        spec = FOREARM[bone]
        state = _epiphysis_state(m, bone)
        start = np.array([spec["x"], FOREARM["bottom_y"]])
        _tube(shapes, start, np.array([0.0, 1.0]), FOREARM["top_y"] - FOREARM["bottom_y"],
              spec["half_width"], False, state)
        if state[0]:  # the distal radial epiphysis is wider than the shaft radius suggests
            x, y, a, b, angle, depth = shapes["ellipses"][-1]
            shapes["ellipses"][-1] = (x, y, spec["epiphysis_half_width"] * state[1], b, angle,
                                      depth)
    return shapes


def _soft_tissue(marks: dict):
    """Fingers (capsules), palm (ellipsoid) and forearm (capsule), without marrow canals."""
    shapes = {"capsules": [], "ellipses": []}
    for ray, spec in RAYS.items():
        start = marks[ray]["metacarpal_head"] - marks[ray]["direction"] * spec["lengths"][0] * 0.3
        shapes["capsules"].append((*start, *marks[ray]["tip"],
                                   spec["radius"] * SOFT_TISSUE["finger_radius_factor"], 1.0,
                                   0.0))
    a, b = SOFT_TISSUE["palm_semi_axes"]
    shapes["ellipses"].append((*SOFT_TISSUE["palm_centre"], a, b, 0.0,
                               SOFT_TISSUE["palm_thickness_mm"]))
    shapes["capsules"].append((-2.0, FOREARM["bottom_y"] - 40.0, -2.0, 0.0,
                               SOFT_TISSUE["forearm_half_width"],
                               SOFT_TISSUE["forearm_flattening"], 0.0))
    return shapes


def _hand_shapes(m: float, scale: float, person: dict):
    """Groups of shapes (mm), each drawn inside its own bounding box: five rays, the carpus
    with the sesamoid, the forearm bones; and the soft tissue, drawn over the whole image."""
    groups, marks = [], {}
    for ray in RAYS:
        shapes, marks[ray] = _ray_bones(m, ray, person)
        groups.append(shapes)
    groups.append(_carpal_bones(m, person, marks[1]["metacarpal_head"]))
    groups.append(_forearm_bones(m))
    mineral = float(_interp(MINERAL_KNOTS, m))
    bones = [_as_arrays(g, scale, mineral) for g in groups]
    return bones, _as_arrays(_soft_tissue(marks), scale)


def _as_arrays(shapes, scale: float, density: float = 1.0):
    """float32 arrays of capsules (ax, ay, bx, by, r, density, hollow) and ellipses
    (cx, cy, a, b, angle, depth), every length multiplied by scale and every density by
    `density` (ellipse depths stand for thickness x density)."""
    import numpy as np

    capsules = np.array(shapes["capsules"], dtype=np.float32).reshape(-1, 7)
    capsules[:, :5] *= scale
    capsules[:, 5] *= density
    ellipses = np.array(shapes["ellipses"], dtype=np.float32).reshape(-1, 6)
    ellipses[:, [0, 1, 2, 3]] *= scale
    ellipses[:, 5] *= scale * density
    return {"capsules": capsules, "ellipses": ellipses}


# ============================================================================
# Image formation
# ============================================================================

def _thickness(shapes, x, y):
    """Projected thickness (mm) of capsules (tubes with a marrow canal) and ellipsoids."""
    import numpy as np

    total = np.zeros(x.shape[1:], dtype=np.float32)
    caps = shapes["capsules"]
    if len(caps):
        ax, ay, bx, by, r, density, hollow = (caps[:, k, None] for k in range(7))
        dx, dy = bx - ax, by - ay
        rx, ry = x - ax, y - ay
        t = np.minimum(np.maximum((rx * dx + ry * dy) / np.maximum(dx * dx + dy * dy, 1e-6),
                                  0.0), 1.0)
        rx -= t * dx
        ry -= t * dy
        d2 = rx * rx + ry * ry
        outer = np.sqrt(np.maximum(r * r - d2, 0.0))
        r_in2 = (r * MEDULLA["radius_share"]) ** 2
        inner = np.sqrt(np.maximum(r_in2 - d2, 0.0))
        total += 2.0 * (density * (outer - hollow * (1.0 - MEDULLA["density"]) * inner)
                        ).sum(axis=0)
    ells = shapes["ellipses"]
    if len(ells):
        cx, cy, a, b, angle, depth = (ells[:, k, None] for k in range(6))
        theta = np.radians(angle)
        c, s = np.cos(theta), np.sin(theta)
        rx, ry = x - cx, y - cy
        u = (rx * c - ry * s) / a
        v = (rx * s + ry * c) / b
        total += (depth * np.sqrt(np.maximum(1.0 - u * u - v * v, 0.0))).sum(axis=0)
    return total


def _extent(shapes):
    """World bounding box (x0, x1, y0, y1) in mm of a group of shapes."""
    import numpy as np

    caps, ells = shapes["capsules"], shapes["ellipses"]
    xs = [caps[:, 0] - caps[:, 4], caps[:, 2] - caps[:, 4], caps[:, 0] + caps[:, 4],
          caps[:, 2] + caps[:, 4], ells[:, 0] - np.maximum(ells[:, 2], ells[:, 3]),
          ells[:, 0] + np.maximum(ells[:, 2], ells[:, 3])]
    ys = [caps[:, 1] - caps[:, 4], caps[:, 3] - caps[:, 4], caps[:, 1] + caps[:, 4],
          caps[:, 3] + caps[:, 4], ells[:, 1] - np.maximum(ells[:, 2], ells[:, 3]),
          ells[:, 1] + np.maximum(ells[:, 2], ells[:, 3])]
    xs, ys = np.concatenate(xs), np.concatenate(ys)
    return xs.min(), xs.max(), ys.min(), ys.max()


def _acquisition(rng):
    """Per-image positioning and exposure parameters."""
    return {key: float(rng.uniform(*ACQUISITION[key])) for key in
            ("zoom", "gain", "offset", "gamma", "noise_sd")} | {
        "rotation_deg": float(rng.uniform(-1, 1) * ACQUISITION["rotation_deg"]),
        "shift_x": float(rng.uniform(-1, 1) * ACQUISITION["shift_fraction"]),
        "shift_y": float(rng.uniform(-1, 1) * ACQUISITION["shift_fraction"]),
    }


class _Frame:
    """Where each pixel centre lies in the hand's millimetre coordinates, and back."""

    def __init__(self, size: int, hand_scale: float, acq: dict):
        import numpy as np

        self.size = size
        self.field = FIELD_OF_VIEW_MM * hand_scale ** FIELD_SIZE_EXPONENT * acq["zoom"]
        self.centre_y = FIELD_CENTRE_Y_MM * hand_scale
        self.shift = (acq["shift_x"], acq["shift_y"])
        theta = np.radians(acq["rotation_deg"])
        self.cos, self.sin = float(np.cos(theta)), float(np.sin(theta))
        centres = (np.arange(size, dtype=np.float32) + 0.5) / size - 0.5
        cols, rows = np.meshgrid(centres, centres, indexing="xy")
        px = (cols - self.shift[0]) * self.field
        py = -(rows - self.shift[1]) * self.field + self.centre_y
        self.x = (self.cos * px - self.sin * py).astype(np.float32)
        self.y = (self.sin * px + self.cos * py).astype(np.float32)

    def pixel_box(self, extent):
        """Row and column slices of the pixels that can touch a world bounding box."""
        import numpy as np

        x0, x1, y0, y1 = extent
        corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]], dtype=float)
        px = self.cos * corners[:, 0] + self.sin * corners[:, 1]
        py = -self.sin * corners[:, 0] + self.cos * corners[:, 1]
        cols = (px / self.field + self.shift[0] + 0.5) * self.size - 0.5
        rows = (self.shift[1] - (py - self.centre_y) / self.field + 0.5) * self.size - 0.5
        r0, r1 = int(max(np.floor(rows.min()), 0)), int(min(np.ceil(rows.max()) + 1, self.size))
        c0, c1 = int(max(np.floor(cols.min()), 0)), int(min(np.ceil(cols.max()) + 1, self.size))
        return slice(r0, max(r0, r1)), slice(c0, max(c0, c1))


def _render(bones, soft, hand_scale: float, size: int, acq: dict, rng):
    """One float32 image in [0, 1] and its pixel spacing (mm)."""
    import numpy as np
    from scipy.ndimage import gaussian_filter, zoom

    frame = _Frame(size, hand_scale, acq)
    t_bone = np.zeros((size, size), dtype=np.float32)
    for group in bones:
        if not (len(group["capsules"]) or len(group["ellipses"])):
            continue
        rows, cols = frame.pixel_box(_extent(group))
        x, y = frame.x[rows, cols], frame.y[rows, cols]
        if x.size:
            t_bone[rows, cols] += _thickness(group, x.reshape(1, -1),
                                             y.reshape(1, -1)).reshape(x.shape)
    # soft tissue varies slowly: draw it at half resolution and interpolate
    coarse = _Frame(size // 2, hand_scale, acq)
    t_soft = _thickness(soft, coarse.x.reshape(1, -1), coarse.y.reshape(1, -1))
    t_soft = zoom(t_soft.reshape(size // 2, size // 2), 2, order=1, mode="nearest",
                  grid_mode=True)
    image = 1.0 - np.exp(-(ATTENUATION_PER_MM["soft tissue"] * t_soft
                           + ATTENUATION_PER_MM["bone"] * t_bone))
    image = gaussian_filter(image, ACQUISITION["blur_px"], mode="nearest")
    image = acq["offset"] + acq["gain"] * np.power(np.clip(image, 0.0, 1.0), acq["gamma"])
    image = image + acq["noise_sd"] * rng.standard_normal((size, size), dtype=np.float32)
    return np.clip(image, 0.0, 1.0).astype(np.float32), frame.field / size


# ============================================================================
# Readers
# ============================================================================

def _reader_biases(n_readers: int):
    """The systematic offsets (months) of the first n_readers readers."""
    import numpy as np

    return np.array(READER_BIAS_MONTHS[:n_readers])


def _reads(rng, bone_age, age, sex, biases, readers_know_age: bool):
    """(n_images, n_readers) whole-month reads of every image."""
    import numpy as np

    cap = np.where(sex == "F", ADULT_BONE_AGE_MONTHS["F"], ADULT_BONE_AGE_MONTHS["M"])
    sd = READER["sd_months"] * np.clip((bone_age + 12.0) / 84.0, 0.3, 1.0)
    pull = READER["anchor_to_age"] * (age - bone_age) if readers_know_age else 0.0
    noise = rng.standard_normal((len(bone_age), len(biases))) * sd[:, None]
    reads = (bone_age + pull)[:, None] + biases[None, :] + noise
    return np.clip(np.round(reads), 0.0, cap[:, None])


# ============================================================================
# The loader
# ============================================================================

def _ground_truth(biases, readers_know_age, abnormal_fraction, images_per_child):
    """The generative model's constants, for instructors."""
    return {
        "reader_bias_months": [float(b) for b in biases],
        "reader_model": dict(READER, know_age=bool(readers_know_age)),
        "abnormal_fraction": abnormal_fraction,
        "abnormal_z": ABNORMAL_Z,
        "abnormal_age_range_months": dict(ABNORMAL_AGE_RANGE),
        "images_per_child": images_per_child,
        "follow_up_months": FOLLOW_UP_MONTHS,
        "tempo_sd": TEMPO_SD,
        "chronological_age_months": dict(CHRONO_AGE_MONTHS),
        "adult_bone_age_months": dict(ADULT_BONE_AGE_MONTHS),
        "reference_sd_knots": REFERENCE_SD_KNOTS,
        "girl_to_boy_maturity_knots": GIRL_TO_BOY_MATURITY,
        "carpals": {k: dict(v) for k, v in CARPALS.items()},
        "carpal_order": sorted(CARPALS, key=lambda k: CARPALS[k]["onset"]),
        "sesamoid": dict(SESAMOID),
        "epiphysis_onset": dict(EPIPHYSIS_ONSET),
        "ray_onset_offset": dict(RAY_ONSET_OFFSET),
        "width_complete_m": WIDTH_COMPLETE_M,
        "fusion_window": dict(FUSION_WINDOW),
        "hand_size_knots": HAND_SIZE_KNOTS,
        "adult_size": dict(ADULT_SIZE),
        "individual": dict(INDIVIDUAL),
        "acquisition": dict(ACQUISITION),
        "attenuation_per_mm": dict(ATTENUATION_PER_MM),
        "field_of_view_mm": FIELD_OF_VIEW_MM,
        "physis_gap_mm": PHYSIS_GAP_MM,
    }


def hand_xray_phantoms(n_images: int = 600, size: int = 96, n_readers: int = 3,
                       abnormal_fraction: float = 0.1, images_per_child: int = 1,
                       readers_know_age: bool = True, seed: int = 0):
    """Left-hand radiograph phantoms with true bone age, chronological age, sex and reads."""
    import numpy as np
    import pandas as pd

    from medai.datasets.types import ImageDataset

    if n_images % images_per_child:
        from medai.datasets.registry import DatasetOptionError

        raise DatasetOptionError(
            f"{NAME}: n_images={n_images} must be a multiple of images_per_child="
            f"{images_per_child} (every child has the same number of images)")
    rng = np.random.default_rng(seed)
    children = _children(rng, n_images // images_per_child, abnormal_fraction)
    visits = _visits(rng, children, images_per_child)
    sex = children["sex"][visits["child"]]
    maturity = maturity_months(visits["bone_age"], sex)
    people = [_individual(rng) for _ in range(len(children["age"]))]
    images = np.empty((n_images, size, size), dtype=np.float32)
    records = []
    for i in range(n_images):
        child = int(visits["child"][i])
        person = people[child]
        m = float(maturity[i])
        hand_scale = float(_interp(HAND_SIZE_KNOTS, m)) * ADULT_SIZE[sex[i]] * person["size"]
        bones, soft = _hand_shapes(m, hand_scale, person)
        acq = _acquisition(rng)
        images[i], spacing = _render(bones, soft, hand_scale, size, acq, rng)
        n_carpals = sum(m >= spec["onset"] for spec in CARPALS.values())
        records.append({"pixel_spacing_mm": spacing, "hand_scale": hand_scale,
                        "carpals_ossified": n_carpals, **acq})
    biases = _reader_biases(n_readers)
    reads = _reads(rng, visits["bone_age"], visits["age"], sex, biases, readers_know_age)
    age = visits["age"]
    metadata = pd.DataFrame({
        "child_id": visits["child"], "visit": visits["visit"], "sex": sex,
        "chronological_age_months": age, "bone_age_months": visits["bone_age"],
        "reference_sd_months": reference_sd_months(age),
        "category": children["category"][visits["child"]].astype(str),
        "maturity_months_boys_scale": maturity,
    })
    for r in range(n_readers):
        metadata[f"reader_{r + 1}_months"] = reads[:, r]
    metadata = pd.concat([metadata, pd.DataFrame.from_records(records)], axis=1)
    metadata.index.name = "image"
    spacing_mean = float(metadata["pixel_spacing_mm"].mean())
    return ImageDataset(
        name=NAME,
        images=images,
        labels=visits["bone_age"].astype(np.float32),
        label_names={},
        spacing_mm=(spacing_mean, spacing_mean),
        description=_description(n_images, size, images_per_child, n_readers, metadata),
        metadata=metadata,
        ground_truth=_ground_truth(biases, readers_know_age, abnormal_fraction,
                                   images_per_child),
    )


def _description(n_images, size, images_per_child, n_readers, metadata) -> str:
    """One paragraph: what the arrays are and what the labels mean."""
    counts = metadata["category"].value_counts()
    children = f"{metadata['child_id'].nunique()} children" + (
        f", {images_per_child} visits each" if images_per_child > 1 else "")
    return (
        f"{n_images} synthetic PA radiographs of a child's left hand, {size} x {size} "
        f"pixels in [0, 1] (bright = bone), {children}; {counts.get('delayed', 0)} with "
        f"delayed and {counts.get('advanced', 0)} with advanced bone age. labels = the true "
        f"bone age in months; metadata holds sex, chronological age and {n_readers} "
        "simulated readers' reads. Not real anatomy; for teaching bone-age regression."
    )


DATASETS = {
    NAME: DatasetSpec(hand_xray_phantoms, {
        "n_images": Option(600, "number of images", minimum=20, maximum=6000),
        "size": Option(96, "image height and width in pixels", choices=(64, 96, 128)),
        "n_readers": Option(3, "simulated human reads per image", minimum=1, maximum=5),
        "abnormal_fraction": Option(0.1, "share of children with delayed or advanced bone "
                                         "age (half each)", minimum=0.0, maximum=0.5),
        "images_per_child": Option(1, "radiographs per child, 6-18 months apart "
                                      "(n_images must be a multiple)", minimum=1, maximum=4),
        "readers_know_age": Option(True, "True: readers see the chronological age and are "
                                         "pulled 15% of the way towards it"),
        "seed": Option(0, "seed of numpy.random.default_rng; same seed, same data",
                       minimum=0, maximum=2**32 - 1),
    }),
}
