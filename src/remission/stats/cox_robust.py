"""Robust (sandwich) and cluster-robust variance of a Cox model, as R's ``coxph(robust =
TRUE)`` and ``coxph(... + cluster(centre))``.

The score residual of row ``i`` (Lin & Wei 1989, JASA 84:1074-1078; Therneau & Grambsch
2000, sections 7.2 and 8.2) is

    U_i = integral (x_i - xbar(t)) (dN_i(t) - Y_i(t) r_i dLambda(t))

with ``r_i = exp(x_i beta)``, ``Y_i(t)`` = 1 while the row is at risk (``entry < t <=
exit``), ``dLambda(t) = d(t) / S0(t)`` and ``xbar(t) = S1(t) / S0(t)`` (Breslow). With
Efron's approximation a time with ``d > 1`` events is ``d`` steps ``k = 0..d-1`` with
``den_k = S0 - (k/d) S0(D)``, hazard ``1/den_k`` and ``xbar_k = (S1 - (k/d) S1(D)) /
den_k``: rows still at risk afterwards are charged every step, each of the ``d`` dying
rows ``(1 - k/d)`` of step ``k`` and credited ``(x_i - xbar_k) / d`` (R's
``coxscore2.c``). The dfbeta residuals are ``D = U V`` (``V`` the inverse information),
and the robust variance ``D'D`` (Lin & Wei 1989); with clusters (patients within
centres, or several rows per patient) the residuals are first summed within each
cluster: ``V_c = sum_c (sum_{i in c} D_i)' (sum_{i in c} D_i)`` (Lee, Wei & Amato 1992).
"""

from __future__ import annotations

import numpy as np

from remission.stats.cox_fit import CoxFit
from remission.stats.cox_sums import _sums

__all__ = ["score_residuals", "robust_variance"]


def _steps(d: np.ndarray, s0, s1, d0, d1, efron: bool, wd: np.ndarray):
    """Per event time: H, XH (charged to rows at risk after it), Hd, XHd (charged to the
    dying rows) and A (the mean xbar credited to each dying row). ``wd`` is the events'
    total weight (``d`` without weights)."""
    p = s1.shape[1]
    if not efron or not np.any(d > 1):
        h = wd / s0
        xbar = s1 / s0[:, None]
        xh = xbar * h[:, None]
        return h, xh, h, xh, xbar
    starts = np.r_[0, np.cumsum(d)[:-1]]
    f = (np.arange(d.sum()) - np.repeat(starts, d)) / np.repeat(d, d)
    den = np.repeat(s0, d) - f * np.repeat(d0, d)
    xbar = (np.repeat(s1, d, axis=0) - f[:, None] * np.repeat(d1, d, axis=0)) / den[:, None]
    h = np.repeat(wd / d, d) / den
    cut = starts if len(starts) else np.zeros(0, np.int64)
    out_h = np.add.reduceat(h, cut)
    out_xh = np.add.reduceat(xbar * h[:, None], cut, axis=0)
    out_hd = np.add.reduceat((1 - f) * h, cut)
    out_xhd = np.add.reduceat(xbar * ((1 - f) * h)[:, None], cut, axis=0)
    mean_xbar = np.add.reduceat(xbar / np.repeat(d, d)[:, None], cut, axis=0)
    return out_h, out_xh.reshape(-1, p), out_hd, out_xhd.reshape(-1, p), mean_xbar


def score_residuals(fit: CoxFit, strata: np.ndarray | None = None) -> np.ndarray:
    """Score residuals (n, p) in input row order, on the scale of the input columns."""
    cd = fit.data
    n, p = cd.xt.shape[1], cd.xt.shape[0]
    beta = np.where(np.isfinite(fit.coef), fit.coef, 0.0) / cd.scale
    r = np.exp(beta @ cd.xt)
    rw = r if cd.w is None else r * cd.w
    risk, dead = _sums(np.vstack([rw, rw * cd.xt]), cd)
    wd = cd.ev_d.astype(float) if cd.ev_w is None else cd.ev_w
    h, xh, hd, xhd, a = _steps(cd.ev_d, risk[:, 0], risk[:, 1:], dead[:, 0], dead[:, 1:],
                               cd.efron, wd)  # fmt: skip
    st = np.zeros(n, np.int64) if strata is None else np.asarray(strata, np.int64)[cd.order]
    ev_row = cd.seg[0::2][cd.ev]  # first sorted row of each event time
    te, se = cd.time[ev_row], st[ev_row]
    entry = cd.entry.time if cd.entry is not None else np.full(n, -np.inf)
    x = cd.xt.T
    resid = np.zeros((n, p))
    for s in np.unique(st):
        rows = np.flatnonzero(st == s)
        ev = np.flatnonzero(se == s)
        resid[rows] = _stratum(x[rows], r[rows], cd.time[rows], entry[rows], cd.event[rows],
                               te[ev], (h[ev], xh[ev], hd[ev], xhd[ev], a[ev]))  # fmt: skip
    out = np.empty_like(resid)
    out[cd.order] = resid / cd.scale
    return out


def _stratum(x, r, t, entry, event, te, steps) -> np.ndarray:
    h, xh, hd, xhd, a = steps
    ch = np.r_[0.0, np.cumsum(h)]
    cxh = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(xh, axis=0)])
    before = np.searchsorted(te, t, side="left")  # event times < t
    entered = np.searchsorted(te, entry, side="right")  # event times <= entry
    lam = ch[before] - ch[entered]
    xlam = cxh[before] - cxh[entered]
    at = np.minimum(before, len(te) - 1)
    here = (before < len(te)) & (te[at] == t) if len(te) else np.zeros(len(t), bool)
    died = here & event.astype(bool)
    alive = here & ~event.astype(bool)
    lam = lam + np.where(died, hd[at], 0.0) + np.where(alive, h[at], 0.0) if len(te) else lam
    if len(te):
        xlam = xlam + np.where(died[:, None], xhd[at], 0.0) + np.where(alive[:, None], xh[at], 0.0)
    out = -r[:, None] * (x * lam[:, None] - xlam)
    if len(te):
        out[died] += x[died] - a[at[died]]
    return out


def robust_variance(
    fit: CoxFit, strata: np.ndarray | None = None, cluster: np.ndarray | None = None
) -> np.ndarray:
    """The robust (``cluster`` None: one cluster per row) or cluster-robust variance; with
    case weights each row's dfbeta is multiplied by its weight (R's ``weighted = TRUE``)."""
    dfbeta = score_residuals(fit, strata) @ fit.var
    if fit.data.w is not None:
        w = np.empty(len(fit.data.w))
        w[fit.data.order] = fit.data.w
        dfbeta = dfbeta * w[:, None]
    if cluster is not None:
        codes = np.unique(np.asarray(cluster), return_inverse=True)[1].ravel()
        summed = np.zeros((codes.max() + 1 if len(codes) else 0, dfbeta.shape[1]))
        np.add.at(summed, codes, dfbeta)
        dfbeta = summed
    return dfbeta.T @ dfbeta
