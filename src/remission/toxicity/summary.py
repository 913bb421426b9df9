"""Per-patient toxicity summaries and cohort counts by maximum grade with exact CIs.

Per patient (from graded assessments): maximum grade, onset (first assessment graded
>= 1) as a day of the blinatumomab cycle, resolution (first assessment graded 0 after
the last one graded >= 1), duration (onset to resolution) and management. Per cohort:
n (%) of patients by maximum grade with Clopper-Pearson intervals (Clopper CJ, Pearson
ES. Biometrika 1934;26:404-413), from observations or from recorded grades.

Onset day: day 1 is the date in ``blinatumomab_start`` (the first day of the infusion),
so an assessment on the start date is day 1 and one a week later day 8, the numbering
of blinatumomab protocols (e.g. intrathecal therapy "on days 15 and 29"). It is None
when the file has no ``blinatumomab_start``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from remission.stats.binomial import binomial_ci
from remission.toxicity.grading import AssessmentGrades, GradingSystem

__all__ = [
    "UNGRADED",
    "EpisodeSummary",
    "PatientToxicity",
    "GradeCount",
    "GradeDistribution",
    "summarise_patients",
    "summarise_max_grades",
    "summarise_recorded_grades",
]

#: A recorded toxicity whose grade was not recorded (the seed cohort's "Yes").
UNGRADED = "any"


@dataclass(frozen=True)
class EpisodeSummary:
    """One toxicity (CRS or ICANS) of one patient across their assessments.

    ``max_grade`` is None when no assessment could be graded. ``resolved`` is None when
    there was no toxicity, False when the last assessment graded >= 1 has no later
    assessment graded 0; ``duration_days`` (onset to resolution) is then None.
    """

    max_grade: int | None
    onset: datetime | None
    onset_day: int | None
    resolution: datetime | None
    resolved: bool | None
    duration_days: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "max_grade": self.max_grade,
            "onset_day": self.onset_day,
            "duration_days": self.duration_days,
            "resolved": self.resolved,
        }


def _episode(points: list[tuple[datetime, int | None]], start: date | None) -> EpisodeSummary:
    graded = [(t, g) for t, g in points if g is not None]
    if not graded:
        return EpisodeSummary(None, None, None, None, None, None)
    max_grade = max(g for _, g in graded)
    positive = [t for t, g in graded if g >= 1]
    if not positive:
        return EpisodeSummary(max_grade, None, None, None, None, None)
    onset, last = positive[0], positive[-1]
    later_zero = [t for t, g in graded if g == 0 and t > last]
    resolution = later_zero[0] if later_zero else None
    onset_day = None if start is None else (onset.date() - start).days + 1
    duration = None if resolution is None else (resolution - onset).total_seconds() / 86400
    return EpisodeSummary(max_grade, onset, onset_day, resolution, resolution is not None, duration)


_MANAGEMENT = (
    ("interruption", "infusion_interrupted"),
    ("dose reduction", "dose_reduced"),
    ("steroids", "steroids"),
    ("tocilizumab", "tocilizumab"),
)


@dataclass(frozen=True)
class PatientToxicity:
    """A patient's CRS (in ``system``) and ICANS (ASTCT) summaries and management given."""

    patient_id: str
    system: GradingSystem
    crs: EpisodeSummary
    icans: EpisodeSummary
    management: tuple[str, ...]
    n_assessments: int

    def to_dict(self) -> dict[str, object]:
        return {
            "patient_id": self.patient_id,
            "max_crs_grade": self.crs.max_grade,
            "max_icans_grade": self.icans.max_grade,
            "crs_onset_day": self.crs.onset_day,
            "crs_duration_days": self.crs.duration_days,
            "crs_resolved": self.crs.resolved,
            "icans_onset_day": self.icans.onset_day,
            "icans_duration_days": self.icans.duration_days,
            "icans_resolved": self.icans.resolved,
            "management": list(self.management),
            "n_assessments": self.n_assessments,
        }


def summarise_patients(
    grades: Sequence[AssessmentGrades], system: GradingSystem = GradingSystem.ASTCT
) -> tuple[PatientToxicity, ...]:
    """One :class:`PatientToxicity` per patient, in order of first appearance."""
    by_patient: dict[str, list[AssessmentGrades]] = {}
    for a in grades:
        by_patient.setdefault(a.observation.patient_id, []).append(a)
    out = []
    for pid, rows in by_patient.items():
        rows = sorted(rows, key=lambda a: a.observation.time)
        start = rows[0].observation.blinatumomab_start
        crs = _episode([(a.observation.time, a.crs(system).grade) for a in rows], start)
        icans = _episode([(a.observation.time, a.icans.grade) for a in rows], start)
        given = tuple(
            label for label, field in _MANAGEMENT
            if any(getattr(a.observation, field) for a in rows)
        )  # fmt: skip
        out.append(PatientToxicity(pid, system, crs, icans, given, len(rows)))
    return tuple(out)


# --- cohort ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeCount:
    """Patients whose maximum grade is in ``grades``: n of the denominator, with its CI."""

    label: str
    grades: tuple[int | str, ...]
    n: int
    denominator: int
    proportion: float | None
    ci_lower: float | None
    ci_upper: float | None

    def to_dict(self) -> dict[str, object]:
        pct = None if self.proportion is None else 100 * self.proportion
        return {
            "label": self.label, "grades": list(self.grades), "n": self.n,
            "denominator": self.denominator, "percent": pct,
            "ci_lower": self.ci_lower, "ci_upper": self.ci_upper,
        }  # fmt: skip


@dataclass(frozen=True)
class GradeDistribution:
    """A cohort's patients by maximum grade of one toxicity.

    ``source`` says where the grades come from: 'observations' (graded here) or
    'recorded grades' (as the study recorded them). Patients without a known maximum
    grade are counted in ``n_not_assessed`` and left out of the denominator.
    """

    toxicity: str
    system: str
    source: str
    n_patients: int
    n_not_assessed: int
    rows: tuple[GradeCount, ...]
    confidence: float = 0.95
    ci_method: str = "Clopper-Pearson (exact)"

    def to_dict(self) -> dict[str, object]:
        return {
            "toxicity": self.toxicity, "system": self.system, "source": self.source,
            "n_patients": self.n_patients, "n_not_assessed": self.n_not_assessed,
            "confidence": self.confidence, "ci_method": self.ci_method,
            "rows": [r.to_dict() for r in self.rows],
        }  # fmt: skip


def _count(
    label: str, grades: tuple[int | str, ...], values: list, confidence: float
) -> GradeCount:
    n, d = sum(v in grades for v in values), len(values)
    if d == 0:
        return GradeCount(label, grades, 0, 0, None, None, None)
    ci = binomial_ci(n, d, level=confidence, method="clopper-pearson")
    lo, hi = ci.lower, ci.upper
    return GradeCount(label, grades, n, d, n / d, lo, hi)


def _distribution(
    values: Sequence[int | str | None], toxicity: str, system: str, source: str, confidence: float
) -> GradeDistribution:
    known = [v for v in values if v is not None]
    top = max([4, *[v for v in known if isinstance(v, int)]])
    rows = [_count("none (grade 0)", (0,), known, confidence)]
    rows += [_count(f"grade {g}", (g,), known, confidence) for g in range(1, top + 1)]
    any_grades: tuple[int | str, ...] = tuple(range(1, top + 1))
    if UNGRADED in known:
        rows.append(_count("any grade, grade not recorded", (UNGRADED,), known, confidence))
        any_grades += (UNGRADED,)
    rows.append(_count("any grade", any_grades, known, confidence))
    if UNGRADED not in known:
        rows.append(_count("grade 3 or higher", tuple(range(3, top + 1)), known, confidence))
    return GradeDistribution(toxicity, system, source, len(known), len(values) - len(known),
                             tuple(rows), confidence)  # fmt: skip


def summarise_max_grades(
    patients: Sequence[PatientToxicity], toxicity: str, confidence: float = 0.95
) -> GradeDistribution:
    """n (%) of patients by maximum graded CRS or ICANS (``toxicity`` 'CRS' or 'ICANS')."""
    if toxicity not in ("CRS", "ICANS"):
        raise ValueError("toxicity must be 'CRS' or 'ICANS'")
    values = [(p.crs if toxicity == "CRS" else p.icans).max_grade for p in patients]
    system = (
        patients[0].system.title if patients and toxicity == "CRS" else "ASTCT 2019 (Lee et al.)"
    )
    return _distribution(values, toxicity, system, "observations", confidence)


def summarise_recorded_grades(
    grades: Sequence[int | str | None], toxicity: str, system: str = "as recorded",
    confidence: float = 0.95,
) -> GradeDistribution:  # fmt: skip
    """The same summary from recorded maximum grades, one per patient.

    Each value is a grade 0-5 (0 = none), :data:`UNGRADED` ('any') for a toxicity
    recorded without a grade (the seed cohort's neurotoxicity 'Yes'), or None when not
    recorded. The result says its source is 'recorded grades'.
    """
    for v in grades:
        ok = (
            v is None
            or v == UNGRADED
            or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 5)
        )
        if not ok:
            raise ValueError(f"recorded grade {v!r}: expected 0-5, {UNGRADED!r} or None")
    return _distribution(list(grades), toxicity, system, "recorded grades", confidence)
