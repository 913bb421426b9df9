"""``remission compare``: compare survival between groups (log-rank family, trend, HR)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._choices import TESTS
from remission.cli._engine import counted
from remission.cli._input import (
    EXPOSURE_HELP,
    add_input_arguments,
    add_time_arguments,
    exposure_input,
    read_input,
)

if TYPE_CHECKING:  # the statistics are imported when the command runs (fast --help)
    from remission.stats.logrank import CompareResult

NAME = "compare"
HELP = "compare survival between groups: log-rank (weighted, stratified, trend) and hazard ratio"
EXAMPLES = """examples:
  remission compare --endpoint EFS --group sex            # log-rank on the seed cohort
  remission compare cohort.csv --endpoint OS --group centre --strata sex
  remission compare data.csv --time t --event dead --group arm --test fh:0,1 --json
"""

_TITLES = {
    "logrank": "Log-rank (Mantel-Cox) test",
    "peto-peto": "Peto-Peto test (Fleming-Harrington rho = 1)",
    "gehan-breslow-wilcoxon": "Gehan-Breslow-Wilcoxon test",
    "tarone-ware": "Tarone-Ware test",
    "trend": "Log-rank test for trend",
    "mantel-byar": "Mantel-Byar test (log-rank with a time-dependent exposure)",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, reference=False)
    parser.add_argument("--group", help="column of the groups to compare (required)")
    parser.add_argument("--strata", help="column of strata for a stratified test")
    parser.add_argument(
        "--test", default="logrank", help=f"one of {', '.join(TESTS)} (default: logrank)"
    )
    parser.add_argument(
        "--scores", help="scores of the ordered groups for --test trend (default 1,2,...,k)"
    )
    parser.add_argument(
        "--conf-level", type=float, default=0.95, help="level of the hazard ratio CI (0.95)"
    )
    parser.add_argument(
        "--reference", help="GROUP=LEVEL or LEVEL: the reference group of the hazard ratio"
    )
    add_time_arguments(parser, EXPOSURE_HELP + "; gives the Mantel-Byar test (no --group)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def parse_reference(text: str | None, group: str | None) -> str | None:
    """``--reference sex=F`` or ``--reference F`` -> ``"F"`` (the column must be --group)."""
    if not text:
        return None
    col, sep, level = text.partition("=")
    if not sep:
        return text
    if col != group:
        raise UsageError(f"--reference {text}: the column must be the --group column ({group})")
    return level


def run(args: argparse.Namespace) -> int:
    if args.exposure:
        return _run_mantel_byar(args)
    if not args.group:
        raise UsageError("name the column of the groups with --group (or give --exposure)")
    from remission.stats.logrank import compare, parse_test

    try:
        parse_test(args.test)
    except ValueError as exc:
        raise UsageError(f"--test: {exc}") from None
    if not 0 < args.conf_level < 1:
        raise UsageError(f"--conf-level must be between 0 and 1, not {args.conf_level}")
    scores = parse_scores(args.scores)
    reference = parse_reference(args.reference, args.group)
    eng = counted(args, group=args.group, strata=args.strata, min_groups=2)
    try:
        if eng is not None:
            res, note = _compare_counts(eng.counts, args, scores, reference), eng.note
            excluded: tuple = eng.excluded
        else:
            inp = read_input(args)
            res = compare(
                inp.frame, inp.time, inp.event, group=args.group, strata=args.strata,
                test=args.test, scores=scores, conf_level=args.conf_level,
                reference=reference, entry=args.entry,
                exact_times=args.exact_times, source=inp.source, rows=inp.rows,
            )  # fmt: skip
            note, excluded = inp.note, inp.excluded_patients
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _print(res, args, args.group, note, excluded)
    return 0


def _compare_counts(c, args: argparse.Namespace, scores, reference) -> CompareResult:
    """The test on the count tables an engine counted (one per stratum)."""
    from remission.stats.logrank import CompareResult, logrank_test

    tables = c.tables
    if reference is not None:
        from remission.engines.aggregate import reorder_groups

        labels = tuple(str(x) for x in c.table.group_labels)
        if reference not in labels:
            raise UsageError(f"--reference {reference}: not a group (groups: {', '.join(labels)})")
        order = (reference, *(lab for lab in labels if lab != reference))
        tables = [reorder_groups(t, order) for t in tables]
    r = logrank_test(tables, args.test, scores=scores, conf_level=args.conf_level)
    return CompareResult(
        r.test, r.statistic, r.df, r.p_value, r.groups, r.n, r.observed, r.expected,
        r.variance, r.hazard_ratio, c.strata_labels, r.scores, c.excluded, c.timefix,
    )  # fmt: skip


def _print(res: CompareResult, args: argparse.Namespace, group: str, note: str,
           excluded: tuple[tuple[str, str], ...] = ()) -> None:  # fmt: skip
    if args.json:
        out = res.to_dict()
        out["note"] = note or None
        out["excluded_patients"] = [{"patient_id": p, "reason": r} for p, r in excluded]
        print(json.dumps(out, indent=2))
    else:
        print(render(res, group, args.strata, note))


def _run_mantel_byar(args: argparse.Namespace) -> int:
    if args.group or args.strata or args.entry or args.test != "logrank" or args.reference:
        raise UsageError("--exposure (Mantel-Byar) takes no --group, --strata, --entry, "
                         "--test or --reference")  # fmt: skip
    if not 0 < args.conf_level < 1:
        raise UsageError(f"--conf-level must be between 0 and 1, not {args.conf_level}")
    from remission.stats.timedep import mantel_byar

    inp, col = exposure_input(read_input(args), args)
    res = mantel_byar(inp.frame, inp.time, inp.event, col, args.conf_level,
                      exact_times=args.exact_times, source=inp.source, rows=inp.rows)  # fmt: skip
    note = (inp.note + "; " if inp.note else "") + (
        f"patients count as unexposed until {args.exposure}, exposed after it; "
        "n = patients ever in the group"
    )
    _print(res, args, f"exposure to {args.exposure}", note)
    return 0


def parse_scores(text: str | None) -> list[float] | None:
    """``"0,1,2"`` -> ``[0.0, 1.0, 2.0]`` (scores may be negative, unlike times)."""
    if not text:
        return None
    try:
        return [float(s) for s in text.split(",")]
    except ValueError:
        raise UsageError(f"--scores: {text!r} is not a list of numbers (e.g. 1,2,3)") from None


def _p(p: float) -> str:
    if p != p:
        return "not defined"
    return "p < 0.0001" if p < 1e-4 else f"p = {p:.4g}"


def _f(x: float) -> str:
    return f"{x:.3f}" if x == x and abs(x) != float("inf") else "not defined"


def render(res: CompareResult, group: str, strata: str | None, note: str = "") -> str:
    """The result as readable text."""
    title = _TITLES.get(res.test, f"Fleming-Harrington test {res.test[3:]}")
    lines = [f"{title} between the groups of {group!r}"]
    if strata:
        lines[0] += f", stratified by {strata!r} ({len(res.strata)} strata)"
    if note:
        lines.append(note)
    width = max(8, *(len(g) for g in res.groups))
    weighted = res.test not in ("logrank", "trend")
    lines.append("")
    head = f"{'group':<{width}} {'n':>7} {'observed':>10} {'expected':>10}"
    lines.append(head + ("   (weighted)" if weighted else ""))
    for g, n, o, e in zip(res.groups, res.n, res.observed, res.expected, strict=True):
        lines.append(f"{g:<{width}} {n:>7} {o:>10.2f} {e:>10.2f}")
    lines.append("")
    if res.scores is not None:
        lines.append("scores: " + ", ".join(f"{s:g}" for s in res.scores))
    if res.df == 0:
        lines.append("no test: fewer than two groups have expected events")
    else:
        lines.append(f"chi-square = {res.statistic:.3f} on {res.df} df, {_p(res.p_value)}")
    if res.hazard_ratio is not None:
        mh, lr = res.hazard_ratio
        pct = f"{100 * mh.conf_level:g}%"
        lines.append(f"hazard ratio {mh.group} vs {mh.reference} (reference):")
        for h, name in ((mh, "Mantel-Haenszel"), (lr, "log-rank (O/E)")):
            if _f(h.estimate) == "not defined":
                lines.append(f"  {name:<16} not defined")
                continue
            est, lo, hi = (_f(v) for v in (h.estimate, h.lower, h.upper))
            lines.append(f"  {name:<16} {est} ({pct} CI {lo}-{hi})")
    lines.extend(_excluded(res.excluded))
    return "\n".join(lines)


def _excluded(excluded: tuple[tuple[int, str], ...]) -> list[str]:
    if not excluded:
        return []
    out = [f"excluded {len(excluded)} row(s) with a missing value:"]
    out.extend(f"  row {r}: {why}" for r, why in excluded[:20])
    if len(excluded) > 20:
        out.append(f"  ... and {len(excluded) - 20} more (see --json)")
    return out


__all__ = ["NAME", "HELP", "add_arguments", "run", "render"]
