"""``remission init FILE [-o study.yaml] [--force]``: a starter study file for a spreadsheet.

Headers are matched to the data dictionary by name and synonyms, types and levels are
inferred, and every guess is marked ``# GUESS``/``# CHECK`` for the user to confirm
(:mod:`remission.cohort.starter`). Never overwrites an existing file without ``--force``;
writes nothing but the study file.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

from remission.cli import UsageError

NAME = "init"
HELP = "write a starter study file for a new spreadsheet (headers matched, types inferred)"
EXAMPLES = """examples:
  remission init cohort.xlsx --sheet Patients -o study.yaml
  remission init cohort.csv --force
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="cohort file (.csv, .tsv, .xlsx, .parquet)")
    parser.add_argument("-o", "--output", metavar="YAML", default="study.yaml",
                        help="study file to write (default: study.yaml)")  # fmt: skip
    parser.add_argument("--sheet", metavar="NAME", help="worksheet of an .xlsx file")
    parser.add_argument("--force", action="store_true", help="replace an existing study file")


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.exists() and not args.force:
        raise UsageError(f"{out} exists: give another -o, or --force to replace it")
    if out.resolve() == Path(args.file).resolve():
        raise UsageError("-o names the cohort file itself")
    from remission.cohort.io import read_table
    from remission.cohort.starter import starter_study

    text = starter_study(read_table(args.file, args.sheet))
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent if str(out.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    guesses = sum("# GUESS" in ln or "# CHECK" in ln for ln in text.splitlines())
    sheet = f" --sheet {shlex.quote(args.sheet)}" if args.sheet else ""
    print(f"wrote {out}: {guesses} lines to confirm (marked GUESS or CHECK); then run\n"
          f"  remission validate {shlex.quote(args.file)}{sheet} --study {shlex.quote(str(out))}")  # fmt: skip
    from remission.cli._sheets import sheet_hint

    hint = sheet_hint(args.file, args.sheet)
    if hint:
        print(hint, file=sys.stderr)
    return 0
