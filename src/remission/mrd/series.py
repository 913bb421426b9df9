"""MRD time series per patient, read from a long table, and their kinetics.

The table has one row per patient and time point: a patient column, a time column (a
number, e.g. days from diagnosis or from the start of treatment; the origin is the
caller's) and an MRD column as written by the laboratory (``0.06``, ``<0.005``,
``PNQ``, ``N/A`` ...; see :func:`remission.cohort.mrdvalue.parse_mrd`). Every problem
is reported at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from remission.cohort.io import RawTable, read_table
from remission.cohort.mrdvalue import parse_mrd
from remission.cohort.problems import InputError, Problem
from remission.mrd.response import Kinetics, ResponseRules, TimePoint, mrd_kinetics

__all__ = ["read_mrd_series", "kinetics_by_patient"]


def read_mrd_series(
    path: str | Path | RawTable,
    patient: str = "patient",
    time: str = "time",
    mrd: str = "mrd",
    unit: str = "percent",
) -> dict[str, tuple[TimePoint, ...]]:
    """Patient -> time points sorted by time, in order of first appearance.

    ``path`` may also be a table already read, e.g. a REDCap repeating instrument
    (:meth:`remission.cohort.redcap.RedcapExport.repeating`).
    """
    table = path if isinstance(path, RawTable) else read_table(path)
    frame = table.frame
    missing = [c for c in (patient, time, mrd) if c not in frame.columns]
    if missing:
        raise InputError(
            Problem(
                table.path,
                "required column missing",
                column=c,
                expected=f"columns {patient!r}, {time!r}, {mrd!r}",
            )
            for c in missing
        )
    problems: list[Problem] = []
    out: dict[str, dict[float, TimePoint]] = {}
    columns = (patient, time, mrd)
    for i, cells in enumerate(zip(frame[patient], frame[time], frame[mrd], strict=True)):
        row = table.row_of(i)
        point = _read_row(cells, columns, unit, table.path, row, problems)
        if point is None:
            continue
        pid, tp = point
        points = out.setdefault(pid, {})
        if tp.time in points:
            problems.append(
                Problem(
                    table.path,
                    "a second MRD result at the same time for this patient",
                    row,
                    pid,
                    time,
                    cells[1],
                    "one result per patient and time",
                )
            )
        points[tp.time] = tp
    if problems:
        raise InputError(problems)
    return {p: tuple(sorted(pts.values(), key=lambda x: x.time)) for p, pts in out.items()}


def _read_row(
    cells: tuple,
    columns: tuple[str, str, str],
    unit: str,
    path: str,
    row: int,
    problems: list[Problem],
) -> tuple[str, TimePoint] | None:
    pid, t, value = cells
    if isinstance(pid, float) and pid.is_integer():  # a spreadsheet number: 5.0 -> "5"
        pid = int(pid)
    pid_text = "" if pid is None else str(pid)
    n = len(problems)
    if not pid_text:
        problems.append(
            Problem(
                path, "patient is empty", row, None, columns[0], expected="a patient identifier"
            )
        )
    when = _number(t)
    if when is None:
        problems.append(
            Problem(
                path,
                "time is not a number",
                row,
                pid_text or None,
                columns[1],
                t,
                "a number (e.g. days)",
            )
        )
    try:
        v = parse_mrd(value, unit=unit)
    except ValueError as err:
        text = str(err)
        problems.append(
            Problem(
                path,
                "MRD level out of range 0-100 %"
                if "out of range" in text
                else text
                if "failed acceptance" in text
                else "not an MRD result",
                row,
                pid_text or None,
                columns[2],
                value,
                "e.g. 0.06, <0.005, PNQ, pos <0.01, neg, N/A",
            )
        )
        return None
    if len(problems) > n:
        return None
    return pid_text, TimePoint(when, v)


def _number(v: object) -> float | None:
    try:
        x = float(str(v).replace(",", ".")) if v is not None else math.nan
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def kinetics_by_patient(
    series: Mapping[str, tuple[TimePoint, ...]], rules: ResponseRules | None = None
) -> dict[str, Kinetics]:
    """:func:`remission.mrd.response.mrd_kinetics` for every patient."""
    return {p: mrd_kinetics(points, rules) for p, points in series.items()}
