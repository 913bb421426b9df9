"""remission: from a leukemia cohort's patient-level data to a verified results section."""

from remission.cohort import InputError, MRDQualifier, MRDValue, Problem, parse_mrd

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "MRDQualifier",
    "MRDValue",
    "Problem",
    "__version__",
    "parse_mrd",
]
