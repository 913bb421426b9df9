"""Time and status of EFS, OS, CIR and NRM from a cohort's dates.

Definitions (dates of the data dictionary; the first event counts):

* ``EFS`` event-free survival: relapse, second malignancy or death from any cause
  (status 1), else censored (0). As in the seed letter (Clesham et al., "EFS was defined
  as time ... to relapse, secondary tumor, or death").
* ``OS`` overall survival: death from any cause (1), else censored (0).
* ``CIR`` cumulative incidence of relapse: relapse (1); death without prior relapse is
  the competing event (2); censored (0). A relapse and a death on the same day count as
  relapse. A second malignancy is not an event: follow-up continues.
* ``NRM`` non-relapse mortality: death without prior relapse (1); relapse is the
  competing event (2); censored (0). Same-day relapse and death count as relapse (2).

Time is measured from the origin date (``diagnosis``: ``diagnosis_date``,
``blinatumomab``: ``blinatumomab_start_date``, ``hsct``: ``hsct_date``) to the event, or
to the end of follow-up: the earlier of ``last_followup_date`` and the data cut-off. An
event after the cut-off is censored at the cut-off. Times are whole days between dates,
returned as floats (see :mod:`remission.endpoints.units`).

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
from remission.endpoints.units import TIME_CONVENTION, days_to

__all__ = [
    "ENDPOINTS",
    "EVENT_CODES",
    "ORIGINS",
    "EndpointData",
    "derive_endpoint",
]

ORIGINS: dict[str, str] = {
    "diagnosis": "diagnosis_date",
    "blinatumomab": "blinatumomab_start_date",
    "hsct": "hsct_date",
}

# the dated events each endpoint looks at (checked against the origin)
_EVENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "EFS": ("relapse_date", "second_malignancy_date", "death_date"),
    "OS": ("death_date",),
    "CIR": ("relapse_date", "death_date"),
    "NRM": ("relapse_date", "death_date"),
}
ENDPOINTS: tuple[str, ...] = tuple(_EVENT_COLUMNS)

EVENT_CODES: dict[str, dict[int, str]] = {
    "EFS": {0: "censored", 1: "relapse, second malignancy or death"},
    "OS": {0: "censored", 1: "death"},
    "CIR": {0: "censored", 1: "relapse", 2: "death without relapse (competing)"},
    "NRM": {0: "censored", 1: "death without relapse", 2: "relapse (competing)"},
}


@dataclass(frozen=True, eq=False)
class EndpointData:
    """Per-patient time (days, float) and status of one endpoint from one origin.

    ``frame`` has ``patient_id``, ``time``, ``event`` (codes in ``event_codes``) and then
    the cohort's other columns, in input order. ``excluded`` lists ``(patient_id,
    reason)`` for patients left out (origin date missing or after the cut-off).
    """

    frame: pd.DataFrame
    excluded: tuple[tuple[str, str], ...]
    endpoint: str
    origin: str
    time_unit: str = "days"
    data_cutoff: dt.date | None = None

    @property
    def event_codes(self) -> dict[int, str]:
        return dict(EVENT_CODES[self.endpoint])

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
            "origin_column": ORIGINS[self.origin],
            "time_unit": self.time_unit,
            "convention": TIME_CONVENTION,
            "data_cutoff": None if self.data_cutoff is None else self.data_cutoff.isoformat(),
            "event_codes": {str(k): v for k, v in EVENT_CODES[self.endpoint].items()},
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


def _first_event(frame: pd.DataFrame, endpoint: str) -> tuple[pd.Series, np.ndarray]:
    """Date of the first event of ``endpoint`` and its code (0 where there is none)."""
    relapse, death = frame["relapse_date"], frame["death_date"]
    if endpoint == "OS":
        return death, np.where(death.notna(), 1, 0)
    if endpoint == "EFS":
        cols = frame[list(_EVENT_COLUMNS["EFS"])]
        first = cols.min(axis=1, skipna=True)
        return first, np.where(first.notna(), 1, 0)
    relapse_first = (relapse.notna() & (death.isna() | (relapse <= death))).to_numpy()
    date = relapse.where(relapse_first, death)
    death_first = (~relapse_first) & death.notna().to_numpy()
    if endpoint == "CIR":
        code = np.select([relapse_first, death_first], [1, 2], 0)
    else:
        code = np.select([death_first, relapse_first], [1, 2], 0)
    return date, code


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
) -> EndpointData:
    """Time (days) and status of ``endpoint`` measured from ``origin``; see the module doc.

    ``frame`` has the data dictionary's columns with dates already parsed (datetime64).
    ``source`` and ``rows`` (spreadsheet row of each patient, header = row 1) only locate
    problems in messages. Raises :class:`InputError` listing every problem.
    """
    endpoint = endpoint.upper() if isinstance(endpoint, str) else endpoint
    if endpoint not in _EVENT_COLUMNS:
        raise ValueError(f"unknown endpoint {endpoint!r}; expected one of {ENDPOINTS}")
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}; expected one of {tuple(ORIGINS)}")
    origin_col, event_cols = ORIGINS[origin], _EVENT_COLUMNS[endpoint]
    needed = ("patient_id", origin_col, "last_followup_date", *_EVENT_COLUMNS["EFS"])
    _check_columns(frame, needed, source)
    cutoff = _as_cutoff(data_cutoff)
    work = frame.reset_index(drop=True)
    row_of = list(rows) if rows is not None else [None] * len(work)
    if len(row_of) != len(work):
        raise ValueError("rows must give one spreadsheet row per patient")
    dates = {c: work[c].dt.normalize() for c in needed if c != "patient_id"}
    for c, s in dates.items():
        work[c] = s
    keep, excluded = _select(work, origin_col, cutoff)
    kept = work[keep].reset_index(drop=True)
    kept_rows = [r for r, k in zip(row_of, keep, strict=True) if k]
    problems = _chronology(kept, origin_col, event_cols, kept_rows, source)
    if problems:
        raise InputError(problems)
    time, event = _time_status(kept, endpoint, origin_col, cutoff)
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
        endpoint=endpoint,
        origin=origin,
        data_cutoff=None if cutoff is None else cutoff.date(),
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
    kept: pd.DataFrame, endpoint: str, origin_col: str, cutoff: pd.Timestamp | None
) -> tuple[np.ndarray, np.ndarray]:
    """Days from origin to the first event, or to the end of follow-up (censored)."""
    end = kept["last_followup_date"]
    if cutoff is not None:
        end = end.where(end <= cutoff, cutoff)
    date, code = _first_event(kept, endpoint)
    happened = (date.notna() & (date <= end)).to_numpy()
    stop = date.where(happened, end)
    days = (stop - kept[origin_col]).dt.days.to_numpy(dtype=float)
    return days, np.where(happened, code, 0).astype(np.int64)
