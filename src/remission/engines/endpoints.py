"""Endpoints derived from a cohort's dates inside the engine.

The same rules as :func:`remission.endpoints.derive.derive_endpoint` (read its module
documentation), written in SQL for any :class:`~remission.cohort.schema.EndpointSpec`
(the built-in EFS, OS, CIR, NRM or a study file's own): a patient without an origin
date, or whose origin is after the data cut-off, is excluded with the reason; an event
before the origin, an event after the last follow-up, or a missing or too early last
follow-up is an :class:`InputError`; follow-up ends at the earlier of the last
follow-up and the cut-off; an event after that end is censored; the first of the event
and competing dates ends follow-up (status 1 or 2), and on the same day a death counts
after any other event. Times are whole days between dates.

Dates are read from DATE or TIMESTAMP columns (the time of day is dropped) or from text
in ISO form (``2019-12-31``); other text dates need the in-memory path, whose cohort
loader reads every format of the data dictionary. Only the columns the endpoint uses
are checked here, not the whole cohort (``remission validate`` does that).
"""

from __future__ import annotations

import datetime as dt

from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import EndpointSpec
from remission.engines.count import Runner
from remission.engines.sql import MISSING_TEXT, kind_of

__all__ = ["endpoint_relation"]

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


def _first_event(spec: EndpointSpec, alias: dict[str, str]) -> tuple[str, str]:
    """SQL of the first event's date and its code (0 where there is none), ranked as
    ``derive._first_event``: events before competing events, a death after any other."""
    cols = list(dict.fromkeys((*spec.events, *spec.competing)))
    first = f"least({', '.join(alias[c] for c in cols)})" if len(cols) > 1 else alias[cols[0]]
    rank = [c for c in spec.events if c != "death_date"]
    rank += [c for c in spec.competing if c != "death_date" and c not in rank]
    rank += [c for c in cols if c == "death_date"]
    whens = " ".join(f"WHEN {alias[c]} = {first} THEN {1 if c in spec.events else 2}" for c in rank)
    return first, f"CASE WHEN {first} IS NULL THEN 0 {whens} ELSE 0 END"


def resolve_origin_column(origin: str, columns: dict[str, str], named: dict[str, str]) -> str:
    """The date column of ``origin``: a named origin, a column, or ``NAME_date`` /
    ``NAME_start_date`` (as :func:`remission.endpoints.derive.resolve_origin`)."""
    for candidate in (named.get(origin), origin, f"{origin}_date", f"{origin}_start_date"):
        if candidate and candidate in columns:
            return candidate
    raise InputError([Problem("cohort", f"unknown origin {origin!r}",
                              expected="one of " + ", ".join(named) + " or a date column")])  # fmt: skip


def endpoint_relation(
    runner: Runner,
    spec: EndpointSpec,
    origin_col: str,
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
    event_cols = tuple(dict.fromkeys((*spec.events, *spec.competing)))
    needed = tuple(dict.fromkeys(("patient_id", origin_col, "last_followup_date", *event_cols)))
    absent = [c for c in needed if c not in types]
    if absent:
        raise InputError(
            [Problem(runner.source, "column missing", column=c,
                     expected="a column of the data dictionary") for c in absent]
        )  # fmt: skip
    kinds = {c: kind_of(types[c]) for c in needed}
    _check_dates(runner, src, kinds)
    alias = {c: f"d{i}" for i, c in enumerate(event_cols)}
    cut = f"DATE '{data_cutoff.isoformat()}'" if data_cutoff else "CAST(NULL AS DATE)"
    dates = "".join(f", {_date(runner, c, kinds[c])} AS {alias[c]}" for c in event_cols)
    extra = "".join(f", {d.quote(c)}" for c in keep if c not in needed)
    base = (
        f"SELECT {d.quote('patient_id')} AS pid, {_date(runner, origin_col, kinds[origin_col])} AS o, "
        f"{_date(runner, 'last_followup_date', kinds['last_followup_date'])} AS l{dates}, "
        f"{cut} AS cut{extra} FROM {src}"
    )
    chosen = f"SELECT * FROM ({base}) b WHERE o IS NOT NULL AND (cut IS NULL OR o <= cut)"
    excluded = _excluded(runner, base, origin_col)
    _chronology(runner, chosen, origin_col, alias)
    first, code = _first_event(spec, alias)
    end = "CASE WHEN cut IS NOT NULL AND l > cut THEN cut ELSE l END"
    happened = f"({first} IS NOT NULL AND {first} <= ({end}))"
    stop = f"CASE WHEN {happened} THEN {first} ELSE {end} END"
    rel = (
        f"(SELECT {d.days('o', stop)} AS {d.quote('time')}, "
        f"CASE WHEN {happened} THEN {code} ELSE 0 END AS {d.quote('event')}{extra} "
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


def _chronology(runner: Runner, chosen: str, origin_col: str, alias: dict[str, str]) -> None:
    """Missing or early last follow-up; an event before the origin or after last follow-up
    (one scan: the rows with any of these come back and are sorted out here)."""
    conds = ["l IS NULL", "l < o"] + [f"{a} < o OR {a} > l" for a in alias.values()]
    cols = ", ".join(alias.values())
    q = (
        f"SELECT CAST(pid AS STRING), o, l, {cols} FROM ({chosen}) c WHERE "
        + " OR ".join(f"({c})" for c in conds)
        + f" LIMIT {_LIMIT}"
    )
    if runner.dialect.name == "duckdb":
        q = q.replace("AS STRING)", "AS VARCHAR)")
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
        for col, value in zip(alias, dates, strict=True):
            if value is None:
                continue
            if value < o:
                add("event before the origin", col, value, f"on or after {origin_col} {o}")
            if last is not None and value > last:
                add("event after the last follow-up date", col, value,
                    f"on or before last_followup_date {last}")  # fmt: skip
    if problems:
        raise InputError(problems)
