"""Quantiles of a survival curve and their confidence limits, as R's ``quantile.survfit``.

The ``p`` quantile of a Kaplan-Meier curve is the first time at which the estimated
distribution ``F(t) = 1 - S(t)`` exceeds ``p``. Where ``F`` equals ``p`` exactly (within
``tol``) over a flat stretch, it is the midpoint of that stretch: the time at which
``F`` reaches ``p`` and the next time at which ``F`` changes; if the curve stays at
``p`` until its end, the midpoint of that time and the last observed time.

The confidence limits are the same rule applied to the pointwise confidence limits of
the curve (Brookmeyer & Crowley 1982, Biometrics 38:29-41): the lower limit of the
quantile is where the *lower* survival limit reaches ``1 - p``, the upper limit where the
*upper* survival limit does. Limits never reached are missing (``None``).

This follows ``survival:::findq`` (Therneau, survival 3.5, R/quantile.survfit.R)
step by step, including its tolerance ``sqrt(.Machine$double.eps)``, its removal of
repeated values and of missing ones (R's ``approx(..., method = "constant", f = 1)``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["TOLERANCE", "find_quantile", "curve_quantile"]

#: R's ``sqrt(.Machine$double.eps)``
TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))


def _approx_right(nodes: np.ndarray, values: np.ndarray, p: float) -> float:
    """R's ``approx(nodes, values, p, method="constant", f=1, rule=1)`` (nodes sorted)."""
    if len(nodes) == 0 or p < nodes[0] or p > nodes[-1]:
        return np.nan
    return float(values[np.searchsorted(nodes, p, side="left")])


def find_quantile(x: np.ndarray, y: np.ndarray, p: float, tol: float = TOLERANCE) -> float:
    """The ``p`` quantile of the step function ``y`` (a distribution, NaN = missing) on ``x``.

    ``x[0]`` is the start of time (``y[0] = 0``). Returns NaN when not reached.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    finite = ~np.isnan(y)
    if not finite.any() or np.max(y[finite]) < p:
        return np.nan
    xmax = x[-1]
    _, first = np.unique(np.where(finite, y, np.inf), return_index=True)
    keep = np.sort(first)  # first occurrence of each value (all NaNs count as one)
    x, y = x[keep], y[keep]
    if p == 0:
        return float(x[0])
    ok = ~np.isnan(y)
    idx = np.flatnonzero(ok)
    order = np.argsort(y[ok], kind="stable")
    nodes, index = y[ok][order], idx[order]
    i1 = _approx_right(nodes + tol, index, p)
    i2 = _approx_right(nodes - tol, index, p)
    if not np.isnan(y[-1]) and abs(p - y[-1]) < tol:
        return np.nan if np.isnan(i1) else float((x[int(i1)] + xmax) / 2)
    if np.isnan(i1) or np.isnan(i2):
        return np.nan
    return float((x[int(i1)] + x[int(i2)]) / 2)


def curve_quantile(
    time: np.ndarray,
    surv: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    p: float,
    start: float = 0.0,
) -> tuple[float, float, float]:
    """``(quantile, lower limit, upper limit)`` of one curve (NaN where not reached).

    ``time``/``surv``/``lower``/``upper`` are the curve's rows (every time at which
    anything happened, censorings included, as R's ``survfit`` object).
    """
    x = np.concatenate([[start], np.asarray(time, dtype=np.float64)])

    def q(s: np.ndarray) -> float:
        return find_quantile(x, np.concatenate([[0.0], 1.0 - np.asarray(s, np.float64)]), p)

    return q(surv), q(lower), q(upper)
