"""Cox model against the Python peers that implement the same estimator.

statsmodels' PHReg (Efron and Breslow, strata) and lifelines' CoxPHFitter (Efron) maximise
the same partial likelihood; they stop on their own convergence rules, so the comparison
is at rtol = 1e-5 (their precision), against our 1e-6 agreement with R.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peers import peer
from remission.stats.cox import cox

pytestmark = pytest.mark.peer

DATA = Path(__file__).resolve().parents[1] / "reference" / "data"
RTOL = 1e-5


def veteran():
    df = pd.read_csv(DATA / "cox_veteran.csv")
    return df


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_statsmodels_phreg(ties):
    sm = peer("statsmodels.duration.hazard_regression")
    df = veteran()
    cols = ["trt", "karno", "age", "diagtime"]
    ours = cox(df, "time", "status", cols, strata="prior", ties=ties)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sm.PHReg(df["time"], df[cols], status=df["status"], ties=ties,
                          strata=df["prior"]).fit()  # fmt: skip
    np.testing.assert_allclose([c.coef for c in ours.coefficients], theirs.params, rtol=RTOL)
    np.testing.assert_allclose([c.se for c in ours.coefficients], theirs.bse, rtol=RTOL)
    np.testing.assert_allclose(ours.loglik[1], theirs.llf, rtol=RTOL)


def test_lifelines_coxph_efron():
    lifelines = peer("lifelines")
    df = veteran()
    cols = ["trt", "karno", "age", "diagtime", "prior"]
    ours = cox(df, "time", "status", cols)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cph = lifelines.CoxPHFitter().fit(
            df[["time", "status", *cols]], "time", "status", fit_options={"precision": 1e-12}
        )
    np.testing.assert_allclose([c.coef for c in ours.coefficients], cph.params_[cols], rtol=RTOL)
    np.testing.assert_allclose([c.se for c in ours.coefficients],
                               cph.standard_errors_[cols], rtol=RTOL)  # fmt: skip
    np.testing.assert_allclose(ours.loglik[1], cph.log_likelihood_, rtol=RTOL)
    np.testing.assert_allclose(ours.concordance.concordance, cph.concordance_index_, rtol=RTOL)
