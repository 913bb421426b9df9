"""Toxicity domain rules: ASTCT CRS and ICANS grading, CTCAE v5 alongside.

Read an observation file (:func:`read_observations`), grade every assessment
(:func:`grade_observations`), summarise per patient (:func:`summarise_patients`) and per
cohort (:func:`summarise_max_grades`, or :func:`summarise_recorded_grades` when only the
study's recorded grades exist). Rules and references: docs/toxicity.md.
"""

from remission.toxicity.astct import (
    CAPD_CUTOFF,
    FEVER_C,
    ICE_MIN_AGE_YEARS,
    LOW_FLOW_MAX_L_MIN,
    astct_crs_grade,
    astct_icans_grade,
    capd_anchor,
    capd_total,
)
from remission.toxicity.ctcae import ctcae5_crs_grade
from remission.toxicity.grade import Grade
from remission.toxicity.grading import (
    AssessmentGrades,
    Disagreement,
    GradingSystem,
    disagreements,
    grade_observations,
)
from remission.toxicity.observations import (
    CerebralEdema,
    Consciousness,
    Hypotension,
    Motor,
    Observation,
    ObservationSet,
    Oxygen,
    Seizure,
    parse_observations,
    read_observations,
)
from remission.toxicity.rules import CAPD_AGE_RULES, MASKING_THERAPIES, ASTCTRules
from remission.toxicity.summary import (
    UNGRADED,
    EpisodeSummary,
    GradeCount,
    GradeDistribution,
    PatientToxicity,
    summarise_max_grades,
    summarise_patients,
    summarise_recorded_grades,
)

__all__ = [
    "CAPD_AGE_RULES",
    "CAPD_CUTOFF",
    "FEVER_C",
    "ICE_MIN_AGE_YEARS",
    "LOW_FLOW_MAX_L_MIN",
    "MASKING_THERAPIES",
    "UNGRADED",
    "ASTCTRules",
    "AssessmentGrades",
    "CerebralEdema",
    "Consciousness",
    "Disagreement",
    "EpisodeSummary",
    "Grade",
    "GradeCount",
    "GradeDistribution",
    "GradingSystem",
    "Hypotension",
    "Motor",
    "Observation",
    "ObservationSet",
    "Oxygen",
    "PatientToxicity",
    "Seizure",
    "astct_crs_grade",
    "astct_icans_grade",
    "capd_anchor",
    "capd_total",
    "ctcae5_crs_grade",
    "disagreements",
    "grade_observations",
    "parse_observations",
    "read_observations",
    "summarise_max_grades",
    "summarise_patients",
    "summarise_recorded_grades",
]
