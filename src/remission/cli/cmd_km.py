"""``remission km``: Kaplan-Meier estimates with CIs, landmarks, median and RMST."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._choices import CONF_TYPES
from remission.cli._engine import counted
from remission.cli._input import (
    EXPOSURE_HELP,
    InputTable,
    add_input_arguments,
    add_time_arguments,
    exposure_input,
    parse_times,
    read_input,
)

if TYPE_CHECKING:  # the statistics are imported when the command runs (fast --help)
    from remission.stats.results_km import KMGroup, KMResult

NAME = "km"
HELP = "Kaplan-Meier survival with pointwise CIs, survival at chosen times, median, RMST"
EXAMPLES = """examples:
  remission km --endpoint EFS --origin hsct --at 365.25,1095.75   # seed cohort summary
  remission km --endpoint OS --unit years --at 1,3        # times and --at in years
  remission km cohort.csv --endpoint EFS --group centre --data-cutoff 2023-12-31
  remission km data.csv --time months --event status --table      # full per-time table
  remission km --endpoint OS --json                       # every number, all excluded ids
"""

_TABLE = (
    ("time", "time"), ("n_risk", "at risk"), ("n_event", "events"), ("n_censor", "censored"),
    ("survival", "survival"), ("std_err", "std.err"), ("lower", "lower"), ("upper", "upper"),
)  # fmt: skip
_AT = (
    ("time", "time"), ("n_risk", "at risk"), ("survival", "survival"),
    ("std_err", "std.err"), ("lower", "lower"), ("upper", "upper"),
)  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--group", help="column of group labels (one curve per group)")
    add_conf_arguments(parser)
    parser.add_argument("--at", help="times at which to report survival, e.g. 365,1096")
    parser.add_argument(
        "--extend",
        action="store_true",
        help="--at beyond the last time carries the last value forward (R's extend=TRUE)",
    )
    parser.add_argument(
        "--quantiles", help="survival-time quantiles besides the median, e.g. 0.25,0.5,0.75"
    )
    parser.add_argument("--rmst", type=float, help="restricted mean survival time to TAU")
    add_time_arguments(parser, EXPOSURE_HELP + "; gives Simon-Makuch curves")
    parser.add_argument("--weights", help="column of case weights (R's survfit(weights =))")
    parser.add_argument("--variance", choices=["greenwood", "robust"],
                        help="with --weights: Greenwood or infinitesimal jackknife (default "
                        "as R: robust when some weight is not a whole number)")  # fmt: skip
    add_view_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


_UNIT_DAYS = {"days": 1.0, "months": 365.25 / 12.0, "years": 365.25}


def add_view_arguments(parser: argparse.ArgumentParser) -> None:
    """``--unit`` and ``--table`` (shared with ``remission cif``)."""
    parser.add_argument("--unit", choices=tuple(_UNIT_DAYS), default="days",
                        help="with --endpoint: unit of the printed times and of --at "
                        "(months = days / 30.4375, years = days / 365.25; default days)")  # fmt: skip
    parser.add_argument("--table", action="store_true",
                        help="print the full per-time table too (default: a summary)")  # fmt: skip


def unit_days(args: argparse.Namespace) -> float:
    """Days per unit of ``--unit`` (1 without --endpoint: the data's own unit)."""
    if args.unit != "days" and not getattr(args, "endpoint", None):
        raise UsageError("--unit converts days: use it with --endpoint (times from dates)")
    return _UNIT_DAYS[args.unit]


def add_conf_arguments(parser: argparse.ArgumentParser) -> None:
    """``--conf-type`` and ``--conf-level`` (shared with ``remission followup``)."""
    parser.add_argument(
        "--conf-type",
        choices=CONF_TYPES,
        default="log-log",
        help="pointwise CI transform (default log-log; R's default is log)",
    )
    parser.add_argument(
        "--conf-level", type=float, default=0.95, help="confidence level (default 0.95)"
    )


def conf_level(args: argparse.Namespace) -> float:
    if not 0.0 < args.conf_level < 1.0:
        raise UsageError(f"--conf-level must be between 0 and 1 (got {args.conf_level:g})")
    return float(args.conf_level)


def parse_quantiles(text: str | None) -> list[float]:
    """``"0.25,0.5,0.75"`` -> ``[0.25, 0.5, 0.75]``; each must lie in [0, 1]."""
    if not text:
        return []
    out = []
    for part in text.split(","):
        try:
            p = float(part)
        except ValueError:
            raise UsageError(f"--quantiles: {part!r} is not a number (e.g. 0.25,0.5)") from None
        if not 0.0 <= p <= 1.0:
            raise UsageError(f"--quantiles: {part!r} is not between 0 and 1")
        out.append(p)
    return out


def run(args: argparse.Namespace) -> int:
    level = conf_level(args)
    per = unit_days(args)
    at = [t * per for t in parse_times(args.at)]
    quantiles = parse_quantiles(args.quantiles)
    if args.rmst is not None and not args.rmst >= 0:
        raise UsageError(f"--rmst must be a time >= 0 (got {args.rmst:g})")
    res, inp, note = _estimate(args, level)
    if all(g.events == 0 for g in res.groups):
        note = (note + "; " if note else "") + "no events: every row is censored, S(t) = 1"
    view = (at, args.rmst, args.extend, quantiles)
    if args.json:
        out = {"source": inp.source, "note": note or None, **res.to_dict(*view),
               "excluded_patients": [{"patient_id": p, "reason": r}
                                     for p, r in inp.excluded_patients]}  # fmt: skip
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        unit = args.unit if args.endpoint else ""
        print(format_km(res, at, args.rmst, inp.source, note, args.extend, quantiles,
                        table=args.table, unit=unit))  # fmt: skip
    return 0


def _estimate(args: argparse.Namespace, level: float):
    import pandas as pd

    from remission.stats.km import km, km_from_counts
    from remission.stats.timedep import simon_makuch

    eng = counted(args, group=args.group, require_events=False)
    if eng is not None:
        res = km_from_counts(eng.counts.table, args.conf_type, level)
        res = replace(res.with_exclusions(eng.counts.excluded), timefix=eng.counts.timefix)
        inp = InputTable(pd.DataFrame(), (), eng.source, "time", "event",
                         excluded_patients=eng.excluded)  # fmt: skip
        return res, inp, eng.note
    inp = read_input(args)
    common = dict(exact_times=args.exact_times, source=inp.source, rows=inp.rows)
    if args.exposure:
        if args.group or args.entry or args.weights:
            raise UsageError("--exposure (Simon-Makuch) takes no --group, --entry or --weights")
        inp, col = exposure_input(inp, args)
        res = simon_makuch(inp.frame, inp.time, inp.event, col, args.conf_type, level, **common)
        note = (inp.note + "; " if inp.note else "") + (
            f"Simon-Makuch: each patient counts as unexposed until {args.exposure}, "
            "exposed after it"
        )
        return res, inp, note
    if args.variance and not args.weights:
        raise UsageError("--variance goes with --weights")
    res = km(inp.frame, inp.time, inp.event, args.group, args.conf_type, level,
             entry=args.entry, weights=args.weights, variance=args.variance, **common)  # fmt: skip
    return res, inp, inp.note


# --- plain-text presentation ------------------------------------------------------------


def text_table(columns: Sequence[tuple[str, str]], rows: Iterable[dict]) -> str:
    """Right-aligned columns with a header line."""
    body = [[_cell(key, r.get(key)) for key, _ in columns] for r in rows]
    heads = [head for _, head in columns]
    widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(heads)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(b, widths, strict=True)) for b in body]
    return "\n".join(lines)


def _cell(key: str, value: object) -> str:
    if value is None:
        return "NA"
    if key in ("time", "tau"):
        return f"{value:.10g}"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def excluded_lines(excluded: Sequence[tuple[int, str]], limit: int = 5) -> list[str]:
    if not excluded:
        return []
    shown = [f"row {r} ({why})" for r, why in excluded[:limit]]
    more = f" and {len(excluded) - limit} more" if len(excluded) > limit else ""
    return [f"Excluded {len(excluded)} row(s) with a missing value: {', '.join(shown)}{more}"]


def _ci(q: dict) -> str:
    return f"{fmt_time(q['time'])} ({fmt_time(q['lower'])} to {fmt_time(q['upper'])})"


def fmt_time(x: float | None) -> str:
    return "NA" if x is None else f"{x:.10g}"


def _in_unit(rows: Sequence[dict], per: float) -> list[dict]:
    return [{**r, "time": r["time"] / per} if r.get("time") is not None else r for r in rows]


def _q_in_unit(q: dict, per: float) -> dict:
    return {k: (v / per if k in ("time", "lower", "upper") and v is not None else v)
            for k, v in q.items()}  # fmt: skip


def _ci4(q: dict) -> str:
    def t(x: float | None) -> str:
        return "NA" if x is None else f"{x:.4g}"

    return f"{t(q['time'])} ({t(q['lower'])} to {t(q['upper'])})"


def _ci_short(est: float | None, lo: float | None, hi: float | None) -> str:
    if est is None:
        return "NA"
    return (
        f"{est:.3f} ({'NA' if lo is None else f'{lo:.3f}'}-{'NA' if hi is None else f'{hi:.3f}'})"
    )


def _summary_table(res: KMResult, level: str, at: Sequence[float], extend: bool,
                   per: float) -> str:  # fmt: skip
    """One line per group: n, events, median (CI), survival (CI) at each chosen time."""
    rows = []
    for g in res.groups:
        d = g.to_dict(at, None, extend, ())
        m = _q_in_unit(d["median"], per)
        med = "not reached" if m["time"] is None else _ci4(m)
        row = {"group": str(g.group), "n": str(g.n), "events": str(g.events),
               f"median ({level} CI)": med}  # fmt: skip
        for a in d["at"]:
            row[f"S({a['time'] / per:g}) ({level} CI)"] = _ci_short(a["survival"], a["lower"],
                                                                     a["upper"])  # fmt: skip
        rows.append(row)
    heads = list(rows[0]) if rows else []
    widths = [max(len(h), *(len(r.get(h, "")) for r in rows)) for h in heads]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                       for i, (h, w) in enumerate(zip(heads, widths, strict=True)))]  # fmt: skip
    for r in rows:
        lines.append("  ".join(r.get(h, "").ljust(w) if i == 0 else r.get(h, "").rjust(w)
                               for i, (h, w) in enumerate(zip(heads, widths, strict=True))))  # fmt: skip
    return "\n".join(lines)


def _group_text(
    g: KMGroup, level: str, at: Sequence[float], rmst: float | None, extend: bool,
    quantiles: Sequence[float], per: float = 1.0,
) -> list[str]:  # fmt: skip
    d = g.to_dict(at, rmst, extend, quantiles)
    d["median"] = _q_in_unit(d["median"], per)
    d["quantiles"] = [_q_in_unit(q, per) for q in d["quantiles"]]
    d["at"], d["table"] = _in_unit(d["at"], per), _in_unit(d["table"], per)
    lines = [
        f"Group {g.group}: n = {g.n}, events = {g.events}",
        f"  median survival ({level} CI): {_ci(d['median'])}",
    ]
    lines += [f"  quantile {q['p']:g} ({level} CI): {_ci(q)}" for q in d["quantiles"]]
    if d["rmst"] is not None:
        r = d["rmst"]
        lines.append(f"  RMST to {r['tau']:g}: {r['rmst']:.4f} (SE {r['std_err']:.4f})")
    if d["at"]:
        lines += ["", "  at chosen times:", _indent(text_table(_AT, d["at"]))]
    lines += ["", _indent(text_table(_TABLE, d["table"]))]
    return lines


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def format_km(
    res: KMResult,
    at: Sequence[float],
    rmst: float | None,
    source: str,
    note: str = "",
    extend: bool = False,
    quantiles: Sequence[float] = (),
    table: bool = True,
    unit: str = "",
) -> str:
    """The readable report of ``remission km``: a summary line per group (n, events,
    median, survival at ``at``), or with ``table`` each group's full per-time table.
    ``unit`` (days, months, years) converts the printed times from days."""
    level = f"{res.conf_level * 100:g}%"
    per = _UNIT_DAYS.get(unit, 1.0)
    lines = [f"Kaplan-Meier estimates, {source}",
             f"Pointwise {level} CI: {res.conf_type}" + (f"; times in {unit}" if unit else "")]  # fmt: skip
    if res.variance != "greenwood":
        lines.append(f"Variance: {res.variance} (infinitesimal jackknife, case weights)")
    if note:
        lines.append(f"Note: {note}")
    if res.timefix is not None and res.timefix.merged:
        lines.append(f"Tied times: {res.timefix.merged} value(s) equal to another up to rounding "
                     "error were merged with it (R's timefix; --exact-times to keep them)")  # fmt: skip
    lines += excluded_lines(res.excluded)
    if not table:
        lines += ["", _summary_table(res, level, at, extend, per)]
        for g in res.groups:
            d = g.to_dict((), rmst, extend, quantiles)
            extra = [f"  quantile {q['p']:g} ({level} CI): {_ci(_q_in_unit(q, per))}"
                     for q in d["quantiles"]]  # fmt: skip
            if d["rmst"] is not None:
                r = d["rmst"]
                extra.append(f"  RMST to {r['tau']:g}: {r['rmst']:.4f} (SE {r['std_err']:.4f})")
            lines += [f"Group {g.group}:", *extra] if extra else []
        return "\n".join(lines)
    for g in res.groups:
        lines += [""] + _group_text(g, level, at, rmst, extend, quantiles, per)
    return "\n".join(lines)
