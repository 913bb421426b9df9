"""Engines: count tables counted where the data are (DuckDB, Spark), never in rows.

Every non-parametric estimator of :mod:`remission.stats` is a function of a
:class:`~remission.stats.counts.CountTable`; an engine produces that table with a
``GROUP BY`` over a Parquet file, a DuckDB database, a SQL query or a Spark data set,
with the same checks, exclusions and labels as the in-memory front end, and the
estimators of :mod:`remission.stats` then run on it unchanged. Engines have no
estimators of their own. Endpoints derived from dates see the input through the study
file (:mod:`remission.engines.studyview`: renamed headers, recodes, categories, date
order), as the in-memory cohort loader does.

* ``memory`` (default for ordinary files): pandas + NumPy, :mod:`remission.stats`.
* ``duckdb``: embedded, for data that are large or already columnar (chosen by ``auto``
  for database files, SQL queries and files above :data:`AUTO_DUCKDB_BYTES`).
* ``spark``: the same queries as a Spark aggregation, for data on a cluster.

Example::

    from remission.engines import EngineInput, count
    counts = count(EngineInput(path="registry.parquet"), "days", "died", group="arm")
    remission.stats.km_from_counts(counts.table)

Cox regression needs the rows (its risk-set sums change with the coefficients at every
Newton step): on an engine the rows of the model's columns are read into memory; across
centres, :mod:`remission.engines.federated` exchanges only per-centre sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from remission.engines.count import EngineCounts, engine_counts
from remission.engines.endpoints import endpoint_relation
from remission.engines.inputs import AUTO_DUCKDB_BYTES, ENGINES, EngineInput, choose_engine
from remission.engines.studyview import StudyView

__all__ = [
    "AUTO_DUCKDB_BYTES",
    "ENGINES",
    "EngineCounts",
    "EngineInput",
    "choose_engine",
    "count",
    "count_endpoint",
    "model_rows",
    "open_runner",
]


def open_runner(engine: str, inp: EngineInput, spark_master: str = "local[2]"):
    """A runner for ``engine`` (``duckdb`` or ``spark``) over ``inp``; use as a context."""
    if engine == "duckdb":
        from remission.engines.duckdb_engine import DuckDBRunner

        return DuckDBRunner(inp)
    if engine == "spark":
        from remission.engines.spark_engine import SparkRunner

        return SparkRunner(inp, spark_master)
    raise ValueError(f"unknown engine {engine!r}; expected duckdb or spark")


def count(
    inp: EngineInput,
    time: str,
    event: str,
    group: str | None = None,
    strata: str | None = None,
    *,
    engine: str = "duckdb",
    event_codes: Sequence[int] | None = (0, 1),
    spark_master: str = "local[2]",
    require_events: bool = True,
    min_groups: int = 1,
    exact_times: bool = False,
) -> EngineCounts:
    """Count ``time``/``event`` columns of ``inp`` (by ``group`` and ``strata``) in an engine."""
    with open_runner(engine, inp, spark_master) as runner:
        return engine_counts(
            runner, time, event, group, strata, event_codes=event_codes,
            require_events=require_events, min_groups=min_groups, exact_times=exact_times,
        )  # fmt: skip


def _endpoint(runner, endpoint, origin, study, data_cutoff, keep, numbered=False):
    """The endpoint's relation in the engine (see :mod:`remission.engines.endpoints`),
    over the input as ``study`` describes it (:class:`StudyView`)."""
    from remission.endpoints.derive import resolve_endpoint

    spec = resolve_endpoint(endpoint, study, runner.source)
    view = StudyView.of(runner, study)
    origin_col = view.origin_column(origin)
    rel, excluded, late = endpoint_relation(view, spec, origin_col, data_cutoff, keep, numbered)
    levels = {c: view.inferred_levels(c) for c in keep}
    return spec, rel, excluded, (late, origin_col, levels)


def model_rows(
    inp: EngineInput,
    columns: Sequence[str],
    endpoint: str | None = None,
    origin: str = "hsct",
    data_cutoff: dt.date | None = None,
    *,
    study=None,
    engine: str = "duckdb",
    spark_master: str = "local[2]",
):
    """The rows of ``columns`` (with ``time`` and ``event`` when ``endpoint`` is derived in
    the engine) as a pandas DataFrame, and the patients excluded by the derivation.

    This is what stays in memory for Cox regression on an engine: its partial likelihood
    sums over risk sets that change with the coefficients at every Newton step, so the
    model's columns (n rows x (p + 2) numbers) are read once; nothing else is. With
    ``endpoint``, ``frame.attrs`` has ``after_cutoff`` (events after ``data_cutoff``,
    censored at it), ``origin_column`` and ``rows`` (each row's spreadsheet row).
    """
    with open_runner(engine, inp, spark_master) as runner:
        d = runner.dialect
        excluded: tuple = ()
        if endpoint:
            _, rel, excluded, about = _endpoint(runner, endpoint, origin, study, data_cutoff,
                                                tuple(columns), numbered=True)  # fmt: skip
            names = ["time", "event", *[c for c in columns if c not in ("time", "event")]]
        else:
            rel, names = runner.relation(), list(dict.fromkeys(columns))
        types = runner.column_types(rel)
        absent = [c for c in names if c not in types]
        if absent:
            from remission.cohort.problems import InputError, Problem

            raise InputError(
                [Problem(runner.source, "column not found", column=c,
                         expected=f"one of: {', '.join(types)}") for c in absent]
            )  # fmt: skip
        row = ", row_" if endpoint else ""
        order = " ORDER BY row_" if endpoint else ""
        frame = runner.fetch_frame(
            f"SELECT {', '.join(d.quote(c) for c in names)}{row} FROM {rel}{order}"
        )
    if endpoint:  # as the in-memory endpoint frame: events censored at the cut-off, origin
        rows = tuple(int(r) for r in frame.pop("row_"))
        frame.attrs = {"after_cutoff": about[0] if data_cutoff else None,
                       "origin_column": about[1], "rows": rows}  # fmt: skip
    return frame, excluded


def count_endpoint(
    inp: EngineInput,
    endpoint: str,
    origin: str = "hsct",
    data_cutoff: dt.date | None = None,
    group: str | None = None,
    strata: str | None = None,
    *,
    study=None,
    engine: str = "duckdb",
    spark_master: str = "local[2]",
    require_events: bool = True,
    min_groups: int = 1,
) -> tuple[EngineCounts, tuple[tuple[str, str], ...]]:
    """Derive ``endpoint`` (built-in or ``study``'s) from ``origin`` (a named origin or a
    date column) in the engine and count it; also returns the patients excluded by the
    derivation (origin missing or after the cut-off). ``counts.after_cutoff`` is the
    number of events after ``data_cutoff``, censored at it."""
    keep = tuple(c for c in (group, strata) if c)
    with open_runner(engine, inp, spark_master) as runner:
        spec, rel, excluded, (late, origin_col, levels) = _endpoint(
            runner, endpoint, origin, study, data_cutoff, keep
        )
        counts = engine_counts(
            runner, "time", "event", group, strata, relation=rel,
            event_codes=(0, 1, 2) if spec.competing else (0, 1),
            require_events=require_events, min_groups=min_groups,
        )  # fmt: skip
    late = late if data_cutoff else None
    counts = _natural_order(counts, levels.get(group), levels.get(strata))
    return replace(counts, after_cutoff=late, origin_column=origin_col), excluded


def _natural_order(counts: EngineCounts, group_levels, strata_levels) -> EngineCounts:
    """Groups and strata of columns the study does not declare in the order the loader
    gives their inferred levels (natural order: ``arm 2`` before ``arm 10``)."""
    from remission.engines.aggregate import reorder_groups

    if group_levels:
        order = [x for x in group_levels if x in counts.table.group_labels]
        if sorted(order) == sorted(counts.table.group_labels):
            counts = replace(counts, table=reorder_groups(counts.table, order),
                             strata_tables=tuple(reorder_groups(t, order)
                                                 for t in counts.strata_tables))  # fmt: skip
    if strata_levels:
        order = [x for x in strata_levels if x in counts.strata_labels]
        if sorted(order) == sorted(counts.strata_labels):
            by = dict(zip(counts.strata_labels, counts.strata_tables, strict=True))
            counts = replace(counts, strata_labels=tuple(order),
                             strata_tables=tuple(by[x] for x in order))  # fmt: skip
    return counts
