"""Shared input options of the statistics commands (km, compare, cif, cox, followup).

A command reads either a plain table (``--time``/``--event`` name its columns) or a
cohort with ``--endpoint`` (built-in or the study file's own) and ``--origin`` (a named
origin or any date column), in which case ``time`` and ``event`` are derived from the
dates. ``--study`` gives the study file, ``--reference COL=LEVEL`` another reference
level; the categories reach the statistics as ordered pandas Categoricals in their
clinical order (groups, trend scores), and the declared reference levels
(``InputTable.references``) go to Cox's dummy coding.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from remission.cli import UsageError

if TYPE_CHECKING:  # imported when a command runs, not for --help (fast start)
    import pandas as pd

__all__ = [
    "add_input_arguments",
    "add_time_arguments",
    "exposure_input",
    "read_input",
    "InputTable",
    "parse_times",
]


@dataclass(frozen=True, eq=False)
class InputTable:
    frame: pd.DataFrame
    rows: tuple[int, ...]
    source: str
    time: str
    event: str
    note: str = ""
    event_labels: tuple[tuple[int, str], ...] = ()
    origin_column: str = ""
    excluded_patients: tuple[tuple[str, str], ...] = ()
    references: tuple[tuple[str, str], ...] = ()  # (column, reference level) declared


def add_input_arguments(
    parser: argparse.ArgumentParser, competing: bool = False, reference: bool = True
) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="CSV, .xlsx, Parquet or .xpt file, or a REDCap/ADaM folder (docs/formats.md); "
        "with --endpoint and no FILE: the bundled seed cohort",
    )
    parser.add_argument("--time", help="column of follow-up times")
    parser.add_argument(
        "--event",
        help="column of event status (0 censored, " + ("1..k cause)" if competing else "1 event)"),
    )
    parser.add_argument("--sheet", help="worksheet name of an .xlsx file (default: first)")
    parser.add_argument(
        "--endpoint",
        help="derive time and event from a cohort file's dates instead of --time/--event: "
        "EFS, OS, CIR, NRM or an endpoint of the study file",
    )
    parser.add_argument(
        "--origin",
        default="hsct",
        help="origin of time with --endpoint: diagnosis, hsct, an intervention or origin of "
        "the study file, or any date column (default: hsct)",
    )
    parser.add_argument("--data-cutoff", help="censor follow-up at this date (with --endpoint)")
    parser.add_argument("--study", metavar="YAML", help="study file (with --endpoint)")
    parser.add_argument(
        "--drop-invalid",
        action="store_true",
        help="with --endpoint: leave out rows with problems instead of stopping; each is "
        "counted in the output's exclusions (`remission validate --drop-invalid` lists why)",
    )
    if reference:  # compare has its own --reference (the reference group of the HR)
        parser.add_argument(
            "--reference", action="append", default=[], metavar="COL=LEVEL",
            help="reference level of a category column (repeatable; default: its first level)",
        )  # fmt: skip
    parser.add_argument(
        "--mrd-transform",
        metavar="[COLUMN=]SPEC",
        action="append",
        help="how MRD columns enter as covariate/group: log10, log10:L or cut:c1[,c2...] "
        "(per cent; default log10 for covariates, cut:0.01 for groups; COLUMN=SPEC for one "
        "column, repeatable; docs/methods-cox.md)",
    )
    from remission.cli._engine import add_engine_arguments

    add_engine_arguments(parser)


def read_input(args: argparse.Namespace) -> InputTable:
    """Read the FILE named on the command line into a table with time and event columns;
    MRD columns used as covariates, group or strata are transformed (``--mrd-transform``)."""
    from remission.cli._covariates import with_mrd_transforms

    return with_mrd_transforms(_read_input(args), args)


def _read_input(args: argparse.Namespace) -> InputTable:
    if getattr(args, "sql", None):
        raise UsageError("--sql needs an engine: --engine duckdb or --engine spark")
    if args.endpoint:
        return _endpoint_input(args)
    if getattr(args, "drop_invalid", False):
        raise UsageError(
            "--drop-invalid is for cohorts read with --endpoint (it leaves out "
            "rows that fail validation); --time/--event columns are read as given"
        )
    if not args.file:
        raise UsageError("give a FILE (or --endpoint, to use the bundled seed cohort)")
    if not args.time or not args.event:
        raise UsageError("name the columns with --time and --event (or use --endpoint)")
    from remission.cohort.io import read_table

    raw = read_table(args.file, sheet=args.sheet)
    return InputTable(raw.frame, raw.rows, raw.path, args.time, args.event)


def parse_references(items: list[str]) -> dict[str, str]:
    """``["donor=MSD"]`` -> ``{"donor": "MSD"}``; a UsageError for a malformed item."""
    out = {}
    for item in items or ():
        col, sep, level = item.partition("=")
        if not sep or not col.strip() or not level.strip():
            raise UsageError(f"--reference: {item!r} is not COLUMN=LEVEL (e.g. donor=MSD)")
        out[col.strip()] = level.strip()
    return out


def load_study_cohort(file: str | None, study_path: str | None, data_cutoff: str | None,
                      sheet: str | None, references: dict[str, str],
                      drop_invalid: bool = False):  # fmt: skip
    """The cohort of FILE (or the bundled seed) read with its study file and references;
    rows with problems excluded (``Cohort.dropped``) when ``drop_invalid``."""
    from remission.cohort.cohort import load_cohort
    from remission.cohort.study import Study, load_study
    from remission.datasets import seed_cohort_path, seed_study_path

    if study_path is None and not file:
        study_path = str(seed_study_path())
    study = load_study(study_path) if study_path else Study()
    if references:
        study = study.with_references(references)
    try:
        return load_cohort(file or seed_cohort_path(), data_cutoff=data_cutoff, sheet=sheet,
                           study=study, drop_invalid=drop_invalid)  # fmt: skip
    except ValueError as exc:
        raise UsageError(f"--data-cutoff: {exc}") from None


def ordered(frame: pd.DataFrame, levels: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """``frame`` with each category column an ordered Categorical in its clinical order
    (groups, trend scores; the Cox reference is passed separately)."""
    import pandas as pd

    out = frame.copy()
    for col, lv in levels.items():
        if col in out.columns and lv:
            out[col] = pd.Categorical(out[col], categories=list(lv), ordered=True)
    return out


def _endpoint_input(args: argparse.Namespace) -> InputTable:
    if args.file:  # an ADaM folder whose ADTTE has the endpoint (remission.cli._formats)
        from remission.cli._formats import adtte_input

        table = adtte_input(args, InputTable)
        if table is not None:
            return table
    given = getattr(args, "reference", None)
    refs = parse_references(given if isinstance(given, list) else [])
    cohort = load_study_cohort(args.file, getattr(args, "study", None), args.data_cutoff,
                               args.sheet, refs, getattr(args, "drop_invalid", False))  # fmt: skip
    frame = cohort.endpoint(args.endpoint, origin=args.origin)
    from remission.endpoints import resolve_endpoint, resolve_origin

    spec = resolve_endpoint(args.endpoint, cohort.study)
    origin_col = resolve_origin(args.origin, cohort.frame, cohort.study)
    excluded = (*invalid_rows(cohort), *frame.attrs.get("excluded", ()))
    note = f"{spec.name} from {args.origin} ({origin_col}; times in days)"
    if not args.file:
        note += "; bundled seed cohort (reconstructed data)"
    late = frame.attrs.get("after_cutoff", 0)
    # kept in the InputTable below; pandas deep-copies attrs on every operation, which with
    # thousands of excluded patients cost more than the analysis itself
    frame.attrs = {}
    if cohort.data_cutoff is not None:
        note += (f"; {late} event{'s' if late != 1 else ''} after the data cut-off "
                 f"{cohort.data_cutoff} censored at it")  # fmt: skip
    said = cutoff_replaced(bool(args.data_cutoff), cohort.data_cutoff,
                           cohort.study.data_cutoff_date)  # fmt: skip
    note += f" ({said})" if said else ""
    if excluded:
        note += "; " + excluded_summary(excluded)
    row_of = dict(zip(cohort.patient_ids, cohort.source_rows, strict=False))  # file rows
    rows = tuple(row_of.get(p, i + 2) for i, p in enumerate(frame["patient_id"]))
    labels = tuple(sorted(spec.codes().items()))
    frame = ordered(frame.reset_index(drop=True), cohort.levels)
    return InputTable(frame, rows, cohort.source.path, "time", "event", note, labels, origin_col,
                      tuple((str(p), str(r)) for p, r in excluded),
                      declared_references(cohort.columns))  # fmt: skip


def cutoff_replaced(given: bool, used, declared) -> str:
    """``--data-cutoff, in place of the study file's D`` when a cut-off given on the
    command line (``given``) replaced the study file's other one; else ``""``. Every
    command says it in the same words."""
    if not given or declared is None or used == declared:
        return ""
    return f"--data-cutoff, in place of the study file's {declared}"


INVALID = "invalid input (--drop-invalid)"


def invalid_rows(cohort) -> tuple[tuple[str, str], ...]:
    """(patient, reason) for each row ``--drop-invalid`` left out; a row without a usable
    patient_id is named by its row in the file."""
    return tuple((d.who, INVALID) for d in cohort.dropped)


def declared_references(columns) -> tuple[tuple[str, str], ...]:
    """(column, level) for each category whose reference the study file or --reference
    chose (the others: their first level)."""
    return tuple((c.name, c.reference) for c in columns
                 if c.kind == "category" and c.reference is not None)  # fmt: skip


_DATE = re.compile(r" ?\b\d{4}-\d{2}-\d{2}\b")


def excluded_summary(excluded: Sequence[tuple[str, str]], shown: int = 3, kinds: int = 5) -> str:
    """``excluded 37: no HSCT date 30 (P1, P2, P3, ...); ...``: counts by kind of reason,
    the first ids of each, at most ``kinds`` kinds (most frequent first; the others counted).

    A reason's own date does not make a kind of its own: ``hsct_date 2023-08-30 after the
    data cut-off 2019-01-01`` counts as ``hsct_date after the data cut-off``, so a cut-off
    that excludes hundreds of patients gives one line, not one per date. Every id, with
    its reason as written, is in ``--json`` (``excluded_patients``)."""
    by_kind: dict[str, list[str]] = {}
    for pid, why in excluded:
        by_kind.setdefault(_DATE.sub("", str(why)).strip(), []).append(str(pid))
    ranked = sorted(by_kind.items(), key=lambda kv: -len(kv[1]))
    parts = []
    for why, ids in ranked[:kinds]:
        more = ", ..." if len(ids) > shown else ""
        parts.append(f"{why} {len(ids)} ({', '.join(ids[:shown])}{more})")
    if len(ranked) > kinds:
        rest = sum(len(ids) for _, ids in ranked[kinds:])
        parts.append(f"{rest} more for {len(ranked) - kinds} other reasons")
    return f"excluded {len(excluded)}: " + "; ".join(parts) + " (all ids with --json)"


def parse_times(text: str | None, option: str = "--at") -> list[float]:
    """``"365,1095.75"`` -> ``[365.0, 1095.75]``; a clear error (naming ``option``)
    otherwise."""
    if not text:
        return []
    out = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise UsageError(
                f"{option}: {part!r} is not a number (expected e.g. 365,1096)"
            ) from None
        if value < 0:
            raise UsageError(f"{option}: {part!r} is negative")
        out.append(value)
    return out


def add_time_arguments(parser: argparse.ArgumentParser, exposure_help: str | None = None) -> None:
    """``--entry``, ``--exact-times`` and (when ``exposure_help`` is given) ``--exposure``."""
    parser.add_argument(
        "--entry",
        help="column of entry times (delayed entry, or the start of (start, stop] rows): "
        "at risk for times > entry, as R's Surv(entry, time, event)",
    )
    parser.add_argument(
        "--exact-times",
        action="store_true",
        help="compare times exactly (default: times equal up to rounding error are tied, "
        "as R's timefix)",
    )
    if exposure_help:
        parser.add_argument("--exposure", help=exposure_help)


EXPOSURE_HELP = (
    "column of the time of a time-dependent exposure (e.g. HSCT), on the scale of --time "
    "(empty: never exposed); with --endpoint, a date column (e.g. hsct_date)"
)


def exposure_input(inp: InputTable, args: argparse.Namespace) -> tuple[InputTable, str]:
    """The table with the exposure as a time: with ``--endpoint`` a date column becomes days
    from the origin date (a new column ``<name>_days``)."""
    col = args.exposure
    if not args.endpoint or col not in inp.frame.columns:
        return inp, col
    import pandas as pd

    from remission.endpoints.derive import ORIGINS

    values = inp.frame[col]
    if not pd.api.types.is_datetime64_any_dtype(values):
        return inp, col
    origin = inp.frame[inp.origin_column or ORIGINS[args.origin]]
    days = (values - origin).dt.days.astype(float)
    name = f"{col}_days"
    frame = inp.frame.assign(**{name: days})
    note = (inp.note + "; " if inp.note else "") + f"{col} as days from the {args.origin} date"
    return replace(inp, frame=frame, note=note), name
