"""Grading a patient's assessments in time order, under ASTCT and CTCAE v5.0 side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from remission.toxicity.astct import astct_crs_grade, astct_icans_grade
from remission.toxicity.ctcae import ctcae5_crs_grade
from remission.toxicity.grade import Grade
from remission.toxicity.observations import Hypotension, Observation, ObservationSet, Oxygen
from remission.toxicity.rules import ASTCTRules

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


def _fever(o: Observation, rules: ASTCTRules) -> bool:
    return o.temperature_c is not None and o.temperature_c >= rules.fever_c


def _crs_sign(o: Observation, rules: ASTCTRules) -> bool:
    """Fever, hypotension or hypoxia recorded at ``o``."""
    hypotension = o.hypotension not in (None, Hypotension.NONE)
    return _fever(o, rules) or hypotension or o.oxygen not in (None, Oxygen.NONE)


def _therapies(o: Observation, rules: ASTCTRules) -> list[str]:
    return [t for t in rules.masking_therapies if getattr(o, t)]


@dataclass
class _Episode:
    """A patient's CRS state while their assessments are walked in time order."""

    has_crs: bool = False  # fever recorded in the current episode
    masked: bool = False
    last_sign: datetime | None = None

    def step(self, o: Observation, rules: ASTCTRules) -> str:
        """Update the state for assessment ``o``; return a note for the CRS reason."""
        note = ""
        hours = rules.crs_episode_end_hours
        if self.last_sign is not None and hours is not None:
            gap = (o.time - self.last_sign).total_seconds() / 3600
            if gap > hours:
                if self.masked:
                    note = (f"; the CRS episode ended (no fever, hypotension or hypoxia for "
                            f"{gap:g} h > {hours:g} h; remission's rule, crs_episode_end_hours), so "
                            "fever is required again")  # fmt: skip
                self.has_crs = self.masked = False
                self.last_sign = None
        self.has_crs = self.has_crs or _fever(o, rules)
        given = _therapies(o, rules)
        if given and not self.masked:
            if self.has_crs or not rules.masking_requires_crs:
                self.masked = True
            elif _crs_sign(o, rules) or o.temperature_c is not None:
                verb = "does" if len(given) == 1 else "do"
                note += (f"; {' and '.join(given)} given before any fever (premedication) "
                         f"{verb} not mask fever")  # fmt: skip
        if _crs_sign(o, rules) and (self.has_crs or self.masked):
            self.last_sign = o.time
        return note


def grade_observations(
    observations: ObservationSet, rules: ASTCTRules | None = None
) -> tuple[AssessmentGrades, ...]:
    """Grade every assessment, a patient's rows in time order.

    Fever masking (consensus CRS table, fever footnote: "In patients who have CRS then
    receive antipyretic or anticytokine therapy such as tocilizumab or steroids, fever is
    no longer required to grade subsequent CRS severity"): from the first assessment of
    a CRS episode at which such therapy is recorded, at or after the episode's first
    fever, ASTCT CRS no longer requires fever. Therapy before any fever (premedication)
    masks nothing (``rules.masking_requires_crs``). The masking lasts for the episode;
    an episode ends at the first assessment made more than ``rules.crs_episode_end_hours``
    after its last fever, hypotension or hypoxia (remission's rule: the consensus
    defines no end of an episode).
    """
    rules = rules or ASTCTRules()
    out = []
    for pid in observations.patients():
        episode = _Episode()
        for o in observations.of_patient(pid):
            note = episode.step(o, rules)
            crs = astct_crs_grade(o, episode.masked, rules)
            if note:
                crs = Grade(crs.grade, crs.reason + note)
            out.append(AssessmentGrades(o, crs, ctcae5_crs_grade(o), astct_icans_grade(o, rules)))
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
