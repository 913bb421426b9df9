"""Result objects of the Kaplan-Meier family: frozen, plain data, no printing.

:class:`KMGroup` is one curve (every time at which anything happened, as R's
``survfit`` object); :class:`KMResult` holds one curve per group. Quantiles, values at
chosen times and restricted means are computed from a curve on request; ``to_dict``
gives the JSON shape of ``remission km --json`` (missing values as ``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from remission.stats.quantiles import curve_quantile
from remission.stats.rmst import restricted_mean
from remission.stats.timefix import TimeFix

__all__ = ["KMGroup", "KMResult", "QuantileEstimate", "RMSTEstimate", "clean"]

_TABLE_COLUMNS = (
    "time", "n_risk", "n_event", "n_censor", "survival", "std_err", "lower", "upper",
)  # fmt: skip
_AT_COLUMNS = ("time", "n_risk", "survival", "std_err", "lower", "upper")


def clean(x: object) -> object:
    """A number for JSON: NaN/inf -> None, NumPy scalars -> Python, integral counts -> int."""
    if x is None:
        return None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        v = float(x)
        return v if np.isfinite(v) else None
    return x


def _records(columns: dict[str, np.ndarray]) -> list[dict[str, object]]:
    names = list(columns)
    lists = [np.asarray(columns[k]).tolist() for k in names]
    return [
        {k: clean(v) for k, v in zip(names, vals, strict=True)} for vals in zip(*lists, strict=True)
    ]


@dataclass(frozen=True)
class QuantileEstimate:
    """The ``p`` quantile of survival time with its confidence limits (None: not reached)."""

    p: float
    time: float | None
    lower: float | None
    upper: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"time": self.time, "lower": self.lower, "upper": self.upper}


@dataclass(frozen=True)
class RMSTEstimate:
    """Restricted mean survival time to ``tau`` and its standard error."""

    tau: float
    rmst: float
    std_err: float

    def to_dict(self) -> dict[str, float]:
        return {"tau": self.tau, "rmst": self.rmst, "std_err": self.std_err}


@dataclass(frozen=True, eq=False)
class KMGroup:
    """One Kaplan-Meier curve: arrays over the group's distinct times.

    ``std_err`` is the standard error of ``survival`` (NaN where ``S = 0``),
    ``std_err_log`` that of ``log S`` (Greenwood); ``lower``/``upper`` NaN where missing;
    ``cumhaz``/``std_chaz`` the Nelson-Aalen estimate and its standard error. With
    delayed entry, ``risk_time``/``risk_n`` give the number at risk at any time ``t``
    (``entry < t <= exit``; at a time with entries and no exits, those entering count),
    read at the first step time ``>= t`` (``at``, risk tables); otherwise they are None
    and ``time``/``n_risk`` serve.
    """

    group: str
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    std_err_log: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    cumhaz: np.ndarray
    std_chaz: np.ndarray
    conf_type: str
    conf_level: float
    risk_time: np.ndarray | None = None
    risk_n: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of subjects (rows): events plus censorings, as R's ``n``."""
        return int(self.n_event.sum() + self.n_censor.sum())

    @property
    def events(self) -> int:
        return int(self.n_event.sum())

    def quantile(self, p: float) -> QuantileEstimate:
        """Survival-time quantile ``p`` (0 <= p <= 1) as R's ``quantile.survfit``."""
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be between 0 and 1, not {p!r}")
        est = curve_quantile(self.time, self.survival, self.lower, self.upper, p)
        return QuantileEstimate(float(p), *(clean(v) for v in est))  # type: ignore[arg-type]

    def median(self) -> QuantileEstimate:
        """Median survival time with its Brookmeyer-Crowley limits (``quantile(0.5)``)."""
        return self.quantile(0.5)

    def rmst(self, tau: float) -> RMSTEstimate:
        """Restricted mean survival time to ``tau`` (see :mod:`remission.stats.rmst`)."""
        if not np.isfinite(tau) or tau < 0:
            raise ValueError(f"tau must be a finite number >= 0, not {tau!r}")
        est, se = restricted_mean(self.time, self.survival, self.n_risk, self.n_event, tau)
        return RMSTEstimate(float(tau), est, se)

    def at(self, times: Iterable[float], extend: bool = False) -> dict[str, np.ndarray]:
        """Survival, SE, CI and number at risk at ``times``, as R's ``summary(fit, times=)``.

        Before the first time: ``S = 1``, SE 0, limits 1. At ``t``: the row of the last
        time ``<= t``; the number at risk is that just before ``t``. Beyond the last
        time R drops the row; here it is kept with missing (NaN) values and ``n_risk`` 0,
        unless ``extend=True``, which carries the last row forward as R's ``extend=TRUE``.
        """
        t = np.asarray(list(times), dtype=np.float64)
        idx = np.searchsorted(self.time, t, side="right") - 1
        before = idx < 0
        j = np.maximum(idx, 0)
        out = {"time": t}
        rt, rn = (self.time, self.n_risk) if self.risk_time is None else (
            self.risk_time, self.risk_n)  # fmt: skip
        risk = np.append(rn, 0)[np.searchsorted(rt, t, side="left")]
        out["n_risk"] = risk
        beyond = t > (self.time[-1] if len(self.time) else -np.inf)
        for name, first in (("survival", 1.0), ("std_err", 0.0), ("lower", 1.0), ("upper", 1.0)):
            col = getattr(self, name)
            v = col[j] if len(col) else np.full(len(t), first)
            v = np.where(before, first, v)
            if not extend:
                v = np.where(beyond, np.nan, v)
            out[name] = v
        return out

    @property
    def table(self) -> pd.DataFrame:
        """The curve as a DataFrame (one row per distinct time)."""
        cols = {"group": self.group, **{c: getattr(self, c) for c in _TABLE_COLUMNS}}
        cols["cumhaz"], cols["std_chaz"] = self.cumhaz, self.std_chaz
        return pd.DataFrame(cols)

    def to_dict(
        self,
        at: Sequence[float] = (),
        rmst: float | None = None,
        extend: bool = False,
        quantiles: Sequence[float] = (),
    ) -> dict[str, object]:
        """The group's part of ``remission km --json``."""
        return {
            "group": self.group,
            "n": self.n,
            "events": self.events,
            "median": self.median().to_dict(),
            "quantiles": [{"p": float(p), **self.quantile(p).to_dict()} for p in quantiles],
            "table": _records({c: getattr(self, c) for c in _TABLE_COLUMNS}),
            "at": _records(self.at(at, extend=extend)) if len(at) else [],
            "rmst": None if rmst is None else self.rmst(rmst).to_dict(),
        }


@dataclass(frozen=True, eq=False)
class KMResult:
    """Kaplan-Meier curves, one per group, and the rows excluded for missing values."""

    groups: tuple[KMGroup, ...]
    conf_type: str
    conf_level: float
    excluded: tuple[tuple[int, str], ...] = field(default=())
    timefix: TimeFix | None = None
    variance: str = "greenwood"

    def with_exclusions(self, excluded: Iterable[tuple[int, str]]) -> KMResult:
        return replace(self, excluded=tuple(excluded))

    def group(self, label: object) -> KMGroup:
        """The curve of the group labelled ``label`` (compared as text)."""
        for g in self.groups:
            if g.group == str(label):
                return g
        raise KeyError(f"no group {label!r}; groups: {', '.join(g.group for g in self.groups)}")

    @property
    def table(self) -> pd.DataFrame:
        """All curves in one DataFrame (a ``group`` column first)."""
        return pd.concat([g.table for g in self.groups], ignore_index=True)

    def at(self, times: Iterable[float], extend: bool = False) -> pd.DataFrame:
        """Values at ``times`` for every group (see :meth:`KMGroup.at`)."""
        times = list(times)
        return pd.concat(
            [pd.DataFrame({"group": g.group, **g.at(times, extend)}) for g in self.groups],
            ignore_index=True,
        )

    def quantile(self, p: float) -> pd.DataFrame:
        """The ``p`` quantile of every group: columns group, p, time, lower, upper."""
        rows = [{"group": g.group, **vars(g.quantile(p))} for g in self.groups]
        return pd.DataFrame(rows, columns=["group", "p", "time", "lower", "upper"])

    def median(self) -> pd.DataFrame:
        """The median of every group (``quantile(0.5)``)."""
        return self.quantile(0.5)

    def rmst(self, tau: float) -> pd.DataFrame:
        """Restricted mean survival time to ``tau`` of every group."""
        rows = [{"group": g.group, **vars(g.rmst(tau))} for g in self.groups]
        return pd.DataFrame(rows, columns=["group", "tau", "rmst", "std_err"])

    def to_dict(
        self,
        at: Sequence[float] = (),
        rmst: float | None = None,
        extend: bool = False,
        quantiles: Sequence[float] = (),
    ) -> dict[str, object]:
        """The JSON shape of ``remission km --json`` (issue 3)."""
        return {
            "conf_type": self.conf_type,
            "conf_level": self.conf_level,
            "timefix": self.timefix.to_dict() if self.timefix is not None else None,
            "variance": self.variance,
            "n_excluded": len(self.excluded),
            "excluded": [{"row": r, "reason": why} for r, why in self.excluded],
            "groups": [g.to_dict(at, rmst, extend, quantiles) for g in self.groups],
        }
