"""``remission counts``: a centre's count tables to share instead of its patient rows."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from remission.cli import UsageError
from remission.cli._engine import counted
from remission.cli._input import add_input_arguments, read_input

NAME = "counts"
HELP = (
    "write count tables (per group and day: events, censorings) to share instead of "
    "patient rows, under a minimum cell count; one file per centre with --by"
)
EXAMPLES = """examples:
  remission counts cohort.csv --endpoints EFS,OS --group sex --by centre -o counts/
  remission counts cohort.csv --endpoints EFS --min-cell 5 -o counts/
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, competing=True)
    parser.add_argument(
        "--endpoints",
        help="with a cohort: endpoints to count, e.g. EFS,OS,CIR (default: --endpoint)",
    )
    parser.add_argument(
        "--group", help="comma-separated group columns (a table for each, and one without)"
    )
    parser.add_argument("--by", help="column of centres: one file per centre")
    parser.add_argument("--centre", help="the centre's name without --by (default: the file name)")
    parser.add_argument(
        "--min-cell", type=int, default=5,
        help="disclosure policy: every non-zero count at least this (default 5; 1 = exact)",
    )  # fmt: skip
    parser.add_argument("-o", "--output", required=True, help="folder for the count files")


def run(args: argparse.Namespace) -> int:
    from remission.engines.pooling import shared_table, write_counts

    if args.min_cell < 1:
        raise UsageError(f"--min-cell must be at least 1 (got {args.min_cell})")
    endpoints = _names(args.endpoints) or ([args.endpoint] if args.endpoint else [None])
    groups = [None, *_names(args.group)]
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: exists and is not a folder")
    per_centre: dict[str, list] = {}
    for endpoint in endpoints:
        args.endpoint = endpoint
        for group in groups:
            name = (endpoint or f"{args.time}/{args.event}") + (f" by {group}" if group else "")
            meta = _meta(args, endpoint, group)
            for centre, table in _centre_tables(args, group).items():
                per_centre.setdefault(centre, []).append(
                    shared_table(name, table, meta, args.min_cell)
                )
    policy = {
        "min_cell": args.min_cell,
        "rule": "remission.engines.disclosure (weeks, then months)",
    }
    out.mkdir(parents=True, exist_ok=True)
    for centre, tables in per_centre.items():
        path = write_counts(out / f"{_file_name(centre)}.json", centre, tables, policy)
        coarse = sum(len(t.coarsened) for t in tables)
        withheld = sum(len(t.withheld) for t in tables)
        state = "exact" if not coarse and not withheld else (
            f"{coarse} row(s) coarsened, {withheld} group(s) withheld")  # fmt: skip
        print(f"{path}: {len(tables)} table(s), {state}")
    return 0


def _names(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _file_name(centre: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", centre).strip("._") or "centre"


def _meta(args: argparse.Namespace, endpoint: str | None, group: str | None) -> dict:
    if endpoint:
        meta = {"endpoint": endpoint, "origin": args.origin, "data_cutoff": args.data_cutoff}
    else:
        if not args.time or not args.event:
            raise UsageError("name the columns with --time and --event (or use --endpoint)")
        meta = {"time": args.time, "event": args.event}
    return {**meta, "group": group, "time_unit": "days" if endpoint else None}


def _centre_tables(args: argparse.Namespace, group: str | None) -> dict:
    """Each centre's count table (by ``group``), counted by the chosen engine."""
    eng = counted(args, group=group, strata=args.by, competing=True, require_events=False)
    if eng is not None:
        c = eng.counts
        if args.by:
            return dict(zip(c.strata_labels, c.strata_tables, strict=True))
        return {args.centre or Path(c.source.split(" ")[0]).stem: c.table}
    from remission.stats.cif import _event_codes
    from remission.stats.frontend import survival_data
    from remission.stats.logrank import stratum_tables

    inp = read_input(args)
    sd = survival_data(
        inp.frame, inp.time, inp.event, group, args.by, source=inp.source, rows=inp.rows,
        event_codes=_event_codes(inp.frame, inp.event), require_events=False,
    )  # fmt: skip
    if args.by:
        return dict(zip(sd.strata_labels, stratum_tables(sd), strict=True))
    return {args.centre or Path(inp.source).stem: sd.count_table()}
