"""Cohort data: the data dictionary, loaders, validation and the cohort's value types."""

from remission.cohort.cohort import Cohort, CohortSummary, DroppedRow, Source, load_cohort
from remission.cohort.io import RawTable, read_table
from remission.cohort.mrdvalue import LogReduction, MRDQualifier, MRDValue, log_reduction, parse_mrd
from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import COLUMN_NAMES, COLUMNS, REQUIRED_COLUMNS, Column
from remission.cohort.study import Study, load_study
from remission.cohort.write import write_cohort

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "REQUIRED_COLUMNS",
    "Cohort",
    "CohortSummary",
    "Column",
    "DroppedRow",
    "InputError",
    "LogReduction",
    "MRDQualifier",
    "MRDValue",
    "Problem",
    "RawTable",
    "Source",
    "Study",
    "load_cohort",
    "load_study",
    "log_reduction",
    "parse_mrd",
    "read_table",
    "write_cohort",
]
