"""Time and status of an endpoint from a cohort's dates, measured from any origin.

Endpoints are data (:class:`~remission.cohort.schema.EndpointSpec`): the built-in ones
(:data:`~remission.cohort.schema.CORE_ENDPOINTS`) and a study's own (its study file's
``endpoints``). Each names its event date columns and its competing-event date columns;
the first of those dates ends follow-up (status 1 for an event, 2 for a competing event,
0 censored). On the same day a death counts after any other event, otherwise an event
before a competing one. The built-in definitions:

* ``EFS`` event-free survival: relapse, second malignancy or death from any cause
  (as in the seed letter, Clesham et al.: "time ... to relapse, secondary tumor, or
  death");
* ``OS`` overall survival: death from any cause;
* ``CIR`` cumulative incidence of relapse: relapse (1); death without prior relapse is
  the competing event (2); a relapse and a death on the same day count as relapse. A
  second malignancy is not an event: follow-up continues;
* ``NRM`` non-relapse mortality: death without prior relapse (1); relapse is the
  competing event (2); same-day relapse and death count as relapse (2).

The origin is a named origin (``diagnosis``: ``diagnosis_date``, ``hsct``: ``hsct_date``,
each study intervention's start, the study's ``origins``), any date column, or ``NAME``
when ``NAME_date`` or ``NAME_start_date`` is a date column. Time runs from the origin to
the event, or to the end of follow-up: the earlier of ``last_followup_date`` and the
data cut-off. **An event after the cut-off is censored at the cut-off** (never an
error); how many were is returned (``EndpointData.n_after_cutoff``). Times are whole
days between dates, returned as floats (see :mod:`remission.endpoints.units`).

Patients without an origin date, or whose origin falls after the data cut-off, are
excluded with a stated reason. An event dated before the origin, an event after
``last_followup_date``, or a missing or too early ``last_followup_date`` is an
:class:`~remission.cohort.problems.InputError` listing every such problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import CORE_ENDPOINTS, CORE_ORIGINS, EndpointSpec
from remission.cohort.suggest import did_you_mean
from remission.endpoints.units import TIME_CONVENTION, days_to

__all__ = [
    "ENDPOINTS",
    "EVENT_CODES",
    "ORIGINS",
    "EndpointData",
    "UnknownName",
    "derive_endpoint",
    "resolve_endpoint",
    "resolve_origin",
]

#: The named origins every cohort has (a study file adds its interventions and origins).
ORIGINS: dict[str, str] = dict(CORE_ORIGINS)
ENDPOINTS: tuple[str, ...] = tuple(e.name for e in CORE_ENDPOINTS)
EVENT_CODES: dict[str, dict[int, str]] = {e.name: e.codes() for e in CORE_ENDPOINTS}


class UnknownName(InputError, ValueError):
    """An endpoint or origin that the cohort does not define (also a ValueError)."""


@dataclass(frozen=True, eq=False)
class EndpointData:
    """Per-patient time (days, float) and status of one endpoint from one origin.

    ``frame`` has ``patient_id``, ``time``, ``event`` (codes in ``event_codes``) and then
    the cohort's other columns, in input order. ``excluded`` lists ``(patient_id,
    reason)`` for patients left out (origin date missing or after the cut-off);
    ``n_after_cutoff`` counts the events dated after the data cut-off, censored there.
    """

    frame: pd.DataFrame
    excluded: tuple[tuple[str, str], ...]
    endpoint: str
    origin: str
    time_unit: str = "days"
    data_cutoff: dt.date | None = None
    spec: EndpointSpec | None = None
    origin_column: str = ""
    n_after_cutoff: int = 0

    @property
    def event_codes(self) -> dict[int, str]:
        spec = self.spec or next(e for e in CORE_ENDPOINTS if e.name == self.endpoint)
        return spec.codes()

    @property
    def convention(self) -> str:
        return TIME_CONVENTION

    def times(self, unit: str = "days") -> np.ndarray:
        """Times converted to ``unit`` (``days``, ``months`` or ``years``)."""
        return days_to(self.frame["time"].to_numpy(dtype=float), unit)

    def to_dict(self) -> dict:
        f = self.frame
        return {
            "endpoint": self.endpoint,
            "origin": self.origin,
            "origin_column": self.origin_column or ORIGINS.get(self.origin, self.origin),
            "time_unit": self.time_unit,
            "convention": TIME_CONVENTION,
            "data_cutoff": None if self.data_cutoff is None else self.data_cutoff.isoformat(),
            "events_after_cutoff": self.n_after_cutoff,
            "event_codes": {str(k): v for k, v in self.event_codes.items()},
            "patients": [
                {"patient_id": str(p), "time": float(t), "event": int(e)}
                for p, t, e in zip(f["patient_id"], f["time"], f["event"], strict=True)
            ],
            "excluded": [{"patient_id": p, "reason": r} for p, r in self.excluded],
        }


def _as_cutoff(value: object) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    return stamp.normalize()


def _first_event(frame: pd.DataFrame, spec: EndpointSpec) -> tuple[pd.Series, np.ndarray]:
    """Date of the first event or competing event and its code (0 where there is none).

    Ties: a death counts after any other event, otherwise events before competing ones.
    """
    cols = list(dict.fromkeys((*spec.events, *spec.competing)))
    first = frame[cols].min(axis=1, skipna=True)
    rank = [c for c in spec.events if c != "death_date"]
    rank += [c for c in spec.competing if c != "death_date" and c not in rank]
    rank += [c for c in cols if c == "death_date"]
    code = np.zeros(len(frame), dtype=np.int64)
    for c in reversed(rank):
        hit = (frame[c].notna() & (frame[c] == first)).to_numpy()
        code[hit] = 1 if c in spec.events else 2
    return first, code


def resolve_endpoint(endpoint: str, study=None, source: str = "cohort") -> EndpointSpec:
    """The :class:`EndpointSpec` called ``endpoint`` (built-in names in any case)."""
    specs = study.endpoint_specs() if study is not None else {e.name: e for e in CORE_ENDPOINTS}
    name = str(endpoint)
    found = specs.get(name) or next((e for n, e in specs.items() if n.upper() == name.upper()),
                                    None)  # fmt: skip
    if found is None:
        raise UnknownName([Problem(source, f"unknown endpoint {name!r}" + did_you_mean(name, specs),
                                   expected="one of " + ", ".join(specs))])  # fmt: skip
    return found


def resolve_origin(origin: str, frame: pd.DataFrame, study=None, source: str = "cohort") -> str:
    """The date column of ``origin``: a named origin, a date column, or ``NAME`` for
    ``NAME_date``/``NAME_start_date``."""
    named = study.origin_columns() if study is not None else dict(CORE_ORIGINS)
    if origin in named:
        return named[origin]
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    for candidate in (origin, f"{origin}_date", f"{origin}_start_date"):
        if candidate in dates:
            return candidate
    choices = [*named, *dates]
    raise UnknownName([Problem(source, f"unknown origin {origin!r}" + did_you_mean(origin, choices),
                               expected="a named origin (" + ", ".join(named) + ") or a date "
                               "column (" + ", ".join(dates) + ")")])  # fmt: skip


def _check_columns(frame: pd.DataFrame, needed: Sequence[str], source: str) -> None:
    problems = [
        Problem(source, "column missing", column=c, expected="a column of the data dictionary")
        for c in needed
        if c not in frame.columns
    ]
    for c in needed:
        if c in frame.columns and c != "patient_id":
            if not pd.api.types.is_datetime64_any_dtype(frame[c]):
                problems.append(
                    Problem(
                        source,
                        "dates not parsed",
                        column=c,
                        value=str(frame[c].dtype),
                        expected="a datetime64 column (dates parsed by the cohort loader)",
                    )
                )
    if problems:
        raise InputError(problems)


def _chronology(
    frame: pd.DataFrame,
    origin_col: str,
    event_cols: Sequence[str],
    rows: Sequence[int | None],
    source: str,
) -> list[Problem]:
    """Every event before the origin or after last follow-up, and bad last follow-up dates."""
    problems: list[Problem] = []
    origin, last = frame[origin_col], frame["last_followup_date"]
    ids = frame["patient_id"].astype(str).to_numpy()

    def add(i: int, msg: str, col: str, value: object, expected: str) -> None:
        problems.append(Problem(source, msg, rows[i], ids[i], col, value, expected))

    for i in np.flatnonzero(last.isna().to_numpy()):
        add(i, "last follow-up date missing", "last_followup_date", None, "a date")
    for i in np.flatnonzero((last < origin).to_numpy()):
        add(i, "last follow-up before the origin", "last_followup_date",
            last.iloc[i].date().isoformat(), f"on or after {origin_col} {origin.iloc[i].date()}")  # fmt: skip
    for col in event_cols:
        dates = frame[col]
        for i in np.flatnonzero((dates < origin).to_numpy()):
            add(i, "event before the origin", col, dates.iloc[i].date().isoformat(),
                f"on or after {origin_col} {origin.iloc[i].date()}")  # fmt: skip
        for i in np.flatnonzero((dates > last).to_numpy()):
            add(i, "event after the last follow-up date", col, dates.iloc[i].date().isoformat(),
                f"on or before last_followup_date {last.iloc[i].date()}")  # fmt: skip
    return problems


def derive_endpoint(
    frame: pd.DataFrame,
    endpoint: str,
    origin: str,
    data_cutoff: dt.date | str | pd.Timestamp | None = None,
    *,
    source: str = "cohort",
    rows: Sequence[int] | None = None,
    study=None,
) -> EndpointData:
    """Time (days) and status of ``endpoint`` measured from ``origin``; see the module doc.

    ``frame`` has the cohort's columns with dates already parsed (datetime64); ``study``
    (a :class:`~remission.cohort.study.Study`) adds its endpoints and named origins.
    ``source`` and ``rows`` (spreadsheet row of each patient, header = row 1) only locate
    problems in messages. Raises :class:`InputError` listing every problem
    (:class:`UnknownName`, also a ValueError, for an unknown endpoint or origin).
    """
    spec = resolve_endpoint(endpoint, study, source)
    origin_col = resolve_origin(origin, frame, study, source)
    event_cols = tuple(dict.fromkeys((*spec.events, *spec.competing)))
    needed = ("patient_id", origin_col, "last_followup_date", *event_cols)
    _check_columns(frame, tuple(dict.fromkeys(needed)), source)
    cutoff = _as_cutoff(data_cutoff)
    work = frame.reset_index(drop=True)
    row_of = list(rows) if rows is not None else [None] * len(work)
    if len(row_of) != len(work):
        raise ValueError("rows must give one spreadsheet row per patient")
    for c in dict.fromkeys(needed):
        if c != "patient_id":
            work[c] = work[c].dt.normalize()
    keep, excluded = _select(work, origin_col, cutoff)
    kept = work[keep].reset_index(drop=True)
    kept_rows = [r for r, k in zip(row_of, keep, strict=True) if k]
    problems = _chronology(kept, origin_col, event_cols, kept_rows, source)
    if problems:
        raise InputError(problems)
    time, event, late = _time_status(kept, spec, origin_col, cutoff)
    out = pd.concat(
        [
            pd.DataFrame({"patient_id": kept["patient_id"], "time": time, "event": event}),
            frame.reset_index(drop=True)[keep].reset_index(drop=True).drop(columns="patient_id"),
        ],
        axis=1,
    )
    return EndpointData(
        frame=out,
        excluded=excluded,
        endpoint=spec.name,
        origin=origin,
        data_cutoff=None if cutoff is None else cutoff.date(),
        spec=spec,
        origin_column=origin_col,
        n_after_cutoff=late,
    )


def _select(
    work: pd.DataFrame, origin_col: str, cutoff: pd.Timestamp | None
) -> tuple[np.ndarray, tuple[tuple[str, str], ...]]:
    """Patients with an origin date on or before the cut-off; reasons for the others."""
    origin = work[origin_col]
    missing = origin.isna().to_numpy()
    late = np.zeros(len(work), dtype=bool) if cutoff is None else (origin > cutoff).to_numpy()
    excluded = []
    for pid, is_missing, is_late, when in zip(
        work["patient_id"], missing, late, origin, strict=True
    ):
        if is_missing:
            excluded.append((str(pid), f"{origin_col} missing"))
        elif is_late:
            excluded.append(
                (str(pid), f"{origin_col} {when.date()} after the data cut-off {cutoff.date()}")
            )
    return ~(missing | late), tuple(excluded)


def _time_status(
    kept: pd.DataFrame, spec: EndpointSpec, origin_col: str, cutoff: pd.Timestamp | None
) -> tuple[np.ndarray, np.ndarray, int]:
    """Days from origin to the first event, or to the end of follow-up (censored), and
    the number of events after the data cut-off (censored at it)."""
    last = kept["last_followup_date"]
    end = last if cutoff is None else last.where(last <= cutoff, cutoff)
    date, code = _first_event(kept, spec)
    happened = (date.notna() & (date <= end)).to_numpy()
    late = 0 if cutoff is None else int((date.notna() & (date > cutoff) & (code > 0)).sum())
    stop = date.where(happened, end)
    days = (stop - kept[origin_col]).dt.days.to_numpy(dtype=float)
    return days, np.where(happened, code, 0).astype(np.int64), late
