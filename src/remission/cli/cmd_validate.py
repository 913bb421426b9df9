"""``remission validate [FILE] [--study YAML]``: check a cohort file against the data
dictionary and the study file.

Prints a summary (patients, date range, the study's columns, the columns kept with an
inferred type, missing values per column, warnings) and exits 0, or lists every problem
and exits 2 (on screen the first 30, the rest counted by kind). Without FILE it checks
the bundled seed cohort. Writes nothing, except ``--problems FILE.csv``: every problem (or,
with ``--drop-invalid``, every reason a row was left out), one a row, to sort and work
through in a spreadsheet.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._input import cutoff_replaced

if TYPE_CHECKING:  # the cohort layer is imported when the command runs (fast --help)
    from remission.cohort.cohort import Cohort, CohortSummary
    from remission.cohort.problems import Problem

NAME = "validate"
HELP = "Check a cohort file against the data dictionary and print a summary."
EXAMPLES = """examples:
  remission validate                                     # the bundled seed cohort
  remission validate cohort.xlsx --sheet Patients --data-cutoff 2023-12-31
  remission validate cohort.csv --drop-invalid
  remission validate cohort.csv --study study.yaml --problems problems.csv
"""

#: the header of a ``--problems`` file: an existing file is replaced only if it has it
PROBLEM_COLUMNS = ("row", "patient_id", "column", "header", "value", "problem", "expected",
                   "file")  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", metavar="FILE",
        help="cohort file (.csv, .tsv, .xlsx, .parquet); default: the bundled seed cohort",
    )  # fmt: skip
    parser.add_argument("--data-cutoff", metavar="DATE", help="data cut-off date, e.g. 2020-06-30")
    parser.add_argument("--study", metavar="YAML", help="study file with data_cutoff_date etc.")
    parser.add_argument(
        "--sheet", metavar="NAME", help="worksheet of an .xlsx file (default: first)"
    )
    parser.add_argument(
        "--drop-invalid", action="store_true",
        help="exclude rows with problems instead of failing, and list each with its reasons",
    )  # fmt: skip
    parser.add_argument(
        "--problems", metavar="FILE.csv",
        help="also write every problem, one a row (row, patient, column, header, value, "
        "problem, expected), as a CSV for a spreadsheet; replaces only an earlier such file",
    )  # fmt: skip


def _seed_paths() -> tuple[Path, Path | None]:
    from remission import datasets

    find = getattr(datasets, "seed_cohort_path", None)
    if find is None:
        raise UsageError("no FILE given and no bundled seed cohort is installed; give a FILE")
    study = getattr(datasets, "seed_study_path", None)
    return Path(find()), (Path(study()) if study is not None else None)


def _cutoff(args: argparse.Namespace, study_path: Path | None):
    from remission.cohort.cohort import as_date
    from remission.cohort.study import load_study

    from_cli = None
    if args.data_cutoff is not None:
        try:
            from_cli = as_date(args.data_cutoff)
        except ValueError as exc:
            raise UsageError(f"--data-cutoff: {exc}") from None
    from_study = load_study(study_path).data_cutoff_date if study_path is not None else None
    return from_cli or from_study


def run(args: argparse.Namespace) -> int:
    study_path = Path(args.study) if args.study else None
    if args.file:
        path = Path(args.file)
    else:
        path, seed_study = _seed_paths()
        study_path = study_path or seed_study
    cutoff = _cutoff(args, study_path)
    from remission.cohort.cohort import load_cohort
    from remission.cohort.problems import InputError
    from remission.cohort.study import load_study

    target = _problems_target(args.problems, (path, study_path))
    study = load_study(study_path) if study_path is not None else None
    try:
        cohort = load_cohort(path, data_cutoff=cutoff, drop_invalid=args.drop_invalid,
                             sheet=args.sheet, study=study)  # fmt: skip
    except InputError as exc:
        if target is not None:
            write_problems(exc.problems, target)
        raise
    if target is not None:
        write_problems([p for d in cohort.dropped for p in d.problems], target)
    text = format_summary(cohort.summary())
    said = cutoff_replaced(args.data_cutoff is not None, cohort.data_cutoff,
                           study.data_cutoff_date if study is not None else None)  # fmt: skip
    if said:  # as the analyses and the report say it too
        line = f"  data cut-off: {cohort.data_cutoff}\n"
        text = text.replace(line, f"{line[:-1]} ({said})\n", 1)
    print(text)
    from remission.cli import SHOWN_PROBLEMS

    dropped = format_dropped(cohort, SHOWN_PROBLEMS, pointer=target is None)
    if dropped:
        print(dropped)
    return 0


def _problems_target(name: str | None, inputs: tuple) -> Path | None:
    """The ``--problems`` path, refused before anything is read if it is an input or a
    file that is not an earlier problems file (a user's file is never replaced)."""
    if name is None:
        return None
    target = Path(name)
    if target.suffix.lower() != ".csv":
        raise UsageError(f"--problems: {name!r} should end in .csv")
    if any(p is not None and target.resolve() == Path(p).resolve() for p in inputs):
        raise UsageError(f"--problems: {name!r} is an input file; name a new file")
    if target.exists():
        with open(target, encoding="utf-8-sig", errors="replace") as fh:
            first = fh.readline().strip()
        if first != ",".join(PROBLEM_COLUMNS):
            raise UsageError(f"--problems: {name!r} exists and is not an earlier problems file "
                             "(first line differs); name a new file")  # fmt: skip
    if not target.parent.is_dir():
        raise UsageError(f"--problems: no folder {str(target.parent)!r}")
    return target


def write_problems(problems, target: Path) -> None:
    """Every problem as a CSV row (UTF-8 with BOM for spreadsheets; formula-like cells
    neutralised), written to a temporary file and renamed over ``target``."""
    import csv
    import os

    from remission.cohort.csvsafe import safe_row
    from remission.cohort.validate import shown

    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(PROBLEM_COLUMNS)
            for p in problems:
                value = "" if p.value is None else str(shown(p.value))
                out.writerow(safe_row([p.row or "", p.patient_id or "", p.column or "",
                                       p.header or "", value, p.message, p.expected or "",
                                       p.file]))  # fmt: skip
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def format_summary(s: CohortSummary) -> str:
    """The summary as plain text."""
    lines = [
        f"{s.source.path}: {s.n_patients} patient{'s' if s.n_patients != 1 else ''} valid",
        f"  sha256 {s.source.sha256}",
        f"  data cut-off: {s.data_cutoff or 'none'}",
    ]
    if s.first_date is not None:
        lines.append(f"  dates from {s.first_date} to {s.last_date}")
    width = max(len(c) for c in s.date_ranges) if s.date_ranges else 0
    for col, (a, b) in s.date_ranges.items():
        lines.append(f"    {col:<{width}}  {a} to {b}")
    if s.n_age_derived:
        lines.append(f"  ages computed from the dates for {s.n_age_derived}")
    for title, cols in (("study columns (study file)", s.study_columns),
                        ("other columns kept, type inferred (declare them in the study file "
                         "to confirm)", s.inferred)):  # fmt: skip
        if cols:
            lines.append(f"  {title}:")
            width = max(len(c) for c in cols)
            lines += [f"    {c:<{width}}  {k}{_levels(s, c)}" for c, k in cols.items()]
    missing = {c: k for c, k in s.missing.items() if k and c not in s.not_in_file}
    if missing:
        lines.append(f"  missing values (of {s.n_patients}):")
        width = max(len(c) for c in missing)
        lines += [f"    {c:<{width}}  {k}" for c, k in missing.items()]
    else:
        lines.append("  no missing values")
    if s.not_in_file:
        lines.append("  columns of the dictionary not in the file (missing for every patient): "
                     + ", ".join(s.not_in_file))  # fmt: skip
    if s.warnings:
        lines.append(f"  {len(s.warnings)} warning{'s' if len(s.warnings) != 1 else ''} "
                     "(not errors; check these values):")  # fmt: skip
        lines += [f"    - {w}" for w in s.warnings]
    return "\n".join(lines)


def _levels(s: CohortSummary, col: str) -> str:
    levels = s.levels.get(col)
    if not levels:
        return ""
    shown = ", ".join(levels[:8]) + (", ..." if len(levels) > 8 else "")
    return f": {shown} (reference {s.references.get(col, levels[0])})"


def format_dropped(cohort: Cohort, limit: int | None = None, pointer: bool = True) -> str:
    """The rows excluded by --drop-invalid, each with every reason; empty if none. With
    ``limit``, rows are listed until ``limit`` reasons are shown, the rest counted by kind
    (as a list of problems is everywhere: :data:`remission.cli.SHOWN_PROBLEMS`), and with
    ``pointer`` a line says how to get every one of them (``--problems``)."""
    from remission.cohort.problems import InputError

    if not cohort.dropped:
        return ""
    n = len(cohort.dropped)
    lines = [f"{n} row{'s' if n != 1 else ''} excluded (--drop-invalid):"]
    shown = 0
    for i, d in enumerate(cohort.dropped):
        if limit is not None and shown and shown + len(d.problems) > limit:
            rest = [p for r in cohort.dropped[i:] for p in r.problems]
            lines.append(f"  ... and {n - i} more row{'s' if n - i != 1 else ''} "
                         f"({len(rest)} problem{'s' if len(rest) != 1 else ''}):")  # fmt: skip
            lines += InputError(rest).render(limit=0).splitlines()[2:]
            if pointer:
                lines.append("(every problem, one a row: remission validate FILE [--study YAML] "
                             "--drop-invalid --problems problems.csv)")  # fmt: skip
            break
        lines.append(f"  row {d.row}, patient {d.patient_id}:")
        lines += [f"    - {p.message} ({_where(p)}; expected {p.expected})" for p in d.problems]
        shown += len(d.problems)
    return "\n".join(lines)


def _where(p: Problem) -> str:
    """Column (with the spreadsheet's header when renamed) and value, when there is one."""
    text = p.column_text()
    return text if p.value is None else f"{text}, value {p.value!r}"
