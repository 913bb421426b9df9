"""Gray's test comparing cumulative incidence curves of one cause between groups.

Gray (1988), "A class of K-sample tests for comparing the cumulative incidence of a
competing risk", Ann Stat 16:1141-1154, computed exactly as ``cmprsk::cuminc`` does
(R. Gray's Fortran ``crstm``/``crst``, cmprsk 2.2-11): the score for group ``i`` sums,
over the distinct event times of its stratum,

    fb * (d1_i - d1 * R_i / sum_r R_r),   R_i = n_i (1 - F1_i(t-)) / S_i(t-),
    fb = (1 - F(t-))^rho

where ``n_i`` is the number at risk, ``d1`` events of the cause, ``S_i`` the all-cause
Kaplan-Meier and ``F1_i`` the cumulative incidence in group ``i`` (left-continuous) and
``F`` the pooled-hazard estimate ``F(t) = F(t-) + d1 / sum_r n_r / S_r(t-)``. The variance
of the first ``k - 1`` scores is Gray's martingale-based estimator (paper, section 2;
the ``v``, ``v2``, ``v3`` and ``c`` accumulators of ``crst``); a stratified test adds the
strata's scores and variances. The statistic ``s' V^{-1} s`` is referred to a chi-square
on ``k - 1`` df; like ``cuminc``, no statistic is given when ``V`` is singular.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from remission.stats.counts import CountTable

__all__ = ["GrayTest", "gray_test"]


@dataclass(frozen=True)
class GrayTest:
    """Gray's test for one cause: ``statistic`` and ``p_value`` are ``None`` when the
    variance matrix is singular (as ``cuminc`` gives -1)."""

    cause: object
    statistic: float | None
    df: int
    p_value: float | None

    def to_dict(self) -> dict:
        return {
            "cause": self.cause,
            "statistic": self.statistic,
            "df": self.df,
            "p_value": self.p_value,
        }


def _dense(ct: CountTable, j: int):
    """Per distinct event time of the stratum: at risk, cause-j and other events, by group."""
    k = ct.n_groups
    times = np.unique(ct.time)
    pos = np.searchsorted(times, ct.time)
    d1 = np.zeros((len(times), k))
    d2 = np.zeros((len(times), k))
    d1[pos, ct.group] = ct.n_event[:, j]
    d2[pos, ct.group] = ct.events - ct.n_event[:, j]
    ev = (d1 + d2).sum(axis=1) > 0
    times, d1, d2 = times[ev], d1[ev], d2[ev]
    rs = np.column_stack([ct.risk_at(g, times) for g in range(k)]).astype(float)
    return rs, d1, d2


def _shift(x: np.ndarray, first: float) -> np.ndarray:
    out = np.empty_like(x)
    out[0] = first
    out[1:] = x[:-1]
    return out


def _stratum(ct: CountTable, j: int, rho: float) -> tuple[np.ndarray, np.ndarray]:
    """Score (k,) and variance (k, k) of one stratum (all k groups; the caller drops the
    last). Vectorised over event times; each line mirrors a step of ``crst``."""
    rs, d1, d2 = _dense(ct, j)
    k = rs.shape[1]
    if len(rs) == 0:
        return np.zeros(k), np.zeros((k, k))
    act = rs > 0
    safe = np.where(act, rs, 1.0)
    step = np.where(act, 1 - (d1 + d2) / safe, 1.0)
    skm = np.cumprod(step, axis=0)
    skmm = _shift(skm, 1.0)
    f1 = np.cumsum(np.where(act, skmm * d1 / safe, 0.0), axis=0)
    f1m = _shift(f1, 0.0)
    t1 = np.where(act, rs / np.where(act, skmm, 1.0), 0.0)
    tr = t1.sum(axis=1)
    tq = (t1 * (1 - f1m)).sum(axis=1)
    nd1 = d1.sum(axis=1)
    f = np.cumsum(nd1 / tr)
    fm = _shift(f, 0.0)
    fb = (1 - fm) ** rho
    a = fb[:, None, None] * (
        np.einsum("ti,ij->tij", t1, np.eye(k)) - t1[:, :, None] * t1[:, None, :] / tr[:, None, None]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        cstep = np.where((1 - fm) > 0, nd1 / (tr * (1 - fm)), 0.0)
    c = np.cumsum(a * cstep[:, None, None], axis=0)
    score = (fb[:, None] * (d1 - nd1[:, None] * t1 * (1 - f1m) / tq[:, None])).sum(axis=0)
    v, v2, v3 = _cause_terms(a, c, act, skm, skmm, rs, nd1, tr, f)
    w, w2, w3 = _other_terms(c, skm, skmm, rs, d2, f)
    v, v2, v3 = v + w, v2 + w2, v3 + w3
    cf = c[-1]
    v = v + (cf * v3[None, :]) @ cf.T + cf @ v2.T + v2 @ cf.T
    return score, v


def _cause_terms(a, c, act, skm, skmm, rs, nd1, tr, f):
    """Contributions at times with events of the cause (``crst`` loop 72)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t4 = np.where(skm > 0, 1 - (1 - f)[:, None] / skm, 1.0)
        t5 = np.where(nd1[:, None] > 1, 1 - (nd1[:, None] - 1) / (tr[:, None] * skmm - 1), 1.0)
        t3 = t5 * skmm * nd1[:, None] / (tr[:, None] * rs)
    t3 = np.where(act & (nd1[:, None] > 0), t3, 0.0)
    b = a - t4[:, None, :] * c
    v3 = (t4 * t4 * t3).sum(axis=0)
    v2 = np.einsum("tik,tk->ik", b, t4 * t3)
    v = np.einsum("tik,tjk,tk->ij", b, b, t3)
    return v, v2, v3


def _other_terms(c, skm, skmm, rs, d2, f):
    """Contributions at times with events of other causes (``crst`` loop 82)."""
    ok = (skm > 0) & (d2 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t4 = np.where(ok, (1 - f)[:, None] / skm, 0.0)
        t5 = np.where(d2 > 1, 1 - (d2 - 1) / (rs - 1), 1.0)
        t3 = np.where(ok, t5 * skmm**2 * d2 / rs**2, 0.0)
    g = t4 * t4 * t3
    v3 = g.sum(axis=0)
    v2 = -np.einsum("tik,tk->ik", c, g)
    v = np.einsum("tik,tjk,tk->ij", c, c, g)
    return v, v2, v3


def gray_test(tables: Sequence[CountTable], cause_index: int, rho: float = 0.0) -> GrayTest:
    """Gray's test for ``tables[0].causes[cause_index]`` between the groups (one count
    table per stratum, same group labels). The worker: tables are trusted."""
    k = tables[0].n_groups
    score = np.zeros(k)
    var = np.zeros((k, k))
    for ct in tables:
        s, v = _stratum(ct, cause_index, rho)
        score += s
        var += v
    s, v = score[:-1], var[:-1, :-1]
    cause = tables[0].causes[cause_index]
    # rounding leaves ~1e-32 where cuminc has an exact 0: the scale is at least 1 event
    if k < 2 or np.linalg.matrix_rank(v, tol=1e-10 * max(np.abs(v).max(), 1.0)) < k - 1:
        return GrayTest(cause, None, k - 1, None)
    stat = float(s @ np.linalg.solve(v, s))
    return GrayTest(cause, stat, k - 1, float(special.chdtrc(k - 1, stat)))
