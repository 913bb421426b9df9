"""Write a synthetic multi-centre demo cohort and its study file (SYNTHETIC DATA).

Usage: python scripts/make_demo_cohort.py OUTDIR [--n 3000] [--centres 12] [--seed 1]
Writes OUTDIR/cohort.csv (the spreadsheet, with its own headers and codes) and
OUTDIR/study.yaml (the study file that describes it). Deterministic for a given seed.
The generator is remission.datasets.demo (its docstring gives the model).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from remission.datasets.demo import write_demo_cohort  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", metavar="OUTDIR")
    parser.add_argument("--n", type=int, default=3000, help="patients (default 3000)")
    parser.add_argument("--centres", type=int, default=12, help="centres (default 12)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.centres < 1:
        parser.error("--n and --centres must be at least 1")
    cohort, study = write_demo_cohort(args.outdir, args.n, args.centres, args.seed)
    print(f"wrote {cohort} ({args.n} patients, {args.centres} centres) and {study}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
