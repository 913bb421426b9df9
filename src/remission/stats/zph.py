"""The test of proportional hazards from scaled Schoenfeld residuals, as R's ``cox.zph``.

Grambsch & Therneau (1994), "Proportional hazards tests and diagnostics based on weighted
residuals", Biometrika 81:515-526, in the form of survival >= 3.0 (``cox.zph.R`` and
``zph1.c``): a score test, at the fitted beta, of adding the time-varying terms
``X * g(t)`` to the model. With U_t and I_t the score and information contributions of
event time t at beta-hat (Efron or Breslow, as the fit), g centred over the events::

    u = (0, sum_t g(t) U_t),   I = [[sum I_t, sum g I_t], [sum g I_t, sum g^2 I_t]]
    chisq = u' I^-1 u

per term (the columns of a categorical covariate together, df = their number) and
GLOBAL over all columns (df = the number of coefficients). ``transform="km"`` (R's
default) uses g(t) = 1 - S(t-), the left-continuous Kaplan-Meier of all subjects
(strata ignored, as R); "identity", "rank" and "log" are R's other choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from remission.stats.counts import count_table
from remission.stats.cox_fit import CoxFit

__all__ = ["ZphRow", "Zph", "cox_zph", "TRANSFORMS"]

TRANSFORMS = ("km", "identity", "rank", "log")


@dataclass(frozen=True)
class ZphRow:
    term: str
    chisq: float
    df: int
    p_value: float

    def to_dict(self) -> dict:
        return {"term": self.term, "chisq": self.chisq, "df": self.df, "p_value": self.p_value}


@dataclass(frozen=True)
class Zph:
    """Per-term rows and the GLOBAL row of the proportional-hazards test."""

    transform: str
    terms: tuple[ZphRow, ...]
    global_test: ZphRow

    def to_dict(self) -> dict:
        return {
            "transform": self.transform,
            "terms": [r.to_dict() for r in self.terms],
            "global": self.global_test.to_dict(),
        }


def _time_transform(fit: CoxFit, transform: str) -> np.ndarray:
    """g(t) for every row (sorted order), before centring."""
    cd = fit.data
    t = cd.time
    if transform == "identity":
        return t
    if transform == "log":
        return np.log(t)
    if transform == "rank":
        from scipy.stats import rankdata  # only for the rank transform

        return rankdata(t)
    entry = cd.entry.time if cd.entry is not None else None
    ct = count_table(t, cd.event.astype(np.int64), entry=entry)
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(np.where(ct.n_risk > 0, 1.0 - ct.n_event[:, 0] / ct.n_risk, 1.0))
    before = np.searchsorted(ct.time, t, side="left")  # times strictly below t
    return 1.0 - np.r_[1.0, surv][before]


def cox_zph(
    fit: CoxFit,
    terms: Sequence[tuple[str, Sequence[int]]],
    transform: str = "km",
) -> Zph:
    """The ``cox.zph`` table for ``fit``; ``terms`` gives each term's column indices."""
    if transform not in TRANSFORMS:
        raise ValueError(f"transform must be one of {TRANSFORMS}, not {transform!r}")
    cd = fit.data
    keep = np.flatnonzero(~fit.singular)
    ev = fit.final  # at beta-hat, on the fit's working scale (the test is invariant)
    gt = _time_transform(fit, transform)
    g = gt - gt[cd.event].mean()
    g_ev = g[cd.seg[0::2][cd.ev]]
    u_g = ev.u_g[:, keep]
    i_g = ev.i_g[:, keep][:, :, keep]
    p = len(keep)
    u = np.r_[np.zeros(p), g_ev @ u_g]
    i12 = np.tensordot(g_ev, i_g, axes=1)
    imat = np.block([[i_g.sum(axis=0), i12], [i12, np.tensordot(g_ev**2, i_g, axes=1)]])
    col_of = {c: k for k, c in enumerate(keep)}
    rows = []
    for name, cols in terms:
        jj = [col_of[c] for c in cols if c in col_of]
        if not jj:
            continue
        kk = np.r_[np.arange(p), p + np.array(jj)]
        rows.append(_row(name, u[kk], imat[np.ix_(kk, kk)], len(jj)))
    return Zph(transform, tuple(rows), _row("GLOBAL", u, imat, p))


def _row(name: str, u: np.ndarray, imat: np.ndarray, df: int) -> ZphRow:
    chisq = float(np.linalg.solve(imat, u) @ u)
    return ZphRow(name, chisq, df, float(special.chdtrc(df, chisq)))
