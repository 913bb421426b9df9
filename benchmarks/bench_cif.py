"""Aalen-Johansen cumulative incidence (two competing causes, with variance): remission
vs lifelines and scikit-survival, on ``n`` rows of integer-day data, one group.

remission runs its public front end ``remission.stats.cif.cif(df, ...)`` on a DataFrame
(input checks, count table, both causes' estimates and cmprsk's variance); lifelines ``AalenJohansenFitter`` fits each cause (it breaks
tied times by jittering, and computes its own variance); scikit-survival
``cumulative_incidence_competing_risks`` with ``conf_type="log-log"`` (estimate and
variance for all causes). statsmodels has no cumulative incidence estimator.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from remission.stats.cif import cif


def make_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer days: cause 1 (mean 2000 days), cause 2 (mean 3000 days), uniform
    censoring over ten years; event 0 censored, 1 or 2 the cause."""
    rng = np.random.default_rng(seed)
    t1 = rng.exponential(2000.0, n)
    t2 = rng.exponential(3000.0, n)
    tc = rng.uniform(0, 3652, n)
    first = np.minimum(np.minimum(t1, t2), tc)
    event = np.where(tc == first, 0, np.where(t1 == first, 1, 2)).astype(np.int64)
    return np.ceil(first).astype(np.int64), event


def cases(n: int, seed: int) -> list[tuple[str, dict[str, Callable[[], object]]]]:
    time, event = make_data(n, seed)
    df = pd.DataFrame({"time": time, "event": event})
    tf = time.astype(np.float64)

    def remission() -> object:
        return cif(df, "time", "event").curves

    remission.input_bytes = time.nbytes + event.nbytes  # type: ignore[attr-defined]

    def lifelines() -> object:
        from lifelines import AalenJohansenFitter

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [
                AalenJohansenFitter(seed=seed).fit(tf, event, event_of_interest=c) for c in (1, 2)
            ]

    def scikit_survival() -> object:
        from sksurv.nonparametric import cumulative_incidence_competing_risks

        return cumulative_incidence_competing_risks(event, tf, conf_type="log-log")

    return [
        (
            "Aalen-Johansen, 2 causes",
            {"remission": remission, "lifelines": lifelines, "scikit-survival": scikit_survival},
        )
    ]
