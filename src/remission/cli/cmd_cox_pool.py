"""``remission cox-pool``: coordinate a Cox fit over centres that share only sums."""

from __future__ import annotations

import argparse
import json

from remission.cli import UsageError

NAME = "cox-pool"
HELP = (
    "coordinate a Cox fit stratified by centre from the centres' score and information "
    "sums (each centre runs cox-site); equal to the fit on the pooled rows"
)

EXAMPLES = """examples:
  remission cox-pool --sites london,leeds,dublin --exchange /shared/cox-exchange  # coordinator
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites", required=True, help="comma-separated centre names")
    parser.add_argument("--exchange", required=True, help="the folder shared with the centres")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait (300)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from remission.engines.federated import Exchange, coordinate

    sites = [s.strip() for s in args.sites.split(",") if s.strip()]
    if len(sites) != len(set(sites)) or not sites:
        raise UsageError("--sites: name each centre once, e.g. --sites a,b,c")
    res = coordinate(sites, Exchange(args.exchange, args.timeout))
    if args.json:
        print(json.dumps(res.to_dict(), indent=2))
        return 0
    print(f"Cox regression stratified by centre, pooled from {len(sites)} centres' sums "
          f"({res.iterations} Newton steps{'' if res.converged else ', NOT converged'})")  # fmt: skip
    print(f"{'':<20} {'coef':>10} {'se':>10} {'HR':>10}")
    for c in res.to_dict()["coefficients"]:
        print(f"{c['name']:<20} {c['coef']:>10.4f} {c['se']:>10.4f} {c['hazard_ratio']:>10.4f}")
    print(f"log-likelihood: {res.loglik[0]:.4f} (null), {res.loglik[1]:.4f} (fit)")
    return 0
