"""Seed cohort endpoints against R (survival 3.5-3), fixture tests/datasets/reference/seed_km.json.

R derives time and status from the CSV's dates on its own (make_seed_km.R); the times and
statuses must agree exactly, and the Kaplan-Meier estimates at 1 and 3 years to 1e-12
(relative; both are exact ratios of small integers).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remission.datasets import seed_cohort_path
from remission.endpoints import DAYS_PER_YEAR, derive_endpoint

REFERENCE = json.loads((Path(__file__).parent / "reference" / "seed_km.json").read_text())
DATES = [
    c
    for c in pd.read_csv(seed_cohort_path(), nrows=0).columns
    if c.endswith("_date") or c == "date_of_birth"
]


def km_at(times, events, horizon: float) -> float:
    s = 1.0
    for t in sorted({t for t, e in zip(times, events, strict=True) if e and t <= horizon}):
        n = sum(1 for u in times if u >= t)
        d = sum(1 for u, e in zip(times, events, strict=True) if u == t and e)
        s *= 1 - d / n
    return s


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    frame = pd.read_csv(seed_cohort_path(), dtype=str, keep_default_na=False)
    for c in DATES:
        frame[c] = pd.to_datetime(frame[c].replace("", None), format="%Y-%m-%d")
    return frame


def test_fixture_provenance():
    assert REFERENCE["_meta"]["survival_version"] == "3.5.3"


@pytest.mark.parametrize("key", ["EFS_hsct", "OS_hsct", "EFS_blinatumomab", "OS_blinatumomab"])
def test_times_status_and_km_agree_with_r(cohort, key):
    endpoint, origin = key.split("_")
    ref = REFERENCE[key]
    f = derive_endpoint(cohort, endpoint, origin, data_cutoff="2019-12-31").frame
    assert list(f["patient_id"]) == ref["patient_id"]
    np.testing.assert_array_equal(f["time"].to_numpy(), np.array(ref["time"], dtype=float))
    np.testing.assert_array_equal(f["event"].to_numpy(), np.array(ref["status"]))
    times, events = list(f["time"]), list(f["event"])
    assert km_at(times, events, DAYS_PER_YEAR) == pytest.approx(ref["surv_1y"], rel=1e-12)
    assert km_at(times, events, 3 * DAYS_PER_YEAR) == pytest.approx(ref["surv_3y"], rel=1e-12)
