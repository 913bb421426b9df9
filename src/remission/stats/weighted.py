"""Case weights for the Kaplan-Meier estimate, as R's ``survfit(weights = w)``.

The weighted count table holds, per group and time, the sums of the weights of the rows
at risk, with an event, censored and entering (float instead of integer counts). The
Kaplan-Meier estimate and Greenwood's formula are the same functions of those sums:
``S(t) = prod (1 - d_j/n_j)``, ``Var log S = sum d_j / (n_j (n_j - d_j))`` (R's
``robust = FALSE``).

R's default for weights that are not all whole numbers is the robust, infinitesimal
jackknife variance (Efron 1982; Therneau, ``survfitKM`` and ``survfitkm.c``): with
``h_j = d_j / n_j`` the influence of one unit of row ``i`` on ``S(t)`` is

    IJ_i(t) = -S(t) sum_{t_j <= t} (dN_i(t_j) - Y_i(t_j) h_j) / (n_j (1 - h_j))

(``Y_i(t_j)`` = 1 while the row is at risk, ``dN_i`` its event) and
``Var S(t) = sum_i w_i^2 IJ_i(t)^2``. It is computed in O(n + m) per group: rows that left
by ``t`` contribute a constant, rows still at risk ``-(C(t) - C(entry_i))`` with ``C`` the
running sum of ``h_j / (n_j (1 - h_j))``. ``km(weights=)`` uses it when some weight is not
a whole number, as R does (``variance="robust"`` or ``"greenwood"`` chooses).
"""

from __future__ import annotations

import numpy as np

from remission.stats.counts import CountTable

__all__ = ["weighted_count_table", "ij_variance"]


def weighted_count_table(
    time: np.ndarray,
    event: np.ndarray,
    weights: np.ndarray,
    group: np.ndarray | None = None,
    entry: np.ndarray | None = None,
    group_labels: tuple | None = None,
) -> CountTable:
    """The count table with sums of weights instead of counts (one cause; trusted input)."""
    time = np.asarray(time, float)
    w = np.asarray(weights, float)
    n = len(time)
    g = np.zeros(n, np.int64) if group is None else np.asarray(group, np.int64)
    labels = group_labels or (("all",) if group is None else tuple(range(int(g.max()) + 1)))
    en = np.full(n, np.nan) if entry is None else np.asarray(entry, float)
    all_t = np.concatenate([time, en[np.isfinite(en)]])
    all_g = np.concatenate([g, g[np.isfinite(en)]])
    order = np.lexsort((all_t, all_g))
    ts, gs = all_t[order], all_g[order]
    new = np.r_[True, (ts[1:] != ts[:-1]) | (gs[1:] != gs[:-1])]
    inv = np.empty(len(all_t), np.int64)
    inv[order] = np.cumsum(new) - 1
    m = int(new.sum())
    ev = np.asarray(event) > 0
    exits = np.bincount(inv[:n], weights=w, minlength=m)
    events = np.bincount(inv[:n], weights=w * ev, minlength=m)
    enters = np.bincount(inv[n:], weights=w[np.isfinite(en)], minlength=m)
    grp, tt = gs[new], ts[new]
    net = exits - enters
    risk = np.zeros(m)
    for k in range(len(labels)):
        rows = np.flatnonzero(grp == k)
        risk[rows] = np.cumsum(net[rows][::-1])[::-1]
    return CountTable(grp, tt, risk, events[:, None], exits - events, enters, tuple(labels), (1,))


def ij_variance(
    time: np.ndarray,
    event: np.ndarray,
    weights: np.ndarray,
    entry: np.ndarray | None,
    curve_time: np.ndarray,
    n_risk: np.ndarray,
    n_event: np.ndarray,
) -> np.ndarray:
    """``Var S(t)`` / ``S(t)^2`` (the variance of ``log S``, delta method) at the curve's
    times, by the infinitesimal jackknife (module docstring), for one group's rows.
    Missing (NaN) from a time where the curve drops to 0 on."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _ij(time, event, weights, entry, curve_time, n_risk, n_event)


def _ij(time, event, weights, entry, curve_time, n_risk, n_event) -> np.ndarray:
    h = np.where(n_risk > 0, n_event / np.where(n_risk > 0, n_risk, 1), 0.0)
    c = h / (n_risk * (1 - h))
    e_at = 1.0 / (n_risk * (1 - h))
    cum = np.r_[0.0, np.cumsum(c)]
    w2 = np.asarray(weights, float) ** 2
    t = np.asarray(time, float)
    j_exit = np.searchsorted(curve_time, t, side="left")  # the row of the exit time
    c_entry = (
        cum[np.searchsorted(curve_time, entry, side="right")]
        if entry is not None
        else np.zeros(len(t))
    )
    dead = np.asarray(event) > 0
    b = np.where(dead, e_at[j_exit], 0.0) - (cum[j_exit + 1] - c_entry)
    finished = np.cumsum(np.bincount(j_exit, weights=w2 * b * b, minlength=len(curve_time)))
    q = [w2, w2 * c_entry, w2 * c_entry**2]
    later = [_sum_exit_after(j_exit, v, len(curve_time)) for v in q]
    if entry is not None:  # take off the rows not yet entered (entry >= t_k)
        j_in = np.searchsorted(curve_time, entry, side="right")
        not_yet = [_sum_exit_after(j_in, v, len(curve_time)) for v in q]
        later = [a - b_ for a, b_ in zip(later, not_yet, strict=True)]
    ct = cum[1:]
    ongoing = ct * ct * later[0] - 2 * ct * later[1] + later[2]
    return finished + ongoing


def _sum_exit_after(j: np.ndarray, v: np.ndarray, m: int) -> np.ndarray:
    """For each curve row ``k < m``, the sum of ``v`` over the rows with ``j > k``
    (``0 <= j <= m``)."""
    per = np.bincount(j, weights=v, minlength=m + 1)
    return np.cumsum(per[::-1])[::-1][1 : m + 1]
