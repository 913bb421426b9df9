"""``remission report [COHORT] [--claims CLAIMS.yaml] [--study STUDY.yaml] [-o DIR]``.

Without COHORT the bundled seed cohort is used with its study file and its claims file.
A bad cohort gets the same problems as ``remission validate`` and no report is written.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import shlex
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from remission.cli import UsageError

if TYPE_CHECKING:  # the cohort and report layers are imported when the command runs
    from remission.cohort.problems import Problem
    from remission.cohort.study import Study

NAME = "report"
HELP = "write the study report (HTML, JSON, figures, tables) and audit published claims"
EXAMPLES = """examples:
  remission report -o seed-report                        # the bundled seed letter
  remission report cohort.csv --study study.yaml --claims claims.yaml -o out
  remission report cohort.csv --group centre --p-style nejm --data-cutoff 2023-12-31
"""

_SEED_CLAIMS = Path(__file__).resolve().parents[1] / "datasets" / "seed_claims.yaml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cohort", nargs="?", metavar="COHORT",
                        help="cohort file (CSV, .xlsx, Parquet); default: the bundled seed cohort")  # fmt: skip
    parser.add_argument("--claims", metavar="CLAIMS.yaml", help="published claims to audit")
    parser.add_argument("--study", metavar="STUDY.yaml",
                        help="study file: title, data_cutoff_date, eligibility criteria")  # fmt: skip
    parser.add_argument("--data-cutoff", metavar="DATE", help="censor follow-up at this date")
    parser.add_argument("-o", "--output", metavar="DIR", default="remission-report",
                        help="output folder (default: ./remission-report/)")  # fmt: skip
    parser.add_argument("--unit", choices=["months", "years"], default="months",
                        help="time axis of the figures (default: months)")  # fmt: skip
    parser.add_argument("--group", metavar="COLUMN",
                        help="stratify Table 1 (Fisher / Kruskal-Wallis) and draw KM curves by "
                        "this cohort column")  # fmt: skip
    parser.add_argument("--sheet", help="worksheet of an .xlsx cohort (default: first)")
    parser.add_argument("--drop-invalid", action="store_true",
                        help="leave out rows with problems instead of stopping; each is shown, "
                        "with its reason, as the first step of the patient flow")  # fmt: skip
    parser.add_argument("--p-style", choices=["default", "nejm", "lancet", "jama", "blood"],
                        default="default",
                        help="p-value style of a journal (docs/report.md; default: <0.001, "
                        "3 decimals below 0.1, else 2)")  # fmt: skip


class _Progress:
    """Print a step on stderr only if it is still running after one second."""

    def __init__(self, delay: float = 1.0):
        self.delay = delay
        self._timer: threading.Timer | None = None

    def __call__(self, step: str) -> None:
        self.stop()
        self._timer = threading.Timer(self.delay, self._say, args=(step,))
        self._timer.daemon = True
        self._timer.start()

    def _say(self, step: str) -> None:
        print(f"remission report: {step} ...", file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _seed_paths() -> tuple[Path, Path | None]:
    try:
        from remission.datasets import seed_cohort_path, seed_study_path
    except ImportError:
        raise UsageError("the bundled seed cohort is not installed; name a COHORT file") from None
    return Path(seed_cohort_path()), Path(seed_study_path())


def _read_study(path: Path | None) -> Study:
    """The study file through the cohort layer's one reader (keys checked); none: empty."""
    from remission.cohort.study import Study, load_study

    return load_study(path) if path is not None else Study()


def _criteria(study: Study) -> object:
    """Declarative eligibility criteria: ``eligibility.criteria`` of the study file
    (``facts.eligibility_criteria`` in older study files)."""
    return study.eligibility.get("criteria", study.facts.get("eligibility_criteria"))


def _inputs(args: argparse.Namespace, argv: list[str]):
    from remission.cli._input import cutoff_replaced
    from remission.cohort.cohort import load_cohort
    from remission.cohort.problems import InputError
    from remission.cohort.study import Study
    from remission.report.claims import load_claims
    from remission.report.eligibility import parse_criteria
    from remission.report.results import ReportInputs

    seed = args.cohort is None
    cohort_path, study_path = _seed_paths() if seed else (Path(args.cohort), None)
    if args.study:
        study_path = Path(args.study)
    claims_path = Path(args.claims) if args.claims else (_SEED_CLAIMS if seed else None)
    problems: list[Problem] = []
    study = Study()
    try:
        study = _read_study(study_path)
    except InputError as exc:
        problems += exc.problems
    cutoff = args.data_cutoff or study.data_cutoff_date
    try:
        criteria = parse_criteria(_criteria(study), str(study_path))
    except InputError as exc:
        problems += exc.problems
    try:
        claims = load_claims(claims_path) if claims_path else ()
    except InputError as exc:
        problems += exc.problems
    try:
        cohort = load_cohort(cohort_path, data_cutoff=cutoff, sheet=args.sheet, study=study,
                             drop_invalid=args.drop_invalid)  # fmt: skip
    except InputError as exc:
        problems += exc.problems
    except ValueError as exc:  # the loader's one-line complaint about the cut-off date
        raise UsageError(f"data cut-off: {exc}") from None
    if problems:
        raise InputError(problems)
    if args.group and args.group not in cohort.frame.columns:
        raise UsageError(f"--group: no column {args.group!r} in {cohort_path} (columns: "
                         + ", ".join(cohort.frame.columns) + ")")  # fmt: skip
    from remission.report.listing import listing_spec, present_columns
    from remission.report.table1 import table1_variables

    origins = report_origins(cohort.frame, tuple((i.name, i.start) for i in study.interventions))
    frame, group = _mrd_group(cohort, args.group, str(cohort_path))
    interventions = {i.name: i.start for i in study.interventions}
    present = present_columns(cohort.frame)
    listing = listing_spec(cohort.columns, interventions, study.endpoints, present)
    import pandas as pd

    levels = cohort.levels.get(group or "", ())
    if levels and not isinstance(frame[group].dtype, pd.CategoricalDtype):
        frame = frame.assign(**{group: pd.Categorical(frame[group], categories=list(levels),
                                                      ordered=True)})  # fmt: skip
    return ReportInputs(
        origins=origins, frame=frame,
        variables=table1_variables(cohort.columns, treatment=next(iter(interventions), None),
                                   present=present),
        interventions=interventions, listing=listing,
        endpoints=tuple((e.name, bool(e.competing)) for e in study.endpoints),
        endpoint_descriptions={e.name: e.description for e in study.endpoints},
        endpoint=cohort.endpoint, source_path=str(cohort_path),
        source_sha256=hashlib.sha256(cohort_path.read_bytes()).hexdigest(),
        data_cutoff=_as_date(cohort.data_cutoff), claims=claims,
        claims_path=str(claims_path) if claims_path else None, criteria=criteria,
        reconstructed=seed, title=study.title or "Study report",
        command_line=" ".join(shlex.quote(a) for a in ["remission", *argv]), unit=args.unit,
        eligibility_text=_eligibility_text(study), group=group,
        p_style=getattr(args, "p_style", "default"), invalid=_invalid(cohort),
        data_cutoff_note=cutoff_replaced(bool(args.data_cutoff), cohort.data_cutoff,
                                         study.data_cutoff_date),
    )  # fmt: skip


def report_origins(frame, interventions: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The origins the report measures time from, the first one leading (Figures 1, 3, 4).

    ``interventions`` are the study's (name, start column). HSCT leads when every patient
    given the first intervention also has an HSCT date (a bridge to transplant, as the
    seed study); otherwise the first intervention leads and HSCT, when any patient has
    one, follows it. Diagnosis when there is neither."""

    def dated(column: str):
        if column not in frame.columns:
            return None
        return frame[column].notna().to_numpy(bool)

    hsct = dated("hsct_date")
    any_hsct = hsct is not None and bool(hsct.any())
    names = tuple(name for name, _ in interventions)
    if not names:
        return ("hsct",) if any_hsct else ("diagnosis",)
    first = dated(interventions[0][1])
    bridge = any_hsct and first is not None and bool((hsct | ~first).all())
    if bridge:
        return ("hsct", *names)
    return (*names[:1], *(("hsct",) if any_hsct else ()), *names[1:])


def _invalid(cohort) -> tuple[tuple[str, str], ...]:
    """(patient, reason) for each row --drop-invalid left out (the row when no id)."""
    out = []
    for d in cohort.dropped:
        p = d.problems[0]
        why = f"invalid: {p.column_text()}: {p.message}"
        why += f" ({p.value!r})" if p.value is not None else ""
        more = len(d.problems) - 1
        out.append((d.who, why + (f" and {more} more" if more else "")))
    return tuple(out)


def _mrd_group(cohort, group: str | None, source: str):
    """An MRD column as ``--group`` enters as its categories at the default cut-point
    (negative / <0.01 % / >=0.01 %, as ``remission km --group`` does), in a column of its
    own named ``<column>_category``; any other column is used as it is."""
    from remission.cli._covariates import DEFAULT_GROUP
    from remission.cohort.covariates import is_mrd_column, mrd_covariate, parse_mrd_transform

    frame = cohort.frame
    if not group or not is_mrd_column(frame[group]):
        return frame, group
    name = f"{group}_category"
    frame = frame.copy()
    frame[name] = mrd_covariate(frame[group], parse_mrd_transform(DEFAULT_GROUP), column=group,
                                source=source, patients=list(frame["patient_id"]))  # fmt: skip
    return frame, name


def _eligibility_text(study: Study) -> str:
    text = study.eligibility.get("description", study.facts.get("eligibility"))
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def _as_date(x: object) -> dt.date | None:
    if x is None or isinstance(x, dt.date):
        return x  # type: ignore[return-value]
    return dt.date.fromisoformat(str(x)[:10])


def _summary(built, elapsed: float) -> str:
    c = built.counts
    lines = [f"Report written to {built.html}",
             f"  {built.data.numbers['n_eligible']} patients analysed; {len(built.files)} figure "
             f"and table files in {built.directory}; {elapsed:.1f} s",
             f"Claims: {c['reproduced']} reproduced, {c['discrepant']} discrepant, "
             f"{c['not computable']} not computable" if built.data.claims else
             "Claims: none audited (no claims file; see --claims)"]  # fmt: skip
    width = max((len(r.id) for r in built.data.claims), default=0)
    for r in built.data.claims:
        if r.status == "discrepant":
            extra = f"  published {r.published_text}, computed {r.computed_text}"
        elif r.status == "not computable":
            extra = f"  ({r.note.split(';')[0]})"
        else:
            extra = ""
        lines.append(f"  {r.id:<{width}}  {r.status}{extra}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from remission.report.build import build_report

    start = time.perf_counter()
    progress = _Progress()
    try:
        progress("reading the cohort")
        inputs = _inputs(args, _rebuild_argv(args))
        try:
            with _terminate_cleanly():
                built = build_report(inputs, args.output, progress=progress)
        except FileExistsError as exc:
            raise UsageError(str(exc)) from None
    finally:
        progress.stop()
    print(_summary(built, time.perf_counter() - start))
    return 0


@contextlib.contextmanager
def _terminate_cleanly():
    """``kill`` (SIGTERM) while writing unwinds like an error: the staging folder is
    removed and nothing is left beside the output folder (exit 143)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _rebuild_argv(args: argparse.Namespace) -> list[str]:
    """The command line, rebuilt from the parsed options (recorded in the report)."""
    out = ["report"] + ([args.cohort] if args.cohort else [])
    for flag, value in (("--claims", args.claims), ("--study", args.study),
                        ("--data-cutoff", args.data_cutoff), ("-o", args.output),
                        ("--unit", args.unit), ("--group", args.group),
                        ("--sheet", args.sheet), ("--p-style", getattr(args, "p_style", None))):  # fmt: skip
        if value and not (flag == "--unit" and value == "months") and value != "default":
            out += [flag, str(value)]
    return out + (["--drop-invalid"] if getattr(args, "drop_invalid", False) else [])
