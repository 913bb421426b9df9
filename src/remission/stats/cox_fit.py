"""Cox proportional hazards: the Newton-Raphson worker on arrays, as R's ``coxph.fit``.

The partial log-likelihood of Cox (1972) for right-censored data, stratified (a separate
baseline hazard per stratum), with tied event times handled by Efron's (1977) or
Breslow's (1974) approximation. At a distinct time t of stratum s with d events, risk
set R (everyone in s with time >= t) and death set D::

    Breslow:  l_t = sum_D eta - d log S0(R)
    Efron:    l_t = sum_D eta - sum_{k=0}^{d-1} log(S0(R) - k/d S0(D))

with S0(A) = sum_{j in A} exp(eta_j), eta = X beta. The score and information follow by
differentiating (Therneau & Grambsch 2000, section 3.3). Everything is computed on arrays:
the rows are sorted by (stratum, time) once; per distinct time the sums over rows are
taken with ``np.add.reduceat`` and the risk-set sums are reverse cumulative sums over the
distinct times. Efron's d terms per time are laid out as one row per event (no Python
loop), and reduced back per time.

The iteration copies ``coxfit6.c`` of the survival package (Therneau): start at beta = 0;
stop when ``|1 - loglik_old / loglik_new| <= eps`` (1e-9) or after ``max_iter`` (20)
iterations; when the log-likelihood falls or turns non-finite, step-halve towards the
last good beta (``(new + h*old) / (h + 1)``, h = 1, 2, ...). Singular columns are found by
the same generalised Cholesky decomposition (``cholesky2``) and get no coefficient. After
convergence a coefficient is flagged as possibly infinite (monotone likelihood,
separation) by R's rule: the remaining Newton step ``|U I^-1|`` exceeds both ``eps`` and
``sqrt(eps) * |beta|``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CoxFit",
    "CoxData",
    "EntrySets",
    "cox_data",
    "cox_fit",
    "cholesky2",
    "linear_predictor",
    "chsolve2",
    "chinv2",
]

EPS = 1e-9
TOLER_CHOL = float(np.finfo(float).eps) ** 0.75  # R: .Machine$double.eps^0.75


# --- generalised Cholesky (survival's cholesky2.c, chsolve2.c, chinv2.c) ---------------


def cholesky2(a: np.ndarray, toler: float = TOLER_CHOL) -> tuple[np.ndarray, int]:
    """LDL' decomposition of a symmetric non-negative definite matrix, as R's cholesky2.

    Returns the factor (D on the diagonal, L below it) and the rank. A pivot below
    ``toler`` times the largest diagonal element (or not finite) marks its column as
    redundant: its diagonal is set to 0 and the column is skipped.
    """
    m = np.array(a, dtype=float, copy=True)
    n = m.shape[0]
    diag = np.diag(m)
    big = max([d for d in diag if d > 0], default=0.0)
    eps = toler if big == 0 else big * toler
    rank = 0
    for i in range(n):
        pivot = m[i, i]
        if not math.isfinite(pivot) or pivot < eps:
            m[i, i] = 0.0
            continue
        rank += 1
        for j in range(i + 1, n):
            temp = m[j, i] / pivot
            m[j, i] = temp
            m[j, j] -= temp * temp * pivot
            m[j + 1 :, j] -= temp * m[j + 1 :, i]
    return m, rank


def chsolve2(f: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Solve ``A b = y`` given the :func:`cholesky2` factor of A (redundant rows -> 0)."""
    n = f.shape[0]
    b = np.array(y, dtype=float, copy=True)
    for i in range(n):
        b[i] -= b[:i] @ f[i, :i]
    for i in range(n - 1, -1, -1):
        if f[i, i] == 0:
            b[i] = 0.0
        else:
            b[i] = b[i] / f[i, i] - b[i + 1 :] @ f[i + 1 :, i]
    return b


def chinv2(f: np.ndarray) -> np.ndarray:
    """The (generalised) inverse from a :func:`cholesky2` factor; redundant rows/cols 0."""
    n = f.shape[0]
    keep = np.diag(f) > 0
    lower = np.tril(f, -1) + np.eye(n)
    d = np.diag(f)
    out = np.zeros((n, n))
    if keep.any():
        idx = np.flatnonzero(keep)
        sub_l = lower[np.ix_(idx, idx)]
        sub_inv = np.linalg.inv(sub_l)
        out[np.ix_(idx, idx)] = sub_inv.T @ np.diag(1.0 / d[idx]) @ sub_inv
    return out


# --- data laid out once ----------------------------------------------------------------


def sort_order(time: np.ndarray, event: np.ndarray, strata: np.ndarray | None) -> np.ndarray:
    """Row order by (stratum, time, event): censorings before events within a time.

    Integer times below 2**16 (days) are sorted by stable radix passes, O(n).
    """
    keys = [np.asarray(event, np.uint8), time]
    if strata is not None:
        keys.append(strata)
    small = [_small_int(k) for k in keys]
    if all(k is not None for k in small):
        order = np.arange(len(time))
        for k in small:
            order = order[np.argsort(k[order], kind="stable")]
        return order
    return np.lexsort(keys)


def _small_int(v: np.ndarray) -> np.ndarray | None:
    if v.dtype == np.uint8:
        return v
    if len(v) == 0 or v.min() < 0 or v.max() >= 2**16:
        return None
    u = v.astype(np.uint16)
    return u if np.array_equal(u, v) else None


@dataclass(frozen=True, eq=False)
class EntrySets:
    """Delayed entry (``(start, stop]`` rows): who leaves the risk sets from above.

    ``time`` holds the sorted rows' entry times. ``order`` sorts the (already sorted) rows
    by (stratum, entry); for each event time ``t``, rows ``lo:hi`` of that order are the
    rows of its stratum with ``entry >= t``: not yet at risk, so their sums are taken off
    the sums over ``exit >= t`` (Andersen & Gill 1982; R's ``agreg.fit``).
    """

    time: np.ndarray
    order: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def _entry_sets(entry, order, st_sorted, t, first, evg, end_of, n) -> EntrySets:
    en = np.asarray(entry, dtype=float)[order]
    st = st_sorted if st_sorted is not None else np.zeros(n, np.int64)
    eorder = np.lexsort((en, st))
    key_st, key_en = st[eorder], en[eorder]
    g_st, g_t = st[first[evg]], t[first[evg]]
    # position of (stratum, t) in the (stratum, entry) order, one stratum at a time
    lo = np.zeros(len(evg), dtype=np.int64)
    for s in np.unique(g_st):
        a, b = np.searchsorted(key_st, s, "left"), np.searchsorted(key_st, s, "right")
        mine = g_st == s
        lo[mine] = a + np.searchsorted(key_en[a:b], g_t[mine], side="left")
    hi = np.searchsorted(key_st, g_st, side="right")
    return EntrySets(en, eorder, lo, hi)


@dataclass(frozen=True, eq=False)
class CoxData:
    """Rows sorted by (stratum, time, event), with the structure the iterations reuse.

    ``order`` maps sorted rows to input rows; ``xt`` is X' (p, n), centred and scaled by
    column as :func:`center_scale` (the fit's beta is on that scale).
    Groups are the distinct (stratum, time) pairs. ``seg`` cuts the rows into, per group,
    its censored rows then its events (``seg_empty`` marks empty pieces), so one
    ``reduceat`` gives both sums. ``ev`` are the groups with events, ``ev_d`` their event
    counts, ``ev_end`` one past their stratum's last group. ``efron`` says whether tied
    events use Efron's terms. ``dead_x`` sums the covariates over the events of each event
    time.
    """

    xt: np.ndarray
    time: np.ndarray
    event: np.ndarray
    means: np.ndarray
    scale: np.ndarray
    order: np.ndarray
    seg: np.ndarray
    seg_empty: np.ndarray
    n_groups: int
    ev: np.ndarray
    ev_d: np.ndarray
    ev_end: np.ndarray
    efron: bool
    dead_x: np.ndarray
    entry: EntrySets | None = None
    w: np.ndarray | None = None  # case weights of the sorted rows
    ev_w: np.ndarray | None = None  # sum of the weights of the events of each event time

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
    order = sort_order(time, ev_in, st_in)
    t, ev = time[order], ev_in[order]
    means, scale = center_scale(x)
    xs = x[order]
    xs -= means
    xs *= scale
    xt = np.ascontiguousarray(xs.T)
    del xs
    new = np.ones(n, bool)
    np.not_equal(t[1:], t[:-1], out=new[1:])
    if st_in is not None:
        st = st_in[order]
        new[1:] |= st[1:] != st[:-1]
    first = np.flatnonzero(new)
    del new
    m = len(first)
    d_g = np.add.reduceat(ev, first, dtype=np.int64) if n else np.zeros(0, np.int64)
    ends = np.r_[first[1:], n]
    dstart = ends - d_g
    seg = np.empty(2 * m, np.int64)
    seg[0::2], seg[1::2] = first, dstart
    seg_empty = np.empty(2 * m, bool)
    seg_empty[0::2], seg_empty[1::2] = dstart == first, d_g == 0
    g_strat = st[first] if st_in is not None else np.zeros(m, np.int64)
    s_first = np.flatnonzero(np.r_[True, g_strat[1:] != g_strat[:-1]])
    end_of = np.repeat(np.r_[s_first[1:], m], np.diff(np.r_[s_first, m]))
    evg = np.flatnonzero(d_g > 0)
    w, dead_x, ev_w = _event_sums(xt, weights, order, seg, seg_empty, evg)
    sets = None
    if entry is not None:
        st_sorted = st if st_in is not None else None
        sets = _entry_sets(entry, order, st_sorted, t, first, evg, end_of, n)
    return CoxData(
        xt, t, ev, means, scale, order, seg, seg_empty, m, evg, d_g[evg], end_of[evg],
        ties == "efron", dead_x, sets, w, ev_w,
    )  # fmt: skip


def _event_sums(xt, weights, order, seg, seg_empty, evg):
    """Sorted weights (or None), the (weighted) covariate sums over the events of each
    event time, and the events' total weight (None without weights)."""
    if weights is None:
        return None, _pieces(xt, seg, seg_empty)[:, 1::2][:, evg].T, None
    w = np.asarray(weights, float)[order]
    pieces = _pieces(np.vstack([xt * w, w]), seg, seg_empty)[:, 1::2][:, evg]
    return w, pieces[:-1].T, pieces[-1]


def center_scale(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's centring and scaling of each column (``coxfit6.c``): a column with values only
    in {-1, 0, 1} is left alone; others are centred by their mean and scaled by
    ``n / sum |x - mean|``. The likelihood is unchanged (the centring cancels; Newton's
    method is invariant under the scaling), but the arithmetic follows R's."""
    n, p = x.shape
    means, scale = np.zeros(p), np.ones(p)
    for j in range(p):
        col = x[:, j]
        if n == 0 or np.isin(col, (-1.0, 0.0, 1.0)).all():
            continue
        means[j] = np.cumsum(col)[-1] / n
        spread = np.cumsum(np.abs(col - means[j]))[-1]
        scale[j] = n / spread if spread > 0 else 1.0
    return means, scale


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


# --- one evaluation: loglik, score, information -----------------------------------------


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Log-likelihood, score and information at one beta, also per event time."""

    loglik: float
    u: np.ndarray
    imat: np.ndarray
    u_g: np.ndarray  # (m, p) score contribution per event time
    i_g: np.ndarray  # (m, p, p) information contribution per event time


def _sums(vals: np.ndarray, cd: CoxData) -> tuple[np.ndarray, np.ndarray]:
    """Risk-set and event sums at the event times of the rows of ``vals`` (k, n)."""
    pieces = _pieces(vals, cd.seg, cd.seg_empty)
    dead = pieces[:, 1::2]
    grp = pieces[:, 0::2] + dead
    rc = np.zeros((grp.shape[0], grp.shape[1] + 1))
    rc[:, :-1] = np.cumsum(grp[:, ::-1], axis=1)[:, ::-1]
    risk = rc[:, cd.ev] - rc[:, cd.ev_end]
    if cd.entry is not None:  # take off the rows that have not entered yet
        later = np.zeros((vals.shape[0], vals.shape[1] + 1))
        later[:, :-1] = np.cumsum(vals[:, cd.entry.order][:, ::-1], axis=1)[:, ::-1]
        risk -= later[:, cd.entry.lo] - later[:, cd.entry.hi]
    return risk.T, dead[:, cd.ev].T


def evaluate(cd: CoxData, beta: np.ndarray) -> Evaluation:
    """Partial log-likelihood, score and information at ``beta`` (see module doc).

    Overflow gives non-finite values, not warnings: the iteration then step-halves, as R.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _evaluate(cd, beta)


def _evaluate(cd: CoxData, beta: np.ndarray) -> Evaluation:
    p = cd.xt.shape[0]
    pairs = [(i, j) for i in range(p) for j in range(i + 1)]
    cols = np.empty((1 + p, cd.xt.shape[1]))
    r = cols[0]
    np.dot(beta, cd.xt, out=r)
    np.exp(r, out=r)
    if cd.w is not None:
        r *= cd.w
    np.multiply(r, cd.xt, out=cols[1:])
    risk1, dead1 = _sums(cols, cd)
    # r x_i x_j for the pairs i >= j, a few rows at a time (bounded memory for many columns)
    risk2, dead2 = [], []
    buf = np.empty((min(len(pairs), _PAIR_ROWS), cd.xt.shape[1]))
    for start in range(0, len(pairs), _PAIR_ROWS):
        batch = pairs[start : start + _PAIR_ROWS]
        for c, (i, j) in enumerate(batch):
            np.multiply(cols[1 + i], cd.xt[j], out=buf[c])
        rs, ds = _sums(buf[: len(batch)], cd)
        risk2.append(rs)
        dead2.append(ds)
    del cols, buf
    s0, d0 = risk1[:, 0], dead1[:, 0]
    s1, d1 = risk1[:, 1:], dead1[:, 1:]
    s2, d2 = _unpack(np.hstack(risk2), p, pairs), _unpack(np.hstack(dead2), p, pairs)
    a, b, a2, b2, c2, log_sum = _efron_sums(cd, s0, d0)
    u_g = cd.dead_x - (s1 * a - d1 * b)
    i_g = (
        s2 * a[:, :, None]
        - d2 * b[:, :, None]
        - _outer(s1, s1) * a2[:, :, None]
        + (_outer(s1, d1) + _outer(d1, s1)) * b2[:, :, None]
        - _outer(d1, d1) * c2[:, :, None]
    )
    loglik = float(cd.dead_x.sum(axis=0) @ beta - log_sum.sum())
    return Evaluation(loglik, u_g.sum(axis=0), i_g.sum(axis=0), u_g, i_g)


_PAIR_ROWS = 8  # products r x_i x_j formed at a time
_CHUNK = 1 << 16  # Efron terms laid out at a time (bounds the memory, not a row loop)


def _efron_sums(cd: CoxData, s0: np.ndarray, d0: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per event time, sums over Efron's terms k of 1/den, f/den, 1/den^2, f/den^2,
    f^2/den^2 and log(den), with den = S0(R) - f S0(D), f = k/d (columns (m, 1)).

    The terms are laid out one per event (vectorised), in chunks of whole event times.
    """
    d = cd.ev_d
    if not cd.efron or not np.any(d > 1):  # Breslow, or no tied events: d equal terms
        df = d.astype(float) if cd.ev_w is None else cd.ev_w
        inv = 1.0 / s0
        zero = np.zeros_like(s0)
        out = (df * inv, zero, df * inv * inv, zero, zero, df * np.log(s0))
        return tuple(v[:, None] for v in out)
    per = np.empty((6, len(d)))
    ends = np.cumsum(d)
    cut = np.searchsorted(ends, np.arange(_CHUNK, ends[-1], _CHUNK), side="right")
    bounds = np.unique(np.r_[0, cut, len(d)])
    for g0, g1 in zip(bounds[:-1], bounds[1:], strict=True):
        per[:, g0:g1] = _efron_chunk(d[g0:g1], s0[g0:g1], d0[g0:g1])
    if cd.ev_w is not None:  # each of the d terms weighs the events' mean weight
        per *= cd.ev_w / d
    return tuple(v[:, None] for v in per)


def _efron_chunk(d: np.ndarray, s0: np.ndarray, d0: np.ndarray) -> np.ndarray:
    starts = np.r_[0, np.cumsum(d)[:-1]]
    frac = np.arange(d.sum()) - np.repeat(starts, d)
    frac = frac / np.repeat(d, d)
    den = np.repeat(s0, d) - frac * np.repeat(d0, d)
    out = np.empty((6, len(d)))
    inv = 1.0 / den
    out[5] = np.add.reduceat(np.log(den), starts)
    out[0] = np.add.reduceat(inv, starts)
    out[2] = np.add.reduceat(inv * inv, starts)
    inv *= frac
    out[1] = np.add.reduceat(inv, starts)
    inv *= 1.0 / den
    out[3] = np.add.reduceat(inv, starts)
    inv *= frac
    out[4] = np.add.reduceat(inv, starts)
    return out


def _outer(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[:, :, None] * b[:, None, :]


def _unpack(packed: np.ndarray, p: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    out = np.empty((packed.shape[0], p, p))
    for c, (i, j) in enumerate(pairs):
        out[:, i, j] = packed[:, c]
        out[:, j, i] = packed[:, c]
    return out


# --- Newton-Raphson ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CoxFit:
    """What the worker returns (coefficients on the scale of the input columns).

    ``coef`` is NaN for a redundant (singular) column; ``var`` is the inverse information
    (model-based); ``loglik`` = (at beta = 0, at the estimate); ``score_test`` is the score
    statistic at beta = 0; ``infinite`` flags coefficients whose likelihood was still
    rising (R's "coefficient may be infinite"); ``converged`` is False when ``max_iter``
    ran out. ``lp`` is the centred linear predictor in input row order. ``final`` is the
    evaluation at the returned beta (on the working scale of ``data``).
    """

    coef: np.ndarray
    var: np.ndarray
    loglik: tuple[float, float]
    score_test: float
    score_df: int
    iterations: int
    converged: bool
    halving: bool
    infinite: np.ndarray
    singular: np.ndarray
    u: np.ndarray
    lp: np.ndarray
    data: CoxData
    final: Evaluation


def cox_fit(
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray | None = None,
    ties: str = "efron",
    *,
    entry: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    max_iter: int = 20,
    eps: float = EPS,
    toler_chol: float = TOLER_CHOL,
) -> CoxFit:
    """Fit the Cox model by Newton-Raphson exactly as R's ``coxph.fit`` (see module doc).

    ``x`` is an (n, p) float matrix, ``event`` 0/1, ``strata`` int codes or None; the
    input is trusted (the front end :func:`remission.stats.cox.cox` checks it).
    ``entry`` (optional) gives entry times, ``entry < time``: counting-process rows
    ``(entry, time]``, as R's ``coxph(Surv(entry, time, event) ~ ...)``. ``weights``
    (optional, > 0) are case weights as R's ``coxph(weights = )``: each row's terms in the
    log-likelihood, risk sets and event sums are multiplied by its weight, and each of
    Efron's ``d`` terms at a tied time by the mean weight of its events.
    """
    if ties not in ("efron", "breslow"):
        raise ValueError(f"ties must be 'efron' or 'breslow', not {ties!r}")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # inf, as R
        return _newton(time, event, x, strata, ties, max_iter, eps, toler_chol, entry, weights)


def _newton(
    time, event, x, strata, ties, max_iter, eps, toler_chol, entry=None, weights=None
) -> CoxFit:
    x = np.asarray(x, dtype=float).reshape(len(time), -1)
    cd = cox_data(time, event, x, strata, ties, entry, weights)
    p = cd.xt.shape[0]
    beta = np.zeros(p)
    e0 = evaluate(cd, beta)
    f0, rank0 = cholesky2(e0.imat, toler_chol)
    step = chsolve2(f0, e0.u)
    score = float(e0.u @ step)
    if max_iter == 0 or not math.isfinite(e0.loglik):
        return _finish(cd, x, beta, e0, (e0.loglik, e0.loglik), score, rank0, 0, True, False, eps)
    best, newbeta, halving = e0.loglik, beta + step, 0
    for it in range(1, max_iter + 1):
        e = evaluate(cd, newbeta)
        f, _ = cholesky2(e.imat, toler_chol)
        finite = bool(np.all(np.isfinite(e.u)) and np.all(np.isfinite(e.imat)))
        finite = finite and math.isfinite(e.loglik)
        if finite and _rel_change(best, e.loglik) <= eps:
            return _finish(cd, x, newbeta, e, (e0.loglik, e.loglik), score, rank0, it, True,
                           halving > 0, eps)  # fmt: skip
        if not finite or e.loglik < best:
            halving += 1
            newbeta = (newbeta + halving * beta) / (halving + 1.0)
        else:
            halving, best = 0, e.loglik
            beta, newbeta = newbeta, newbeta + chsolve2(f, e.u)
    e = evaluate(cd, beta)
    return _finish(cd, x, beta, e, (e0.loglik, e.loglik), score, rank0, max_iter, False, False, eps)


def linear_predictor(x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """``X beta - sum(beta * means)`` computed as R's ``coxph.fit`` does, row by row alike.

    The columns are accumulated one at a time (as reference BLAS ``dgemv``), so identical
    rows get bit-identical values; ties in the predictor (which the concordance counts
    by exact equality) are then the same as R's. ``means`` are R's centring: 0 for a
    column with values only in {-1, 0, 1}, else the sequential mean.
    """
    lp = np.zeros(x.shape[0])
    shift = []
    for j, b in enumerate(beta):
        col = x[:, j]
        lp += col * b
        if not np.isin(col, (-1.0, 0.0, 1.0)).all():
            shift.append(b * (np.cumsum(col)[-1] / len(col)))
    return lp - math.fsum(shift)


def _rel_change(old: float, new: float) -> float:
    """``|1 - old/new|`` with IEEE semantics (0/0 is NaN, never "converged"), as in C."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.abs(1 - np.float64(old) / np.float64(new)))


def _finish(cd, x, beta_s, e, loglik, score, rank0, it, converged, halving, eps) -> CoxFit:
    """Back to the columns' own scale; R's checks for redundant and infinite columns."""
    f, rank = cholesky2(e.imat, TOLER_CHOL)
    beta = beta_s * cd.scale
    var = chinv2(f) * np.outer(cd.scale, cd.scale)
    u = e.u / cd.scale
    singular = (np.diag(var) == 0) if rank < len(beta) else np.zeros(len(beta), bool)
    with np.errstate(invalid="ignore", over="ignore"):
        infs = np.abs(u @ var)
    if it > 0:
        infinite = ~np.isfinite(u) | ((infs > eps) & (infs > math.sqrt(eps) * np.abs(beta)))
    else:
        infinite = np.zeros(len(beta), bool)
    lp = linear_predictor(x, beta)
    coef = np.where(singular, np.nan, beta)
    return CoxFit(
        coef, var, loglik, score, rank0, it, converged, halving, infinite & ~singular,
        singular, u, lp, cd, e,
    )  # fmt: skip
