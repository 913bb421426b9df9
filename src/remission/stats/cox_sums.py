"""The sums of a Cox fit: the data laid out once, then per Newton step the partial
log-likelihood, score and information from risk-set sums per distinct time.

Rows are sorted once by (stratum, time, event). At a distinct event time t of a stratum,
with d events, risk set R (time >= t, and entry < t for counting-process rows) and death
set D, with r_j = w_j exp(eta_j) and Efron's terms k = 0..d-1, f_k = k/d (Breslow: f = 0)::

    den_k = S0(R) - f_k S0(D)
    a = sum_k 1/den_k,   b = sum_k f_k/den_k,   a2 = sum_k 1/den_k^2,
    b2 = sum_k f_k/den_k^2,   c2 = sum_k f_k^2/den_k^2       (times the events' mean weight)

    l_t = sum_D w eta - sum_k log den_k
    U_t = S1'(D) - a S1(R) + b S1(D)
    I_t = a S2(R) - b S2(D) - a2 S1(R)S1(R)' + b2 (S1(R)S1(D)' + S1(D)S1(R)') - c2 S1(D)S1(D)'

with S0(A) = sum_A r_j, S1(A) = sum_A r_j x_j, S2(A) = sum_A r_j x_j x_j' and S1'(D) the
weighted covariate sum of the events (Therneau & Grambsch 2000, section 3.3; survival's
``coxfit6.c`` and ``agfit4.c`` accumulate the same sums person by person).

S0 and S1 are summed per distinct time (its censored rows and its events apart) by
``np.add.reduceat`` over blocks of sorted rows that stay in cache, computing r on the way,
and accumulated over the distinct times (reverse cumulative sums). The p x p sums S2 are
never formed per time: since sum_t a_t S2(R_t) = sum_j r_j x_j x_j' A_j with A_j = sum of
a_t over the event times at which row j is at risk, and likewise for S2(D) with b, the
information is one weighted Gram matrix X' diag(r (A - b [dead])) X (BLAS, in cache-sized
blocks) minus the p x p outer-product terms summed over the distinct times. A Newton step
is then O(n p^2) flops in a few passes over the rows, whatever the number of ties.

Delayed entry (Andersen & Gill 1982; R's ``agreg.fit``): each row is at risk from the
first event time after its entry; the sums over rows that have not yet entered are taken
off the risk sets with two cumulative counts over the event times, and A_j starts there.
The per-time information ``I_t`` (for ``cox.zph``) is computed on demand only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

__all__ = [
    "CoxData",
    "EntrySets",
    "Evaluation",
    "cox_data",
    "evaluate",
    "sort_order",
    "center_scale",
]

_PAIRS = 16  # products r x_i x_j summed per pass (per-time information only)
_CHUNK = 1 << 16  # Efron terms laid out at a time (bounds the memory, not a row loop)
_GRAM_COLS = 1 << 13  # rows per block (in cache; a Gram block of 5 columns is one BLAS thread)


# --- data laid out once ----------------------------------------------------------------


def sort_order(time: np.ndarray, event: np.ndarray, strata: np.ndarray | None) -> np.ndarray:
    """Row order by (stratum, time, event): censorings before events within a time.

    Integer days below 2**15 are sorted by one stable radix pass on ``2 time + event``
    (then one on small stratum codes); other integers below 2**16 by one pass per key;
    anything else by ``np.lexsort``. All give the same (stable) order.
    """
    return _sort(time, event, strata)[0]


def _sort(time: np.ndarray, event: np.ndarray, strata: np.ndarray | None) -> tuple:
    """:func:`sort_order`, with the sorted times and events (from the sort key when it
    has them: a small gather instead of two large ones)."""
    ev = np.asarray(event, np.uint8)
    st = None if strata is None else _small_int(strata, 2**16)
    days = _small_int(time, 2**15)
    if days is not None and (strata is None or st is not None):
        key = days * np.uint16(2) + ev
        order = np.argsort(key, kind="stable")
        if st is not None:
            order = order[np.argsort(st[order], kind="stable")]
        key = key[order]
        return order, (key >> 1).astype(float), (key & 1).astype(bool)
    order = _sort_general(time, ev, strata)
    return order, time[order], ev[order].astype(bool)


def _sort_general(time, ev, strata) -> np.ndarray:
    """Radix passes per key (integers below 2**16), else ``np.lexsort``."""
    keys = [ev, time] + ([] if strata is None else [strata])
    small = [_small_int(k, 2**16) for k in keys]
    if all(k is not None for k in small):
        order = np.arange(len(time))
        for k in small:
            order = order[np.argsort(k[order], kind="stable")]
        return order
    return np.lexsort(keys)


def _small_int(v: np.ndarray, limit: int) -> np.ndarray | None:
    """``v`` as uint16 when it holds whole numbers in [0, limit), else None."""
    if v.dtype == np.uint8:
        return v
    if len(v) == 0 or v.min() < 0 or v.max() >= limit:
        return None
    u = v.astype(np.uint16)
    return u if np.array_equal(u, v) else None


def center_scale(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's centring and scaling of each column (``coxfit6.c``): a column with values only
    in {-1, 0, 1} is left alone; others are centred by their mean and scaled by
    ``n / sum |x - mean|``. The likelihood is unchanged (the centring cancels; Newton's
    method is invariant under the scaling), but the arithmetic follows R's (up to the
    order of summation). ``x`` is (n, p)."""
    xt = np.array(x.T, dtype=float, order="C")
    return _center_scale_rows(xt)


def _center_scale_rows(xt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centre and scale the rows of ``xt`` (p, n) in place; their means and scales."""
    p, n = xt.shape
    means, scale = np.zeros(p), np.ones(p)
    tmp = np.empty(n)
    for j in range(p):
        col = xt[j]
        if n == 0 or _plus_minus_one(col):
            continue
        means[j] = col.sum() / n
        col -= means[j]
        spread = np.abs(col, out=tmp).sum()
        scale[j] = n / spread if spread > 0 else 1.0
        col *= scale[j]
    return means, scale


def _plus_minus_one(col: np.ndarray) -> bool:
    """Whether the column holds only -1, 0 and 1 (min/max first: most columns fail)."""
    if col.min() < -1 or col.max() > 1:
        return False
    return bool(np.isin(col, (-1.0, 0.0, 1.0)).all())


@dataclass(frozen=True, eq=False)
class EntrySets:
    """Delayed entry (``(start, stop]`` rows), per sorted row.

    ``time`` holds the sorted rows' entry times; ``first`` the index (among all event
    times, in sorted order) of the first event time of the row's stratum after its entry:
    the row is at risk at event times ``first .. (its own time)``. ``late`` are the rows
    that enter after their stratum's first event time (``lo`` that first event time), whose
    sums are taken off the risk sets at event times ``lo .. first - 1``.
    """

    time: np.ndarray
    first: np.ndarray
    late: np.ndarray
    lo: np.ndarray


def _entry_sets(entry, order, st, ev_strat, ev_time, lo_row) -> EntrySets:
    """``st`` are the sorted rows' strata, ``ev_strat``/``ev_time`` the event times'
    strata and times (sorted), ``lo_row`` each row's stratum's first event time index."""
    en = np.asarray(entry, dtype=float)[order]
    first = np.empty(len(en), np.int64)
    bounds = np.flatnonzero(np.r_[True, st[1:] != st[:-1]]) if len(st) else np.zeros(0, int)
    for a, b in zip(bounds, np.r_[bounds[1:], len(st)], strict=True):
        e0 = np.searchsorted(ev_strat, st[a], "left")
        e1 = np.searchsorted(ev_strat, st[a], "right")
        first[a:b] = e0 + np.searchsorted(ev_time[e0:e1], en[a:b], side="right")
    late = np.flatnonzero(first > lo_row)
    return EntrySets(en, first, late, lo_row[late])


@dataclass(frozen=True, eq=False)
class CoxData:
    """Rows sorted by (stratum, time, event), with the structure the iterations reuse.

    ``order`` maps sorted rows to input rows; ``xt`` is X' (p, n), centred and scaled by
    column as :func:`center_scale` (the fit's beta is on that scale).
    Groups are the distinct (stratum, time) pairs. ``seg`` cuts the rows into, per group,
    its censored rows then its events (``seg_empty`` marks empty pieces, ``seg_len`` gives
    their lengths), so one ``reduceat`` gives both sums. ``ev`` are the groups with events,
    ``ev_d`` their event counts, ``ev_end`` one past their stratum's last group. ``g_hi``
    counts, per group, the event times up to it; ``g_lo`` those before its stratum.
    ``efron`` says whether tied events use Efron's terms. ``dead_x`` sums the (weighted)
    covariates over the events of each event time.
    """

    xt: np.ndarray
    time: np.ndarray
    event: np.ndarray
    means: np.ndarray
    scale: np.ndarray
    order: np.ndarray
    seg: np.ndarray
    seg_empty: np.ndarray
    seg_len: np.ndarray
    n_groups: int
    ev: np.ndarray
    ev_d: np.ndarray
    ev_end: np.ndarray
    g_hi: np.ndarray
    g_lo: np.ndarray
    efron: bool
    dead_x: np.ndarray
    entry: EntrySets | None = None
    w: np.ndarray | None = None  # case weights of the sorted rows
    ev_w: np.ndarray | None = None  # sum of the weights of the events of each event time
    terms: tuple | None = field(default=None, repr=False)  # Efron's layout, see _efron_layout
    blocks: tuple = field(default=(), repr=False)  # see _row_blocks
    scratch: np.ndarray | None = field(default=None, repr=False)  # (n,), reused

    def buffer(self) -> np.ndarray:
        """The row of risk scores reused by every evaluation (fresh large arrays cost
        page faults)."""
        if self.scratch is None:
            object.__setattr__(self, "scratch", np.empty(len(self.time)))
        return self.scratch

    @property
    def n_events(self) -> int:
        return int(self.ev_d.sum())


def cox_data(
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray | None = None,
    ties: str = "efron",
    entry: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> CoxData:
    """Sort once and precompute the time structure (see :class:`CoxData`); ``entry``
    gives delayed-entry times (at risk for times ``> entry``), see :class:`EntrySets`."""
    time = np.asarray(time, dtype=float)
    n = len(time)
    x = np.asarray(x, dtype=float).reshape(n, -1)
    ev_in = np.asarray(event) > 0
    st_in = None if strata is None else np.asarray(strata, np.int64)
    order, t, ev = _sort(time, ev_in, st_in)
    xt = _sorted_columns(x, order)
    means, scale = _center_scale_rows(xt)
    st = st_in[order] if st_in is not None else None
    g = _groups(t, ev, st, n)
    w, dead_x, ev_w = _event_sums(xt, weights, order, g["seg"], g["seg_empty"], g["evg"])
    sets = None
    if entry is not None:
        evg = g["evg"]
        lo_row = np.repeat(g["g_lo"], np.diff(np.r_[g["first"], n]))
        st = np.zeros(n, np.int64) if st is None else st
        sets = _entry_sets(entry, order, st, st[g["first"][evg]], t[g["first"][evg]], lo_row)
    d = g["d_g"][g["evg"]]
    terms = _efron_layout(d) if ties == "efron" and np.any(d > 1) else None
    return CoxData(
        xt, t, ev, means, scale, order, g["seg"], g["seg_empty"], g["seg_len"], g["m"], g["evg"],
        d, g["end_of"][g["evg"]], g["g_hi"], g["g_lo"], ties == "efron", dead_x, sets, w, ev_w,
        terms, _row_blocks(g["seg"], g["seg_len"], n),
    )  # fmt: skip


def _row_blocks(seg: np.ndarray, seg_len: np.ndarray, n: int) -> tuple:
    """The sorted rows cut into blocks of about ``_GRAM_COLS`` rows, each cut at the start
    of a piece: ((start, end, k0, k1) per block, the ids of the non-empty pieces, where
    each starts within its block, the largest block). Pieces ``k0:k1`` lie in the block."""
    ids = np.flatnonzero(seg_len > 0)
    starts = seg[ids]
    if not n:
        return (), ids, starts, 0
    at = np.minimum(np.searchsorted(starts, np.arange(0, n, _GRAM_COLS)), len(starts) - 1)
    edges = np.r_[np.unique(starts[at]), n]
    k = np.searchsorted(starts, edges)
    local = starts - np.repeat(edges[:-1], np.diff(k))
    spans = tuple(zip(edges[:-1], edges[1:], k[:-1], k[1:], strict=True))
    return spans, ids, local, int(np.diff(edges).max())


def _sorted_columns(x: np.ndarray, order: np.ndarray) -> np.ndarray:
    """X' (p, n) of the rows in ``order``: rows gathered a block at a time, then
    transposed while the block is in cache (row-major X; other layouts by column)."""
    n, p = x.shape
    xt = np.empty((p, n))
    if not x.flags.c_contiguous:  # e.g. columns (Fortran order): gather column by column
        for j in range(p):
            np.take(np.ascontiguousarray(x[:, j]), order, out=xt[j])
        return xt
    block = np.empty((min(n, _GRAM_COLS), p))
    for s in range(0, n, _GRAM_COLS):
        o = order[s : s + _GRAM_COLS]
        np.take(x, o, axis=0, out=block[: len(o)])
        xt[:, s : s + len(o)] = block[: len(o)].T
    return xt


def _groups(t: np.ndarray, ev: np.ndarray, st: np.ndarray | None, n: int) -> dict:
    """The distinct (stratum, time) groups of the sorted rows and their pieces."""
    new = np.ones(n, bool)
    np.not_equal(t[1:], t[:-1], out=new[1:])
    if st is not None:
        new[1:] |= st[1:] != st[:-1]
    first = np.flatnonzero(new)
    m = len(first)
    evi = ev.view(np.uint8)
    d_g = np.add.reduceat(evi, first, dtype=np.int64) if n else np.zeros(0, np.int64)
    ends = np.r_[first[1:], n]
    dstart = ends - d_g
    seg = np.empty(2 * m, np.int64)
    seg[0::2], seg[1::2] = first, dstart
    seg_len = np.empty(2 * m, np.int64)
    seg_len[0::2], seg_len[1::2] = dstart - first, d_g
    g_strat = st[first] if st is not None else np.zeros(m, np.int64)
    s_first = np.flatnonzero(np.r_[True, g_strat[1:] != g_strat[:-1]]) if m else first
    sizes = np.diff(np.r_[s_first, m])
    end_of = np.repeat(np.r_[s_first[1:], m], sizes)
    g_hi = np.cumsum(d_g > 0)
    g_lo = np.repeat((g_hi - (d_g > 0))[s_first], sizes)
    return {"first": first, "m": m, "d_g": d_g, "seg": seg, "seg_empty": seg_len == 0,
            "seg_len": seg_len, "end_of": end_of, "evg": np.flatnonzero(d_g > 0),
            "g_hi": g_hi, "g_lo": g_lo}  # fmt: skip


def _event_sums(xt, weights, order, seg, seg_empty, evg):
    """Sorted weights (or None), the (weighted) covariate sums over the events of each
    event time, and the events' total weight (None without weights)."""
    if weights is None:
        return None, _pieces(xt, seg, seg_empty)[:, 1::2][:, evg].T, None
    w = np.asarray(weights, float)[order]
    pieces = _pieces(np.vstack([xt * w, w]), seg, seg_empty)[:, 1::2][:, evg]
    return w, pieces[:-1].T, pieces[-1]


def _pieces(vals: np.ndarray, seg: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """Sums of ``vals`` (k, n) over the row ranges cut by ``seg``; empty ranges give 0."""
    n = vals.shape[1]
    last_empty = len(seg) > 0 and seg[-1] >= n  # the last group has no events
    idx = seg[:-1] if last_empty else seg
    out = np.zeros((vals.shape[0], len(seg)))
    if len(idx):
        out[:, : len(idx)] = np.add.reduceat(vals, idx, axis=1)
    out[:, empty] = 0
    return out


def _sums(vals: np.ndarray, cd: CoxData) -> tuple[np.ndarray, np.ndarray]:
    """Risk-set and event sums (each (event times, k)) of the rows of ``vals`` (k, n)."""
    late = vals[:, cd.entry.late] if cd.entry is not None else None
    return _from_pieces(_pieces(vals, cd.seg, cd.seg_empty), cd, late)


def _from_pieces(pieces: np.ndarray, cd: CoxData, late: np.ndarray | None):
    """Risk-set and event sums from the sums over the pieces (k, 2m); ``late`` holds the
    values (k, .) of the rows that enter late (``cd.entry.late``)."""
    dead = pieces[:, 1::2]
    grp = pieces[:, 0::2] + dead
    rc = np.zeros((grp.shape[0], grp.shape[1] + 1))
    rc[:, :-1] = np.cumsum(grp[:, ::-1], axis=1)[:, ::-1]
    risk = rc[:, cd.ev] - rc[:, cd.ev_end]
    if late is not None and late.shape[1]:  # rows that have not entered yet
        m, sets = len(cd.ev), cd.entry
        for k, v in enumerate(late):
            step = np.bincount(sets.lo, v, m + 1) - np.bincount(sets.first[sets.late], v, m + 1)
            risk[k] -= np.cumsum(step)[:m]
    return risk.T, dead[:, cd.ev].T


def _first_pass(cd: CoxData, beta: np.ndarray, r: np.ndarray, pairs=()) -> np.ndarray:
    """``r = w exp(X beta)`` (into ``r``) and the sums over the pieces (1 + p + len(pairs),
    2m) of r, r x and r x_i x_j for the ``pairs`` (i, j), one block of rows at a time
    (X is read once, in cache)."""
    p = cd.xt.shape[0]
    spans, ids, local, widest = cd.blocks
    pieces = np.zeros((1 + p + len(pairs), len(cd.seg)))
    tmp = np.empty((len(pieces), widest))
    plain = not beta.any() and cd.w is None and not pairs  # r = 1: the sums of x itself
    for s, e, k0, k1 in spans:
        xc, rc, k = cd.xt[:, s:e], r[s:e], e - s
        _block_scores(cd, beta, xc, rc, s)
        if plain:
            pieces[1:, ids[k0:k1]] = np.add.reduceat(xc, local[k0:k1], axis=1)
            continue
        tmp[0, :k] = rc
        np.multiply(xc, rc, out=tmp[1 : p + 1, :k])
        for c, (i, j) in enumerate(pairs):
            np.multiply(tmp[1 + i, :k], xc[j], out=tmp[1 + p + c, :k])
        pieces[:, ids[k0:k1]] = np.add.reduceat(tmp[:, :k], local[k0:k1], axis=1)
    if plain:
        pieces[0] = cd.seg_len
    return pieces


def _block_scores(cd: CoxData, beta: np.ndarray, xc: np.ndarray, rc: np.ndarray, s: int):
    """``w exp(X beta)`` of the block of rows starting at ``s`` (columns ``xc``), into
    ``rc``. X beta is accumulated column by column: a BLAS call this size would start
    threads, which cost more than they give on a busy machine."""
    if not beta.any():
        rc.fill(1.0)
    else:
        np.multiply(xc[0], beta[0], out=rc)
        tmp = np.empty_like(rc)
        for j in range(1, len(beta)):
            rc += np.multiply(xc[j], beta[j], out=tmp)
        np.exp(rc, out=rc)
    if cd.w is not None:
        rc *= cd.w[s : s + len(rc)]


# --- one evaluation: loglik, score, information -----------------------------------------


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Log-likelihood, score and information at one beta; the score per event time
    (``u_g``, (m, p)) and, computed when first asked for, the information per event time
    (``i_g``, (m, p, p))."""

    loglik: float
    u: np.ndarray
    imat: np.ndarray
    u_g: np.ndarray
    data: CoxData = field(repr=False)
    beta: np.ndarray = field(repr=False)

    @cached_property
    def i_g(self) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return _information_per_time(self.data, self.beta)


def evaluate(cd: CoxData, beta: np.ndarray) -> Evaluation:
    """Partial log-likelihood, score and information at ``beta`` (see module doc).

    Overflow gives non-finite values, not warnings: the iteration then step-halves, as R.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _evaluate(cd, np.asarray(beta, dtype=float))


def _evaluate(cd: CoxData, beta: np.ndarray) -> Evaluation:
    r = cd.buffer()
    pieces = _first_pass(cd, beta, r)
    late = None
    if cd.entry is not None:
        rl = r[cd.entry.late]
        late = np.vstack([rl, rl * cd.xt[:, cd.entry.late]])
    risk, dead = _from_pieces(pieces, cd, late)
    s0, d0, s1, d1 = risk[:, 0], dead[:, 0], risk[:, 1:], dead[:, 1:]
    a, b, a2, b2, c2, log_sum = _efron_sums(cd, s0, d0)
    u_g = cd.dead_x - (s1 * a - d1 * b)
    cross = (s1 * b2).T @ d1
    imat = _gram(cd, a[:, 0], b[:, 0], r) - (s1 * a2).T @ s1 + cross + cross.T
    imat -= (d1 * c2).T @ d1
    loglik = float(cd.dead_x.sum(axis=0) @ beta - log_sum.sum())
    return Evaluation(loglik, u_g.sum(axis=0), imat, u_g, cd, beta)


def _piece_weights(cd: CoxData, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per piece (a time's censored rows, its events): A, the sum of ``a`` over the event
    times at which its rows are at risk, less ``b`` of the time for its events; and the
    cumulative sums of ``a`` (rows with delayed entry take off those before they enter)."""
    cum = np.zeros(len(a) + 1)
    np.cumsum(a, out=cum[1:])
    at_group = cum[cd.g_hi]
    if cd.entry is None:
        at_group -= cum[cd.g_lo]
    seg_val = np.empty(2 * len(at_group))
    seg_val[0::2] = at_group
    at_group[cd.ev] -= b
    seg_val[1::2] = at_group
    return seg_val, cum


def _gram(cd: CoxData, a: np.ndarray, b: np.ndarray, r: np.ndarray) -> np.ndarray:
    """``X' diag(v) X`` with ``v_j = r_j (A_j - b [j is an event])`` (the S2 terms of the
    information), a block of rows at a time (in cache; each block's v from its pieces)."""
    seg_val, cum = _piece_weights(cd, a, b)
    p = cd.xt.shape[0]
    spans, ids, _, widest = cd.blocks
    out = np.zeros((p, p))
    buf = np.empty((p, widest))
    for s, e, k0, k1 in spans:
        xc, k = cd.xt[:, s:e], e - s
        v = np.repeat(seg_val[ids[k0:k1]], cd.seg_len[ids[k0:k1]])
        if cd.entry is not None:
            v -= cum[cd.entry.first[s:e]]
        v *= r[s:e]
        np.multiply(xc, v, out=buf[:, :k])
        out += buf[:, :k] @ xc.T
    return (out + out.T) / 2


def _information_per_time(cd: CoxData, beta: np.ndarray) -> np.ndarray:
    """``I_t`` per event time (m, p, p), from per-time S2 sums of the products."""
    p = cd.xt.shape[0]
    r = np.empty(cd.xt.shape[1])
    pairs = [(i, j) for i in range(p) for j in range(i + 1)]
    # the products a batch of pairs at a time (bounded memory for many columns)
    batches = [
        _first_pass(cd, beta, r, pairs[k : k + _PAIRS]) for k in range(0, len(pairs), _PAIRS)
    ]
    pieces = np.vstack([batches[0][: p + 1], *(b[p + 1 :] for b in batches)])
    late = None
    if cd.entry is not None:
        rows = cd.entry.late
        rx = r[rows] * cd.xt[:, rows]
        late = np.vstack([r[rows], rx, *(rx[i] * cd.xt[j, rows] for i, j in pairs)])
    risk, dead = _from_pieces(pieces, cd, late)
    s0, d0, s1, d1 = risk[:, 0], dead[:, 0], risk[:, 1 : p + 1], dead[:, 1 : p + 1]
    s2, d2 = _unpack(risk[:, p + 1 :], p, pairs), _unpack(dead[:, p + 1 :], p, pairs)
    a, b, a2, b2, c2, _ = _efron_sums(cd, s0, d0)
    return (
        s2 * a[:, :, None]
        - d2 * b[:, :, None]
        - _outer(s1, s1) * a2[:, :, None]
        + (_outer(s1, d1) + _outer(d1, s1)) * b2[:, :, None]
        - _outer(d1, d1) * c2[:, :, None]
    )


def _efron_sums(cd: CoxData, s0: np.ndarray, d0: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per event time, sums over Efron's terms k of 1/den, f/den, 1/den^2, f/den^2,
    f^2/den^2 and log(den), with den = S0(R) - f S0(D), f = k/d (columns (m, 1)).

    The terms are laid out one per event (vectorised), in chunks of whole event times.
    """
    d = cd.ev_d
    if cd.terms is None:  # Breslow, or no tied events: d equal terms
        df = d.astype(float) if cd.ev_w is None else cd.ev_w
        inv = 1.0 / s0
        zero = np.zeros_like(s0)
        out = (df * inv, zero, df * inv * inv, zero, zero, df * np.log(s0))
        return tuple(v[:, None] for v in out)
    per = np.empty((6, len(d)))
    for g0, g1, starts, frac in cd.terms:
        per[:, g0:g1] = _efron_chunk(d[g0:g1], s0[g0:g1], d0[g0:g1], starts, frac)
    if cd.ev_w is not None:  # each of the d terms weighs the events' mean weight
        per *= cd.ev_w / d
    return tuple(v[:, None] for v in per)


def _efron_layout(d: np.ndarray) -> tuple:
    """Efron's terms one per event, in chunks of whole event times of about ``_CHUNK``
    terms: per chunk its event times ``g0:g1``, where each time's terms start, and
    ``f = k/d`` of each term."""
    ends = np.cumsum(d)
    cut = np.searchsorted(ends, np.arange(_CHUNK, ends[-1], _CHUNK), side="right")
    bounds = np.unique(np.r_[0, cut, len(d)])
    out = []
    for g0, g1 in zip(bounds[:-1], bounds[1:], strict=True):
        dc = d[g0:g1]
        starts = np.r_[0, np.cumsum(dc)[:-1]]
        frac = (np.arange(dc.sum()) - np.repeat(starts, dc)) / np.repeat(dc, dc)
        out.append((g0, g1, starts, frac))
    return tuple(out)


def _efron_chunk(d, s0, d0, starts, frac) -> np.ndarray:
    """The six sums of :func:`_efron_sums` for the event times of one chunk."""
    den = np.repeat(s0, d)
    den -= frac * np.repeat(d0, d)
    terms = np.empty((6, len(den)))
    inv, f_inv = terms[0], terms[1]
    np.divide(1.0, den, out=inv)
    np.multiply(frac, inv, out=f_inv)
    np.multiply(inv, inv, out=terms[2])
    np.multiply(f_inv, inv, out=terms[3])
    np.multiply(f_inv, f_inv, out=terms[4])
    np.log(den, out=terms[5])
    return np.add.reduceat(terms, starts, axis=1)


def _outer(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[:, :, None] * b[:, None, :]


def _unpack(packed: np.ndarray, p: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    out = np.empty((packed.shape[0], p, p))
    for c, (i, j) in enumerate(pairs):
        out[:, i, j] = packed[:, c]
        out[:, j, i] = packed[:, c]
    return out
