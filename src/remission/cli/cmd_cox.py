"""``remission cox``: Cox proportional hazards regression on a table or a cohort file."""

from __future__ import annotations

import argparse
import json
import math
import warnings
from dataclasses import replace
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._choices import TRANSFORMS
from remission.cli._engine import model_input
from remission.cli._input import (
    EXPOSURE_HELP,
    add_input_arguments,
    add_time_arguments,
    exposure_input,
    read_input,
)

if TYPE_CHECKING:  # the statistics are imported when the command runs (fast --help)
    from remission.stats.cox_result import CoxResult

NAME = "cox"
_MAX_LISTED = 20  # excluded rows listed in the text report
HELP = "Cox proportional hazards regression (hazard ratios, tests, concordance, PH test)"
EXAMPLES = """examples:
  remission cox --endpoint EFS --covariates age_at_blinatumomab_years,sex
  remission cox cohort.csv --endpoint OS --covariates donor --categorical donor --strata centre
  remission cox data.csv --time t --event dead --covariates age,arm --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--covariates", default="",
                        help="comma-separated covariate columns (text columns are "
                             "categorical, first sorted level = reference)")  # fmt: skip
    parser.add_argument("--strata", help="column whose levels get separate baseline hazards")
    parser.add_argument("--ties", choices=["efron", "breslow"], default="efron",
                        help="handling of tied event times (default: efron, as R)")  # fmt: skip
    parser.add_argument(
        "--categorical",
        default="",
        help="comma-separated numeric covariates to treat as categorical",
    )
    parser.add_argument(
        "--conf-level",
        type=float,
        default=0.95,
        help="confidence level of the hazard-ratio intervals (default 0.95)",
    )
    parser.add_argument("--robust", action="store_true",
                        help="robust (sandwich) variance, as R's robust = TRUE (the default "
                        "with --cluster or fractional --weights, as R)")  # fmt: skip
    parser.add_argument("--weights", help="column of case weights (R's coxph(weights =))")
    parser.add_argument("--cluster", help="column of clusters (e.g. centre) for the "
                        "cluster-robust variance, as R's cluster(col)")  # fmt: skip
    parser.add_argument("--zph-transform", choices=TRANSFORMS, default="km",
                        help="time transform of the cox.zph test (default: km, as R)")  # fmt: skip
    # --reference COL=LEVEL comes with the shared input options (remission.cli._input)
    add_time_arguments(
        parser, EXPOSURE_HELP + "; enters the model as a time-dependent 0/1 covariate "
        "named after the column"
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def parse_references(items: list[str]) -> dict[str, str]:
    """``["sex=F", "arm=B"]`` -> ``{"sex": "F", "arm": "B"}``."""
    out = {}
    for item in items:
        col, sep, level = item.partition("=")
        if not sep or not col.strip() or not level.strip():
            raise UsageError(f"--reference {item!r}: expected COL=LEVEL, e.g. sex=F")
        out[col.strip()] = level.strip()
    return out


def _names(text: str, option: str, required: bool) -> list[str]:
    names = [c.strip() for c in text.split(",") if c.strip()]
    if required and not names:
        raise UsageError(f"{option}: name at least one column, e.g. {option} age,sex")
    return names


def run(args: argparse.Namespace) -> int:
    covariates = _names(args.covariates, "--covariates", not args.exposure)
    categorical = _names(args.categorical, "--categorical", False)
    if not 0 < args.conf_level < 1:
        raise UsageError(f"--conf-level must be between 0 and 1, not {args.conf_level}")
    reference = parse_references(args.reference)
    table = model_input(args, covariates + ([args.strata] if args.strata else [])) or read_input(
        args
    )
    # the study file's reference levels, then --reference (which wins)
    declared = {c: r for c, r in getattr(table, "references", ()) if c in covariates}
    reference = {**declared, **reference}
    frame, time, entry, rows, covariates = _time_dependent(table, args, covariates)
    # rows the --exposure split left out; without it the cohort's own exclusions (patient
    # ids, e.g. no origin date) are already in the note
    before = tuple(frame.attrs.get("excluded", ())) if args.exposure else ()
    from remission.stats.cox import ConvergenceWarning, cox

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # reported in the output
        result = cox(frame, time, table.event, covariates, strata=args.strata,
                     ties=args.ties, categorical=categorical, conf_level=args.conf_level,
                     zph_transform=args.zph_transform, reference=reference, entry=entry,
                     exact_times=args.exact_times, robust=True if args.robust else None,
                     cluster=args.cluster, weights=args.weights,
                     source=table.source, rows=rows)  # fmt: skip
    if before:  # rows the split at --exposure left out (missing time or event)
        result = replace(result, excluded=tuple(sorted(result.excluded + before)))
    if args.json:
        out = result.to_dict()
        out["source"] = table.source
        out["note"] = table.note or None
        out["excluded_patients"] = [{"patient_id": p, "reason": r}
                                    for p, r in getattr(table, "excluded_patients", ())]  # fmt: skip
        print(json.dumps(out, indent=2))
    else:
        print(render_text(result, table.source, table.note))
    return 0


def _time_dependent(table, args, covariates):
    """(frame, time, entry, rows, covariates): with ``--exposure`` the rows split at the
    exposure (``tstart``, ``tstop``) and the exposure status added as a covariate."""
    if not args.exposure:
        return table.frame, table.time, args.entry, table.rows, covariates
    if args.entry:
        raise UsageError("--exposure splits the rows itself; it takes no --entry")
    table, col = exposure_input(table, args)
    if args.exposure in covariates:
        raise UsageError(f"--exposure {args.exposure} is added as a covariate by itself; "
                         "leave it out of --covariates")  # fmt: skip
    from remission.stats.timedep import split_at_exposure

    frame = table.frame.assign(__row=list(table.rows))
    split = split_at_exposure(frame, table.time, table.event, col, status=args.exposure,
                              source=table.source, rows=table.rows)  # fmt: skip
    rows = tuple(int(r) for r in split.pop("__row"))
    return split, "tstop", "tstart", rows, [*covariates, args.exposure]


def _f(v: float | None, spec: str = ".4g") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return format(v, spec)


def _p(p: float | None) -> str:
    if p is None or math.isnan(p):
        return "-"
    return "<0.0001" if p < 1e-4 else f"{p:.4f}"


def _ci(lower: float, upper: float) -> str:
    if math.isnan(lower) or math.isnan(upper):
        return "-"
    return f"{_f(lower)}-{_f(upper)}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return [fmt.format(*header)] + [fmt.format(*r) for r in rows]


def render_text(res: CoxResult, source: str, note: str = "") -> str:
    """A readable report: coefficients, tests, concordance, PH test, warnings, exclusions."""
    pct = f"{res.conf_level * 100:g}%"
    lines = [f"Cox proportional hazards model: {source}"]
    if note:
        lines.append(f"  {note}")
    strata = f"; strata: {', '.join(res.strata)}" if res.strata else ""
    lines.append(f"  n = {res.n}, events = {res.events}, ties = {res.ties}{strata}, "
                 f"excluded rows = {len(res.excluded)}")  # fmt: skip
    if res.variance != "model-based":
        lines.append(f"  variance: {res.variance} (se, CI, z, p and the Wald test use it)")
    lines.append("")
    header = ["", "coef", "HR", f"{pct} CI", "se(coef)", "z", "p"]
    rows = [[c.name, _f(c.coef), _f(c.hazard_ratio), _ci(c.lower, c.upper), _f(c.se),
             _f(c.z, ".3f"), _p(c.p_value)] for c in res.coefficients]  # fmt: skip
    lines += _table(header, rows)
    lines.append("")
    t = res.tests
    for key, label in (("likelihood_ratio", "Likelihood ratio test"), ("wald", "Wald test"),
                       ("score", "Score (logrank) test")):  # fmt: skip
        p = _p(t[key].p_value)
        lines.append(f"{label:<22}= {_f(t[key].statistic, '.2f')} on {t[key].df} df, "
                     + (f"p {p}" if p.startswith("<") else f"p = {p}"))  # fmt: skip
    c = res.concordance
    if c is not None:
        lines.append(f"Concordance = {_f(c.concordance, '.3f')} (se = {_f(c.std_err, '.3f')})")
    else:
        lines.append("Concordance: not computed for counting-process (start, stop] rows")
    if res.zph is not None:
        lines += ["", f"Proportional hazards (cox.zph, transform = {res.zph.transform}):"]
        zrows = [[r.term, _f(r.chisq, ".3f"), str(r.df), _p(r.p_value)]
                 for r in (*res.zph.terms, res.zph.global_test)]  # fmt: skip
        lines += ["  " + s for s in _table(["", "chisq", "df", "p"], zrows)]
    if res.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in res.warnings]
    if res.excluded:
        shown = res.excluded[:_MAX_LISTED]
        lines += ["", "Excluded rows:"] + [f"  row {r}: {why}" for r, why in shown]
        if len(res.excluded) > len(shown):
            lines.append(f"  ... and {len(res.excluded) - len(shown)} more (all in --json)")
    return "\n".join(lines)
