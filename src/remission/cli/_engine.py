"""The ``--engine`` options of km, compare, cif, followup and cox.

``--engine auto`` (the default) keeps ordinary files in memory and hands a DuckDB
database, a ``--sql`` query, a folder of Parquet files or a file above
``remission.engines.AUTO_DUCKDB_BYTES`` to DuckDB; ``--engine duckdb|spark`` asks for an
engine outright. With an engine the count tables are counted where the data are and the
estimators run on them (Cox reads its model's columns into memory; see ``cmd_cox``).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from remission.cli import UsageError
from remission.cli._input import cutoff_replaced, excluded_summary

__all__ = ["add_engine_arguments", "resolved_engine", "engine_input", "counted", "Counted"]


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("engine (large or columnar data)")
    g.add_argument(
        "--engine",
        choices=("auto", "memory", "duckdb", "spark"),
        default="auto",
        help="where to count: memory (pandas), duckdb (embedded; default for .duckdb files, "
        "--sql and files over 200 MB) or spark (a cluster, see --spark-master)",
    )
    g.add_argument(
        "--sql",
        help="read the rows a SQL query returns (duckdb/spark; over a Parquet/CSV FILE the "
        "query calls it input_table, over a .duckdb FILE it names the database's tables)",
    )
    g.add_argument("--spark-master", default="local[2]", help="Spark master URL (default local[2])")


def engine_input(args: argparse.Namespace):
    from remission.engines import EngineInput

    path = args.file
    if path is None and args.endpoint:
        from remission.datasets import seed_cohort_path

        path = str(seed_cohort_path())
    if path is None and not args.sql:
        raise UsageError("give a FILE (or --sql)")
    return EngineInput(path=path, sql=args.sql)


def resolved_engine(args: argparse.Namespace) -> str:
    """``memory``, ``duckdb`` or ``spark`` for these arguments."""
    from remission.engines import choose_engine

    if args.engine == "memory" and args.sql:
        raise UsageError("--sql needs an engine: --engine duckdb or --engine spark")
    if args.engine == "auto" and not args.file and not args.sql:
        return "memory"
    engine = choose_engine(args.engine, engine_input(args))
    if engine == "memory" and engine_input(args).is_database:
        raise UsageError("a DuckDB database file needs --engine duckdb (or auto)")
    if engine != "memory" and getattr(args, "drop_invalid", False):
        raise UsageError(
            f"--drop-invalid validates every row in memory; the {engine} engine "
            "counts rows where they are: use --engine memory, or fix the rows"
        )
    if engine != "memory" and getattr(args, "sheet", None):
        raise UsageError("--sheet is for Excel files, which are read in memory")
    return engine


@dataclass(frozen=True, eq=False)
class Counted:
    """Count tables from an engine, with the note a command prints."""

    counts: object  # remission.engines.EngineCounts
    source: str
    note: str
    event_labels: tuple[tuple[int, str], ...] = ()
    excluded: tuple[tuple[str, str], ...] = ()  # (patient id, reason): all of them in --json


def counted(
    args: argparse.Namespace,
    group: str | None = None,
    strata: str | None = None,
    *,
    competing: bool = False,
    require_events: bool = True,
    min_groups: int = 1,
) -> Counted | None:
    """The count tables counted by the engine, or None when the rows stay in memory."""
    engine = resolved_engine(args)
    if engine == "memory":
        return None
    for option in ("entry", "exposure"):
        if getattr(args, option, None):
            raise UsageError(f"--{option} is not counted by an engine: use --engine memory")
    from remission.engines import count, count_endpoint

    inp = engine_input(args)
    if args.endpoint:
        from remission.endpoints.derive import resolve_endpoint

        study = _study(args)
        counts, excluded = count_endpoint(
            inp, args.endpoint, args.origin, _cutoff(args, study), group, strata, study=study,
            engine=engine, spark_master=args.spark_master, require_events=require_events,
            min_groups=min_groups,
        )  # fmt: skip
        counts = _declared_order(counts, study, group, strata)
        spec = resolve_endpoint(args.endpoint, study)
        origin = f"{counts.origin_column}; " if counts.origin_column else ""
        note = f"{spec.name} from {args.origin} ({origin}times in days); counted by {engine}"
        if not args.file:
            note += "; bundled seed cohort (reconstructed data)"
        cutoff = _cutoff(args, study)
        if counts.after_cutoff is not None and cutoff is not None:  # as the in-memory note
            late = counts.after_cutoff
            note += f"; {late} event{'s' if late != 1 else ''} after the data cut-off {cutoff} censored at it"
            note += _replaced(args, study, cutoff)
        if excluded:
            note += "; " + excluded_summary(excluded)
        return Counted(counts, counts.source, note, tuple(sorted(spec.codes().items())),
                       tuple((str(p), str(r)) for p, r in excluded))  # fmt: skip
    if not args.time or not args.event:
        raise UsageError("name the columns with --time and --event (or use --endpoint)")
    counts = count(
        inp, args.time, args.event, group, strata, engine=engine,
        event_codes=None if competing else (0, 1), spark_master=args.spark_master,
        require_events=require_events, min_groups=min_groups,
        exact_times=getattr(args, "exact_times", False),
    )  # fmt: skip
    return Counted(counts, counts.source, f"counted by {engine}")


def model_input(args: argparse.Namespace, columns: list[str]):
    """For ``cox`` on an engine: the model's columns read into memory (an InputTable), or
    None when the rows are read in memory anyway."""
    engine = resolved_engine(args)
    if engine == "memory":
        return None
    from remission.cli._input import InputTable
    from remission.engines import model_rows

    inp = engine_input(args)
    if args.endpoint:
        study = _study(args)
        frame, excluded = model_rows(
            inp, columns, args.endpoint, args.origin, _cutoff(args, study), study=study,
            engine=engine, spark_master=args.spark_master,
        )  # fmt: skip
        from remission.cli._input import ordered

        levels = {c.name: c.allowed for c in study.all_columns() if c.kind == "category"}
        frame = ordered(frame, levels)
        time, event = "time", "event"
        from remission.endpoints.derive import resolve_endpoint

        about, frame.attrs = dict(frame.attrs), {}
        origin = f"{about['origin_column']}; " if about.get("origin_column") else ""
        note = f"{resolve_endpoint(args.endpoint, study).name} from {args.origin} ({origin}times in days)"
        late, cutoff = about.get("after_cutoff"), _cutoff(args, study)
        if late is not None and cutoff is not None:  # as the in-memory note
            note += f"; {late} event{'s' if late != 1 else ''} after the data cut-off {cutoff} censored at it"
            note += _replaced(args, study, cutoff)
        if excluded:
            note += "; " + excluded_summary(excluded)
    else:
        if not args.time or not args.event:
            raise UsageError("name the columns with --time and --event (or use --endpoint)")
        frame, excluded = model_rows(
            inp, [args.time, args.event, *columns], engine=engine, spark_master=args.spark_master
        )
        time, event, note = args.time, args.event, ""
    note += ("; " if note else "") + f"model columns read from {engine} into memory"
    rows = about.get("rows") if args.endpoint else None
    rows = rows or tuple(range(2, len(frame) + 2))
    from remission.cli._input import declared_references

    refs = declared_references(_study(args).all_columns()) if args.endpoint else ()
    return InputTable(frame, rows, inp.name, time, event, note, references=refs,
                      excluded_patients=tuple((str(p), str(r)) for p, r in excluded))  # fmt: skip


def _study(args: argparse.Namespace):
    """The study file (``--study``, the bundled one for the bundled cohort, else the core
    dictionary only) with ``--reference COL=LEVEL`` applied."""
    from remission.cli._input import parse_references
    from remission.cohort.study import Study, load_study
    from remission.datasets import seed_study_path

    path = getattr(args, "study", None) or (None if args.file else str(seed_study_path()))
    study = load_study(path) if path else Study()
    given = getattr(args, "reference", None)
    refs = parse_references(given if isinstance(given, list) else [])
    return study.with_references(refs) if refs else study


def _order(labels: tuple, declared: tuple) -> tuple:
    return (*[x for x in declared if x in labels], *[x for x in labels if x not in declared])


def _declared_order(counts, study, group: str | None, strata: str | None):
    """Group and stratum labels in the study's order of the category (reference first),
    as the in-memory path orders a cohort's category columns."""
    from dataclasses import replace

    from remission.engines.aggregate import reorder_groups

    levels = {c.name: c.allowed for c in study.all_columns() if c.kind == "category"}
    if group in levels:
        order = _order(tuple(counts.table.group_labels), levels[group])
        counts = replace(
            counts,
            table=reorder_groups(counts.table, order),
            strata_tables=tuple(reorder_groups(t, order) for t in counts.strata_tables),
        )
    if strata in levels:
        order = _order(counts.strata_labels, levels[strata])
        by = dict(zip(counts.strata_labels, counts.strata_tables, strict=True))
        counts = replace(counts, strata_labels=order, strata_tables=tuple(by[x] for x in order))
    return counts


def _replaced(args: argparse.Namespace, study, cutoff) -> str:
    """`` (--data-cutoff, in place of the study file's D)``, as the in-memory note says."""
    said = cutoff_replaced(bool(args.data_cutoff), cutoff, study.data_cutoff_date)
    return f" ({said})" if said else ""


def _cutoff(args: argparse.Namespace, study=None):
    """The data cut-off: as given, or the study file's."""
    from remission.cohort.cohort import as_date

    if args.data_cutoff:
        try:
            return as_date(args.data_cutoff)
        except ValueError as exc:
            raise UsageError(f"--data-cutoff: {exc}") from None
    study = study if study is not None else _study(args)
    return as_date(study.data_cutoff_date) if study.data_cutoff_date else None
