"""``remission cox-site``: one centre's side of a Cox fit pooled without sharing rows."""

from __future__ import annotations

import argparse

from remission.cli import UsageError
from remission.cli._input import add_input_arguments, read_input

NAME = "cox-site"
HELP = (
    "answer a pooled Cox fit from this centre's rows: only log-likelihood, score and "
    "information sums leave the centre (see cox-pool)"
)

EXAMPLES = """examples:
  remission cox-site london.csv --endpoint OS --covariates sex,age_at_diagnosis_years \\
      --site london --exchange /shared/cox-exchange
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--covariates", required=True, help="comma-separated covariate columns")
    parser.add_argument("--site", required=True, help="this centre's name (as cox-pool --sites)")
    parser.add_argument("--exchange", required=True, help="the folder shared with the coordinator")
    parser.add_argument("--ties", choices=["efron", "breslow"], default="efron")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait (300)")


def run(args: argparse.Namespace) -> int:
    from remission.engines.federated import Exchange, Site, run_site

    covariates = [c.strip() for c in args.covariates.split(",") if c.strip()]
    if not covariates:
        raise UsageError("--covariates: name at least one column")
    inp = read_input(args)
    site = Site(inp.frame, inp.time, inp.event, covariates, args.ties, inp.source)
    rounds = run_site(site, args.site, Exchange(args.exchange, args.timeout))
    print(f"centre {args.site}: {len(site.time)} patients ({site.n_excluded} excluded for a "
          f"missing value), {rounds} round(s) answered")  # fmt: skip
    return 0
