"""``remission cif``: cumulative incidence of competing risks, with Gray's test."""

from __future__ import annotations

import argparse
import json
import math
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._engine import counted
from remission.cli._input import add_input_arguments, add_time_arguments, parse_times, read_input
from remission.cli.cmd_compare import _excluded, _p
from remission.cli.cmd_km import add_view_arguments, unit_days

if TYPE_CHECKING:  # the statistics are imported when the command runs (fast --help)
    from remission.stats.cif import CIFResult

NAME = "cif"
HELP = "cumulative incidence of competing risks (Aalen-Johansen) with Gray's test"
EXAMPLES = """examples:
  remission cif --endpoint CIR --origin hsct            # the seed cohort: relapse vs NRM
  remission cif --endpoint CIR --at 365.25,1095.75        # estimates at 1 and 3 years
  remission cif cohort.csv --endpoint CIR --group donor   # by group, with Gray's test
  remission cif data.csv --time months --event status --table   # full per-time table
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, competing=True)
    parser.add_argument("--group", help="column of groups (Gray's test between them)")
    parser.add_argument("--strata", help="column of strata for Gray's test")
    parser.add_argument("--at", help="times to report, e.g. 365,1096 (default: the last time; "
                        "with --table every event time)")  # fmt: skip
    parser.add_argument(
        "--conf-level", type=float, default=0.95, help="level of the confidence limits (0.95)"
    )
    add_time_arguments(parser)
    add_view_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    if not 0 < args.conf_level < 1:
        raise UsageError(f"--conf-level must be between 0 and 1, not {args.conf_level}")
    per = unit_days(args)
    at = [t * per for t in parse_times(args.at)] or None
    from remission.stats.cif import cif, cif_from_counts

    eng = counted(args, group=args.group, strata=args.strata, competing=True)
    excluded: tuple = ()
    if eng is not None:
        c = eng.counts
        strata = list(c.strata_tables) if c.strata_tables else None
        res = cif_from_counts(
            c.table, strata, c.strata_labels, c.excluded, args.conf_level, timefix=c.timefix
        )
        names, note, excluded = dict(eng.event_labels), eng.note, eng.excluded
    else:
        inp = read_input(args)
        res = cif(
            inp.frame, inp.time, inp.event, group=args.group, strata=args.strata,
            conf_level=args.conf_level, entry=args.entry, exact_times=args.exact_times,
            source=inp.source, rows=inp.rows,
        )  # fmt: skip
        names, note, excluded = dict(inp.event_labels), inp.note, inp.excluded_patients
    if args.json:
        out = res.to_dict(at=at)
        out["note"] = note or None
        out["excluded_patients"] = [{"patient_id": p, "reason": r} for p, r in excluded]
        for block in (*out["causes"], *out["gray"]):
            block["cause_label"] = names.get(block["cause"])
        print(json.dumps(out, indent=2))
    else:
        if not args.table and at is None:  # the summary: the estimate at the last time
            at = [max((float(c.time[-1]) for c in res.curves if len(c.time)), default=0.0)]
        print(render(res, at, args.group, note, names, per, args.unit if per != 1 else ""))
    return 0


def _cell(x: float, fmt: str = ".4f") -> str:
    return "-" if not math.isfinite(x) else format(x, fmt)


def render(
    res: CIFResult,
    at: list[float] | None,
    group: str | None,
    note: str = "",
    names: dict[int, str] | None = None,
    per: float = 1.0,
    unit: str = "",
) -> str:
    """The result as readable text: one block per cause and group (``at`` None: every
    event time); printed times divided by ``per`` (days per ``unit``)."""
    import numpy as np

    from remission.stats.cif import cif_bounds

    pct = f"{100 * res.conf_level:g}%"
    lines = ["Cumulative incidence (Aalen-Johansen; variance as cmprsk::cuminc)"
             + (f"; times in {unit}" if unit else "")]  # fmt: skip
    if note:
        lines.append(note)
    for c in res.curves:
        times = c.time if at is None else np.asarray(at, dtype=float)
        est, var = c.at(times)
        lo, hi = cif_bounds(est, var, res.conf_level)
        label = f" ({names[c.cause]})" if names and c.cause in names else ""
        who = f"cause {c.cause}{label}" + (f", {group} = {c.group}" if group else "")
        lines += ["", who, f"{'time':>10} {'estimate':>9} {'std.err':>9}   {pct} CI"]
        for t, e, v, a, b in zip(times, est, var, lo, hi, strict=True):
            se = np.sqrt(v) if np.isfinite(v) else np.nan
            ci = f"{_cell(a)}-{_cell(b)}" if np.isfinite(a) else "-"
            lines.append(f"{t / per:>10.6g} {_cell(e):>9} {_cell(se):>9}   {ci}")
        if not len(times):
            lines.append("  (no events of this cause)")
    if res.gray:
        lines += ["", f"Gray's test between the groups of {group!r}:"]
        for g in res.gray:
            if g.statistic is None:
                lines.append(f"  cause {g.cause}: not defined (singular variance)")
            else:
                lines.append(
                    f"  cause {g.cause}: chi-square = {g.statistic:.3f} on {g.df} df, {_p(g.p_value)}"
                )
    lines.extend(_excluded(res.excluded))
    return "\n".join(lines)


__all__ = ["NAME", "HELP", "add_arguments", "run", "render"]
