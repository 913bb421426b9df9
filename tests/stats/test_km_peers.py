"""Kaplan-Meier against lifelines (another implementation of the same estimator).

lifelines 0.30 ``KaplanMeierFitter``: survival on its timeline and its log-log
("exponential Greenwood") pointwise limits, which are R's ``conf.type="log-log"``.
Tolerance rtol=1e-6 (floating-point order of operations differs).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peers import peer
from remission.stats.km import km

lifelines = peer("lifelines")
pytestmark = pytest.mark.peer
REF = Path(__file__).resolve().parents[1] / "reference"


@pytest.mark.parametrize("name", ["km_lung.csv", "km_aml.csv", "km_ties.csv"])
def test_survival_and_log_log_limits_match_lifelines(name: str) -> None:
    df = pd.read_csv(REF / "data" / name)
    g = km(df, "time", "status").groups[0]
    kmf = lifelines.KaplanMeierFitter().fit(df["time"], df["status"], alpha=0.05)
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    at = sf.index.values[1:] if sf.index.values[0] == 0 else sf.index.values
    np.testing.assert_array_equal(at, g.time)
    np.testing.assert_allclose(sf.loc[at].to_numpy(), g.survival, rtol=1e-6, atol=1e-12)
    ok = (g.survival > 0) & (g.survival < 1)
    np.testing.assert_allclose(ci.iloc[:, 0].loc[at].to_numpy()[ok], g.lower[ok], rtol=1e-6)
    np.testing.assert_allclose(ci.iloc[:, 1].loc[at].to_numpy()[ok], g.upper[ok], rtol=1e-6)


def test_nelson_aalen_matches_lifelines() -> None:
    df = pd.read_csv(REF / "data" / "km_lung.csv")
    g = km(df, "time", "status").groups[0]
    naf = lifelines.NelsonAalenFitter(nelson_aalen_smoothing=False).fit(df["time"], df["status"])
    h = naf.cumulative_hazard_.iloc[:, 0].loc[g.time].to_numpy()
    np.testing.assert_allclose(h, g.cumhaz, rtol=1e-6)
