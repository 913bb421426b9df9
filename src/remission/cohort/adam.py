"""CDISC ADaM data sets in SAS transport (``.xpt``) files: ADSL and ADTTE.

ADSL (subject-level analysis data set) has one row per subject, keyed by ``USUBJID``;
it gives the cohort's patient rows (``USUBJID`` becomes ``patient_id``; ``STUDYID`` is
dropped when it holds one study; the other variables keep their names, which the study
file's ``rename:`` maps to the dictionary).
ADTTE (time-to-event, a BDS data set) has one row per subject and parameter: ``PARAMCD``
names the parameter (e.g. ``OS``), ``AVAL`` is the time from ``STARTDT`` to ``ADT``,
``CNSR`` is 0 for an event and a positive integer for a censoring, ``EVNTDESC`` /
``CNSDTDSC`` describe them (CDISC ADaM Basic Data Structure for Time-to-Event Analyses,
version 1.0, 2012). :func:`adtte_endpoint` turns one parameter into the ``time`` /
``event`` table the statistics take: event = 1 when ``CNSR`` = 0, else 0; a parameter
written by :func:`remission.endpoints.adtte.write_adtte` for a competing-risks endpoint
(CIR, NRM) marks the competing event with ``CNSR`` = 2 and is read back as event 2.

Times are in days; an ``AVALU`` column of ``DAYS``, ``WEEKS``, ``MONTHS`` or ``YEARS``
is converted with 7, 30.4375 and 365.25 days. The files are read with pyreadstat (the
ReadStat library), never by hand. Every problem is reported at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from remission.cohort.io import RawTable, _normalise
from remission.cohort.problems import InputError, Problem

__all__ = ["AdamExport", "read_xpt", "read_adam", "adtte_endpoint", "ADTTE_UNITS"]

ADTTE_UNITS = {"DAY": 1.0, "DAYS": 1.0, "WEEK": 7.0, "WEEKS": 7.0, "MONTH": 30.4375,
               "MONTHS": 30.4375, "YEAR": 365.25, "YEARS": 365.25}  # fmt: skip
COMPETING_CNSR = 2


@dataclass(frozen=True, eq=False)
class AdamExport:
    """ADSL (patient rows, ``USUBJID`` renamed ``patient_id``) and ADTTE as read."""

    adsl: RawTable
    adtte: RawTable | None

    def parameters(self) -> tuple[str, ...]:
        """The ADTTE parameter codes (``PARAMCD``), in order of first appearance."""
        if self.adtte is None or "PARAMCD" not in self.adtte.frame.columns:
            return ()
        return tuple(dict.fromkeys(str(v) for v in self.adtte.frame["PARAMCD"] if v is not None))


def read_xpt(path: str | Path) -> RawTable:
    """A SAS transport file as a :class:`RawTable` (dates as dates, blanks as None)."""
    import pyreadstat

    p, name = Path(path), str(path)
    if not p.is_file():
        raise InputError([Problem(name, "file not found")])
    try:
        frame, _ = pyreadstat.read_xport(str(p), dates_as_pandas_datetime=False)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError([Problem(name, f"is not a readable SAS transport file ({exc})",
                                  expected="a .xpt file (SAS XPORT version 5 or 8)")]) from None  # fmt: skip
    frame = _normalise(name, frame)
    return RawTable(name, frame, tuple(range(2, len(frame) + 2)))


def read_adam(adsl: str | Path, adtte: str | Path | None = None) -> AdamExport:
    """ADSL (and ADTTE) files; ``USUBJID`` of ADSL becomes ``patient_id``."""
    table = read_xpt(adsl)
    problems = []
    if "USUBJID" not in table.frame.columns:
        problems.append(Problem(table.path, "ADSL has no USUBJID column", row=1,
                                column="USUBJID", expected="one row per subject keyed by USUBJID"))  # fmt: skip
    elif "patient_id" in table.frame.columns:
        problems.append(Problem(table.path, "both USUBJID and patient_id present", row=1,
                                column="patient_id", expected="USUBJID only"))  # fmt: skip
    tte = read_xpt(adtte) if adtte is not None else None
    if tte is not None:
        need = ("USUBJID", "PARAMCD", "AVAL", "CNSR")
        problems += [Problem(tte.path, "ADTTE column missing", row=1, column=c,
                             expected="the columns " + ", ".join(need))
                     for c in need if c not in tte.frame.columns]  # fmt: skip
    if problems:
        raise InputError(problems)
    frame = table.frame.rename(columns={"USUBJID": "patient_id"})
    if "STUDYID" in frame.columns and frame["STUDYID"].nunique(dropna=False) <= 1:
        frame = frame.drop(columns="STUDYID")  # one study: an identifier, not data
    return AdamExport(RawTable(table.path, frame, table.rows), tte)


def _unit(tte: RawTable, i: int, problems: list[Problem]) -> float | None:
    if "AVALU" not in tte.frame.columns:
        return 1.0
    v = tte.frame["AVALU"].iloc[i]
    factor = ADTTE_UNITS.get(str(v).strip().upper()) if v is not None else 1.0
    if factor is None:
        problems.append(Problem(tte.path, "unknown time unit", row=tte.row_of(i),
                                patient_id=tte.frame["USUBJID"].iloc[i], column="AVALU",
                                value=v, expected="DAYS, WEEKS, MONTHS or YEARS"))  # fmt: skip
    return factor


def _row(tte: RawTable, i: int, competing: bool, problems: list[Problem]):
    f, row = tte.frame, tte.row_of(i)
    pid = f["USUBJID"].iloc[i]
    aval, cnsr = f["AVAL"].iloc[i], f["CNSR"].iloc[i]
    factor = _unit(tte, i, problems)
    ok_t = isinstance(aval, int | float) and math.isfinite(aval) and aval >= 0
    if not ok_t:
        problems.append(Problem(tte.path, "AVAL is not a time >= 0", row=row, patient_id=pid,
                                column="AVAL", value=aval, expected="a number >= 0 (days)"))  # fmt: skip
    ok_c = isinstance(cnsr, int | float) and float(cnsr).is_integer() and cnsr >= 0
    if not ok_c:
        problems.append(Problem(tte.path, "CNSR is not 0 (event) or a positive integer",
                                row=row, patient_id=pid, column="CNSR", value=cnsr,
                                expected="0 = event, 1, 2, ... = censored"))  # fmt: skip
    if not (ok_t and ok_c and factor is not None):
        return None
    event = 1 if cnsr == 0 else (2 if competing and cnsr == COMPETING_CNSR else 0)
    return str(pid), float(aval) * factor, event


def adtte_endpoint(tte: RawTable, paramcd: str, competing: bool = False) -> pd.DataFrame:
    """``patient_id``, ``time`` (days), ``event`` of ADTTE parameter ``paramcd``.

    event = 1 where ``CNSR`` = 0, else 0 (with ``competing``: 2 where ``CNSR`` = 2).
    ``attrs["rows"]`` holds each row's ADTTE row number. InputError naming every bad row.
    """
    f = tte.frame
    idx = [i for i, v in enumerate(f["PARAMCD"]) if v is not None and str(v) == paramcd]
    if not idx:
        have = ", ".join(dict.fromkeys(str(v) for v in f["PARAMCD"] if v is not None))
        raise InputError([Problem(tte.path, "no ADTTE rows for this parameter", column="PARAMCD",
                                  value=paramcd, expected=f"one of: {have or 'none'}")])  # fmt: skip
    problems: list[Problem] = []
    out, seen = [], {}
    for i in idx:
        got = _row(tte, i, competing, problems)
        if got is None:
            continue
        if got[0] in seen:
            problems.append(Problem(tte.path, "a second row for this subject and parameter",
                                    row=tte.row_of(i), patient_id=got[0], column="USUBJID",
                                    expected=f"one row per subject (first: row {seen[got[0]]})"))  # fmt: skip
            continue
        seen[got[0]] = tte.row_of(i)
        out.append(got)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(out, columns=["patient_id", "time", "event"])
    frame.attrs["rows"] = tuple(seen.values())
    return frame
