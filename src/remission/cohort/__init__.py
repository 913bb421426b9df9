"""Cohort data: the data dictionary, loaders, validation and the cohort's value types."""

from remission.cohort.mrdvalue import LogReduction, MRDQualifier, MRDValue, log_reduction, parse_mrd
from remission.cohort.problems import InputError, Problem

__all__ = [
    "InputError",
    "LogReduction",
    "MRDQualifier",
    "MRDValue",
    "Problem",
    "log_reduction",
    "parse_mrd",
]
