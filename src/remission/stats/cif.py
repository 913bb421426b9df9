"""Cumulative incidence of competing risks: Aalen-Johansen with cmprsk's variance.

Per group and cause ``c``, at the distinct event times ``t`` (events of any cause) with
``n`` at risk, ``d`` events of any cause and ``d_c`` of cause ``c``, and ``S(t-)`` the
all-cause Kaplan-Meier just before ``t`` (Kalbfleisch & Prentice 2002, section 8.2)::

    F_c(t) = sum_{u <= t} S(u-) d_c(u) / n(u)

The variance is the one ``cmprsk::cuminc`` reports (R. Gray's Fortran ``cinc``, cmprsk
2.2-11; the delta-method/Aalen-type estimator of Gray 1988 and Pepe 1991): with
``S(t) = S(t-) (n - d) / n`` and, for ``m`` events at a time, the tie factor
``tau(m) = 1 - (m - 1) / (n - 1)`` (1 when ``m = 1``), accumulate over event times

    other causes (m = d - d_c > 0, S(t) > 0):  h = S(t-)^2 tau(m) m / n^2,
        v1 += (F_c(t) / S(t))^2 h,  v2 += F_c(t) / S(t)^2 h,  v3 += h / S(t)^2
    cause c (m = d_c > 0):  h = S(t-)^2 tau(m) m / n^2,  r = 1/S(t) (0 if S(t) = 0),
        v1 += (1 + r F_c(t))^2 h,  v2 += r (1 + r F_c(t)) h,  v3 += r^2 h

and at each time with an event of cause ``c`` set ``Var F_c(t) = v1 + F_c(t)^2 v3 -
2 F_c(t) v2``; between those times the variance stays at its last value (``cuminc``'s
step function). Estimates at chosen times follow ``cmprsk::timepoints``: the value at the
last event of the cause at or before the time, ``None`` after the group's largest time.

Confidence limits (not printed by ``cuminc``) use the log(-log) transform, as the
cmprsk users' convention (e.g. ``tidycmprsk``, Sjoberg & Fei 2021; Choudhury 2002, Stat
Med 21:1129-1144)::

    lower = F^exp(-z sqrt(Var) / (F log F)),   upper = F^exp(z sqrt(Var) / (F log F))

(``None`` when ``F`` is 0 or 1). Gray's test between groups is in :mod:`.gray`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from remission.stats.counts import CountTable, count_table
from remission.stats.frontend import SurvivalData, survival_data
from remission.stats.gray import GrayTest, gray_test
from remission.stats.timefix import TimeFix

__all__ = ["CIFCurve", "CIFResult", "cif", "aalen_johansen", "cif_bounds"]


@dataclass(frozen=True, eq=False)
class CIFCurve:
    """One cumulative incidence step function: values at the times of the cause's events.

    ``n_risk`` and ``n_event`` are the numbers at risk and events of the cause at those
    times; ``max_time`` is the group's largest follow-up time (beyond it: ``None``).
    """

    group: str
    cause: object
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    estimate: np.ndarray
    variance: np.ndarray
    max_time: float

    def at(self, times: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
        """Estimate and variance at ``times`` (NaN after ``max_time``), as ``timepoints``."""
        t = np.asarray(times, dtype=float)
        idx = np.searchsorted(self.time, t, side="right") - 1
        est = (
            np.where(idx >= 0, self.estimate[np.maximum(idx, 0)], 0.0) if len(self.time) else 0 * t
        )
        var = (
            np.where(idx >= 0, self.variance[np.maximum(idx, 0)], 0.0) if len(self.time) else 0 * t
        )
        beyond = t > self.max_time
        return np.where(beyond, np.nan, est), np.where(beyond, np.nan, var)


def cif_bounds(
    est: np.ndarray, var: np.ndarray, conf_level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """log(-log) confidence limits of cumulative incidence (module docstring); NaN
    where the estimate is 0, 1 or missing."""
    z = float(special.ndtri(1 - (1 - conf_level) / 2))
    est = np.asarray(est, dtype=float)
    ok = (est > 0) & (est < 1) & np.isfinite(var)
    e = np.where(ok, est, 0.5)
    k = z * np.sqrt(np.where(ok, var, 0.0)) / (e * np.log(e))
    return np.where(ok, e ** np.exp(-k), np.nan), np.where(ok, e ** np.exp(k), np.nan)


def aalen_johansen(ct: CountTable, cause_index: int) -> tuple[np.ndarray, ...]:
    """The worker, on a one-group count table: (time, n_risk, n_event, F, Var) at the
    times of events of ``ct.causes[cause_index]`` (module docstring)."""
    ev = ct.events > 0
    rs = ct.n_risk[ev].astype(float)
    nd = ct.events[ev].astype(float)
    nd1 = ct.n_event[ev, cause_index].astype(float)
    nd2 = nd - nd1
    fkn = np.cumprod(1 - nd / rs)
    fk = np.concatenate([[1.0], fkn[:-1]])
    f = np.cumsum(fk * nd1 / rs)
    pos = fkn > 0
    inv = np.where(pos, 1 / np.where(pos, fkn, 1.0), 0.0)

    def h(m: np.ndarray) -> np.ndarray:
        tau = np.where(m > 1, 1 - (m - 1) / np.where(rs > 1, rs - 1, 1.0), 1.0)
        return fk * fk * tau * m / (rs * rs)

    h2 = np.where((nd2 > 0) & pos, h(nd2), 0.0)
    h1 = np.where(nd1 > 0, h(nd1), 0.0)
    t4 = 1 + inv * f
    v1 = np.cumsum((f * inv) ** 2 * h2 + t4 * t4 * h1)
    v2 = np.cumsum(f * inv * inv * h2 + inv * t4 * h1)
    v3 = np.cumsum(inv * inv * (h1 + h2))
    at = nd1 > 0
    var = (v1 + f * f * v3 - 2 * f * v2)[at]
    return ct.time[ev][at], rs[at], nd1[at], f[at], var


@dataclass(frozen=True, eq=False)
class CIFResult:
    """Cumulative incidence per (cause, group) and Gray's test per cause (empty for one
    group)."""

    curves: tuple[CIFCurve, ...]
    gray: tuple[GrayTest, ...]
    groups: tuple[str, ...]
    causes: tuple
    conf_level: float = 0.95
    rho: float = 0.0
    strata: tuple[str, ...] = ()
    excluded: tuple[tuple[int, str], ...] = ()
    timefix: TimeFix | None = None

    def curve(self, cause: object, group: str | None = None) -> CIFCurve:
        for c in self.curves:
            if c.cause == cause and (group is None or c.group == group):
                return c
        raise KeyError(f"no curve for cause {cause!r}, group {group!r}")

    @property
    def table(self) -> pd.DataFrame:
        """Every curve at its own event times, with variance and confidence limits."""
        parts = []
        for c in self.curves:
            lo, hi = cif_bounds(c.estimate, c.variance, self.conf_level)
            parts.append(
                pd.DataFrame(
                    {
                        "cause": c.cause,
                        "group": c.group,
                        "time": c.time,
                        "n_risk": c.n_risk.astype(np.int64),
                        "n_event": c.n_event.astype(np.int64),
                        "estimate": c.estimate,
                        "variance": c.variance,
                        "lower": lo,
                        "upper": hi,
                    }
                )  # fmt: skip
            )
        return pd.concat(parts, ignore_index=True)

    def at(self, times: Sequence[float]) -> pd.DataFrame:
        """Every curve at ``times`` (``cmprsk::timepoints``), with confidence limits."""
        rows = []
        for c in self.curves:
            est, var = c.at(times)
            lo, hi = cif_bounds(est, var, self.conf_level)
            for i, t in enumerate(times):
                rows.append((c.cause, c.group, float(t), est[i], var[i], lo[i], hi[i]))
        cols = ["cause", "group", "time", "estimate", "variance", "lower", "upper"]
        return pd.DataFrame(rows, columns=cols)

    def to_dict(self, at: Sequence[float] | None = None) -> dict:
        """The JSON shape of ``remission cif --json``; without ``at``, each curve at its
        own event times."""
        causes = []
        for c in self.curves:
            times = c.time if at is None else np.asarray(at, dtype=float)
            est, var = c.at(times)
            lo, hi = cif_bounds(est, var, self.conf_level)
            causes.append(
                {
                    "cause": c.cause,
                    "group": c.group,
                    "at": [
                        {
                            "time": float(t),
                            "estimate": _n(e),
                            "variance": _n(v),
                            "lower": _n(a),
                            "upper": _n(b),
                        }
                        for t, e, v, a, b in zip(times, est, var, lo, hi, strict=True)
                    ],  # fmt: skip
                }
            )
        return {
            "conf_level": self.conf_level,
            "causes": causes,
            "gray": [g.to_dict() for g in self.gray],
            "rho": self.rho,
            "strata": list(self.strata) or None,
            "timefix": self.timefix.to_dict() if self.timefix is not None else None,
            "n_excluded": len(self.excluded),
            "excluded": [{"row": r, "reason": why} for r, why in self.excluded],
        }


def _n(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _event_codes(df: pd.DataFrame, event: str) -> tuple[int, ...]:
    """0 and every whole positive code present (anything else fails the front end)."""
    if event not in df.columns:
        return (0, 1)
    col = df[event]
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        v = np.unique(col.to_numpy(dtype=float, na_value=np.nan))
    else:
        v = pd.to_numeric(col.astype("string").str.strip(), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
    v = v[np.isfinite(v) & (v >= 0) & (v == np.round(v))]
    return tuple(sorted({0, *(int(x) for x in np.unique(v))}))


def cif(
    df: pd.DataFrame,
    time: str,
    event: str,
    group: str | None = None,
    strata: str | None = None,
    conf_level: float = 0.95,
    rho: float = 0.0,
    *,
    entry: str | None = None,
    exact_times: bool = False,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> CIFResult:
    """Cumulative incidence per cause (and group), with Gray's test between groups.

    ``event`` is 0 for censored and ``1..k`` for the cause; ``strata`` stratifies Gray's
    test only (as ``cuminc``); ``rho`` is the power of Gray's weight ``(1 - F(t-))^rho``.
    Causes are those with at least one event; groups are ordered as their labels sort.
    ``entry`` names a column of entry times (at risk for times ``> entry``; the
    Aalen-Johansen estimate as R's ``survfit`` with ``Surv(entry, time, factor(event))``;
    Gray's test, for right-censored data only, is then not computed). Times equal up to
    rounding error are merged as R does unless ``exact_times``.
    """
    sd = survival_data(
        df, time, event, group=group, strata=strata, entry=entry, exact_times=exact_times,
        event_codes=_event_codes(df, event), source=source, rows=rows,
    )  # fmt: skip
    return cif_from_data(sd, conf_level=conf_level, rho=rho)


def cif_from_data(sd: SurvivalData, conf_level: float = 0.95, rho: float = 0.0) -> CIFResult:
    """:func:`cif` on checked arrays."""
    kmax = int(sd.event.max())
    all_causes = tuple(range(1, kmax + 1))
    g = sd.group if sd.group is not None else np.zeros(sd.n, dtype=np.int64)
    whole = count_table(
        sd.time, sd.event, g, entry=sd.entry, group_labels=sd.group_labels, causes=all_causes
    )
    strata = _strata_tables(sd, g, all_causes) if sd.strata is not None else None
    return cif_from_counts(
        whole, strata, sd.strata_labels, sd.excluded, conf_level, rho, sd.timefix,
        gray=sd.entry is None,  # Gray's test: right-censored data only
    )  # fmt: skip


def cif_from_counts(
    whole: CountTable,
    strata_tables: Sequence[CountTable] | None = None,
    strata_labels: tuple[str, ...] = (),
    excluded: tuple[tuple[int, str], ...] = (),
    conf_level: float = 0.95,
    rho: float = 0.0,
    timefix: TimeFix | None = None,
    *,
    gray: bool = True,
) -> CIFResult:
    """:func:`cif` on count tables (the worker): ``whole`` by group with every cause,
    ``strata_tables`` one per stratum for Gray's test (or None). Tables counted by an
    engine or pooled over centres give the same result as their rows."""
    present = [j for j in range(len(whole.causes)) if np.any(whole.n_event[:, j] > 0)]
    curves = []
    for j in present:
        for gi, label in enumerate(whole.group_labels):
            sub = whole.subset(gi)
            t, n, d, f, v = aalen_johansen(sub, j)
            last = float(sub.time[(sub.events + sub.n_censor) > 0][-1])
            curves.append(CIFCurve(label, j + 1, t, n, d, f, v, last))
    tests: list[GrayTest] = []
    if whole.n_groups > 1 and gray:
        tables = list(strata_tables) if strata_tables is not None else [whole]
        tests = [gray_test(tables, j, rho) for j in present]
    return CIFResult(
        tuple(curves), tuple(tests), tuple(whole.group_labels), tuple(j + 1 for j in present),
        conf_level, rho, tuple(strata_labels), tuple(excluded), timefix,
    )  # fmt: skip


def _strata_tables(sd: SurvivalData, g: np.ndarray, causes: tuple) -> list[CountTable]:
    out = []
    for s in range(len(sd.strata_labels)):
        m = sd.strata == s
        out.append(
            count_table(sd.time[m], sd.event[m], g[m], group_labels=sd.group_labels, causes=causes)
        )
    return out
