"""The observation format: one row per patient per assessment, read and checked.

The column names are the contract (docs/toxicity.md gives the data dictionary). A blank
cell means *not assessed*; it is never read as "none" or 0. A file is read with
:func:`remission.cohort.io.read_table` (CSV/TSV, .xlsx, Parquet) and every problem is
collected: the caller gets either a complete :class:`ObservationSet` or one
:class:`~remission.cohort.problems.InputError` naming file, row (header = row 1),
patient, column, value and what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from remission.cohort.io import RawTable, read_table, reconcile
from remission.cohort.problems import InputError, Problem
from remission.cohort.suggest import did_you_mean

__all__ = [
    "CAPD_ITEMS",
    "COLUMNS",
    "CerebralEdema",
    "Consciousness",
    "Hypotension",
    "Motor",
    "Observation",
    "ObservationSet",
    "Oxygen",
    "Seizure",
    "parse_observations",
    "read_observations",
]


class Hypotension(StrEnum):
    """Hypotension management (ASTCT Table 2 rows; Lee et al. 2019)."""

    NONE = "none"
    FLUIDS = "fluids"
    ONE_VASOPRESSOR = "one_vasopressor"
    VASOPRESSIN_PLUS_ONE = "vasopressin_plus_one"
    MULTIPLE_VASOPRESSORS = "multiple_vasopressors"


class Oxygen(StrEnum):
    """Oxygen support, as the device the patient needs."""

    NONE = "none"
    LOW_FLOW = "low_flow"
    BLOW_BY = "blow_by"
    HIGH_FLOW = "high_flow"
    FACEMASK = "facemask"
    NON_REBREATHER = "non_rebreather"
    VENTURI = "venturi"
    CPAP = "cpap"
    BIPAP = "bipap"
    MECHANICAL_VENTILATION = "mechanical_ventilation"


class Consciousness(StrEnum):
    """Level of consciousness: ``alert`` (normal) or how a drowsy patient awakens.

    The consensus ICANS tables grade depressed consciousness: awakens spontaneously 1,
    to voice 2, only to tactile stimulus 3, unarousable 4. ``alert`` is the normal state.
    """

    ALERT = "alert"
    SPONTANEOUS = "spontaneous"
    VOICE = "voice"
    TACTILE = "tactile"
    UNAROUSABLE = "unarousable"


class Seizure(StrEnum):
    NONE = "none"
    RAPID = "rapid"
    EEG_NONCONVULSIVE = "eeg_nonconvulsive"
    PROLONGED = "prolonged"


class Motor(StrEnum):
    NONE = "none"
    DEEP_FOCAL_WEAKNESS = "deep_focal_weakness"


class CerebralEdema(StrEnum):
    NONE = "none"
    FOCAL = "focal"
    DIFFUSE = "diffuse"


CAPD_ITEMS = tuple(f"capd_{i}" for i in range(1, 9))

#: Every column the format knows; ``patient_id``, ``time`` and ``age_years`` are required.
COLUMNS = (
    "patient_id", "time", "age_years", "temperature_c", "antipyretic", "tocilizumab",
    "steroids", "hypotension", "oxygen", "oxygen_l_min", "fio2_percent", "ice_score",
    *CAPD_ITEMS, "consciousness", "seizure", "motor", "cerebral_edema",
    "blinatumomab_start", "infusion_interrupted", "dose_reduced",
)  # fmt: skip
REQUIRED = ("patient_id", "time", "age_years")


@dataclass(frozen=True)
class Observation:
    """One assessment of one patient; ``None`` in any field means not assessed.

    ``capd`` holds the eight CAPD answers as recorded (0 never, 1 rarely, 2 sometimes,
    3 often, 4 always); scoring (items 1-4 reversed) is :func:`remission.toxicity.capd_total`.
    ``row`` is the spreadsheet row the assessment came from (0 when built in code).
    """

    patient_id: str
    time: datetime
    age_years: float
    date_only: bool = True
    temperature_c: float | None = None
    antipyretic: bool | None = None
    tocilizumab: bool | None = None
    steroids: bool | None = None
    hypotension: Hypotension | None = None
    oxygen: Oxygen | None = None
    oxygen_l_min: float | None = None
    fio2_percent: float | None = None
    ice_score: int | None = None
    capd: tuple[int, ...] | None = None
    consciousness: Consciousness | None = None
    seizure: Seizure | None = None
    motor: Motor | None = None
    cerebral_edema: CerebralEdema | None = None
    blinatumomab_start: date | None = None
    infusion_interrupted: bool | None = None
    dose_reduced: bool | None = None
    row: int = 0

    @property
    def time_text(self) -> str:
        """The assessment time as ISO text (a date when no clock time was given)."""
        return self.time.date().isoformat() if self.date_only else self.time.isoformat()


@dataclass(frozen=True)
class ObservationSet:
    """All assessments of a file, sorted by patient (first appearance) then time."""

    source: str
    observations: tuple[Observation, ...]

    def patients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.patient_id for o in self.observations))

    def of_patient(self, patient_id: str) -> tuple[Observation, ...]:
        return tuple(o for o in self.observations if o.patient_id == patient_id)


def read_observations(path: str | Path) -> ObservationSet:
    """Read and check an observation file; raise one InputError with every problem."""
    table = read_table(path)
    observations = parse_observations(table)
    reconcile(table, len(observations.observations), 0, "assessments read")
    return observations


class _Bad(Exception):
    """A cell that does not fit its column; ``expected`` says what would."""

    def __init__(self, expected: str, message: str = "invalid value"):
        super().__init__(message)
        self.expected = expected
        self.message = message


def _text(v: object) -> str:
    return str(v).strip()


def _number(lo: float, hi: float, unit: str, integer: bool = False) -> Callable[[object], float]:
    kind = "a whole number" if integer else "a number"
    expected = f"{kind} from {lo:g} to {hi:g}{unit}"

    def parse(v: object) -> float:
        if isinstance(v, bool):
            raise _Bad(expected)
        try:
            x = float(_text(v).replace(",", ".")) if isinstance(v, str) else float(v)
        except (TypeError, ValueError):
            raise _Bad(expected, "not a number") from None
        if not math.isfinite(x) or not lo <= x <= hi:
            raise _Bad(expected, "out of range")
        if integer and x != int(x):
            raise _Bad(expected, "not a whole number")
        return int(x) if integer else x

    return parse


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _boolean(v: object) -> bool:
    if isinstance(v, int | float) and v in (0, 1):  # Excel TRUE/FALSE, 1/0, 1.0/0.0
        return bool(v)
    t = _text(v).lower()
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise _Bad("yes or no (blank = not recorded)")


def _choice(enum: type[StrEnum]) -> Callable[[object], StrEnum]:
    allowed = [e.value for e in enum]

    def parse(v: object) -> StrEnum:
        t = _text(v).lower().replace("-", "_").replace(" ", "_")
        if t not in allowed:
            raise _Bad("one of " + ", ".join(allowed) + " (blank = not assessed)")
        return enum(t)

    return parse


def _moment(v: object) -> tuple[datetime, bool]:
    """A date or datetime cell; returns (datetime, date_only)."""
    expected = "a date (YYYY-MM-DD) or date and time (YYYY-MM-DD HH:MM)"
    if isinstance(v, datetime):  # also pandas.Timestamp
        t = datetime(v.year, v.month, v.day, v.hour, v.minute, v.second)
        return t, (t.hour, t.minute, t.second) == (0, 0, 0)
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day), True
    t = _text(v)
    try:
        parsed = datetime.fromisoformat(t)
    except ValueError:
        raise _Bad(expected, "not a date") from None
    if parsed.tzinfo is not None:
        raise _Bad(expected + " without a time zone", "has a time zone")
    return parsed, len(t) <= 10


def _day(v: object) -> date:
    t, date_only = _moment(v)
    if not date_only:
        raise _Bad("a date (YYYY-MM-DD)", "has a clock time")
    return t.date()


_PARSERS: dict[str, Callable[[object], object]] = {
    "age_years": _number(0, 120, " years"),
    "temperature_c": _number(30, 45, " degrees Celsius"),
    "antipyretic": _boolean,
    "tocilizumab": _boolean,
    "steroids": _boolean,
    "hypotension": _choice(Hypotension),
    "oxygen": _choice(Oxygen),
    "oxygen_l_min": _number(0, 80, " L/min"),
    "fio2_percent": _number(21, 100, " per cent"),
    "ice_score": _number(0, 10, "", integer=True),
    **{c: _number(0, 4, " (0 never ... 4 always)", integer=True) for c in CAPD_ITEMS},
    "consciousness": _choice(Consciousness),
    "seizure": _choice(Seizure),
    "motor": _choice(Motor),
    "cerebral_edema": _choice(CerebralEdema),
    "blinatumomab_start": _day,
    "infusion_interrupted": _boolean,
    "dose_reduced": _boolean,
}


def parse_observations(raw: RawTable) -> ObservationSet:
    """Check every cell of ``raw`` against the observation format (the one gate)."""
    problems = _check_columns(raw)
    if problems:
        raise InputError(problems)
    observations = []
    for i, record in enumerate(raw.frame.to_dict("records")):
        obs = _parse_row(raw.path, raw.rows[i], record, problems)
        if obs is not None:
            observations.append(obs)
    problems.extend(_check_patients(raw.path, observations))
    if problems:
        raise InputError(problems)
    order = {p: k for k, p in enumerate(dict.fromkeys(o.patient_id for o in observations))}
    observations.sort(key=lambda o: (order[o.patient_id], o.time))
    return ObservationSet(raw.path, tuple(observations))


def _check_columns(raw: RawTable) -> list[Problem]:
    columns = list(raw.frame.columns)
    problems = [
        Problem(raw.path, "unknown column" + did_you_mean(c, COLUMNS), row=1, column=c,
                expected="a column of the observation format (docs/toxicity.md)")
        for c in columns if c not in COLUMNS
    ]  # fmt: skip
    problems += [
        Problem(
            raw.path,
            "required column missing",
            row=1,
            column=c,
            expected=f"a column {c!r} (observation format, docs/toxicity.md)",
        )
        for c in REQUIRED
        if c not in columns
    ]
    if not problems and raw.frame.empty:
        problems.append(Problem(raw.path, "no assessments (only a header)"))
    return problems


def _blank(v: object) -> bool:
    """Missing cell: None, or NaN (pandas 3 may turn None into NaN in a str column)."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def _parse_row(file: str, row: int, record: dict, problems: list[Problem]) -> Observation | None:
    record = {k: None if _blank(v) else v for k, v in record.items()}
    pid = record.get("patient_id")
    pid = None if pid is None else _text(pid)
    n_before = len(problems)

    def bad(column: str, value: object, message: str, expected: str | None) -> None:
        problems.append(Problem(file, message, row, pid, column, value, expected))

    if pid is None:
        bad("patient_id", None, "patient_id is blank", "the patient's identifier")
    values: dict[str, object] = {}
    time, date_only = None, True
    if record.get("time") is None:
        bad("time", None, "time is blank", "the date (or date and time) of the assessment")
    else:
        try:
            time, date_only = _moment(record["time"])
        except _Bad as exc:
            bad("time", record["time"], exc.message, exc.expected)
    for column, parse in _PARSERS.items():
        v = record.get(column)
        if v is None:
            continue
        try:
            values[column] = parse(v)
        except _Bad as exc:
            bad(column, v, exc.message, exc.expected)
    if "age_years" not in values and record.get("age_years") is None:
        bad("age_years", None, "age_years is blank", "the age in years at the assessment")
    _check_consistency(values, record, bad)
    if len(problems) > n_before:
        return None
    capd = [values.pop(c, None) for c in CAPD_ITEMS]
    return Observation(
        patient_id=pid, time=time, date_only=date_only, row=row,
        capd=None if capd[0] is None else tuple(capd), **values,
    )  # fmt: skip


def _check_consistency(
    values: dict[str, object], record: dict[str, object], bad: Callable[..., None]
) -> None:
    # completeness counts filled cells: an invalid answer is reported once, not as blank
    missing = [c for c in CAPD_ITEMS if record.get(c) is None]
    if 0 < len(missing) < len(CAPD_ITEMS):
        bad(missing[0], None, f"CAPD incomplete: {', '.join(missing)} blank",
            "all eight CAPD answers, or none")  # fmt: skip
    age = values.get("age_years")
    if age is not None and age < 12 and "ice_score" in values:
        bad("ice_score", values["ice_score"],
            f"ICE score given for a child aged {age:g} years",
            "the CAPD (capd_1 ... capd_8) under 12 years (ASTCT: ICE is for age >= 12)")  # fmt: skip
    if values.get("oxygen") is Oxygen.NONE and values.get("oxygen_l_min", 0) > 0:
        bad("oxygen_l_min", values["oxygen_l_min"], "oxygen flow given with oxygen 'none'",
            "blank or 0 when no oxygen is given")  # fmt: skip


def _check_patients(file: str, observations: list[Observation]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, datetime], int] = {}
    start: dict[str, date | None] = {}
    for o in observations:
        key = (o.patient_id, o.time)
        if key in seen:
            problems.append(Problem(file, f"second assessment at the same time (first at row {seen[key]})",
                                    o.row, o.patient_id, "time", o.time_text,
                                    "one row per patient per assessment time"))  # fmt: skip
        seen.setdefault(key, o.row)
        if o.patient_id not in start:
            start[o.patient_id] = o.blinatumomab_start
        elif start[o.patient_id] != o.blinatumomab_start:
            first = start[o.patient_id]
            problems.append(Problem(file, "blinatumomab_start differs between rows of the patient",
                                    o.row, o.patient_id, "blinatumomab_start",
                                    None if o.blinatumomab_start is None else o.blinatumomab_start.isoformat(),
                                    f"the same date on every row ({first})"))  # fmt: skip
    return problems
