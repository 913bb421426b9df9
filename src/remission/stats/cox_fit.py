"""Cox proportional hazards: the Newton-Raphson worker on arrays, as R's ``coxph.fit``.

The partial log-likelihood of Cox (1972) for right-censored data, stratified (a separate
baseline hazard per stratum), with tied event times handled by Efron's (1977) or
Breslow's (1974) approximation. At a distinct time t of stratum s with d events, risk
set R (everyone in s with time >= t) and death set D::

    Breslow:  l_t = sum_D eta - d log S0(R)
    Efron:    l_t = sum_D eta - sum_{k=0}^{d-1} log(S0(R) - k/d S0(D))

with S0(A) = sum_{j in A} exp(eta_j), eta = X beta. The score and information follow by
differentiating (Therneau & Grambsch 2000, section 3.3). The sums are computed per
distinct time on arrays sorted once (:mod:`remission.stats.cox_sums`): S0 and S1 by one
``np.add.reduceat`` and cumulative sums over the distinct times, the information's S2
terms as one weighted Gram matrix, so a Newton step is a few passes over the rows.

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

from remission.stats.cox_sums import (
    CoxData,
    EntrySets,
    Evaluation,
    center_scale,
    cox_data,
    evaluate,
    sort_order,
)

__all__ = [
    "CoxFit",
    "CoxData",
    "EntrySets",
    "Evaluation",
    "center_scale",
    "cox_data",
    "cox_fit",
    "cholesky2",
    "evaluate",
    "linear_predictor",
    "chsolve2",
    "chinv2",
    "sort_order",
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


def linear_predictor(
    x: np.ndarray, beta: np.ndarray, means: np.ndarray | None = None
) -> np.ndarray:
    """``X beta - sum(beta * means)`` computed as R's ``coxph.fit`` does, row by row alike.

    The columns are accumulated one at a time (as reference BLAS ``dgemv``), so identical
    rows get bit-identical values; ties in the predictor (which the concordance counts
    by exact equality) are then the same as R's. ``means`` are R's centring: 0 for a
    column with values only in {-1, 0, 1}, else the mean; pass them (as
    :func:`center_scale` gives them) to spare computing them again.
    """
    if means is None:
        means = center_scale(x)[0]
    lp = np.zeros(x.shape[0])
    tmp = np.empty(min(len(lp), _LP_ROWS))
    for s in range(0, len(lp), _LP_ROWS):  # a block of rows at a time, in cache
        xs, out = x[s : s + _LP_ROWS], lp[s : s + _LP_ROWS]
        for j, b in enumerate(beta):
            out += np.multiply(xs[:, j], b, out=tmp[: len(out)])
    lp -= math.fsum(b * m for b, m in zip(beta, means, strict=True) if m != 0)
    return lp


_LP_ROWS = 1 << 14


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
    lp = linear_predictor(x, beta, cd.means)
    coef = np.where(singular, np.nan, beta)
    return CoxFit(
        coef, var, loglik, score, rank0, it, converged, halving, infinite & ~singular,
        singular, u, lp, cd, e,
    )  # fmt: skip
