"""EFS, OS, CIR and NRM derived from a cohort's dates inside the engine.

The same rules as :func:`remission.endpoints.derive.derive_endpoint` (read its module
documentation), written in SQL: a patient without an origin date, or whose origin is
after the data cut-off, is excluded with the reason; an event before the origin, an
event after the last follow-up, or a missing or too early last follow-up is an
:class:`InputError`; follow-up ends at the earlier of the last follow-up and the
cut-off; an event after that end is censored; the first event counts (relapse before a
same-day death). Times are whole days between dates.

Dates are read from DATE or TIMESTAMP columns (the time of day is dropped) or from text
in ISO form (``2019-12-31``); other text dates need the in-memory path, whose cohort
loader reads every format of the data dictionary. Only the columns the endpoint uses
are checked here, not the whole cohort (``remission validate`` does that).
"""

from __future__ import annotations

import datetime as dt

from remission.cohort.problems import InputError, Problem
from remission.endpoints.derive import ENDPOINTS, ORIGINS
from remission.engines.count import Runner
from remission.engines.sql import MISSING_TEXT, kind_of

__all__ = ["endpoint_relation", "DATE_COLUMNS"]

# every endpoint's event dates (EFS takes the first of them)
DATE_COLUMNS = ("relapse_date", "second_malignancy_date", "death_date")
_LIMIT = 100


def _date(runner: Runner, col: str, kind: str) -> str:
    d = runner.dialect
    c = d.quote(col)
    if kind == "date":
        return f"CAST({c} AS DATE)"
    if kind == "text":
        return d.iso_date.format(x=c)
    return "CAST(NULL AS DATE)"


def _present(runner: Runner, col: str, kind: str) -> str:
    c = runner.dialect.quote(col)
    if kind == "text":
        tokens = ", ".join("'" + s + "'" for s in MISSING_TEXT)
        return f"({c} IS NOT NULL AND trim({c}) NOT IN ({tokens}))"
    return f"({c} IS NOT NULL)"


def _first_event(endpoint: str) -> tuple[str, str]:
    """SQL of the first event's date and its code (0 where there is none)."""
    if endpoint == "OS":
        return "dth", "CASE WHEN dth IS NOT NULL THEN 1 ELSE 0 END"
    if endpoint == "EFS":
        first = "least(rel, sm, dth)"
        return first, f"CASE WHEN {first} IS NOT NULL THEN 1 ELSE 0 END"
    rel_first = "(rel IS NOT NULL AND (dth IS NULL OR rel <= dth))"
    dth_first = f"(NOT {rel_first} AND dth IS NOT NULL)"
    date = f"CASE WHEN {rel_first} THEN rel ELSE dth END"
    a, b = (1, 2) if endpoint == "CIR" else (2, 1)
    return date, f"CASE WHEN {rel_first} THEN {a} WHEN {dth_first} THEN {b} ELSE 0 END"


def endpoint_relation(
    runner: Runner,
    endpoint: str,
    origin: str,
    data_cutoff: dt.date | None,
    keep: tuple[str, ...] = (),
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A FROM item with ``time`` (days), ``event`` and the ``keep`` columns, and the
    patients excluded (origin missing or after the cut-off), by patient id.

    Raises :class:`InputError` for the problems :func:`derive_endpoint` reports.
    """
    d = runner.dialect
    src = runner.relation()
    types = runner.column_types(src)
    # a named origin, or any date column (NAME for NAME_date / NAME_start_date), as
    # remission.endpoints.resolve_origin
    candidates = (ORIGINS.get(origin), origin, f"{origin}_date", f"{origin}_start_date")
    origin_col = next((c for c in candidates if c is not None and c in types), None)
    if endpoint not in ENDPOINTS or origin_col is None:
        raise ValueError(f"unknown endpoint or origin: {endpoint!r}, {origin!r}")
    needed = ("patient_id", origin_col, "last_followup_date", *DATE_COLUMNS)
    absent = [c for c in needed if c not in types]
    if absent:
        raise InputError(
            [Problem(runner.source, "column missing", column=c,
                     expected="a column of the data dictionary") for c in absent]
        )  # fmt: skip
    kinds = {c: kind_of(types[c]) for c in needed}
    _check_dates(runner, src, kinds)
    cut = f"DATE '{data_cutoff.isoformat()}'" if data_cutoff else "CAST(NULL AS DATE)"
    extra = "".join(f", {d.quote(c)}" for c in keep if c not in needed)
    base = (
        f"SELECT {d.quote('patient_id')} AS pid, {_date(runner, origin_col, kinds[origin_col])} AS o, "
        f"{_date(runner, 'last_followup_date', kinds['last_followup_date'])} AS l, "
        f"{_date(runner, 'relapse_date', kinds['relapse_date'])} AS rel, "
        f"{_date(runner, 'second_malignancy_date', kinds['second_malignancy_date'])} AS sm, "
        f"{_date(runner, 'death_date', kinds['death_date'])} AS dth, {cut} AS cut{extra} FROM {src}"
    )
    chosen = f"SELECT * FROM ({base}) b WHERE o IS NOT NULL AND (cut IS NULL OR o <= cut)"
    excluded = _excluded(runner, base, origin_col)
    _chronology(runner, chosen, origin_col, endpoint)
    first, code = _first_event(endpoint)
    end = "CASE WHEN cut IS NOT NULL AND l > cut THEN cut ELSE l END"
    happened = f"({first} IS NOT NULL AND {first} <= ({end}))"
    stop = f"CASE WHEN {happened} THEN {first} ELSE {end} END"
    keep_cols = "".join(f", {d.quote(c)}" for c in keep if c not in needed)
    rel = (
        f"(SELECT {d.days('o', stop)} AS {d.quote('time')}, "
        f"CASE WHEN {happened} THEN {code} ELSE 0 END AS {d.quote('event')}{keep_cols} "
        f"FROM ({chosen}) c) AS endpoint_rows"
    )
    return rel, excluded


def _check_dates(runner: Runner, src: str, kinds: dict[str, str]) -> None:
    """Every present value of a date column is a date."""
    problems = []
    for col, kind in kinds.items():
        if col == "patient_id" or kind == "date":
            continue
        c = runner.dialect.quote(col)
        bad = f"{_present(runner, col, kind)} AND {_date(runner, col, kind)} IS NULL"
        rn = runner.dialect.row_number
        q = (
            f"SELECT * FROM (SELECT {rn} + 1 AS row_, CAST({runner.dialect.quote('patient_id')} AS STRING) AS pid, "
            f"CAST({c} AS STRING) AS v, {bad} AS bad FROM {src}) x WHERE bad ORDER BY row_ LIMIT {_LIMIT}"
        )
        if runner.dialect.name == "duckdb":
            q = q.replace("AS STRING)", "AS VARCHAR)")
        for row, pid, value, _ in runner.fetch(q):
            problems.append(
                Problem(runner.source, "not a date", row=row, patient_id=pid, column=col,
                        value=value, expected="a date (yyyy-mm-dd) or a DATE column")
            )  # fmt: skip
    if problems:
        raise InputError(problems)


def _excluded(runner: Runner, base: str, origin_col: str) -> tuple[tuple[str, str], ...]:
    q = (
        "SELECT CAST(pid AS STRING), o, cut FROM (" + base + ") b "
        "WHERE o IS NULL OR (cut IS NOT NULL AND o > cut)"
    )
    if runner.dialect.name == "duckdb":
        q = q.replace("AS STRING)", "AS VARCHAR)")
    out = []
    for pid, o, cut in runner.fetch(q):
        if o is None:
            out.append((str(pid), f"{origin_col} missing"))
        else:
            out.append((str(pid), f"{origin_col} {o} after the data cut-off {cut}"))
    return tuple(out)


def _chronology(runner: Runner, chosen: str, origin_col: str, endpoint: str) -> None:
    """Missing or early last follow-up; an event before the origin or after last follow-up
    (one scan: the rows with any of these come back and are sorted out here)."""
    events = {"EFS": ("rel", "sm", "dth"), "OS": ("dth",)}.get(endpoint, ("rel", "dth"))
    conds = ["l IS NULL", "l < o"] + [f"{e} < o OR {e} > l" for e in events]
    q = (
        "SELECT CAST(pid AS STRING), o, l, rel, sm, dth FROM ("
        + chosen
        + ") c WHERE "
        + " OR ".join(f"({c})" for c in conds)
        + f" LIMIT {_LIMIT}"
    )
    if runner.dialect.name == "duckdb":
        q = q.replace("AS STRING)", "AS VARCHAR)")
    names = {"rel": "relapse_date", "sm": "second_malignancy_date", "dth": "death_date"}
    problems = []
    for pid, o, last, *dates in runner.fetch(q):

        def add(msg, col, value, expected, pid=pid):
            v = None if value is None else str(value)
            problems.append(Problem(runner.source, msg, patient_id=pid, column=col, value=v,
                                    expected=expected))  # fmt: skip

        if last is None:
            add("last follow-up date missing", "last_followup_date", None, "a date")
        elif last < o:
            add("last follow-up before the origin", "last_followup_date", last,
                f"on or after {origin_col} {o}")  # fmt: skip
        for key, value in zip(("rel", "sm", "dth"), dates, strict=True):
            if key not in events or value is None:
                continue
            if value < o:
                add("event before the origin", names[key], value, f"on or after {origin_col} {o}")
            if last is not None and value > last:
                add("event after the last follow-up date", names[key], value,
                    f"on or before last_followup_date {last}")  # fmt: skip
    if problems:
        raise InputError(problems)
