"""Counting inside an engine: the checked count tables of a table, without its rows.

:func:`engine_counts` is the engines' front end, the counterpart of
:func:`remission.stats.frontend.survival_data` followed by ``count_table``: the same
checks, the same exclusions (counted and listed by row), the same labels and the same
:class:`~remission.stats.counts.CountTable`; only the counting happens in the engine,
so what comes back to Python is one row per distinct (stratum, group, time, event).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from remission.cohort.problems import InputError, Problem
from remission.engines.aggregate import group_codes, table_from_aggregate
from remission.engines.sql import (
    Column,
    Dialect,
    bad_event,
    bad_time,
    count_query,
    missing,
    rows_query,
)
from remission.stats.counts import CountTable
from remission.stats.timefix import TimeFix, aeq_times

__all__ = ["EngineCounts", "Runner", "engine_counts"]

_MAX_LISTED = 100  # problems listed one by one; beyond that, a count


class Runner(Protocol):
    """What :func:`engine_counts` needs from an engine."""

    dialect: Dialect
    name: str
    source: str

    def relation(self) -> str: ...  # the input as a FROM item
    def column_types(self, relation: str) -> dict[str, str]: ...
    def fetch(self, sql: str) -> list[tuple]: ...
    def register(self, name: str, frame) -> None: ...  # a small table (a study's dates)


@dataclass(frozen=True, eq=False)
class EngineCounts:
    """The count tables of one input, counted by an engine.

    ``table`` is by group over all rows (causes ``1..k``); ``strata_tables`` one per
    stratum (all groups in each) when strata were asked for. ``excluded`` lists
    ``(row, reason)`` for rows left out for a missing value (as the in-memory front end).
    """

    table: CountTable
    strata_tables: tuple[CountTable, ...]
    strata_labels: tuple[str, ...]
    excluded: tuple[tuple[int, str], ...]
    n_input: int
    engine: str
    source: str
    timefix: TimeFix | None = None
    after_cutoff: int | None = None  # endpoints: events after the data cut-off, censored
    origin_column: str | None = None  # endpoints: the date column of the origin

    @property
    def tables(self) -> list[CountTable]:
        """One table per stratum, or the one table."""
        return list(self.strata_tables) if self.strata_tables else [self.table]


def engine_counts(
    runner: Runner,
    time: str,
    event: str,
    group: str | None = None,
    strata: str | None = None,
    *,
    event_codes: Sequence[int] | None = (0, 1),
    relation: str | None = None,
    require_events: bool = True,
    min_groups: int = 1,
    exact_times: bool = False,
) -> EngineCounts:
    """Check and count ``time``/``event`` (by ``group``, ``strata``) inside the engine.

    ``event_codes=None`` allows any whole code >= 0 (competing risks). ``relation``
    overrides the runner's input (e.g. endpoints derived in SQL). Problems raise one
    :class:`InputError`, as the in-memory front end. Times equal up to rounding error are
    merged by R's rule (:mod:`remission.stats.timefix`) unless ``exact_times``: the rule
    depends only on the distinct times, so it is applied to the aggregated rows.
    """
    d = runner.dialect
    rel = relation or runner.relation()
    cols = _columns(runner, rel, time, event, group, strata)
    tc, ec, gc, sc = (cols.get(c) if c else None for c in (time, event, group, strata))
    rows = runner.fetch(count_query(d, rel, tc, ec, gc, sc, event_codes))
    cols_of = list(zip(*rows, strict=True)) if rows else [()] * (4 + bool(gc) + bool(sc))
    status = np.asarray(cols_of[0], dtype=np.int64)
    n = np.asarray(cols_of[-1], dtype=np.int64)
    if np.any(status == 2):
        raise InputError(_problems(runner, rel, cols, tc, ec, event_codes))
    excluded = _excluded(runner, rel, cols) if np.any(status == 1) else ()
    agg = _Aggregated(cols_of, status == 0, sc is not None, gc is not None)
    problems = _emptiness(runner.source, agg, group, require_events, min_groups)
    if problems:
        raise InputError(problems)
    fix = None
    if not exact_times:
        agg.t, _, merged = aeq_times(agg.t)
        fix = TimeFix(True, merged)
    table, strata_tables, s_labels = _tables(agg)
    return EngineCounts(
        table, strata_tables, s_labels, excluded, int(n.sum()), runner.name, runner.source, fix
    )


class _Aggregated:
    """The usable aggregated rows as arrays: raw stratum/group values, times, events, n."""

    def __init__(self, cols_of: list, ok: np.ndarray, has_s: bool, has_g: bool) -> None:
        idx = np.flatnonzero(ok)
        pos = 1
        self.s = self.g = None
        if has_s:
            self.s, pos = np.asarray(cols_of[pos], dtype=object)[idx], pos + 1
        if has_g:
            self.g, pos = np.asarray(cols_of[pos], dtype=object)[idx], pos + 1
        self.t = np.asarray(cols_of[pos], dtype=object)[idx].astype(np.float64)
        self.e = np.asarray(cols_of[pos + 1], dtype=object)[idx].astype(np.int64)
        self.n = np.asarray(cols_of[-1], dtype=object)[idx].astype(np.int64)

    def __len__(self) -> int:
        return len(self.t)


def _columns(runner, rel, *names) -> dict[str, Column]:
    types = runner.column_types(rel)
    wanted = [c for c in names if c is not None]
    absent = [c for c in wanted if c not in types]
    if absent:
        have = ", ".join(types)
        raise InputError(
            [Problem(runner.source, "column not found", column=c, expected=f"one of: {have}")
             for c in absent]
        )  # fmt: skip
    from remission.engines.sql import kind_of

    return {c: Column(c, kind_of(types[c])) for c in wanted}


def _tables(agg: _Aggregated):
    if agg.g is not None:
        g, labels = group_codes(agg.g)
    else:
        g, labels = np.zeros(len(agg), dtype=np.int64), ("all",)
    t, e, n = agg.t, agg.e, agg.n
    causes = tuple(range(1, max(int(e.max()) if len(e) else 1, 1) + 1))
    whole = table_from_aggregate(g, t, e, n, labels, causes)
    if agg.s is None:
        return whole, (), ()
    s, s_labels = group_codes(agg.s)
    parts = []
    for j in range(len(s_labels)):
        m = s == j
        parts.append(table_from_aggregate(g[m], t[m], e[m], n[m], labels, causes))
    return whole, tuple(parts), s_labels


def _emptiness(source, agg: _Aggregated, group, require_events, min_groups) -> list[Problem]:
    if not len(agg):
        return [Problem(source, "no rows with a time and an event status")]
    problems = []
    if require_events and not np.any(agg.e > 0):
        problems.append(Problem(source, "no events at all: every row is censored"))
    if group is not None:
        _, labels = group_codes(agg.g)
        if len(labels) < min_groups:
            problems.append(
                Problem(source, f"grouping column has {len(labels)} level(s)", column=group,
                        value=", ".join(labels) or None, expected=f"at least {min_groups} groups")
            )  # fmt: skip
    return problems


def _excluded(runner, rel, cols: dict[str, Column]) -> tuple[tuple[int, str], ...]:
    d = runner.dialect
    flags = {name: missing(d, c) for name, c in cols.items()}
    fl = list(flags)
    where = " OR ".join(d.quote("f_" + f) for f in fl)
    out = []
    for r in runner.fetch(rows_query(d, rel, flags, [], where, 10**9)):
        out.append(
            (int(r[0]), "missing " + ", ".join(f for f, v in zip(fl, r[1:], strict=True) if v))
        )
    return tuple(out)


def _problems(runner, rel, cols, tc, ec, event_codes) -> list[Problem]:
    d = runner.dialect
    flags = {"time": bad_time(d, tc), "event": bad_event(d, ec, event_codes)}
    miss = " OR ".join(missing(d, c) for c in cols.values())
    flags["miss"] = f"({miss})"
    where = f"NOT {d.quote('f_miss')} AND ({d.quote('f_time')} OR {d.quote('f_event')})"
    found = runner.fetch(rows_query(d, rel, flags, [tc, ec], where, _MAX_LISTED + 1))
    allowed = (
        "one of " + ", ".join(map(str, sorted(event_codes)))
        if event_codes is not None
        else "a whole number >= 0"
    )
    out = []
    for row, bt, be, _, tv, ev in found[:_MAX_LISTED]:
        if bt:
            what = "time must be a finite number >= 0" if _is_number(tv) else "time is not a number"
            out.append(Problem(runner.source, what, row=row, column=tc.name, value=tv,
                               expected="a non-negative number"))  # fmt: skip
        if be:
            out.append(Problem(runner.source, "event code not allowed", row=row,
                               column=ec.name, value=ev, expected=allowed))  # fmt: skip
    if len(found) > _MAX_LISTED:
        out.append(Problem(runner.source, f"more rows with problems after the first {_MAX_LISTED}"))
    return out


def _is_number(text: object) -> bool:
    try:
        float(str(text).strip())
    except ValueError:
        return False
    return True
