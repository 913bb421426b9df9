"""Endpoints: time and status from dates, measured from a chosen origin.

``derive_endpoint(frame, "EFS", origin="hsct", data_cutoff=...)`` returns an
:class:`EndpointData` whose ``frame`` holds ``patient_id``, ``time`` (days), ``event``
and the cohort's other columns. Times are days; months and years follow the one
convention of :mod:`remission.endpoints.units`.
"""

from remission.endpoints.derive import (
    ENDPOINTS,
    EVENT_CODES,
    ORIGINS,
    EndpointData,
    UnknownName,
    derive_endpoint,
    resolve_endpoint,
    resolve_origin,
)
from remission.endpoints.units import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    TIME_CONVENTION,
    TIME_UNITS,
    days_to,
    to_days,
)

__all__ = [
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "ENDPOINTS",
    "EVENT_CODES",
    "ORIGINS",
    "TIME_CONVENTION",
    "TIME_UNITS",
    "EndpointData",
    "UnknownName",
    "days_to",
    "derive_endpoint",
    "resolve_endpoint",
    "resolve_origin",
    "to_days",
]
