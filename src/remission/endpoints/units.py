"""The one time-unit convention of remission: days, with fixed months and years.

Times are whole days between calendar dates (the date difference, never a datetime with
a time of day). For reporting, a month is 30.4375 days (365.25 / 12) and a year is
365.25 days (the Julian year), as in most survival reports and in R's
``survival::survfit(..., scale = 30.4375)`` usage. Every output that shows months or
years prints :data:`TIME_CONVENTION`.
"""

from __future__ import annotations

from typing import overload

import numpy as np

__all__ = [
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "TIME_CONVENTION",
    "TIME_UNITS",
    "days_to",
    "to_days",
]

DAYS_PER_YEAR: float = 365.25
DAYS_PER_MONTH: float = DAYS_PER_YEAR / 12  # 30.4375

TIME_UNITS: tuple[str, ...] = ("days", "months", "years")

TIME_CONVENTION: str = (
    "Times are counted in days between calendar dates; "
    "1 month = 30.4375 days and 1 year = 365.25 days."
)

_DAYS_PER_UNIT = {"days": 1.0, "months": DAYS_PER_MONTH, "years": DAYS_PER_YEAR}


def _factor(unit: str) -> float:
    try:
        return _DAYS_PER_UNIT[unit]
    except KeyError:
        raise ValueError(f"unknown time unit {unit!r}; expected one of {TIME_UNITS}") from None


@overload
def days_to(days: float, unit: str) -> float: ...
@overload
def days_to(days: np.ndarray, unit: str) -> np.ndarray: ...
def days_to(days, unit):
    """Convert days to ``unit`` (``days``, ``months`` = days / 30.4375, ``years`` = days / 365.25)."""
    factor = _factor(unit)
    if isinstance(days, int | float):
        return float(days) / factor
    return np.asarray(days, dtype=float) / factor


@overload
def to_days(value: float, unit: str) -> float: ...
@overload
def to_days(value: np.ndarray, unit: str) -> np.ndarray: ...
def to_days(value, unit):
    """Convert a time in ``unit`` back to days (the inverse of :func:`days_to`)."""
    factor = _factor(unit)
    if isinstance(value, int | float):
        return float(value) * factor
    return np.asarray(value, dtype=float) * factor
