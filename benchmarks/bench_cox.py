"""Cox proportional hazards (Efron ties, one covariate): remission vs statsmodels' PHReg,
lifelines' CoxPHFitter and scikit-survival's CoxPHSurvivalAnalysis, on ``n`` rows of
integer-day data.

Two cases:

- ``cox efron fit``: coefficients, model-based SEs, log-likelihoods and the global tests
  (what every peer computes). remission runs its array worker (``cox_fit`` +
  ``global_tests``, R's ``coxph.fit``), the peers their fit from arrays / a DataFrame.
- ``cox efron full``: remission's whole front end ``cox(df, ...)`` (validation, design
  matrix, fit, tests, concordance with its SE, ``cox.zph``) against statsmodels' fit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from remission.stats.cox import cox
from remission.stats.cox_fit import cox_fit
from remission.stats.cox_tests import global_tests


def make_data(n: int, seed: int) -> pd.DataFrame:
    """Integer days: exponential event times with hazard ratio exp(0.5) per SD of ``x``
    (baseline mean 1000 days), uniform censoring over ten years (3652 days)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    event_t = np.ceil(rng.exponential(1000.0 * np.exp(-0.5 * x)))
    cens_t = np.ceil(rng.uniform(0, 3652, n))
    return pd.DataFrame(
        {
            "time": np.minimum(event_t, cens_t).astype(np.int64),
            "event": (event_t <= cens_t).astype(np.int64),
            "x": x,
        }
    )


def _peers(df: pd.DataFrame, t: np.ndarray, e: np.ndarray, x: np.ndarray) -> dict:
    def statsmodels() -> object:
        from statsmodels.duration.hazard_regression import PHReg

        return PHReg(t, x, status=e, ties="efron").fit()

    def lifelines() -> object:
        from lifelines import CoxPHFitter

        return CoxPHFitter().fit(df, "time", "event")

    def sksurv() -> object:
        from sksurv.linear_model import CoxPHSurvivalAnalysis
        from sksurv.util import Surv

        y = Surv.from_arrays(e.astype(bool), t)
        return CoxPHSurvivalAnalysis(ties="efron").fit(x, y)

    return {"lifelines": lifelines, "statsmodels": statsmodels, "scikit-survival": sksurv}


def cases(n: int, seed: int) -> list[tuple[str, dict[str, Callable[[], object]]]]:
    df = make_data(n, seed)
    t = df["time"].to_numpy(np.float64)
    e = df["event"].to_numpy()
    x = df[["x"]].to_numpy()
    peers = _peers(df, t, e, x)

    def remission_fit() -> object:
        fit = cox_fit(t, e, x, ties="efron")
        return fit, global_tests(fit)

    def remission_full() -> object:
        return cox(df, "time", "event", ["x"], ties="efron")

    nbytes = t.nbytes + e.nbytes + x.nbytes
    remission_fit.input_bytes = nbytes  # type: ignore[attr-defined]
    remission_full.input_bytes = nbytes  # type: ignore[attr-defined]
    return [
        ("cox efron fit", {"remission": remission_fit, **peers}),
        ("cox efron full", {"remission": remission_full, "statsmodels": peers["statsmodels"]}),
    ]
