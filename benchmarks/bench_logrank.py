"""k-group log-rank test: remission vs lifelines, statsmodels and scikit-survival, on
``n`` rows of integer-day data in three groups.

Each function computes the whole test once: remission through its public front end
``remission.stats.logrank.compare(df, ...)`` on a DataFrame (input checks, exclusions,
count table, test and hazard ratios); the peers from NumPy arrays: lifelines
``multivariate_logrank_test``, statsmodels ``survdiff``, scikit-survival
``compare_survival``. All give the same chi-square.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from remission.stats.logrank import compare

GROUPS = 3


def make_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer days: exponential event times whose mean depends on the group (900, 1000,
    1100 days), uniform censoring over ten years."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, GROUPS, n)
    event_t = np.ceil(rng.exponential(900.0 + 100.0 * group))
    cens_t = np.ceil(rng.uniform(0, 3652, n))
    time = np.minimum(event_t, cens_t).astype(np.int64)
    event = (event_t <= cens_t).astype(np.int64)
    return time, event, group


def cases(n: int, seed: int) -> list[tuple[str, dict[str, Callable[[], object]]]]:
    time, event, group = make_data(n, seed)
    df = pd.DataFrame({"time": time, "event": event, "arm": group})
    tf = time.astype(np.float64)

    def remission() -> object:
        return compare(df, "time", "event", "arm").statistic

    remission.input_bytes = time.nbytes + event.nbytes + group.nbytes  # type: ignore[attr-defined]

    def lifelines() -> object:
        from lifelines.statistics import multivariate_logrank_test

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return multivariate_logrank_test(tf, group, event).test_statistic

    def statsmodels() -> object:
        from statsmodels.duration.survfunc import survdiff

        return survdiff(tf, event, group)[0]

    def scikit_survival() -> object:
        from sksurv.compare import compare_survival
        from sksurv.util import Surv

        y = Surv.from_arrays(event.astype(bool), tf)
        return compare_survival(y, group)[0]

    return [
        (
            f"log-rank, {GROUPS} groups",
            {
                "remission": remission,
                "lifelines": lifelines,
                "statsmodels": statsmodels,
                "scikit-survival": scikit_survival,
            },
        )
    ]
