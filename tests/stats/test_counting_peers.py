"""Counting-process data against lifelines (delayed-entry Kaplan-Meier, and the
time-varying Cox model on split rows). Run in CI by ``make peers``; R agreement is in
test_counting_reference.py. Tolerance rtol 1e-6 for the Kaplan-Meier (same arithmetic),
1e-5 for the Cox fit (lifelines stops on its own convergence rule)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peers import peer
from remission.stats.cox import cox
from remission.stats.km import km
from remission.stats.timedep import split_at_exposure

pytestmark = pytest.mark.peer
DATA = Path(__file__).resolve().parents[1] / "reference" / "data"


def test_delayed_entry_km_matches_lifelines() -> None:
    lifelines = peer("lifelines")
    df = pd.read_csv(DATA / "counting.csv")
    g = km(df, "stop", "status", entry="start").groups[0]
    kmf = lifelines.KaplanMeierFitter().fit(df["stop"], df["status"], entry=df["start"])
    sf = kmf.survival_function_.iloc[:, 0]
    np.testing.assert_allclose(sf.loc[g.time].to_numpy(), g.survival, rtol=1e-6)


def test_time_varying_cox_matches_lifelines() -> None:
    lifelines = peer("lifelines")
    split = split_at_exposure(pd.read_csv(DATA / "hsct.csv"), "time", "death", "hsct")
    ours = cox(split, "tstop", "death", ["exposed"], entry="tstart")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ctv = lifelines.CoxTimeVaryingFitter().fit(
            split[["id", "tstart", "tstop", "death", "exposed"]], id_col="id",
            event_col="death", start_col="tstart", stop_col="tstop",
        )  # fmt: skip
    np.testing.assert_allclose(ours.coefficients[0].coef, ctv.params_["exposed"], rtol=1e-5)
    np.testing.assert_allclose(ours.coefficients[0].se, ctv.standard_errors_["exposed"],
                               rtol=1e-5)  # fmt: skip
