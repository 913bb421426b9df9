"""Time-dependent exposure (HSCT, CAR T cells, relapse): split rows, Simon-Makuch,
Mantel-Byar and landmark analysis.

Comparing "transplanted" with "not transplanted" patients from diagnosis by the ever/never
status is biased in favour of the transplanted: they had to survive until the
transplant (immortal time; Anderson, Cain & Gelber 1983, J Clin Oncol 1:710-719; Suissa
2008, Am J Epidemiol 167:492-499). The remedies here all count each patient as unexposed
until the exposure time and exposed after it:

- :func:`split_at_exposure` turns each patient row into counting-process rows
  ``(tstart, tstop]`` as R's ``tmerge(..., event(time, status), tdc(exposure))``: a
  patient exposed at ``e`` with ``0 < e < time`` gets ``(0, e]`` unexposed without event
  and ``(e, time]`` exposed with the patient's status; ``e <= 0`` means exposed from the
  start, ``e >= time`` or a missing ``e`` never exposed;
- the **Mantel-Byar test** (Mantel & Byar 1974, JASA 69:81-86) is the log-rank test on
  the split rows, each patient in the risk set of the group it belongs to at each event
  time; with the hypergeometric variance it equals the score test of R's
  ``coxph(Surv(tstart, tstop, status) ~ exposed, ties = "exact")`` on the split data
  (without tied event times, also that of Efron and Breslow);
- **Simon-Makuch curves** (Simon & Makuch 1984, Stat Med 3:35-44) are Kaplan-Meier
  curves on the split rows with delayed entry: the exposed group's number at risk rises
  as patients cross over (R's ``survfit(Surv(tstart, tstop, status) ~ exposed)``);
- **landmark analysis** (Anderson et al. 1983) keeps the patients still at risk at the
  landmark ``L`` (time ``> L``), groups them by exposure by then (``e <= L``), and
  measures time from ``L``.

A Cox model with the exposure as a time-dependent covariate is
``cox(split, "tstop", status, ["exposed", ...], entry="tstart")``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from remission.cohort.problems import InputError, Problem
from remission.stats.counts import count_table
from remission.stats.frontend import is_missing, survival_data
from remission.stats.km import check_conf, km_from_counts
from remission.stats.logrank import CompareResult, Weighting, logrank_test
from remission.stats.results_km import KMResult
from remission.stats.timefix import TimeFix, aeq_times

__all__ = [
    "EXPOSURE_LABELS",
    "LandmarkResult",
    "landmark",
    "mantel_byar",
    "simon_makuch",
    "split_at_exposure",
]

#: Group labels of the exposure status (0, 1).
EXPOSURE_LABELS = ("unexposed", "exposed")


@dataclass(frozen=True, eq=False)
class _Split:
    start: np.ndarray
    stop: np.ndarray
    event: np.ndarray
    exposed: np.ndarray
    index: np.ndarray  # position in the input frame of the row each split row comes from
    timefix: TimeFix
    excluded: tuple[tuple[int, str], ...]


def _exposure_values(df, exposure, rows, source) -> np.ndarray:
    """The exposure column as floats (NaN: never exposed); anything else is a problem."""
    if exposure not in df.columns:
        have = ", ".join(map(str, df.columns))
        raise InputError([Problem(source, "column not found", column=exposure,
                                  expected=f"one of: {have}")])  # fmt: skip
    out = np.full(len(df), np.nan)
    problems = []
    for i, v in enumerate(df[exposure].tolist()):
        if is_missing(v):
            continue
        try:
            out[i] = float(v.strip() if isinstance(v, str) else v)
        except (TypeError, ValueError):
            out[i] = np.nan
        if not np.isfinite(out[i]):
            problems.append(Problem(source, "exposure time is not a number", row=int(rows[i]),
                                    column=exposure, value=v,
                                    expected="a time on the scale of the follow-up time, "
                                             "or empty for never exposed"))  # fmt: skip
    if problems:
        raise InputError(problems)
    return out


def _split(df, time, event, exposure, source, rows, exact_times) -> _Split:
    rows = np.arange(2, len(df) + 2) if rows is None else np.asarray(rows)
    expo_all = _exposure_values(df, exposure, rows, source)
    sd = survival_data(df, time, event, source=source, rows=rows, exact_times=True,
                       require_events=False)  # fmt: skip
    gone = {r for r, _ in sd.excluded}
    keep = np.array([int(r) not in gone for r in rows], dtype=bool)
    e = expo_all[keep]
    t = sd.time
    cut = np.isfinite(e) & (e > 0) & (e < t)
    from_start = np.isfinite(e) & (e <= 0)
    idx = np.flatnonzero(keep)
    index = np.concatenate([idx, idx[cut]])
    start = np.concatenate([np.zeros(len(t)), e[cut]])
    stop = np.concatenate([np.where(cut, e, t), t[cut]])
    ev = np.concatenate([np.where(cut, 0, sd.event), sd.event[cut]])
    exposed = np.concatenate([from_start.astype(np.int64), np.ones(cut.sum(), np.int64)])
    order = np.lexsort((start, index))
    start, stop, ev, exposed, index = (a[order] for a in (start, stop, ev, exposed, index))
    fix = TimeFix(False)
    if not exact_times:
        stop, start, merged = aeq_times(stop, start)
        fix = TimeFix(True, merged)
    return _Split(start, stop, ev, exposed, index, fix, sd.excluded)


def split_at_exposure(
    df: pd.DataFrame,
    time: str,
    event: str,
    exposure: str,
    *,
    status: str = "exposed",
    exact_times: bool = True,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Counting-process rows split at ``df[exposure]`` (R's ``tmerge`` with ``tdc``).

    Returns the rows of ``df`` (rows with a missing time or event left out), one per
    interval, with the other columns repeated, ``tstart`` and ``tstop`` (``tstop``
    replaces ``df[time]``'s role; ``df[event]`` is 0 on a first interval that ends at the
    exposure), and ``df[status]`` 0 before and 1 after the exposure. ``df[exposure]``
    holds exposure times on the scale of ``df[time]`` (empty: never exposed). The row
    order is by patient, then ``tstart``. Times are kept exactly by default. The rows
    left out are listed in ``out.attrs["excluded"]`` as ``(row, reason)``.
    """
    sp = _split(df, time, event, exposure, source, rows, exact_times)
    out = df.iloc[sp.index].reset_index(drop=True).copy()
    out.attrs["excluded"] = sp.excluded
    out["tstart"] = sp.start
    out["tstop"] = sp.stop
    out[event] = sp.event
    out[status] = sp.exposed
    return out


def simon_makuch(
    df: pd.DataFrame,
    time: str,
    event: str,
    exposure: str,
    conf_type: str = "log-log",
    conf_level: float = 0.95,
    *,
    exact_times: bool = False,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> KMResult:
    """Simon-Makuch curves: Kaplan-Meier of the unexposed and exposed person-time, each
    patient counted as unexposed until ``df[exposure]`` (module docstring). Groups are
    :data:`EXPOSURE_LABELS`; the exposed curve's number at risk rises as patients cross
    over."""
    check_conf(conf_type, conf_level)
    sp = _split(df, time, event, exposure, source, rows, exact_times)
    ct = count_table(sp.stop, sp.event, sp.exposed, entry=sp.start, group_labels=EXPOSURE_LABELS)
    res = km_from_counts(ct, conf_type, conf_level)
    return replace(res.with_exclusions(sp.excluded), timefix=sp.timefix)


def mantel_byar(
    df: pd.DataFrame,
    time: str,
    event: str,
    exposure: str,
    conf_level: float = 0.95,
    *,
    exact_times: bool = False,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> CompareResult:
    """The Mantel-Byar test of a time-dependent exposure (module docstring): the
    log-rank statistic on the split rows, groups :data:`EXPOSURE_LABELS` (``n`` counts
    patients ever in each group). Equals R's ``coxph(..., ties = "exact")`` score test
    on the ``tmerge``-split data. The hazard ratios are those of the split rows."""
    sp = _split(df, time, event, exposure, source, rows, exact_times)
    ct = count_table(sp.stop, sp.event, sp.exposed, entry=sp.start, group_labels=EXPOSURE_LABELS)
    res = logrank_test([ct], Weighting("mantel-byar"), conf_level=conf_level)
    n = tuple(len(np.unique(sp.index[sp.exposed == g])) for g in (0, 1))
    return replace(res, n=n, excluded=sp.excluded, timefix=sp.timefix)


@dataclass(frozen=True, eq=False)
class LandmarkResult:
    """Landmark analysis at time ``landmark``: the patients at risk then (``n``), those
    left out because their event or censoring came at or before it (``n_before``),
    Kaplan-Meier curves from the landmark by exposure status then (:data:`EXPOSURE_LABELS`,
    a group with nobody left out) and the log-rank test (``None`` with one group)."""

    landmark: float
    n: int
    n_before: int
    km: KMResult
    test: CompareResult | None

    def to_dict(self, at: Sequence[float] = ()) -> dict:
        return {
            "landmark": self.landmark,
            "n": self.n,
            "n_before": self.n_before,
            "km": self.km.to_dict(at=at),
            "test": self.test.to_dict() if self.test is not None else None,
        }


def landmark(
    df: pd.DataFrame,
    time: str,
    event: str,
    exposure: str,
    at: float,
    conf_type: str = "log-log",
    conf_level: float = 0.95,
    *,
    exact_times: bool = False,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> LandmarkResult:
    """Landmark analysis at ``at`` (module docstring): patients with time ``> at``,
    grouped by ``exposure <= at``, time measured from ``at``."""
    check_conf(conf_type, conf_level)
    if not np.isfinite(at) or at < 0:
        raise ValueError(f"the landmark must be a time >= 0, not {at!r}")
    rows = np.arange(2, len(df) + 2) if rows is None else np.asarray(rows)
    expo = _exposure_values(df, exposure, rows, source)
    sd = survival_data(df, time, event, source=source, rows=rows, exact_times=True,
                       require_events=False)  # fmt: skip
    gone = {r for r, _ in sd.excluded}
    e = expo[[int(r) not in gone for r in rows]]
    alive = sd.time > at
    grp = (np.isfinite(e[alive]) & (e[alive] <= at)).astype(np.int64)
    t, ev = sd.time[alive] - at, sd.event[alive]
    fix = TimeFix(False)
    if not exact_times:  # R's rule on the times from the landmark, as survfit sees them
        t, _, merged = aeq_times(t)
        fix = TimeFix(True, merged)
    present = tuple(g for g in (0, 1) if np.any(grp == g))
    codes = np.searchsorted(np.array(present), grp)
    labels = tuple(EXPOSURE_LABELS[g] for g in present)
    ct = count_table(t, ev, codes, group_labels=labels)
    curves = replace(km_from_counts(ct, conf_type, conf_level), excluded=sd.excluded,
                     timefix=fix)  # fmt: skip
    test = None
    if len(present) == 2:
        test = replace(logrank_test([ct], conf_level=conf_level), timefix=fix)
    return LandmarkResult(float(at), int(alive.sum()), int((~alive).sum()), curves, test)
