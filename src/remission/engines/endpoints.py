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

The input is seen through the study file (:class:`~remission.engines.studyview.StudyView`:
its renames, recodes and date order). Dates are read from DATE columns, TIMESTAMP
columns at midnight, and text in ISO or numeric form (``2019-12-31``, ``31/12/2019``);
a date written otherwise (a month name, an Excel day number) is an error that names
``--engine memory``, whose cohort loader reads every form of the data dictionary. Only
the columns the endpoint uses are checked here, not the whole cohort (``remission
validate`` does that).
"""

from __future__ import annotations

import datetime as dt

from remission.cohort.infer import natural_key
from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import EndpointSpec
from remission.engines.count import Runner
from remission.engines.studyview import StudyView

__all__ = ["endpoint_relation"]

_LIMIT = 100


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


def endpoint_relation(
    view: StudyView,
    spec: EndpointSpec,
    origin_col: str,
    data_cutoff: dt.date | None,
    keep: tuple[str, ...] = (),
    numbered: bool = False,
) -> tuple[str, tuple[tuple[str, str], ...], int]:
    """A FROM item with ``time`` (days), ``event`` and the ``keep`` columns, the patients
    excluded (origin missing or after the cut-off) by patient id, and the number of
    events after the data cut-off (censored at it). With ``numbered`` the rows also
    carry ``row_``, their spreadsheet row.

    Raises :class:`InputError` for the problems :func:`derive_endpoint` reports.
    """
    runner = view.runner
    d = runner.dialect
    event_cols = tuple(dict.fromkeys((*spec.events, *spec.competing)))
    needed = tuple(dict.fromkeys(("patient_id", origin_col, "last_followup_date", *event_cols)))
    view.absent(needed, "a column of the data dictionary or the study file")
    kept = tuple(c for c in dict.fromkeys(keep) if c not in needed)
    view.absent(kept, "a column of the file (after the study file's rename)")
    view.check(needed, kept)
    alias = {c: f"d{i}" for i, c in enumerate(event_cols)}
    cut = f"DATE '{data_cutoff.isoformat()}'" if data_cutoff else "CAST(NULL AS DATE)"
    dated, name = view.dated((origin_col, "last_followup_date", *event_cols), numbered)
    row = ", row_" if numbered else ""
    dates = "".join(f", {d.quote(name[c])} AS {alias[c]}" for c in event_cols)
    extra = "".join(f", {view.value(c)} AS {d.quote(c)}" for c in kept)
    base = (
        f"SELECT {d.quote('patient_id')} AS pid, {d.quote(name[origin_col])} AS o, "
        f"{d.quote(name['last_followup_date'])} AS l{dates}, {cut} AS cut{extra}{row} FROM {dated}"
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
        f"CASE WHEN {happened} THEN {code} ELSE 0 END AS {d.quote('event')}"
        f"{''.join(', ' + d.quote(c) for c in kept)}{row} "
        f"FROM ({chosen}) c) AS endpoint_rows"
    )
    late = 0
    if data_cutoff is not None:  # events after the cut-off, censored at it (as in memory)
        late = int(runner.fetch(f"SELECT count(*) FROM ({chosen}) c WHERE {first} > cut")[0][0])
    return rel, excluded, late


def _excluded(runner: Runner, base: str, origin_col: str) -> tuple[tuple[str, str], ...]:
    """Patients without an origin or with an origin after the cut-off, in the order of
    their ids (as the loader orders patients)."""
    q = (
        f"SELECT CAST(pid AS {runner.dialect.string}), o, cut FROM ({base}) b "
        "WHERE o IS NULL OR (cut IS NOT NULL AND o > cut)"
    )
    out = []
    for pid, o, cut in sorted(runner.fetch(q), key=lambda r: natural_key(str(r[0]))):
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
