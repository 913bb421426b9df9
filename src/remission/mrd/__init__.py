"""MRD domain rules: EuroMRD RQ-PCR interpretation and MRD response.

The MRD value type lives at the bottom layer (:mod:`remission.cohort.mrdvalue`) and is
re-exported here; this package builds the laboratory and clinical rules on it.
"""

from remission.cohort.mrdvalue import LogReduction, MRDQualifier, MRDValue, log_reduction, parse_mrd
from remission.mrd.compare import Order, compare_mrd
from remission.mrd.curve import Check, DilutionSummary, StandardCurve, fit_standard_curve
from remission.mrd.interpret import (
    MarkerResult,
    MRDClass,
    RunInterpretation,
    RunNotAcceptedError,
    SampleResult,
    classify_followup,
    combine_markers,
    interpret_run,
)
from remission.mrd.response import (
    Kinetics,
    KineticsStep,
    MRDResponse,
    ResponseAssessment,
    ResponseRules,
    TimePoint,
    assess_response,
    mrd_cr_2021,
    mrd_kinetics,
)
from remission.mrd.rules import EuroMRDRules
from remission.mrd.runfile import Role, Run, Well, read_run
from remission.mrd.series import kinetics_by_patient, read_mrd_series

__all__ = [
    "Check",
    "DilutionSummary",
    "EuroMRDRules",
    "Kinetics",
    "KineticsStep",
    "LogReduction",
    "MRDClass",
    "MRDQualifier",
    "MRDResponse",
    "MRDValue",
    "MarkerResult",
    "Order",
    "ResponseAssessment",
    "ResponseRules",
    "Role",
    "Run",
    "RunInterpretation",
    "RunNotAcceptedError",
    "SampleResult",
    "StandardCurve",
    "TimePoint",
    "Well",
    "assess_response",
    "classify_followup",
    "combine_markers",
    "compare_mrd",
    "fit_standard_curve",
    "interpret_run",
    "kinetics_by_patient",
    "log_reduction",
    "mrd_cr_2021",
    "mrd_kinetics",
    "parse_mrd",
    "read_mrd_series",
    "read_run",
]
