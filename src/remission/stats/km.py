"""Kaplan-Meier estimation on count tables, with Greenwood variance and pointwise CIs.

Estimator (Kaplan & Meier 1958, JASA 53:457-481), at the distinct times ``t_j`` of a
group with ``n_j`` at risk and ``d_j`` events:

    S(t) = prod_{t_j <= t} (1 - d_j / n_j)

Greenwood's variance of ``log S(t)`` is ``sum_{t_j <= t} d_j / (n_j (n_j - d_j))``
(infinite once ``n_j = d_j``, i.e. after ``S`` drops to 0); the standard error of
``S(t)`` itself (``std_err``, R's ``summary(fit)$std.err``) is ``S(t)`` times its square
root. Pointwise ``(1 - alpha)`` confidence limits, with ``z`` the ``1 - alpha/2`` normal
quantile and ``se`` the standard error of ``log S`` (Kalbfleisch & Prentice 2002,
section 1.4; R's ``survival:::survfit_confint``):

- ``plain``:   ``S -/+ z se S``, clipped to ``[0, 1]``;
- ``log``:     ``S exp(-/+ z se)``, the upper limit capped at 1 (R's default);
- ``log-log``: ``S ** exp(-/+ z se / log S)`` (the default here, as Prism and
  lifelines); missing where ``S`` is 0 or 1.

Where ``S = 0`` the limits (and ``std_err``) are missing, as in R. Ties: events precede
censorings at the same time (the count table's convention, as R's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.special import ndtri

from remission.stats.counts import CountTable
from remission.stats.frontend import label_text, survival_data
from remission.stats.nelson_aalen import nelson_aalen
from remission.stats.results_km import KMGroup, KMResult
from remission.stats.weighted import ij_variance, weighted_count_table

__all__ = ["CONF_TYPES", "km", "km_from_counts", "survival_confint", "check_conf"]

#: The pointwise confidence-interval transforms, as R's ``conf.type``.
CONF_TYPES = ("log-log", "log", "plain")


def check_conf(conf_type: str, conf_level: float) -> None:
    """Raise ``ValueError`` for an unknown transform or a level outside (0, 1)."""
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {', '.join(CONF_TYPES)}, not {conf_type!r}")
    if not 0.0 < float(conf_level) < 1.0:
        raise ValueError(f"conf_level must be between 0 and 1, not {conf_level!r}")


def survival_confint(
    surv: np.ndarray, se_log: np.ndarray, conf_type: str, conf_level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise limits ``(lower, upper)`` of ``surv`` given the SE of ``log surv``.

    NaN marks a missing limit (R's ``NA``/``NaN``). See the module docstring.
    """
    z = float(ndtri(1.0 - (1.0 - conf_level) / 2.0))
    surv = np.asarray(surv, dtype=np.float64)
    se = np.asarray(se_log, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "plain":
            half = se * surv * z
            return np.maximum(surv - half, 0.0), np.minimum(surv + half, 1.0)
        if conf_type == "log":
            xx = np.where(surv == 0, np.nan, surv)
            return np.exp(np.log(xx) - z * se), np.minimum(np.exp(np.log(xx) + z * se), 1.0)
        if conf_type == "log-log":
            xx = np.where((surv == 0) | (surv == 1), np.nan, surv)
            half = z * se / np.log(xx)
            loglog = np.log(-np.log(xx))
            return np.exp(-np.exp(loglog - half)), np.exp(-np.exp(loglog + half))
    raise ValueError(f"conf_type must be one of {', '.join(CONF_TYPES)}, not {conf_type!r}")


def _risk_steps(ct: CountTable, s: slice) -> tuple[np.ndarray, np.ndarray]:
    """The number at risk at any time ``t`` with delayed entry, as a step function read
    at the first step time ``>= t``: ``#(entry < t <= exit)`` (R's), except at a time
    with entries and no exits, where those entering count (the number just after ``t``:
    a risk table at day 0 of rows that all start at 0 shows them, not 0)."""
    t, risk, enter = ct.time[s], ct.n_risk[s], ct.n_enter[s]
    exits = ct.n_event[s].sum(axis=1) + ct.n_censor[s]
    has = (enter > 0) & (exits == 0)
    before = np.nextafter(t[has], -np.inf)  # just before a time with entries
    times = np.concatenate([t, before])
    values = np.concatenate([np.where(has, risk + enter, risk), risk[has]])
    order = np.argsort(times, kind="stable")
    return times[order], values[order]


def _curve(ct: CountTable, g: int, conf_type: str, conf_level: float, label: str) -> KMGroup:
    """The Kaplan-Meier curve of group code ``g`` (vectorised over its rows)."""
    s = ct.rows(g)
    exits = ct.n_event[s].sum(axis=1) + ct.n_censor[s]
    risk = (None, None) if exits.all() else _risk_steps(ct, s)
    s = np.arange(s.start, s.stop)[exits > 0]  # rows of entries only are not curve times
    n_risk = ct.n_risk[s]
    n_event = ct.n_event[s].sum(axis=1)
    n = n_risk.astype(np.float64)
    d = n_event.astype(np.float64)
    left = n - d
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(left / n)
        greenwood = np.where(left > 0, d / (n * left), np.where(d > 0, np.inf, 0.0))
        se_log = np.sqrt(np.cumsum(greenwood))
        std_err = surv * se_log
    std_err[surv == 0] = np.nan
    lower, upper = survival_confint(surv, se_log, conf_type, conf_level)
    cumhaz, std_chaz = nelson_aalen(n_risk, n_event)
    return KMGroup(
        group=label,
        time=ct.time[s],
        n_risk=n_risk,
        n_event=n_event,
        n_censor=ct.n_censor[s],
        survival=surv,
        std_err=std_err,
        std_err_log=se_log,
        lower=lower,
        upper=upper,
        cumhaz=cumhaz,
        std_chaz=std_chaz,
        conf_type=conf_type,
        conf_level=float(conf_level),
        risk_time=risk[0],
        risk_n=risk[1],
    )


def km_from_counts(
    table: CountTable, conf_type: str = "log-log", conf_level: float = 0.95
) -> KMResult:
    """Kaplan-Meier curves, one per group of a count table (the worker).

    The table is trusted (e.g. from :func:`remission.stats.counts.count_table` or pooled
    from several centres with :meth:`CountTable.pool`); events of every cause count as
    events. Group labels are turned into text.
    """
    check_conf(conf_type, conf_level)
    groups = tuple(
        _curve(table, g, conf_type, conf_level, label_text(lab))
        for g, lab in enumerate(table.group_labels)
    )
    return KMResult(groups=groups, conf_type=conf_type, conf_level=float(conf_level))


def km(
    df: pd.DataFrame,
    time: str,
    event: str,
    group: str | None = None,
    conf_type: str = "log-log",
    conf_level: float = 0.95,
    *,
    entry: str | None = None,
    exact_times: bool = False,
    weights: str | None = None,
    variance: str | None = None,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> KMResult:
    """Kaplan-Meier estimates from a table's columns (the front end).

    ``df[time]`` holds follow-up times (>= 0), ``df[event]`` 1 for an event and 0 for
    censored, ``df[group]`` optional group labels (read as text). Rows with a missing
    value are excluded and counted in the result (``excluded``); anything else wrong
    raises one :class:`remission.cohort.problems.InputError` naming every problem.
    ``conf_type`` is ``"log-log"`` (default), ``"log"`` (R's default) or ``"plain"``.
    All-censored data are allowed (the curve stays at 1). ``entry`` names a column of
    entry times (delayed entry, or ``(start, stop]`` rows): a subject is at risk for
    times ``> entry``, as R's ``survfit(Surv(entry, time, event) ~ 1)``; times equal up
    to rounding error are merged as R does unless ``exact_times``
    (:mod:`remission.stats.timefix`). ``weights`` names a column of case weights (R's
    ``survfit(weights = )``): the curve is the weighted one; its variance is R's
    default, the infinitesimal jackknife (``variance="robust"``) when some weight is
    not a whole number and Greenwood's (``"greenwood"``) otherwise, unless ``variance``
    says which (:mod:`remission.stats.weighted`).

    Example: ``km(df, time="days", event="dead", group="arm").median()``.
    """
    check_conf(conf_type, conf_level)
    if variance not in (None, "greenwood", "robust"):
        raise ValueError(f"variance must be 'greenwood' or 'robust', not {variance!r}")
    data = survival_data(
        df, time, event, group, entry=entry, weights=weights, exact_times=exact_times,
        source=source, rows=rows, require_events=False, native=weights is None,
    )  # fmt: skip
    if data.weights is None:
        result = km_from_counts(data.count_table(), conf_type, conf_level)
    else:
        result = _weighted(data, conf_type, conf_level, variance)
    return replace(result.with_exclusions(data.excluded), timefix=data.timefix)


def _weighted(data, conf_type: str, conf_level: float, variance: str | None) -> KMResult:
    """Kaplan-Meier with case weights (see :mod:`remission.stats.weighted`)."""
    w = data.weights
    table = weighted_count_table(data.time, data.event, w, data.group, data.entry,
                                 data.group_labels)  # fmt: skip
    result = km_from_counts(table, conf_type, conf_level)
    if variance is None:
        variance = "greenwood" if np.all(w == np.floor(w)) else "robust"
    if variance == "greenwood":
        return replace(result, variance="greenwood")
    g_codes = data.group if data.group is not None else np.zeros(data.n, np.int64)
    groups = []
    for k, g in enumerate(result.groups):
        m = g_codes == k
        en = data.entry[m] if data.entry is not None else None
        var_log = ij_variance(data.time[m], data.event[m], w[m], en, g.time, g.n_risk,
                              g.n_event)  # fmt: skip
        se_log = np.sqrt(var_log)
        with np.errstate(invalid="ignore"):
            se_log = np.where(g.survival > 0, se_log, np.nan)
        lower, upper = survival_confint(g.survival, se_log, conf_type, conf_level)
        std_err = np.where(g.survival > 0, g.survival * se_log, 0.0)  # IJ: 0 where S = 0, as R
        groups.append(replace(g, std_err_log=se_log, std_err=std_err,
                              lower=lower, upper=upper))  # fmt: skip
    return replace(result, groups=tuple(groups), variance="robust")
