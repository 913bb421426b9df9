"""`remission grade FILE`: grade CRS and ICANS from an observation file.

Prints per-assessment grades with their reasons, per-patient maxima and the CRS grades
where ASTCT and CTCAE v5.0 disagree; ``--json`` prints the same as one JSON object.
Nothing is printed to stdout and no file is written when the input is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._choices import ASTCT_DEFAULTS, CAPD_AGE_RULES, GRADING_SYSTEMS

if TYPE_CHECKING:  # the toxicity layer is imported when the command runs (fast --help)
    from remission.toxicity import ASTCTRules, GradingSystem, ObservationSet
    from remission.toxicity.grading import AssessmentGrades, Disagreement
    from remission.toxicity.summary import GradeDistribution, PatientToxicity

NAME = "grade"
HELP = "Grade CRS and ICANS (ASTCT 2019; CTCAE v5.0 for CRS) from an observation file."
EXAMPLES = """examples:
  remission grade observations.csv                      # ASTCT CRS and ICANS grades
  remission grade observations.csv --system ctcae5 --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="observation file (.csv, .tsv, .xlsx, .parquet)"
    )
    parser.add_argument(
        "--system",
        choices=GRADING_SYSTEMS,
        default=GRADING_SYSTEMS[0],
        help="CRS grading system reported as crs_grade (default: astct); ICANS is always ASTCT",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--crs-episode-end-hours",
        type=float,
        default=None,
        metavar="H",
        help="a CRS episode (and its fever masking) ends after H hours without fever, "
        f"hypotension or hypoxia (default {ASTCT_DEFAULTS['crs_episode_end_hours']:g}; "
        "remission's rule)",
    )
    parser.add_argument(
        "--capd-age-rule",
        choices=CAPD_AGE_RULES,
        default=None,
        help=f"where the CAPD replaces the ICE (default {ASTCT_DEFAULTS['capd_age_rule']})",
    )
    parser.add_argument(
        "--spontaneous-as-alert",
        action="store_true",
        help="read consciousness 'spontaneous' as alert (grade 0), as files written "
        "before the 'alert' value meant it",
    )


def _rules(args: argparse.Namespace) -> ASTCTRules:
    from remission.toxicity import ASTCTRules

    given: dict[str, object] = {"spontaneous_as_alert": bool(args.spontaneous_as_alert)}
    if args.crs_episode_end_hours is not None:
        given["crs_episode_end_hours"] = args.crs_episode_end_hours
    if args.capd_age_rule is not None:
        given["capd_age_rule"] = args.capd_age_rule
    try:
        return ASTCTRules(**given)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from remission.toxicity import (
        GradingSystem,
        disagreements,
        grade_observations,
        read_observations,
        summarise_max_grades,
        summarise_patients,
    )

    system = GradingSystem(args.system)
    rules = _rules(args)
    observations = read_observations(args.file)
    grades = grade_observations(observations, rules)
    patients = summarise_patients(grades, system)
    differ = disagreements(grades)
    cohort = (summarise_max_grades(patients, "CRS"), summarise_max_grades(patients, "ICANS"))
    notes = _notes(observations, rules)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        out = {**_json(system, grades, patients, differ, cohort), "rules": rules.to_dict(),
               "notes": notes}  # fmt: skip
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        print(_text(observations.source, system, grades, patients, differ, cohort))
    return 0


def _notes(observations: ObservationSet, rules: ASTCTRules) -> list[str]:
    """A file that records 'spontaneous' and never 'alert' was likely written when
    'spontaneous' meant a normal patient (before issue 14)."""
    from remission.toxicity import Consciousness

    levels = {o.consciousness for o in observations.observations}
    if rules.spontaneous_as_alert or Consciousness.ALERT in levels:
        return []
    if Consciousness.SPONTANEOUS not in levels:
        return []
    return [
        f"{observations.source} records consciousness 'spontaneous' and never 'alert': "
        "'spontaneous' is 'awakens spontaneously', ICANS grade 1 (ASTCT); if the file "
        "means a normal, alert patient, write 'alert' or use --spontaneous-as-alert"
    ]


def _json(
    system: GradingSystem,
    grades: tuple[AssessmentGrades, ...],
    patients: tuple[PatientToxicity, ...],
    differ: tuple[Disagreement, ...],
    cohort: tuple[GradeDistribution, ...],
) -> dict[str, object]:
    from remission.toxicity import GradingSystem

    return {
        "system": system.value,
        "crs_system": system.title,
        "icans_system": GradingSystem.ASTCT.title,
        "assessments": [a.to_dict(system) for a in grades],
        "patients": [p.to_dict() for p in patients],
        "disagreements": [d.to_dict() for d in differ],
        "cohort": {d.toxicity: d.to_dict() for d in cohort},
    }


def _g(grade: int | None) -> str:
    return "n/a" if grade is None else str(grade)


def _num(x: float | int | None) -> str:
    return "-" if x is None else f"{x:g}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    return [fmt.format(*header), *(fmt.format(*r) for r in rows)]


def _text(
    source: str,
    system: GradingSystem,
    grades: tuple[AssessmentGrades, ...],
    patients: tuple[PatientToxicity, ...],
    differ: tuple[Disagreement, ...],
    cohort: tuple[GradeDistribution, ...],
) -> str:
    from remission.toxicity import GradingSystem

    lines = [f"{source}: CRS graded by {system.title}; ICANS by {GradingSystem.ASTCT.title}", ""]
    lines.append("Assessments")
    rows = [[a.observation.patient_id, a.observation.time_text, _g(a.crs(system).grade),
             _g(a.icans.grade), f"CRS {a.crs(system).reason}. ICANS {a.icans.reason}."]
            for a in grades]  # fmt: skip
    lines += _table(["patient", "time", "CRS", "ICANS", "reason"], rows)
    lines += ["", "Patients"]
    rows = [[p.patient_id, _g(p.crs.max_grade), _g(p.icans.max_grade), _num(p.crs.onset_day),
             _num(p.crs.duration_days), _resolution(p.crs.resolved),
             ", ".join(p.management) or "none recorded"] for p in patients]  # fmt: skip
    header = ["patient", "max CRS", "max ICANS", "CRS onset day", "CRS days", "CRS resolved",
              "management"]  # fmt: skip
    lines += _table(header, rows)
    for dist in cohort:
        lines += ["", f"{dist.toxicity}: patients by maximum grade (n = {dist.n_patients}; "
                  f"not assessed {dist.n_not_assessed}; {dist.ci_method} 95% CI)"]  # fmt: skip
        lines += [f"  {r.label}: {r.n} ({_pct(r.proportion)})  [{_pct(r.ci_lower)}, {_pct(r.ci_upper)}]"
                  for r in dist.rows]  # fmt: skip
    lines += ["", "CRS grades that differ between ASTCT 2019 and CTCAE v5.0"]
    if not differ:
        lines.append("  none")
    for d in differ:
        lines.append(f"  {d.patient_id} {d.time}: ASTCT {_g(d.astct_grade)} ({d.astct_reason}) "
                     f"vs CTCAE {_g(d.ctcae5_grade)} ({d.ctcae5_reason})")  # fmt: skip
    return "\n".join(lines)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _resolution(resolved: bool | None) -> str:
    return {None: "-", True: "yes", False: "not by last assessment"}[resolved]
