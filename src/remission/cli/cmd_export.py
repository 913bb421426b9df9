"""``remission export [FILE] --adtte OUT.xpt [--adsl OUT.xpt]``: CDISC ADaM data sets.

ADTTE holds the derived endpoints (one row per patient and endpoint, ``CNSR`` 0 = event),
ADSL the validated cohort; see :mod:`remission.endpoints.adtte`. Without FILE the bundled
seed cohort is exported (with its study file); ``--study`` gives another cohort's. Nothing is written when the input has a problem, and an output
path that is one of the input files is refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from remission.cli import UsageError

NAME = "export"
HELP = "Write the derived endpoints as CDISC ADaM ADTTE (and the cohort as ADSL) .xpt files"
EXAMPLES = """examples:
  remission export cohort.csv --adtte adtte.xpt --adsl adsl.xpt --data-cutoff 2023-12-31
  remission export --adtte seed_adtte.xpt                # the bundled seed cohort
"""
_SHOWN = 5  # excluded patients named per endpoint
_ENDPOINTS = ("EFS", "OS", "CIR", "NRM")  # the default; a study file may add its own


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="cohort file or folder (default: the bundled seed cohort)")  # fmt: skip
    parser.add_argument("--adtte", metavar="OUT.xpt", help="write ADTTE here")
    parser.add_argument("--adsl", metavar="OUT.xpt", help="write ADSL here")
    parser.add_argument("--endpoints", default=",".join(_ENDPOINTS),
                        help="comma-separated endpoints for ADTTE, built-in or the study "
                             "file's (default: EFS,OS,CIR,NRM)")  # fmt: skip
    parser.add_argument("--origin", default="hsct",
                        help="origin of time (STARTDT): a named origin or a date column "
                             "(default: hsct)")  # fmt: skip
    parser.add_argument("--study", metavar="YAML", help="study file (renames, columns, endpoints)")
    parser.add_argument("--data-cutoff", metavar="DATE", help="censor follow-up at this date")
    parser.add_argument("--sheet", help="worksheet name of an .xlsx file (default: first)")
    parser.add_argument("--study-id", default="REMISSION", help="STUDYID value (default REMISSION)")
    parser.add_argument("--drop-invalid", action="store_true",
                        help="leave out rows with problems instead of stopping (each named in "
                        "the output; `remission validate --drop-invalid` lists why)")  # fmt: skip


def _outputs(args: argparse.Namespace, inputs: list[Path]) -> list[Path]:
    """The output paths, checked before anything is read or written."""
    outs = [Path(p) for p in (args.adtte, args.adsl) if p]
    if not outs:
        raise UsageError("name an output: --adtte OUT.xpt and/or --adsl OUT.xpt")
    if len(outs) == 2 and outs[0].resolve() == outs[1].resolve():
        raise UsageError("--adtte and --adsl name the same file")
    for out in outs:
        if any(out.resolve() == p.resolve() for p in inputs):
            raise UsageError(f"{out}: refusing to overwrite an input file")
        if out.suffix.lower() != ".xpt":
            raise UsageError(f"{out}: the output must be a .xpt file")
        if not out.parent.is_dir():
            raise UsageError(f"{out}: folder {out.parent} does not exist")
    return outs


def _endpoint_names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise UsageError("--endpoints: none given; expected e.g. EFS,OS")
    return list(dict.fromkeys(names))


def run(args: argparse.Namespace) -> int:
    from remission.cli._input import load_study_cohort
    from remission.datasets import seed_cohort_path
    from remission.endpoints import derive_endpoint, resolve_endpoint, resolve_origin
    from remission.endpoints.adtte import write_adsl, write_adtte

    inputs = [Path(args.file) if args.file else seed_cohort_path()]
    if inputs[0].is_dir():
        inputs += list(inputs[0].iterdir())
    _outputs(args, inputs)
    names = _endpoint_names(args.endpoints)
    cohort = load_study_cohort(args.file, args.study, args.data_cutoff, args.sheet, {},
                               args.drop_invalid)  # fmt: skip
    if cohort.dropped:
        ids = [d.who for d in cohort.dropped]
        more = f", and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else ""
        print(f"{len(ids)} invalid row(s) left out (--drop-invalid): "
              f"{', '.join(map(str, ids[:_SHOWN]))}{more}")  # fmt: skip
    names = [resolve_endpoint(n, cohort.study, cohort.source.path).name for n in names]
    origin = resolve_origin(args.origin, cohort.frame, cohort.study, cohort.source.path)
    derived = [
        derive_endpoint(cohort.frame, n, args.origin, data_cutoff=cohort.data_cutoff,
                        source=cohort.source.path, rows=cohort.source_rows or None,
                        study=cohort.study)
        for n in names
    ]  # fmt: skip
    if args.adtte:
        write_adtte(derived, args.adtte, args.study_id)
        print(f"wrote {args.adtte}: ADTTE, {', '.join(names)} from {args.origin} ({origin}), "
              f"{sum(len(d.frame) for d in derived)} rows")  # fmt: skip
        for d in derived:
            if d.excluded:
                shown = "; ".join(f"{pid}: {why}" for pid, why in d.excluded[:_SHOWN])
                more = f"; and {len(d.excluded) - _SHOWN} more" if len(d.excluded) > _SHOWN else ""
                print(f"  {d.endpoint}: {len(d.excluded)} patient(s) not written ({shown}{more})")
    if args.adsl:
        write_adsl(cohort.frame, args.adsl, args.study_id)
        print(f"wrote {args.adsl}: ADSL, {cohort.n} patients")
    return 0
