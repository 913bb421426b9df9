"""Harrell's concordance of a Cox model's linear predictor, as R's ``concordance``.

Definitions as ``concordancefit`` in R's survival package (Therneau & Watson 2017,
"The concordance statistic and the Cox model"; survival's ``concordance.R`` and
``concordance3.c``), for a risk score where a higher score means a shorter survival
(``reverse=TRUE``, as ``coxph`` calls it). Within a stratum, a pair (i, j) is comparable
when i has an event at t_i and j is still at risk after it: t_j > t_i, or t_j = t_i and
j is censored (censorings at an event time count as later). A comparable pair is

    concordant when lp_i > lp_j, discordant when lp_i < lp_j, tied.x when lp_i = lp_j;

two events at the same time are tied.y (tied.xy if also lp_i = lp_j) and are not
comparable. The concordance is C = (concordant + tied.x / 2) / (concordant + discordant
+ tied.x), and its standard error is R's infinitesimal-jackknife one: with Somers' d =
2C - 1, N the comparable pairs and, per subject k, c_k, d_k, t_k the numbers of
concordant, discordant and tied.x pairs that k belongs to::

    var(C) = sum_k ((c_k - d_k) - (c_k + d_k + t_k) d)^2 / (2 N)^2

Ties in the linear predictor are exact floating-point equality, as in R.

The pair counts are dominance counts (how many j precede i in time order *and* have a
smaller score), computed without a loop over subjects: the bits of one coordinate are
peeled from the most significant down, each level a stable partition of the rows sorted
by the other coordinate (a wavelet-tree sweep), O(n log n) in NumPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Concordance", "concordance"]


@dataclass(frozen=True)
class Concordance:
    """Pair counts (R's ``count``), the concordance and its standard error."""

    concordant: float
    discordant: float
    tied_x: float
    tied_y: float
    tied_xy: float
    concordance: float | None
    std_err: float | None

    def to_dict(self) -> dict:
        return {
            "concordance": self.concordance,
            "std_err": self.std_err,
            "concordant": self.concordant,
            "discordant": self.discordant,
            "tied_x": self.tied_x,
            "tied_y": self.tied_y,
            "tied_xy": self.tied_xy,
        }


def _dense(v: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Dense rank (0, 1, ...) of the values (exact equality is a tie), and the sorting
    order (None when the values were small integers, ranked by a lookup table)."""
    n = len(v)
    if n and v.min() >= 0 and v.max() < 4 * n + 1024 and np.array_equal(v, np.floor(v)):
        iv = v.astype(np.int64)
        present = np.bincount(iv) > 0
        return (np.cumsum(present) - 1)[iv], None
    order = np.argsort(v)
    sv = v[order]
    rank = np.empty(n, np.int64)
    rank[order] = np.cumsum(np.r_[False, sv[1:] != sv[:-1]]) if n else 0
    return rank, order


def _combine(*keys: np.ndarray) -> np.ndarray:
    """One int64 key ordering rows as the tuple of dense int keys (first most significant)."""
    out = np.zeros(len(keys[0]), np.int64)
    for k in keys:
        out = out * (int(k.max(initial=0)) + 1) + k
    return out


def _less_greater(group, key, w_less, w_greater) -> tuple[np.ndarray, np.ndarray]:
    """Per row: sum of ``w_less`` over rows of its group with a smaller key, and of
    ``w_greater`` over rows with a larger key (ints >= 0). Counted with ``bincount`` over
    the (group, key) cells when they are few, by a sort otherwise."""
    n = len(key)
    span = int(key.max(initial=0)) + 1
    code = group * span + key
    cells = (int(group.max(initial=0)) + 1) * span
    if cells > 4 * n + 1024:
        return _less_greater_sorted(group, key, w_less, w_greater)
    cl = np.zeros(cells + 1)
    cg = np.zeros(cells + 1)
    np.cumsum(np.bincount(code, w_less, cells), out=cl[1:])
    np.cumsum(np.bincount(code, w_greater, cells), out=cg[1:])
    g0 = group * span  # first cell of the row's group
    g1 = g0 + span
    return cl[code] - cl[g0], cg[g1] - cg[code + 1]


def _less_greater_sorted(group, key, w_less, w_greater) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(_combine(group, key))
    g, k = group[order], key[order]
    n = len(order)
    new_g = np.r_[True, g[1:] != g[:-1]] if n else np.zeros(0, bool)
    new_k = new_g | np.r_[True, k[1:] != k[:-1]] if n else new_g
    g_first, k_first = np.flatnonzero(new_g), np.flatnonzero(new_k)
    g_start, k_start = g_first[np.cumsum(new_g) - 1], k_first[np.cumsum(new_k) - 1]
    g_end = np.r_[g_first[1:], n][np.cumsum(new_g) - 1]
    k_end = np.r_[k_first[1:], n][np.cumsum(new_k) - 1]
    cl = np.concatenate([[0.0], np.cumsum(w_less[order])])
    cg = np.concatenate([[0.0], np.cumsum(w_greater[order])])
    less, greater = np.empty(n), np.empty(n)
    less[order] = cl[k_start] - cl[g_start]
    greater[order] = cg[g_end] - cg[k_end]
    return less, greater


def _dominance(group, a, b, w_right, idx=None) -> tuple[np.ndarray, np.ndarray]:
    """``left_i = #{j: a_j < a_i, b_j < b_i}`` and ``right_j = sum w_right_i`` over the
    same pairs seen from j, all within ``group`` (ints >= 0; ``w_right`` 0/1).

    Bits of ``a`` are peeled from the top; the rows stay sorted by (group, b, -a), so that
    rows tied on b never count (the larger a comes first). Each level splits every block
    stably into its 0-bit and 1-bit rows (``is_start`` marks where blocks begin).
    ``idx``, if given, is that initial order.
    """
    n = len(a)
    it = np.int32 if n < 2**30 else np.int64
    levels = max(int(a.max()).bit_length(), 1) if n else 0
    if idx is None:
        idx = np.argsort(_combine(group, b, a.max(initial=0) - a))
    idx = idx.astype(it)
    g = group[idx]
    is_start = np.r_[True, g[1:] != g[:-1]] if n else np.zeros(0, bool)
    del g
    aa, wr = a[idx].astype(it), w_right[idx].astype(it)
    left, right = np.zeros(n, it), np.zeros(n, it)  # per-row counts are below n
    pos = np.arange(n, dtype=it)
    cz, c1 = np.zeros(n + 1, it), np.zeros(n + 1, it)
    for lvl in range(levels - 1, -1, -1):
        starts = np.flatnonzero(is_start).astype(it)
        block = np.cumsum(is_start, dtype=it) - 1
        gs, ge = starts[block], np.r_[starts[1:], it(n)].astype(it)[block]
        bit = ((aa >> lvl) & 1).astype(bool)
        zero = ~bit
        np.cumsum(zero, out=cz[1:])
        np.cumsum(wr * bit, out=c1[1:])
        czs = cz[gs]
        zb = cz[:-1] - czs  # zero rows before, in the block
        nz = cz[ge] - czs  # zero rows in the block
        left += zb * bit
        right += (c1[ge] - c1[:-1]) * zero
        newpos = np.where(bit, pos + nz - zb, gs + zb)
        split = gs + nz  # the block's 1-bit rows start here
        is_start = np.zeros(n, bool)
        is_start[starts] = True
        is_start[split[split < ge]] = True
        idx, aa, wr, left, right = (_scatter(v, newpos) for v in (idx, aa, wr, left, right))
    out_l, out_r = np.empty(n), np.empty(n)
    out_l[idx], out_r[idx] = left, right
    return out_l, out_r


def _scatter(v: np.ndarray, pos: np.ndarray) -> np.ndarray:
    out = np.empty_like(v)
    out[pos] = v
    return out


def concordance(
    time: np.ndarray, event: np.ndarray, lp: np.ndarray, strata: np.ndarray | None = None
) -> Concordance:
    """Harrell's C of the risk score ``lp`` (higher = shorter survival); see module doc."""
    time = np.asarray(time, float)
    n = len(time)
    dead = (np.asarray(event) > 0).astype(float)
    group = np.zeros(n, np.int64) if strata is None else np.asarray(strata, np.int64)
    tr = _dense(time)[0]
    pos = 2 * (tr.max(initial=0) - tr) + dead.astype(np.int64)  # later first; censored first
    r, r_order = _dense(np.asarray(lp, float))
    ones = np.ones(n)
    distinct = r.max(initial=0) == n - 1
    # pairs (j before i, j smaller score): bit-decompose the coordinate with fewer values
    if pos.max(initial=0) <= r.max(initial=0):
        # sorted by score alone is the sweep's order when scores are distinct, one stratum
        same = distinct and r_order is not None and strata is None
        c_event, c_other = _dominance(group, pos, r, dead, r_order if same else None)
    else:
        c_event, c_other = _dominance(group, r, pos, dead)
    before, dead_after = _less_greater(group, pos, ones, dead)
    if distinct:  # no ties in the score
        ties_before = ties_after = np.zeros(1)
    else:
        ties_before, ties_after = _less_greater(_dense(_combine(group, r))[0], pos, ones, dead)
    d_event = before - c_event - ties_before
    d_other = dead_after - c_other - ties_after
    conc = float(dead @ c_event)
    disc = float(dead @ d_event)
    tied_x = float(np.sum(dead * ties_before))
    tied_y, tied_xy = _tied_times(group, tr, r, dead)
    npair = conc + disc + tied_x
    if npair == 0:
        return Concordance(conc, disc, tied_x, tied_y, tied_xy, None, None)
    somer = (conc - disc) / npair
    # per subject: c_k - d_k - (c_k + d_k + t_k) d, built in place to spare memory
    dfbeta = dead * (c_event - d_event - somer * (c_event + d_event + ties_before))
    dfbeta += c_other - d_other - somer * (c_other + d_other + ties_after)
    dfbeta /= 2 * npair
    std = math.sqrt(float(dfbeta @ dfbeta))
    return Concordance(conc, disc, tied_x, tied_y, tied_xy, (somer + 1) / 2, std)


def _tied_times(group, tr, r, dead) -> tuple[float, float]:
    """Pairs of events at the same time (tied.y, not tied on the score) and tied.xy."""
    ev = dead > 0
    if not ev.any():
        return 0.0, 0.0
    by_time = np.unique(_combine(group[ev], tr[ev]), return_counts=True)[1]
    by_both = np.unique(_combine(group[ev], tr[ev], r[ev]), return_counts=True)[1]
    pairs_t = float((by_time * (by_time - 1) / 2).sum())
    pairs_xy = float((by_both * (by_both - 1) / 2).sum())
    return pairs_t - pairs_xy, pairs_xy
