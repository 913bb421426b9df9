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

One sweep gives, per subject k, ``q_k = [k is an event] c_k(as the earlier member) +
c_k(as the later member)``, which is all the variance needs: with ``before_k`` the
subjects after k in time (an event's comparable partners), ``after_k`` the events before
k, and ``tb_k``, ``ta_k`` those of them tied with k on the score (simple counts per
(stratum, time) and (stratum, score, time) cell, O(n)),

    c_k - d_k - (c_k + d_k + t_k) d = 2 q_k + [event] (tb_k - (1 + d) before_k)
                                       + ta_k - (1 + d) after_k,

and ``concordant = sum_k q_k / 2`` (each concordant pair is counted once from each side).
The sweep counts dominance (j earlier than i in one coordinate *and* smaller in the
other) over the coordinate with fewer distinct values, bit by bit from the most
significant: the rows, kept in the order of the other coordinate, are split at each
level, stably, into the halves of each dyadic range (a Fenwick-style decomposition of
that axis: every pair is counted at the one level where its two values first differ).
Each level is a handful of cumulative sums and one permutation over int64 arrays, so the
whole count is O(n log m) for m distinct values, without a loop over subjects (the same
count as the balanced-tree walk of survival's ``concordance3.c``, Therneau).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Concordance", "concordance"]

_PACK_BITS = 63  # bits of an int64 the packed row state may use


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


def _sweep(a: np.ndarray, dead: np.ndarray, order: np.ndarray, sizes: np.ndarray):
    """Per row i: ``#{j: a_j < a_i, b_j < b_i}`` if i is an event, plus
    ``#{events j: a_j > a_i, b_j > b_i}``, within blocks (strata).

    ``order`` sorts the rows by (block, b, -a) (so rows tied on b never count: the larger
    a comes first) and ``sizes`` gives the blocks' lengths in that order. The state of a
    row is packed in one int64 (its event flag, its ``a``, its index and, when the bits
    suffice, its count so far) and moved with one scatter per level; ``a`` (ints >= 0) is
    split from its top bit down.
    """
    n = len(order)
    levels = max(int(a.max(initial=0)).bit_length(), 1)
    idx_shift = levels + 1
    q_shift = idx_shift + max(n - 1, 1).bit_length()
    packed = q_shift + (2 * n).bit_length() <= _PACK_BITS  # the count (< 2n) fits too
    state = order.astype(np.int64) << idx_shift
    state |= a[order].astype(np.int64) << 1
    state |= dead[order]
    q = None if packed else np.zeros(n, np.int64)
    work = _Work(n)
    for lvl in range(levels - 1, -1, -1):
        newpos, gain, sizes = _level(state, lvl, np.asarray(sizes, np.int64), work)
        if packed:
            gain <<= q_shift
            state += gain
        else:
            q += gain
            q = _scatter(q, newpos)
        state = _scatter(state, newpos)
    out = np.empty(n, np.int64)
    index = (state >> idx_shift) & ((1 << (q_shift - idx_shift)) - 1)
    out[index] = state >> q_shift if packed else q
    return out


class _Work:
    """Buffers reused by every level of the sweep."""

    def __init__(self, n: int) -> None:
        self.arange = np.arange(n, dtype=np.int64)
        self.ones = np.zeros(n + 1, np.int64)
        self.dead1 = np.zeros(n + 1, np.int64)
        self.bit, self.dbit, self.zb, self.tmp = (np.empty(n, np.int64) for _ in range(4))


def _level(state: np.ndarray, lvl: int, sizes: np.ndarray, w: _Work):
    """One level of :func:`_sweep`: each block splits into its rows with bit ``lvl`` of
    ``a`` clear (first) and set. A set row that is an event gains the clear rows before
    it in its block (smaller b); a clear row gains the set events after it. Returns the
    rows' new positions, their gains and the new block sizes."""
    bit = np.right_shift(state, lvl + 1, out=w.bit)
    bit &= 1
    np.cumsum(bit, out=w.ones[1:])
    dbit = np.bitwise_and(state, bit, out=w.dbit)
    np.cumsum(dbit, out=w.dead1[1:])
    ends = np.cumsum(sizes)
    starts = ends - sizes
    ones_at = w.ones[starts]
    n_zero = sizes - (w.ones[ends] - ones_at)
    before1 = w.ones[:-1]  # set rows before each row
    zb = np.subtract(w.arange, before1, out=w.zb)  # clear rows before it ...
    zb += np.repeat(ones_at - starts, sizes)  # ... within its block
    gain = np.multiply(dbit, zb, out=w.dbit)
    after = np.repeat(w.dead1[ends], sizes)  # set events after it in its block (if clear)
    after -= w.dead1[1:]
    np.multiply(after, bit, out=w.tmp)
    after -= w.tmp
    gain += after
    newpos = zb  # clear rows keep their order at the front of their block ...
    newpos += np.repeat(starts, sizes)
    set_pos = np.repeat(starts + n_zero - ones_at, sizes)  # ... set rows after them
    set_pos += before1
    set_pos -= newpos
    set_pos *= bit
    newpos += set_pos
    split = np.empty(2 * len(sizes), np.int64)
    split[0::2], split[1::2] = n_zero, sizes - n_zero
    return newpos, gain, split[split > 0]


def _scatter(v: np.ndarray, pos: np.ndarray) -> np.ndarray:
    out = np.empty_like(v)
    out[pos] = v
    return out


def _sweep_order(group, a, b, b_order, one_block) -> np.ndarray:
    """Rows by (group, b, -a); ``b_order`` sorts b when b has no ties (then it is that)."""
    if one_block and b_order is not None and b.max(initial=0) == len(b) - 1:
        return b_order
    return np.argsort(_combine(group, b, a.max(initial=0) - a))


def concordance(
    time: np.ndarray, event: np.ndarray, lp: np.ndarray, strata: np.ndarray | None = None
) -> Concordance:
    """Harrell's C of the risk score ``lp`` (higher = shorter survival); see module doc."""
    time = np.asarray(time, float)
    n = len(time)
    dead = np.asarray(event) > 0
    group = np.zeros(n, np.int64) if strata is None else np.asarray(strata, np.int64)
    tr = _dense(time)[0]
    pos = 2 * (tr.max(initial=0) - tr) + dead  # later first; censored first at a time
    r, r_order = _dense(np.asarray(lp, float))
    if pos.max(initial=0) <= r.max(initial=0):  # split the coordinate with fewer values
        order = _sweep_order(group, pos, r, r_order, strata is None)
        q = _sweep(pos, dead, order, _sizes(group))
    else:
        order = _sweep_order(group, r, pos, None, strata is None)
        q = _sweep(r, dead, order, _sizes(group))
    deadf = dead.astype(float)
    before, after = _less_greater(group, pos, np.ones(n), deadf)
    if r.max(initial=0) == n - 1:  # no ties in the score
        tb = ta = np.zeros(1)
    else:
        tb, ta = _less_greater(_dense(_combine(group, r))[0], pos, np.ones(n), deadf)
    npair = float(deadf @ before)  # comparable pairs
    conc = float(q.sum()) / 2
    tied_x = float(deadf @ tb) if tb.shape == before.shape else 0.0
    disc = npair - conc - tied_x
    tied_y, tied_xy = _tied_times(group, tr, r, dead, r.max(initial=0) == n - 1)
    if npair == 0:
        return Concordance(conc, disc, tied_x, tied_y, tied_xy, None, None)
    somer = (conc - disc) / npair
    # per subject: c_k - d_k - (c_k + d_k + t_k) d, built in place to spare memory
    dfbeta = 2.0 * q
    dfbeta += deadf * (tb - (1 + somer) * before)
    dfbeta += ta - (1 + somer) * after
    dfbeta /= 2 * npair
    std = math.sqrt(float(dfbeta @ dfbeta))
    return Concordance(conc, disc, tied_x, tied_y, tied_xy, (somer + 1) / 2, std)


def _sizes(group: np.ndarray) -> np.ndarray:
    """Lengths of the groups (codes >= 0) present, in code order."""
    counts = np.bincount(group)
    return counts[counts > 0]


def _tied_times(group, tr, r, dead, r_distinct: bool) -> tuple[float, float]:
    """Pairs of events at the same time (tied.y, not tied on the score) and tied.xy."""
    ev = dead > 0
    if not ev.any():
        return 0.0, 0.0
    pairs_t = _pairs(_counts(_combine(group[ev], tr[ev])))
    pairs_xy = 0.0 if r_distinct else _pairs(_counts(_combine(group[ev], tr[ev], r[ev])))
    return pairs_t - pairs_xy, pairs_xy


def _counts(key: np.ndarray) -> np.ndarray:
    """How often each value of the int key occurs (bincount when the keys are few)."""
    if key.max(initial=0) < 4 * len(key) + 1024:
        return np.bincount(key)
    return np.unique(key, return_counts=True)[1]


def _pairs(counts: np.ndarray) -> float:
    return float((counts * (counts - 1) // 2).sum())
