"""The one time-unit convention: days, months = days / 30.4375, years = days / 365.25."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.endpoints import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    TIME_CONVENTION,
    TIME_UNITS,
    days_to,
    to_days,
)


def test_constants_and_statement():
    assert DAYS_PER_YEAR == 365.25
    assert DAYS_PER_MONTH == 30.4375
    assert "30.4375" in TIME_CONVENTION and "365.25" in TIME_CONVENTION
    assert TIME_UNITS == ("days", "months", "years")


def test_hand_values():
    assert days_to(365.25, "years") == 1.0
    assert days_to(1095.75, "years") == 3.0
    assert days_to(30.4375, "months") == 1.0
    assert days_to(267, "days") == 267.0
    assert to_days(3, "years") == 1095.75
    np.testing.assert_array_equal(days_to(np.array([0, 365.25]), "years"), [0.0, 1.0])


def test_unknown_unit():
    with pytest.raises(ValueError, match="unknown time unit"):
        days_to(1.0, "weeks")


@settings(max_examples=50)
@given(st.floats(min_value=0, max_value=1e5), st.sampled_from(TIME_UNITS))
def test_round_trip(days, unit):
    assert to_days(days_to(days, unit), unit) == pytest.approx(days, rel=1e-12, abs=1e-12)
