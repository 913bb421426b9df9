"""Shared input options of the statistics commands (km, compare, cif, cox, followup).

A command reads either a plain table (``--time``/``--event`` name its columns) or a
cohort in the data-dictionary format with ``--endpoint`` and ``--origin``, in which case
``time`` and ``event`` are derived from the dates.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

import pandas as pd

from remission.cli import UsageError
from remission.cohort.io import read_table

__all__ = [
    "add_input_arguments",
    "add_time_arguments",
    "exposure_input",
    "read_input",
    "InputTable",
    "parse_times",
]


@dataclass(frozen=True, eq=False)
class InputTable:
    frame: pd.DataFrame
    rows: tuple[int, ...]
    source: str
    time: str
    event: str
    note: str = ""
    event_labels: tuple[tuple[int, str], ...] = ()


def add_input_arguments(parser: argparse.ArgumentParser, competing: bool = False) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="CSV, .xlsx, Parquet or .xpt file, or a REDCap/ADaM folder (docs/formats.md); "
        "with --endpoint and no FILE: the bundled seed cohort",
    )
    parser.add_argument("--time", help="column of follow-up times")
    parser.add_argument(
        "--event",
        help="column of event status (0 censored, " + ("1..k cause)" if competing else "1 event)"),
    )
    parser.add_argument("--sheet", help="worksheet name of an .xlsx file (default: first)")
    parser.add_argument(
        "--endpoint",
        choices=["EFS", "OS", "CIR", "NRM"],
        help="derive time and event from a cohort file's dates instead of --time/--event",
    )
    parser.add_argument(
        "--origin",
        choices=["diagnosis", "blinatumomab", "hsct"],
        default="hsct",
        help="origin of time with --endpoint (default: hsct)",
    )
    parser.add_argument("--data-cutoff", help="censor follow-up at this date (with --endpoint)")
    parser.add_argument(
        "--mrd-transform",
        metavar="[COLUMN=]SPEC",
        action="append",
        help="how MRD columns enter as covariate/group: log10, log10:L or cut:c1[,c2...] "
        "(per cent; default log10 for covariates, cut:0.01 for groups; COLUMN=SPEC for one "
        "column, repeatable; docs/methods-cox.md)",
    )
    from remission.cli._engine import add_engine_arguments

    add_engine_arguments(parser)


def read_input(args: argparse.Namespace) -> InputTable:
    """Read the FILE named on the command line into a table with time and event columns;
    MRD columns used as covariates, group or strata are transformed (``--mrd-transform``)."""
    from remission.cli._covariates import with_mrd_transforms

    return with_mrd_transforms(_read_input(args), args)


def _read_input(args: argparse.Namespace) -> InputTable:
    if getattr(args, "sql", None):
        raise UsageError("--sql needs an engine: --engine duckdb or --engine spark")
    if args.endpoint:
        return _endpoint_input(args)
    if not args.file:
        raise UsageError("give a FILE (or --endpoint, to use the bundled seed cohort)")
    if not args.time or not args.event:
        raise UsageError("name the columns with --time and --event (or use --endpoint)")
    raw = read_table(args.file, sheet=args.sheet)
    return InputTable(raw.frame, raw.rows, raw.path, args.time, args.event)


def _endpoint_input(args: argparse.Namespace) -> InputTable:
    from remission.cohort.cohort import load_cohort
    from remission.datasets import load_seed_cohort

    if args.file:  # an ADaM folder whose ADTTE has the endpoint (remission.cli._formats)
        from remission.cli._formats import adtte_input

        table = adtte_input(args, InputTable)
        if table is not None:
            return table
    if args.file:
        cohort = load_cohort(args.file, data_cutoff=args.data_cutoff, sheet=args.sheet)
    else:
        cohort = load_seed_cohort(data_cutoff=args.data_cutoff)
    frame = cohort.endpoint(args.endpoint, origin=args.origin)
    excluded = frame.attrs.get("excluded", ())
    note = f"{args.endpoint} from {args.origin} (times in days)"
    if not args.file:
        note += "; bundled seed cohort (reconstructed data)"
    if excluded:
        note += "; excluded: " + "; ".join(f"{pid}: {why}" for pid, why in excluded)
    from remission.endpoints import EVENT_CODES

    rows = tuple(range(2, len(frame) + 2))
    labels = tuple(sorted(EVENT_CODES[args.endpoint].items()))
    return InputTable(
        frame.reset_index(drop=True), rows, cohort.source.path, "time", "event", note, labels
    )


def parse_times(text: str | None, option: str = "--at") -> list[float]:
    """``"365,1095.75"`` -> ``[365.0, 1095.75]``; a clear error (naming ``option``)
    otherwise."""
    if not text:
        return []
    out = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise UsageError(
                f"{option}: {part!r} is not a number (expected e.g. 365,1096)"
            ) from None
        if value < 0:
            raise UsageError(f"{option}: {part!r} is negative")
        out.append(value)
    return out


def add_time_arguments(parser: argparse.ArgumentParser, exposure_help: str | None = None) -> None:
    """``--entry``, ``--exact-times`` and (when ``exposure_help`` is given) ``--exposure``."""
    parser.add_argument(
        "--entry",
        help="column of entry times (delayed entry, or the start of (start, stop] rows): "
        "at risk for times > entry, as R's Surv(entry, time, event)",
    )
    parser.add_argument(
        "--exact-times",
        action="store_true",
        help="compare times exactly (default: times equal up to rounding error are tied, "
        "as R's timefix)",
    )
    if exposure_help:
        parser.add_argument("--exposure", help=exposure_help)


EXPOSURE_HELP = (
    "column of the time of a time-dependent exposure (e.g. HSCT), on the scale of --time "
    "(empty: never exposed); with --endpoint, a date column (e.g. hsct_date)"
)


def exposure_input(inp: InputTable, args: argparse.Namespace) -> tuple[InputTable, str]:
    """The table with the exposure as a time: with ``--endpoint`` a date column becomes days
    from the origin date (a new column ``<name>_days``)."""
    col = args.exposure
    if not args.endpoint or col not in inp.frame.columns:
        return inp, col
    from remission.endpoints.derive import ORIGINS

    values = inp.frame[col]
    if not pd.api.types.is_datetime64_any_dtype(values):
        return inp, col
    origin = inp.frame[ORIGINS[args.origin]]
    days = (values - origin).dt.days.astype(float)
    name = f"{col}_days"
    frame = inp.frame.assign(**{name: days})
    note = (inp.note + "; " if inp.note else "") + f"{col} as days from the {args.origin} date"
    return replace(inp, frame=frame, note=note), name
