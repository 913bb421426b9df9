"""``remission pool``: KM, log-rank, cumulative incidence and follow-up from centres'
count files (``remission counts``), without any patient row."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from remission.cli import UsageError
from remission.cli._input import parse_times

NAME = "pool"
HELP = "pool centres' count files: Kaplan-Meier, log-rank, cumulative incidence, follow-up"
EXAMPLES = """examples:
  remission pool counts-leeds/ counts-glasgow/ --at 365,1096
  remission pool counts/ --table 'EFS by sex' --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folders", metavar="DIR", nargs="+", help="folders (or files) of count files"
    )
    parser.add_argument("--table", help="only the table of this name (e.g. 'EFS by sex')")
    parser.add_argument("--at", help="times at which to report, e.g. 365,1096")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _files(folders: list[str]) -> list[Path]:
    from remission.cohort.problems import InputError, Problem

    out: list[Path] = []
    for f in folders:
        p = Path(f)
        if p.is_dir():
            out += sorted(x for x in p.glob("*.json") if not x.name.startswith("."))
        elif p.is_file():
            out.append(p)
        else:
            raise InputError([Problem(f, "file or folder not found")])
    if not out:
        raise InputError([Problem(", ".join(folders), "no count files (*.json)")])
    return out


def run(args: argparse.Namespace) -> int:
    from remission.engines.pooling import pool_tables, read_counts

    at = parse_times(args.at)
    shared = [s for f in _files(args.folders) for s in read_counts(f)]
    pooled = pool_tables(shared)
    if args.table:
        pooled = [p for p in pooled if p.name == args.table]
        if not pooled:
            raise UsageError(f"--table {args.table!r}: no such table in the count files")
    results = [analyse(p, at) for p in pooled]
    if args.json:
        print(json.dumps({"tables": results}, indent=2, allow_nan=False))
    else:
        print("\n\n".join(render(r) for r in results))
    return 0


def analyse(p, at: list[float]) -> dict:
    """Every estimate of one pooled table, as a JSON-ready dict."""
    from remission.stats.cif import cif_from_counts
    from remission.stats.followup import followup_result_from_counts
    from remission.stats.km import km_from_counts
    from remission.stats.logrank import logrank_test

    t = p.table
    out: dict = {
        "name": p.name,
        **p.meta,
        "centres": list(p.centres),
        "exact": p.exact,
        "approximation": None if p.exact else _approximation(p),
        "coarsened": [{"centre": c, **k.__dict__} for c, k in p.coarsened],
        "withheld": [{"centre": c, "group": g} for c, g in p.withheld],
        "km": km_from_counts(t).to_dict(at),
        "followup": followup_result_from_counts(t).to_dict(),
    }
    if t.n_groups > 1:
        out["compare"] = logrank_test([t]).to_dict()
    if len(t.causes) > 1:
        out["cif"] = cif_from_counts(t).to_dict(at=at or None)
    return out


def _approximation(p) -> str:
    units = sorted({k.unit for _, k in p.coarsened})
    parts = []
    if p.coarsened:
        parts.append(
            f"{len(p.coarsened)} row(s) coarsened to {', '.join(units)} at "
            f"{len({c for c, _ in p.coarsened})} centre(s): their events and censorings are "
            "placed at the end of their interval, so estimates near those times are approximate"
        )
    if p.withheld:
        parts.append(
            "withheld (too few patients to share): "
            + ", ".join(f"group {g} at {c}" for c, g in p.withheld)
        )
    return "; ".join(parts)


def render(r: dict) -> str:
    lines = [f"{r['name']}: pooled over {len(r['centres'])} centre(s) ({', '.join(r['centres'])})"]
    lines.append(
        "exact: equal to the pooled rows" if r["exact"] else f"APPROXIMATE: {r['approximation']}"
    )
    for g in r["km"]["groups"]:
        m = g["median"]
        lines.append(
            f"  group {g['group']}: n = {g['n']}, events = {g['events']}, median "
            f"{_t(m['time'])} ({_t(m['lower'])} to {_t(m['upper'])})"
        )
        for a in g.get("at") or []:
            lines.append(f"    at {a['time']:g}: survival {_f(a['survival'])} "
                         f"({_f(a['lower'])} to {_f(a['upper'])}), at risk {a['n_risk']}")  # fmt: skip
    if "compare" in r:
        c = r["compare"]
        lines.append(
            f"  log-rank: chi-square = {c['statistic']:.3f} on {c['df']} df, p = {c['p_value']:.4g}"
        )
    if "cif" in r:
        for g in r["cif"]["gray"]:
            if g.get("statistic") is not None:
                lines.append(f"  Gray's test, cause {g['cause']}: chi-square = {g['statistic']:.3f}, "
                             f"p = {g['p_value']:.4g}")  # fmt: skip
    f = r["followup"]
    q = f["reverse_km_median"]
    lines.append(
        f"  median follow-up (reverse KM): {_t(q['time'])} ({_t(q['lower'])} to {_t(q['upper'])})"
    )
    return "\n".join(lines)


def _t(x) -> str:
    return "NA" if x is None else f"{x:.10g}"


def _f(x) -> str:
    return "NA" if x is None else f"{x:.4f}"
