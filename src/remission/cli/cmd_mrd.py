"""``remission mrd``: EuroMRD interpretation of RQ-PCR runs and MRD response.

``remission mrd interpret RUN.csv [--json | --csv] [--figure PATH]`` prints the run's
standard curves, checks and one classified result per sample and marker with its
reason; ``remission mrd response PRE POST [--json]`` classifies one MRD response;
``remission mrd kinetics TABLE [--json] [--figure PATH]`` follows patients over time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._choices import BACKGROUND_LEVEL_AS, EUROMRD_DEFAULTS, SCHEMES

if TYPE_CHECKING:  # the MRD layer is imported when the command runs (fast --help)
    from remission.mrd.rules import EuroMRDRules

NAME = "mrd"
HELP = "MRD: interpret an RQ-PCR run by the EuroMRD rules; classify MRD response"
EXAMPLES = """examples:
  remission mrd response 0.3 "<0.005"                # MRD response of one patient
  remission mrd interpret run.csv                        # an RQ-PCR run by the EuroMRD rules
  remission mrd kinetics series.csv --json
"""

# option -> EuroMRDRules field; defaults shown from remission.cli._choices (checked
# against EuroMRDRules by tests/cli/test_choices.py)
_RULE_OPTIONS = {
    "--slope-min": ("slope_min", float),
    "--slope-max": ("slope_max", float),
    "--min-r2": ("r2_min", float),
    "--qr-max-spread": ("qr_max_spread", float),
    "--qr-background-separation": ("qr_background_separation", float),
    "--sensitivity-background-separation": ("sensitivity_background_separation", float),
    "--followup-background-separation": ("followup_background_separation", float),
    "--control-gene-slope": ("control_gene_slope", float),
    "--followup-replicates": ("followup_replicates", int),
    "--standard-replicates": ("standard_replicates", int),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="mrd_command", metavar="ACTION", required=True)
    p = sub.add_parser("interpret", help="interpret an RQ-PCR run file (EuroMRD rules)")
    p.add_argument("run_file", metavar="RUN.csv", help="run file, one row per well")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON instead of a table")
    fmt.add_argument("--csv", action="store_true", help="print CSV, one row per sample/marker")
    p.add_argument(
        "--figure", metavar="PATH", help="write the standard-curve figure (.png/.pdf/.svg)"
    )
    for opt, (field, kind) in _RULE_OPTIONS.items():
        p.add_argument(
            opt, type=kind, default=None, dest=field, help=f"default {EUROMRD_DEFAULTS[field]}"
        )
    p.add_argument(
        "--combined-sensitivity",
        choices=("poorest", "best"),
        default=None,
        help="sensitivity reported for a sample negative on all markers",
    )
    p.add_argument(
        "--background-level-as",
        choices=BACKGROUND_LEVEL_AS,
        default=None,
        help="how amplification at background level is reported "
        f"(default {EUROMRD_DEFAULTS['background_level_as']})",
    )
    r = sub.add_parser("response", help="classify an MRD response from PRE and POST values")
    r.add_argument("pre", help="pre-treatment MRD as written, e.g. 0.28 or N/A")
    r.add_argument("post", help="post-treatment MRD as written, e.g. 0.06 or <0.005")
    r.add_argument("--json", action="store_true", help="print JSON")
    r.add_argument(
        "--complete-sensitivity",
        type=float,
        default=0.01,
        help="complete response: negative at a limit <= this per cent (0.01)",
    )
    r.add_argument(
        "--partial-log",
        type=float,
        default=1.0,
        help="partial response (remission's own category): log10 reduction of at least this (1.0)",
    )
    r.add_argument(
        "--scheme",
        choices=SCHEMES,
        default="remission",
        help="categories: remission (complete/partial/no_response) or mrd_cr_2021 "
        "(complete/intermediate/failure, Gokbuget 2021) (remission)",
    )
    _add_kinetics(sub)


def _add_kinetics(sub) -> None:
    k = sub.add_parser("kinetics", help="MRD over time per patient: reductions, best response")
    k.add_argument("table", metavar="TABLE", help="one row per patient and time point")
    k.add_argument("--patient", default="patient", help="patient column (patient)")
    k.add_argument("--time", default="time", help="time column, a number (time)")
    k.add_argument("--mrd", default="mrd", help="MRD column as written (mrd)")
    k.add_argument(
        "--unit",
        choices=("percent", "fraction"),
        default="percent",
        help="unit of bare numbers in the MRD column (percent)",
    )
    k.add_argument("--json", action="store_true", help="print JSON")
    k.add_argument("--figure", metavar="PATH", help="write the kinetics figure (.png/.pdf/.svg)")


def run(args: argparse.Namespace) -> int:
    if args.mrd_command == "interpret":
        return _interpret(args)
    if args.mrd_command == "kinetics":
        return _kinetics(args)
    return _response(args)


def _figure_path(text: str | None) -> Path | None:
    if text is None:
        return None
    from remission.mrd.present import FIGURE_SUFFIXES

    figure = Path(text)
    if figure.suffix.lower() not in FIGURE_SUFFIXES:
        raise UsageError(
            f"--figure {figure}: expected a name ending in " + ", ".join(FIGURE_SUFFIXES)
        )
    if not figure.parent.is_dir():
        raise UsageError(f"--figure {figure}: folder {figure.parent} does not exist")
    return figure


def _kinetics(args: argparse.Namespace) -> int:
    from remission.mrd.present import kinetics_figure, render_kinetics, save_figure
    from remission.mrd.series import kinetics_by_patient, read_mrd_series

    figure = _figure_path(args.figure)
    series = read_mrd_series(args.table, args.patient, args.time, args.mrd, args.unit)
    kinetics = kinetics_by_patient(series)
    if figure is not None:
        save_figure(kinetics_figure(kinetics), figure)
    if args.json:
        print(json.dumps({p: k.to_dict() for p, k in kinetics.items()}, indent=2))
    else:
        sys.stdout.write(render_kinetics(kinetics))
    return 0


def _rules(args: argparse.Namespace) -> EuroMRDRules:
    from remission.mrd.rules import EuroMRDRules

    given = {f: getattr(args, f) for f, _ in _RULE_OPTIONS.values() if getattr(args, f) is not None}
    if args.combined_sensitivity:
        given["combined_sensitivity"] = args.combined_sensitivity
    if args.background_level_as:
        given["background_level_as"] = args.background_level_as
    try:
        return EuroMRDRules(**given)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _interpret(args: argparse.Namespace) -> int:
    from remission.mrd.interpret import interpret_run
    from remission.mrd.present import render_text, save_figure, standard_curve_figure, write_csv
    from remission.mrd.runfile import read_run

    rules = _rules(args)
    figure = _figure_path(args.figure)
    run_data = read_run(args.run_file)
    interp = interpret_run(run_data, rules)
    if figure is not None:
        save_figure(standard_curve_figure(interp, run_data), figure)
    if args.json:
        json.dump(interp.to_dict(), sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    elif args.csv:
        write_csv(interp, sys.stdout)
    else:
        sys.stdout.write(render_text(interp))
        if figure is not None:
            sys.stdout.write(f"figure written to {figure}\n")
    return 0


def _response(args: argparse.Namespace) -> int:
    from remission.cohort.mrdvalue import parse_mrd
    from remission.mrd.response import ResponseRules, assess_response

    values = []
    for name, text in (("PRE", args.pre), ("POST", args.post)):
        try:
            values.append(parse_mrd(text))
        except ValueError as exc:
            raise UsageError(f"{name} {text!r}: {exc}") from None
    try:
        rules = ResponseRules(args.complete_sensitivity, args.partial_log, scheme=args.scheme)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    a = assess_response(values[0], values[1], rules)
    if args.json:
        print(json.dumps({**a.to_dict(), "rules": rules.to_dict()}, indent=2))
    else:
        print(f"{a.category.value}: {a.reason}")
    return 0
