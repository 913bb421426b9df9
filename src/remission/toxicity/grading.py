"""Grading a patient's assessments in time order, under ASTCT and CTCAE v5.0 side by side."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from remission.toxicity.astct import FEVER_C, astct_crs_grade, astct_icans_grade
from remission.toxicity.ctcae import ctcae5_crs_grade
from remission.toxicity.grade import Grade
from remission.toxicity.observations import Observation, ObservationSet

__all__ = [
    "GradingSystem",
    "AssessmentGrades",
    "Disagreement",
    "grade_observations",
    "disagreements",
]


class GradingSystem(StrEnum):
    """The CRS grading system reported as ``crs_grade``; ICANS is always ASTCT (CTCAE v5.0
    has no ICANS term)."""

    ASTCT = "astct"
    CTCAE5 = "ctcae5"

    @property
    def title(self) -> str:
        return {"astct": "ASTCT 2019 (Lee et al.)", "ctcae5": "CTCAE v5.0"}[self.value]


@dataclass(frozen=True)
class AssessmentGrades:
    """The grades of one assessment under every rule, with reasons."""

    observation: Observation
    astct_crs: Grade
    ctcae5_crs: Grade
    icans: Grade

    def crs(self, system: GradingSystem) -> Grade:
        return self.astct_crs if system is GradingSystem.ASTCT else self.ctcae5_crs

    def to_dict(self, system: GradingSystem = GradingSystem.ASTCT) -> dict[str, object]:
        crs = self.crs(system)
        return {
            "patient_id": self.observation.patient_id,
            "time": self.observation.time_text,
            "crs_grade": crs.grade,
            "icans_grade": self.icans.grade,
            "reason": f"CRS {crs.reason}. ICANS {self.icans.reason}.",
            "row": self.observation.row,
        }


def _fever(o: Observation) -> bool:
    return o.temperature_c is not None and o.temperature_c >= FEVER_C


def _masks_fever(o: Observation, had_fever: bool) -> bool:
    """Whether therapy at ``o`` can mask fever from then on.

    An antipyretic or tocilizumab is given for fever or CRS, so either masks it. A
    corticosteroid masks it only once CRS has begun (fever at or before ``o``): the
    consensus speaks of patients "who have CRS then receive antipyretic or anticytokine
    therapy" (Lee et al. 2019, CRS grading table, fever footnote), and steroids are also
    routine premedication before blinatumomab, which must not turn a later afebrile
    hypotension into CRS.
    """
    return bool(o.antipyretic or o.tocilizumab or (o.steroids and (had_fever or _fever(o))))


def grade_observations(observations: ObservationSet) -> tuple[AssessmentGrades, ...]:
    """Grade every assessment; a patient's rows are taken in time order so that, from the
    first assessment at which therapy masks fever (:func:`_masks_fever`), ASTCT CRS no
    longer requires fever (consensus CRS table, fever footnote)."""
    out = []
    for pid in observations.patients():
        masked = had_fever = False
        for o in observations.of_patient(pid):
            masked = masked or _masks_fever(o, had_fever)
            had_fever = had_fever or _fever(o)
            out.append(
                AssessmentGrades(
                    o, astct_crs_grade(o, masked), ctcae5_crs_grade(o), astct_icans_grade(o)
                )
            )
    return tuple(out)


@dataclass(frozen=True)
class Disagreement:
    """An assessment whose CRS grade differs between ASTCT and CTCAE v5.0."""

    patient_id: str
    time: str
    astct_grade: int | None
    ctcae5_grade: int | None
    astct_reason: str
    ctcae5_reason: str

    def to_dict(self) -> dict[str, object]:
        return {
            "patient_id": self.patient_id,
            "time": self.time,
            "astct_crs_grade": self.astct_grade,
            "ctcae5_crs_grade": self.ctcae5_grade,
            "astct_reason": self.astct_reason,
            "ctcae5_reason": self.ctcae5_reason,
        }


def disagreements(grades: tuple[AssessmentGrades, ...]) -> tuple[Disagreement, ...]:
    """The assessments where the ASTCT and CTCAE v5.0 CRS grades differ."""
    return tuple(
        Disagreement(a.observation.patient_id, a.observation.time_text, a.astct_crs.grade,
                     a.ctcae5_crs.grade, a.astct_crs.reason, a.ctcae5_crs.reason)
        for a in grades if a.astct_crs.grade != a.ctcae5_crs.grade
    )  # fmt: skip
