"""Load and validate course/course.yml, the one place that lists what the course contains.

Validation collects every problem (file, field, message) instead of stopping at
the first, so an instructor fixes the manifest in one pass.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from medai.errors import MedaiError

STATUSES = ("ready", "planned")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


# the steps of nbgrader's course folder, in the order an assignment goes through them
CourseStep = Literal["source", "release", "submitted", "autograded", "feedback"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the manifest, located by file and field path."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class ManifestError(MedaiError):
    """The manifest cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the course manifest:\n{lines}")


@dataclass(frozen=True)
class Module:
    id: str
    title: str


@dataclass(frozen=True)
class Lesson:
    id: str
    module: str
    title: str
    status: str
    objectives: tuple[str, ...]
    source: Path | None  # absolute path of the text source, when ready
    # headline figure shown with medai.teach.key_results -> (">=" or "<=", bound)
    targets: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def notebook(self) -> Path | None:
        """Where the build writes the .ipynb (beside its source)."""
        return self.source.with_suffix(".ipynb") if self.source else None


@dataclass(frozen=True)
class Assignment:
    id: str
    module: str
    title: str
    status: str
    notebooks: tuple[str, ...]
    points: float
    due: dt.datetime | None
    released: dt.datetime | None
    lessons: tuple[str, ...]
    # each student's data depend on their id (medai.teach.variant)
    variants: bool = False


@dataclass(frozen=True)
class Week:
    number: int
    lessons: tuple[str, ...]
    assignments: tuple[str, ...]
    activities: tuple[str, ...]


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    extends: str | None
    lessons: tuple[str, ...]
    assignments: tuple[str, ...]


CONTEST_METRICS = {"auroc": "higher", "rmse": "lower"}  # metric -> which way is better


@dataclass(frozen=True)
class Contest:
    """A class competition on a catalog dataset (medai.grading.contest runs it).

    ``split_column``/``split_test``: the dataset's own split (test rows are those whose
    column equals the value); None: a random split of ``test_fraction`` drawn with
    ``seed`` (stratified for AUROC). ``public_fraction`` of the test rows score the
    public board; the rest, the private one."""

    id: str
    title: str
    dataset: str
    target: str
    metric: str
    seed: int
    opens: dt.datetime | None
    closes: dt.datetime | None
    options: dict = field(default_factory=dict)
    features: tuple[str, ...] | None = None
    split_column: str | None = None
    split_test: str | None = None
    test_fraction: float = 0.3
    public_fraction: float = 0.5
    submissions_per_day: int = 3
    time_limit_s: int = 300
    digits: int = 3
    timezone: str | None = None  # None: the course's

    @property
    def higher_is_better(self) -> bool:
        return CONTEST_METRICS.get(self.metric) == "higher"


DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"
# delivery.hub keys and their defaults (medai.delivery.hub reads them)
HUB_DEFAULTS = {
    "url": "http://127.0.0.1:8000/",
    "roster": "course/roster.csv",
    "memory_limit_mb": 1024,
    "idle_cull_minutes": 60,
}


@dataclass(frozen=True)
class Manifest:
    path: Path
    course_id: str
    title: str
    term: str
    n_weeks: int
    timezone: str
    modules: tuple[Module, ...]
    lessons: tuple[Lesson, ...]
    assignments: tuple[Assignment, ...]
    weeks: tuple[Week, ...]
    tracks: tuple[Track, ...]
    gradebook_url: str
    course_directory: Path = field(default=Path("assignments"))
    sandbox_limits: dict = field(default_factory=dict)
    # delivery.exchange as written (see medai.delivery.exchange for how it resolves)
    exchange: str = DEFAULT_EXCHANGE
    hub: dict = field(default_factory=dict)
    # the languages the course is taught in (English first: the source) and the default one
    languages: tuple[str, ...] = ("en",)
    language: str = "en"
    contests: tuple[Contest, ...] = ()
    # grading.late_work: a medai.grading.late.LatePolicy (no penalty when absent)
    late_work: Any = None

    @property
    def root(self) -> Path:
        """The repository (or workspace) the manifest's relative paths start from."""
        return self.path.parent.parent

    def course_folder(self, step: CourseStep, assignment_id: str | None = None,
                      student: str | None = None) -> Path:
        """nbgrader's course-folder layout, named here once: ``<step>/[<student>/]
        [<assignment>]`` (source/ and release/ have no student level)."""
        folder = self.course_directory / step
        if student is not None:
            folder = folder / student
        return folder / assignment_id if assignment_id is not None else folder

    def ledger(self, assignment_id: str) -> Path:
        """medai's grading ledger of an assignment: one JSON file per student graded."""
        return self.course_directory / ".medai" / "ledger" / assignment_id

    @property
    def roster_path(self) -> Path:
        """The class list named by delivery.hub.roster (the hub, LMS imports and exports)."""
        return self.root / self.hub.get("roster", HUB_DEFAULTS["roster"])

    def lesson(self, lesson_id: str) -> Lesson:
        return _by_id(self.lessons, lesson_id, "lesson")

    def assignment(self, assignment_id: str) -> Assignment:
        return _by_id(self.assignments, assignment_id, "assignment")

    def contest(self, contest_id: str) -> Contest:
        return _by_id(self.contests, contest_id, "contest")

    def ready_lessons(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.status == "ready"]

    def ready_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.status == "ready"]

    def assignment_sources(self, assignment: Assignment) -> list[Path]:
        """Text sources of an assignment's notebooks, in manifest order."""
        folder = self.course_folder("source", assignment.id)
        return [folder / f"{name}.py" for name in assignment.notebooks]

    def track_contents(self, track_id: str) -> tuple[list[str], list[str]]:
        """Lessons and assignments of a track, including what it extends."""
        track = _by_id(self.tracks, track_id, "track")
        lessons: list[str] = []
        assignments: list[str] = []
        if track.extends:
            lessons, assignments = self.track_contents(track.extends)
        lessons += [x for x in track.lessons if x not in lessons]
        assignments += [x for x in track.assignments if x not in assignments]
        return lessons, assignments

    def resolved_gradebook_url(self) -> str:
        """The gradebook URL, with MEDAI_GRADEBOOK_URL winning and sqlite made absolute."""
        url = os.environ.get("MEDAI_GRADEBOOK_URL") or self.gradebook_url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url[len(prefix):].startswith("/"):
            url = prefix + str(self.course_directory / url[len(prefix):])
        return url


def _by_id(items, wanted: str, kind: str):
    for item in items:
        if item.id == wanted:
            return item
    known = ", ".join(item.id for item in items)
    raise KeyError(f"unknown {kind} {wanted!r}; the manifest lists: {known}")


def default_manifest_path() -> Path:
    """course/course.yml of the repository or workspace we are in (MEDAI_COURSE overrides)."""
    override = os.environ.get("MEDAI_COURSE")
    if override:
        return Path(override).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / "course" / "course.yml"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"no course/course.yml in {here} or any folder above it. Run medai from the "
        "course repository, or set MEDAI_COURSE=/path/to/course/course.yml."
    )


def load(path: Path | str | None = None) -> Manifest:
    """Read and validate the manifest; raise ManifestError listing every problem.

    Light: it reads course.yml and looks for the files it names, never into them
    (``check`` also reads the notebooks' points and the changelog)."""
    manifest, problems = inspect(path)
    if problems:
        raise ManifestError(problems)
    assert manifest is not None
    return manifest


def check(path: Path | str | None = None) -> list[Problem]:
    """Every problem in the manifest and in the files it names (empty: all valid)."""
    return inspect(path, read_files=True)[1]


def inspect(path: Path | str | None = None,
            read_files: bool = False) -> tuple[Manifest | None, list[Problem]]:
    """Parse the manifest and collect problems; the Manifest is None if unusable.
    ``read_files``: also hold the notebooks' points and the changelog to the manifest."""
    path = Path(path).resolve() if path else default_manifest_path()
    reader = _Reader(path)
    manifest = reader.read()
    if manifest is not None:
        reader.problems += _cross_checks(manifest, path, read_files)
    return manifest, reader.problems


class _Reader:
    """Turns the YAML into dataclasses, noting each type or presence problem."""

    def __init__(self, path: Path):
        self.path = path
        self.file = _display(path, path.parent.parent)
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def read(self) -> Manifest | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem("(file)", "not found; create it or set MEDAI_COURSE")
            return None
        except UnicodeDecodeError as err:
            self.problem("(file)", f"not UTF-8 text ({err.reason} at byte {err.start})")
            return None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "(file)"
            self.problem(where, f"invalid YAML: {getattr(err, 'problem', err)}")
            return None
        if not isinstance(data, dict):
            self.problem("(file)", "must be a mapping with course, modules, lessons, ...")
            return None

        course = self.mapping(data, "course")
        root = self.path.parent.parent
        grading = data.get("grading") or {}
        if not isinstance(grading, dict):
            self.problem("grading", "must be a mapping")
            grading = {}
        course_dir = root / str(grading.get("course_directory", "assignments"))
        manifest = Manifest(
            path=self.path,
            course_id=self.string(course, "course.id", pattern=re.compile(r"^[A-Za-z0-9_-]+$")),
            title=self.string(course, "course.title"),
            term=str(course.get("term", "")),
            n_weeks=self.integer(course, "course.weeks"),
            timezone=str(course.get("timezone", "UTC")),
            modules=tuple(self.modules(data)),
            lessons=tuple(self.lessons(data, root)),
            assignments=tuple(self.assignments(data)),
            weeks=tuple(self.weeks(data)),
            tracks=tuple(self.tracks(data)),
            gradebook_url=str(grading.get("gradebook_url", "sqlite:///gradebook.db")),
            course_directory=course_dir,
            sandbox_limits=self.limits(grading),
            exchange=self.exchange(data),
            hub=self.hub(data),
            languages=self.languages(course),
            language=str(course.get("language", "en")),
            contests=tuple(self.contests(data)),
            late_work=self.late_work(grading),
        )
        return manifest

    def delivery(self, data: dict) -> dict:
        value = data.get("delivery") or {}
        if not isinstance(value, dict):
            self.problem("delivery", "must be a mapping with exchange and hub")
            return {}
        return value

    def languages(self, course: dict) -> tuple[str, ...]:
        from medai.course.translation import LANGUAGES

        found = course.get("languages", ["en"])
        if not isinstance(found, list) or not found or found[0] != "en" \
                or any(code not in LANGUAGES for code in found):
            self.problem("course.languages", f"must list languages of {list(LANGUAGES)}, "
                         "English (the source) first")
            return ("en",)
        if course.get("language", "en") not in found:
            self.problem("course.language", f"must be one of course.languages {found}")
        return tuple(found)

    def exchange(self, data: dict) -> str:
        value = self.delivery(data).get("exchange", DEFAULT_EXCHANGE)
        if not isinstance(value, str) or not value.strip():
            self.problem("delivery.exchange", "must be a folder path (absolute, or relative "
                         "to the repository)")
            return DEFAULT_EXCHANGE
        return value

    def hub(self, data: dict) -> dict:
        value = self.delivery(data).get("hub") or {}
        if not isinstance(value, dict):
            self.problem("delivery.hub", "must be a mapping")
            return dict(HUB_DEFAULTS)
        settings = dict(HUB_DEFAULTS)
        for key, item in value.items():
            default = HUB_DEFAULTS.get(key)
            if default is None:
                self.problem(f"delivery.hub.{key}",
                             f"unknown setting; valid: {', '.join(HUB_DEFAULTS)}")
            elif isinstance(default, int) and (not isinstance(item, int)
                                               or isinstance(item, bool) or item < 1):
                self.problem(f"delivery.hub.{key}", f"must be a positive whole number, "
                             f"got {item!r}")
            elif isinstance(default, str) and (not isinstance(item, str) or not item.strip()):
                self.problem(f"delivery.hub.{key}", "missing or empty text")
            else:
                settings[key] = item
        return settings

    def limits(self, grading: dict) -> dict:
        """grading.sandbox: overrides of medai.grading.sandbox.Limits, positive integers."""
        from dataclasses import fields

        from medai.grading.sandbox.limits import Limits

        value = grading.get("sandbox") or {}
        if not isinstance(value, dict):
            self.problem("grading.sandbox", "must be a mapping of limit names to numbers")
            return {}
        known = {f.name for f in fields(Limits)}
        clean = {}
        for key, number in value.items():
            if key not in known:
                self.problem(f"grading.sandbox.{key}",
                             f"unknown limit; valid: {', '.join(sorted(known))}")
            elif not isinstance(number, int) or isinstance(number, bool) or number < 1:
                self.problem(f"grading.sandbox.{key}", f"must be a positive whole number, "
                             f"got {number!r}")
            else:
                clean[key] = number
        return clean

    def late_work(self, grading: dict):
        """grading.late_work: the late-penalty policy (medai.grading.late.LatePolicy)."""
        from dataclasses import fields

        from medai.grading.late import LatePolicy

        value = grading.get("late_work") or {}
        if not isinstance(value, dict):
            self.problem("grading.late_work", "must be a mapping, e.g. penalty_per_day: 0.1")
            return LatePolicy()
        known = {f.name for f in fields(LatePolicy)}
        clean = {}
        for key, number in value.items():
            where = f"grading.late_work.{key}"
            if key not in known:
                self.problem(where, f"unknown setting; valid: {', '.join(sorted(known))}")
            elif not isinstance(number, (int, float)) or isinstance(number, bool) or number < 0:
                self.problem(where, f"must be a number of 0 or more, got {number!r}")
            elif key == "penalty_per_day" and number > 1:
                self.problem(where, f"is a share of the score (0 to 1), got {number!r}")
            else:
                clean[key] = float(number)
        return LatePolicy(**clean)

    # -- typed field readers -------------------------------------------------
    def mapping(self, data: dict, key: str) -> dict:
        value = data.get(key)
        if not isinstance(value, dict):
            self.problem(key, "missing or not a mapping")
            return {}
        return value

    def items(self, data: dict, key: str) -> list[tuple[str, dict]]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.problem(key, "missing or not a non-empty list")
            return []
        out = []
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            if isinstance(item, dict):
                out.append((where, item))
            else:
                self.problem(where, "must be a mapping")
        return out

    def string(self, item: dict, where: str, pattern: re.Pattern | None = None) -> str:
        key = where.rsplit(".", 1)[-1]
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(where, "missing or empty text")
            return ""
        if pattern and not pattern.match(value):
            self.problem(where, f"{value!r} is not a valid id (use {pattern.pattern})")
        return value

    def integer(self, item: dict, where: str) -> int:
        value = item.get(where.rsplit(".", 1)[-1])
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.problem(where, f"must be a positive whole number, got {value!r}")
            return 0
        return value

    def id_list(self, item: dict, where: str) -> tuple[str, ...]:
        value = item.get(where.rsplit(".", 1)[-1], [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, "must be a list of ids")
            return ()
        return tuple(value)

    def status(self, item: dict, where: str) -> str:
        value = item.get("status", "ready")
        if value not in STATUSES:
            self.problem(f"{where}.status", f"{value!r} is not one of {', '.join(STATUSES)}")
        return value

    def timestamp(self, item: dict, where: str) -> dt.datetime | None:
        value = item.get(where.rsplit(".", 1)[-1])
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            parsed = value
        else:
            try:
                parsed = dt.datetime.fromisoformat(str(value))
            except ValueError:
                self.problem(where, f"{value!r} is not an ISO 8601 date-time")
                return None
        if parsed.tzinfo is None:
            self.problem(where, f"{value!r} needs a UTC offset, e.g. +09:00")
            return None
        return parsed

    # -- sections ------------------------------------------------------------
    def modules(self, data: dict):
        for where, item in self.items(data, "modules"):
            yield Module(
                id=self.string(item, f"{where}.id", ID_PATTERN),
                title=self.string(item, f"{where}.title"),
            )

    def lessons(self, data: dict, root: Path):
        for where, item in self.items(data, "lessons"):
            status = self.status(item, where)
            source = item.get("source")
            objectives = item.get("objectives")
            if not isinstance(objectives, list) or not objectives:
                self.problem(f"{where}.objectives", "list at least one learning objective")
                objectives = []
            if source is not None and not isinstance(source, str):
                self.problem(f"{where}.source", "must be a path relative to the repository")
                source = None
            yield Lesson(
                id=self.string(item, f"{where}.id", ID_PATTERN),
                module=self.string(item, f"{where}.module"),
                title=self.string(item, f"{where}.title"),
                status=status,
                objectives=tuple(str(o) for o in objectives),
                source=(root / source) if source else None,
                targets=self.targets(item.get("targets"), f"{where}.targets"),
            )

    def targets(self, value, where: str) -> dict[str, tuple[str, float]]:
        """``{figure: ">= 0.90"}``: a bound on a figure the lesson shows with key_results."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(where, 'map each figure to a bound, e.g. "held-out Dice": ">= 0.90"')
            return {}
        parsed = {}
        for name, bound in value.items():
            match = re.fullmatch(r"\s*(>=|<=)\s*(-?[0-9.]+(?:e-?[0-9]+)?)\s*", str(bound))
            if not match:
                self.problem(f"{where}.{name}", f"{bound!r} is not '>= number' or '<= number'")
                continue
            parsed[str(name)] = (match.group(1), float(match.group(2)))
        return parsed

    def assignments(self, data: dict):
        for where, item in self.items(data, "assignments"):
            points = item.get("points")
            if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
                self.problem(f"{where}.points", f"must be a positive number, got {points!r}")
                points = 0
            yield Assignment(
                id=self.string(item, f"{where}.id", ID_PATTERN),
                module=self.string(item, f"{where}.module"),
                title=self.string(item, f"{where}.title"),
                status=self.status(item, where),
                notebooks=self.id_list(item, f"{where}.notebooks"),
                points=float(points),
                due=self.timestamp(item, f"{where}.due"),
                released=self.timestamp(item, f"{where}.released"),
                lessons=self.id_list(item, f"{where}.lessons"),
                variants=self.flag(item, f"{where}.variants"),
            )

    def flag(self, item: dict, where: str) -> bool:
        """An optional yes/no setting (false when absent)."""
        value = item.get(where.rsplit(".", 1)[-1], False)
        if not isinstance(value, bool):
            self.problem(where, f"must be true or false, got {value!r}")
            return False
        return value

    def weeks(self, data: dict):
        for where, item in self.items(data, "weeks"):
            activities = self.id_list(item, f"{where}.activities")
            yield Week(
                number=self.integer(item, f"{where}.week"),
                lessons=self.id_list(item, f"{where}.lessons"),
                assignments=self.id_list(item, f"{where}.assignments"),
                activities=activities,
            )

    def tracks(self, data: dict):
        for where, item in self.items(data, "tracks"):
            extends = item.get("extends")
            yield Track(
                id=self.string(item, f"{where}.id", ID_PATTERN),
                title=self.string(item, f"{where}.title"),
                extends=str(extends) if extends else None,
                lessons=self.id_list(item, f"{where}.lessons"),
                assignments=self.id_list(item, f"{where}.assignments"),
            )


    def contests(self, data: dict):
        """contests: optional; each one a class competition (see Contest)."""
        if data.get("contests") in (None, []):
            return
        if not isinstance(data["contests"], list):
            self.problem("contests", "must be a list of contests")
            return
        for where, item in self.items(data, "contests"):
            yield self.contest(where, item)

    def contest(self, where: str, item: dict) -> Contest:
        known = {"id", "title", "dataset", "options", "target", "features", "split",
                 "test_fraction", "public_fraction", "metric", "seed", "submissions_per_day",
                 "opens", "closes", "time_limit_s", "digits", "timezone"}
        for key in item:
            if key not in known:
                self.problem(f"{where}.{key}",
                             f"unknown setting; valid: {', '.join(sorted(known))}")
        metric = item.get("metric")
        if metric not in CONTEST_METRICS:
            self.problem(f"{where}.metric", f"{metric!r} is not one of "
                         f"{', '.join(CONTEST_METRICS)}")
        options = item.get("options") or {}
        if not isinstance(options, dict):
            self.problem(f"{where}.options", "must be a mapping of the dataset's load options")
            options = {}
        features = item.get("features")
        if features is not None and (not isinstance(features, list) or not features
                                     or not all(isinstance(f, str) for f in features)):
            self.problem(f"{where}.features", "must be a non-empty list of column names")
            features = None
        split = item.get("split", "random")
        split_column = split_test = None
        if isinstance(split, dict) and set(split) == {"column", "test"}:
            split_column, split_test = str(split["column"]), str(split["test"])
        elif split != "random":
            self.problem(f"{where}.split", "must be 'random' or {column: NAME, test: VALUE} "
                         "(the dataset's own split: rows whose column equals VALUE are the test)")
        seed = item.get("seed")
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            self.problem(f"{where}.seed", f"must be a whole number >= 0, got {seed!r}")
            seed = 0
        timezone = item.get("timezone")
        if timezone is not None:
            try:
                import zoneinfo

                zoneinfo.ZoneInfo(str(timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.problem(f"{where}.timezone", f"{timezone!r} is not an IANA time zone "
                             "such as Asia/Seoul")
                timezone = None
        return Contest(
            id=self.string(item, f"{where}.id", ID_PATTERN),
            title=self.string(item, f"{where}.title"),
            dataset=self.string(item, f"{where}.dataset"),
            target=self.string(item, f"{where}.target"),
            metric=str(metric),
            seed=seed,
            opens=self.timestamp(item, f"{where}.opens"),
            closes=self.timestamp(item, f"{where}.closes"),
            options=dict(options),
            features=tuple(features) if features else None,
            split_column=split_column,
            split_test=split_test,
            test_fraction=self.fraction(item, f"{where}.test_fraction", 0.3),
            public_fraction=self.fraction(item, f"{where}.public_fraction", 0.5),
            submissions_per_day=self.integer_or(item, f"{where}.submissions_per_day", 3),
            time_limit_s=self.integer_or(item, f"{where}.time_limit_s", 300),
            digits=self.integer_or(item, f"{where}.digits", 3),
            timezone=str(timezone) if timezone else None,
        )

    def fraction(self, item: dict, where: str, default: float) -> float:
        value = item.get(where.rsplit(".", 1)[-1], default)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 1:
            self.problem(where, f"must be a number between 0 and 1 (exclusive), got {value!r}")
            return default
        return float(value)

    def integer_or(self, item: dict, where: str, default: int) -> int:
        if where.rsplit(".", 1)[-1] not in item:
            return default
        return self.integer(item, where) or default


class _Found:
    """Problems of one manifest file, collected by the checks below."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def __call__(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))


def _cross_checks(m: Manifest, path: Path, read_files: bool) -> list[Problem]:
    """Checks that relate one part of the manifest to another or to files on disk."""
    problem = _Found(_display(path, m.root))
    _unique_ids(m, problem)
    _lesson_checks(m, problem)
    _assignment_checks(m, problem, read_files)
    _week_checks(m, problem)
    _track_checks(m, problem)
    _contest_checks(m, problem)
    if read_files:
        problem.problems += _changelog_problems(m.root / "CHANGELOG.md")
    return problem.problems


def _unique_ids(m: Manifest, problem: _Found) -> None:
    """Ids are unique across all kinds: 'medai build dx01' must mean one thing."""
    seen: dict[str, str] = {}
    for kind, items in (
        ("modules", m.modules),
        ("lessons", m.lessons),
        ("assignments", m.assignments),
        ("tracks", m.tracks),
        ("contests", m.contests),
    ):
        for i, item in enumerate(items):
            where = f"{kind}[{i}].id"
            if item.id and item.id in seen:
                problem(where, f"duplicate id {item.id!r} (first used at {seen[item.id]})")
            elif item.id:
                seen[item.id] = where


def _lesson_checks(m: Manifest, problem: _Found) -> None:
    module_ids = {x.id for x in m.modules}
    for i, lesson in enumerate(m.lessons):
        where = f"lessons[{i}]"
        if lesson.module and lesson.module not in module_ids:
            problem(f"{where}.module", f"unknown module {lesson.module!r}")
        if lesson.status == "ready":
            if lesson.source is None:
                problem(f"{where}.source", "a ready lesson needs its source file")
            elif not lesson.source.is_file():
                problem(f"{where}.source", f"missing file {_display(lesson.source, m.root)}")


def _assignment_checks(m: Manifest, problem: _Found, read_files: bool) -> None:
    module_ids = {x.id for x in m.modules}
    lesson_ids = {x.id for x in m.lessons}
    for i, assignment in enumerate(m.assignments):
        where = f"assignments[{i}]"
        if assignment.module and assignment.module not in module_ids:
            problem(f"{where}.module", f"unknown module {assignment.module!r}")
        for j, lesson_id in enumerate(assignment.lessons):
            if lesson_id not in lesson_ids:
                problem(f"{where}.lessons[{j}]", f"unknown lesson {lesson_id!r}")
        if assignment.due and assignment.released and assignment.released >= assignment.due:
            problem(f"{where}.released", "release date is not before the due date")
        if assignment.status != "ready":
            continue
        if not assignment.notebooks:
            problem(f"{where}.notebooks", "a ready assignment lists its notebooks")
        if assignment.due is None:
            problem(f"{where}.due", "a ready assignment needs a due date")
        total = 0.0
        all_found = True
        for j, source in enumerate(m.assignment_sources(assignment)):
            if not source.is_file():
                problem(f"{where}.notebooks[{j}]", f"missing file {_display(source, m.root)}")
                all_found = False
                continue
            if not read_files:
                continue
            try:
                total += _notebook_points(source)
            except ValueError as err:
                problem(f"{where}.notebooks[{j}]", str(err))
                all_found = False
        if (read_files and all_found and assignment.notebooks
                and abs(total - assignment.points) > 1e-9):
            problem(
                f"{where}.points",
                f"points do not add up: the manifest says {assignment.points:g} but the "
                f"grade cells of its notebooks add up to {total:g}",
            )


def _week_checks(m: Manifest, problem: _Found) -> None:
    lesson_ids = {x.id for x in m.lessons}
    assignment_ids = {x.id for x in m.assignments}
    numbers = [w.number for w in m.weeks]
    for i, week in enumerate(m.weeks):
        where = f"weeks[{i}]"
        if week.number and numbers.count(week.number) > 1 and numbers.index(week.number) != i:
            problem(f"{where}.week", f"duplicate week {week.number}")
        if m.n_weeks and week.number > m.n_weeks:
            problem(f"{where}.week", f"week {week.number} is after the last week ({m.n_weeks})")
        if not (week.lessons or week.assignments or week.activities):
            problem(
                where, f"week {week.number} has no content (lessons, assignments or activities)"
            )
        for j, lesson_id in enumerate(week.lessons):
            if lesson_id not in lesson_ids:
                problem(f"{where}.lessons[{j}]", f"unknown lesson {lesson_id!r}")
        for j, assignment_id in enumerate(week.assignments):
            if assignment_id not in assignment_ids:
                problem(f"{where}.assignments[{j}]", f"unknown assignment {assignment_id!r}")
    for number in range(1, m.n_weeks + 1):
        if number not in numbers:
            problem("weeks", f"week {number} has no content (it is not in the plan)")


def _track_checks(m: Manifest, problem: _Found) -> None:
    lesson_ids = {x.id for x in m.lessons}
    assignment_ids = {x.id for x in m.assignments}
    track_ids = {x.id for x in m.tracks}
    for i, track in enumerate(m.tracks):
        where = f"tracks[{i}]"
        if track.extends and track.extends not in track_ids:
            problem(f"{where}.extends", f"unknown track {track.extends!r}")
        for j, lesson_id in enumerate(track.lessons):
            if lesson_id not in lesson_ids:
                problem(f"{where}.lessons[{j}]", f"unknown lesson {lesson_id!r}")
        for j, assignment_id in enumerate(track.assignments):
            if assignment_id not in assignment_ids:
                problem(f"{where}.assignments[{j}]", f"unknown assignment {assignment_id!r}")
    # A track that sets an assignment teaches every lesson it relies on.
    if not any(p.message.startswith("unknown") for p in problem.problems):
        by_id = {a.id: a for a in m.assignments}
        for i, track in enumerate(m.tracks):
            try:
                taught, taken = m.track_contents(track.id)
            except (KeyError, RecursionError):
                continue  # an unknown or circular 'extends', reported above
            for assignment_id in taken:
                missing = [x for x in by_id[assignment_id].lessons if x not in taught]
                if missing:
                    problem(f"tracks[{i}]", f"{track.id} sets {assignment_id} but does not "
                            f"teach {', '.join(missing)}, which it relies on: add the "
                            "lesson to the track or move the assignment")


def _contest_checks(m: Manifest, problem: _Found) -> None:
    """A contest names a catalog dataset, opens before it closes, and has both dates."""
    if not m.contests:
        return
    from medai.datasets import registry

    names = registry.available()
    for i, contest in enumerate(m.contests):
        where = f"contests[{i}]"
        if contest.dataset and contest.dataset not in names:
            problem(f"{where}.dataset", f"unknown dataset {contest.dataset!r}; "
                    "`medai datasets list` names them")
        elif contest.dataset:
            valid = registry.spec(contest.dataset).options
            for key in contest.options:
                if key not in valid:
                    problem(f"{where}.options.{key}", f"{contest.dataset} has no option "
                            f"{key!r}; valid: {', '.join(sorted(valid)) or 'none'}")
        for key in ("opens", "closes"):
            if getattr(contest, key) is None:
                problem(f"{where}.{key}", "a contest needs its date-time with a UTC offset")
        if contest.opens and contest.closes and contest.opens >= contest.closes:
            problem(f"{where}.opens", "the contest opens after it closes")
        if contest.features and contest.target in contest.features:
            problem(f"{where}.features", f"the target {contest.target!r} cannot be a feature")


def _changelog_problems(path: Path) -> list[Problem]:
    """The changelog's newest released entry names the package's version (pyproject.toml):
    a version is cut by writing its entry, never by bumping the number alone."""
    if not path.is_file():
        return []
    from medai import __version__
    from medai.course import changelog, revision

    version = revision.project_version(path.parent) or __version__
    problem = changelog.version_problem(changelog.read(path), version)
    return [Problem(path.name, "(versions)", problem)] if problem else []


def _notebook_points(source: Path) -> float:
    """Sum of nbgrader points in a text notebook's grade cells."""
    from medai.course import sources

    try:
        return sources.total_points(sources.read_source(source))
    except Exception as err:  # reported as a manifest problem, with the file named
        raise ValueError(f"cannot read {source.name}: {err}") from None


def _display(path: Path, root: Path | None = None) -> str:
    """A path relative to the repository (or cwd) when possible, for readable messages."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)
