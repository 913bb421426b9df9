"""Restricted mean survival time (RMST) to a horizon, as R's ``print(survfit, rmean=)``.

``RMST(tau) = integral_0^tau S(t) dt``, the area under the Kaplan-Meier step function up
to ``tau`` (the curve is carried forward to ``tau`` when the data end earlier). Its
variance is the Greenwood-type sum (Klein & Moeschberger 2003, section 4.5, eq. 4.5.2)

    Var = sum_{t_j <= tau} A_j**2 * d_j / (n_j * (n_j - d_j)),

where ``A_j`` is the area under ``S`` from ``t_j`` to ``tau``; a time at which everyone
at risk dies (``n_j = d_j``) contributes 0, as in ``survival:::survmean`` (Therneau,
survival 3.5, R/survfit.R). Unlike R, a horizon before the first time is allowed
(``RMST = tau``, standard error 0) rather than an error.
"""

from __future__ import annotations

import numpy as np

__all__ = ["restricted_mean"]


def restricted_mean(
    time: np.ndarray,
    surv: np.ndarray,
    n_risk: np.ndarray,
    n_event: np.ndarray,
    tau: float,
    start: float = 0.0,
) -> tuple[float, float]:
    """``(rmst, standard error)`` of one curve's rows up to the horizon ``tau``."""
    time = np.asarray(time, dtype=np.float64)
    keep = time <= tau
    if not keep.any():
        return float(tau - start), 0.0
    n = np.asarray(n_risk, dtype=np.float64)[keep]
    d = np.asarray(n_event, dtype=np.float64)[keep]
    left = n - d
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(left == 0, 0.0, d / (n * left))
    t = np.concatenate([time[keep], [tau]])
    s = np.asarray(surv, dtype=np.float64)[keep]
    widths = np.diff(np.concatenate([[start], t]))
    rect = widths * np.concatenate([[1.0], s])
    # area from each kept time t_j to tau: sum of the rectangles after it
    tail = np.cumsum(rect[::-1])[::-1][1:]
    var = float(np.sum(tail * tail * h))
    return float(np.sum(rect) + start), float(np.sqrt(var))
