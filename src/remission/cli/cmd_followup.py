"""``remission followup``: median follow-up by reverse Kaplan-Meier and among the alive."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from remission.cli._engine import counted
from remission.cli._input import add_input_arguments, read_input
from remission.cli.cmd_km import (
    _UNIT_DAYS,
    add_conf_arguments,
    conf_level,
    excluded_lines,
    unit_days,
)
from remission.cli.cmd_km import fmt_time as _time

if TYPE_CHECKING:  # the statistics are imported when the command runs (fast --help)
    from remission.stats.followup import FollowupResult

NAME = "followup"
HELP = "median follow-up: reverse Kaplan-Meier with CI, and median/range among those alive"
EXAMPLES = """examples:
  remission followup --endpoint OS --origin hsct          # reverse KM on the seed cohort
  remission followup cohort.csv --endpoint OS --data-cutoff 2023-12-31 --json
  remission followup cohort.csv --endpoint OS --origin diagnosis --unit years
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_conf_arguments(parser)
    parser.add_argument("--unit", choices=tuple(_UNIT_DAYS), default="days",
                        help="with --endpoint: unit of the printed times (months = days / "
                        "30.4375, years = days / 365.25; default days; --json stays in days)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from remission.stats.followup import followup, followup_result_from_counts

    level = conf_level(args)
    per = unit_days(args)
    eng = counted(args, require_events=False)
    if eng is not None:
        res = followup_result_from_counts(
            eng.counts.table, args.conf_type, level, eng.counts.excluded
        )
        source, note, excluded = eng.source, eng.note, eng.excluded
    else:
        inp = read_input(args)
        res = followup(
            inp.frame, inp.time, inp.event, args.conf_type, level, source=inp.source,
            rows=inp.rows,
        )  # fmt: skip
        source, note, excluded = inp.source, inp.note, inp.excluded_patients
    if args.json:
        out = {"source": source, "note": note or None, **res.to_dict(),
               "excluded_patients": [{"patient_id": p, "reason": r} for p, r in excluded]}  # fmt: skip
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        print(format_followup(res, source, note, per, "" if per == 1.0 else args.unit))
    return 0


def format_followup(res: FollowupResult, source: str, note: str = "", per: float = 1.0,
                    unit: str = "") -> str:  # fmt: skip
    """The readable report of ``remission followup``; times divided by ``per`` (days per
    ``unit``) and followed by ``unit`` when one is given."""

    def fmt_time(x: float | None) -> str:  # days as R prints them; months, years to 2 dp
        if x is None or per == 1.0:
            return _time(x)
        return f"{x / per:.2f}"

    q = res.reverse_km_median
    level = f"{res.conf_level * 100:g}%"
    lines = [f"Median follow-up, {source}"]
    if note:
        lines.append(f"Note: {note}")
    lines += excluded_lines(res.excluded)
    u = f" {unit}" if unit else ""
    lines.append(
        f"Reverse Kaplan-Meier median: {fmt_time(q.time)}{u} "
        f"({level} CI {fmt_time(q.lower)} to {fmt_time(q.upper)}; {res.conf_type})"
    )
    if res.n_alive:
        lines.append(
            f"Among the {res.n_alive} alive (event 0): median {fmt_time(res.alive_median)}{u}, "
            f"range {fmt_time(res.alive_min)} to {fmt_time(res.alive_max)}"
        )
    else:
        lines.append("Nobody is alive (event 0): no median follow-up among the alive")
    return "\n".join(lines)
