"""Shared helpers for the toxicity tests: an Observation with 'not assessed' defaults."""

from datetime import datetime

import pytest

from remission.toxicity import Observation


def make_obs(**fields) -> Observation:
    """An assessment of an adult on 1 May 2024; every other field blank (not assessed)."""
    base = {"patient_id": "X1", "time": datetime(2024, 5, 1), "age_years": 40.0}
    base.update(fields)
    return Observation(**base)


@pytest.fixture(scope="session")
def obs():
    return make_obs
