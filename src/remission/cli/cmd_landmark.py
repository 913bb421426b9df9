"""``remission landmark``: landmark analysis of a time-dependent exposure."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._input import add_input_arguments, exposure_input, parse_times, read_input
from remission.cli.cmd_compare import _p
from remission.cli.cmd_km import add_conf_arguments, conf_level, excluded_lines, fmt_time

if TYPE_CHECKING:  # the statistics are imported when the command runs (fast --help)
    from remission.stats.timedep import LandmarkResult

NAME = "landmark"
HELP = "landmark analysis: patients at risk at chosen times, by exposure (e.g. HSCT) by then"
EXAMPLES = """examples:
  remission landmark --endpoint OS --exposure hsct_date --landmarks 90,180
  remission landmark cohort.csv --endpoint EFS --exposure hsct_date --landmarks 100 --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "--exposure",
        help="column of the exposure time on the scale of --time (empty: never exposed); "
        "with --endpoint a date column, e.g. hsct_date",
    )
    parser.add_argument("--landmarks", help="landmark times, e.g. 100,180 (required)")
    parser.add_argument("--at", help="times after the landmark at which to report survival")
    add_conf_arguments(parser)
    parser.add_argument(
        "--exact-times", action="store_true", help="compare times exactly (default: R's timefix)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from remission.stats.timedep import landmark

    if not args.exposure:
        raise UsageError("name the exposure column with --exposure (e.g. --exposure hsct_date)")
    marks = parse_times(args.landmarks, "--landmarks")
    if not marks:
        raise UsageError("give the landmark times with --landmarks, e.g. --landmarks 100,180")
    level = conf_level(args)
    at = parse_times(args.at)
    inp, col = exposure_input(read_input(args), args)
    results = [
        landmark(
            inp.frame,
            inp.time,
            inp.event,
            col,
            m,
            args.conf_type,
            level,
            exact_times=args.exact_times,
            source=inp.source,
            rows=inp.rows,
        )  # fmt: skip
        for m in marks
    ]
    if args.json:
        out = {"source": inp.source, "note": inp.note or None, "exposure": args.exposure,
               "landmarks": [r.to_dict(at=at) for r in results]}  # fmt: skip
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        print(render(results, args.exposure, inp.source, inp.note))
    return 0


def render(results: list[LandmarkResult], exposure: str, source: str, note: str = "") -> str:
    """Per landmark: who is analysed, each group's size, events and median, the test."""
    lines = [f"Landmark analysis of {exposure}, {source}"]
    if note:
        lines.append(f"Note: {note}")
    if results:
        lines += excluded_lines(results[0].km.excluded)
    for r in results:
        lines += ["", f"Landmark {fmt_time(r.landmark)}: {r.n} patient(s) still at risk "
                  f"({r.n_before} with an event or censored by then); time from the landmark"]  # fmt: skip
        for g in r.km.groups:
            med = g.median()
            lines.append(f"  {g.group:<10} n = {g.n:>4}, events = {g.events:>4}, "
                         f"median {fmt_time(med.time)} ({fmt_time(med.lower)} to "
                         f"{fmt_time(med.upper)})")  # fmt: skip
        if r.test is None:
            lines.append("  no test: only one group at this landmark")
        else:
            t = r.test
            lines.append(f"  log-rank chi-square = {t.statistic:.3f} on {t.df} df, {_p(t.p_value)}")
    return "\n".join(lines)


__all__ = ["NAME", "HELP", "add_arguments", "run", "render"]
