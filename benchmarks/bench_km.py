"""Kaplan-Meier with 95 % pointwise log-log CIs: remission vs lifelines, statsmodels and
scikit-survival, on ``n`` rows of integer-day data (one group, and four groups).

Each function runs the whole estimator once, from the data as its library takes it:
remission from a DataFrame through its validating front end (``remission.km``), the
peers from NumPy arrays. statsmodels' ``SurvfuncRight`` gives the survival and its
standard error; the pointwise log-log limits are added from them so that every entry
computes the same thing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from remission.stats.km import km


def make_data(n: int, seed: int, n_groups: int = 1) -> pd.DataFrame:
    """Integer days: exponential event times (mean 1000 days), uniform censoring, cut at
    ten years (3652 days)."""
    rng = np.random.default_rng(seed)
    event_t = np.ceil(rng.exponential(1000.0, n))
    cens_t = np.ceil(rng.uniform(0, 3652, n))
    time = np.minimum(event_t, cens_t).astype(np.int64)
    event = (event_t <= cens_t).astype(np.int64)
    df = pd.DataFrame({"time": time, "event": event})
    if n_groups > 1:
        df["arm"] = rng.integers(0, n_groups, n)
    return df


def _statsmodels_km(t: np.ndarray, e: np.ndarray) -> object:
    from scipy.special import ndtri
    from statsmodels.duration.survfunc import SurvfuncRight

    sf = SurvfuncRight(t, e)
    s = sf.surv_prob
    with np.errstate(divide="ignore", invalid="ignore"):
        se_log = sf.surv_prob_se / s
        half = ndtri(0.975) * se_log / np.log(s)
        loglog = np.log(-np.log(s))
        return s, np.exp(-np.exp(loglog - half)), np.exp(-np.exp(loglog + half))


def _one_group(df: pd.DataFrame) -> dict[str, Callable[[], object]]:
    t = df["time"].to_numpy(np.float64)
    e = df["event"].to_numpy()
    eb = e.astype(bool)

    def remission() -> object:
        return km(df, "time", "event")

    def lifelines() -> object:
        from lifelines import KaplanMeierFitter

        return KaplanMeierFitter().fit(t, e).confidence_interval_

    def sksurv() -> object:
        from sksurv.nonparametric import kaplan_meier_estimator

        return kaplan_meier_estimator(eb, t, conf_type="log-log")

    remission.input_bytes = t.nbytes + e.nbytes  # type: ignore[attr-defined]
    return {
        "remission": remission,
        "lifelines": lifelines,
        "statsmodels": lambda: _statsmodels_km(t, e),
        "scikit-survival": sksurv,
    }


def _groups(df: pd.DataFrame) -> dict[str, Callable[[], object]]:
    t = df["time"].to_numpy(np.float64)
    e = df["event"].to_numpy()
    g = df["arm"].to_numpy()
    levels = np.unique(g)
    masks = [g == lev for lev in levels]

    def remission() -> object:
        return km(df, "time", "event", group="arm")

    def lifelines() -> object:
        from lifelines import KaplanMeierFitter

        return [KaplanMeierFitter().fit(t[m], e[m]).confidence_interval_ for m in masks]

    def sksurv() -> object:
        from sksurv.nonparametric import kaplan_meier_estimator

        return [kaplan_meier_estimator(e[m] == 1, t[m], conf_type="log-log") for m in masks]

    remission.input_bytes = t.nbytes + e.nbytes + g.nbytes  # type: ignore[attr-defined]
    return {
        "remission": remission,
        "lifelines": lifelines,
        "statsmodels": lambda: [_statsmodels_km(t[m], e[m]) for m in masks],
        "scikit-survival": sksurv,
    }


def cases(n: int, seed: int) -> list[tuple[str, dict[str, Callable[[], object]]]]:
    """(case name, {library: function}) with the data built before returning."""
    return [
        ("KM + log-log CI, 1 group", _one_group(make_data(n, seed))),
        ("KM + log-log CI, 4 groups", _groups(make_data(n, seed + 1, n_groups=4))),
    ]
