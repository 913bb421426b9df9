"""Global tests of a Cox model, as R's ``summary.coxph`` prints them.

- Likelihood ratio: ``2 (l(beta-hat) - l(0))``, df = number of estimated coefficients.
- Wald: ``beta' V^-1 beta`` over the estimated coefficients, df = the rank of V (R's
  ``coxph.wtest``, with the generalised Cholesky decomposition).
- Score (log-rank): ``U(0)' I(0)^-1 U(0)`` at beta = 0 (computed by the fit, as
  ``coxfit6.c``), df = number of estimated coefficients.

Each is referred to the chi-square distribution (Therneau & Grambsch 2000, section 3.4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from remission.stats.cox_fit import TOLER_CHOL, CoxFit, cholesky2, chsolve2

__all__ = ["ChiSquareTest", "wald_test", "global_tests"]


@dataclass(frozen=True)
class ChiSquareTest:
    statistic: float | None
    df: int
    p_value: float | None

    def to_dict(self) -> dict:
        return {"statistic": self.statistic, "df": self.df, "p_value": self.p_value}


def _chi2(statistic: float | None, df: int) -> ChiSquareTest:
    if statistic is None or not np.isfinite(statistic) or df == 0:
        return ChiSquareTest(None, df, None)
    return ChiSquareTest(float(statistic), df, float(special.chdtrc(df, statistic)))


def wald_test(coef: np.ndarray, var: np.ndarray, toler: float = TOLER_CHOL) -> ChiSquareTest:
    """``b' V^-1 b`` over the non-missing coefficients; df = rank of V (coxph.wtest)."""
    keep = ~np.isnan(coef)
    b, v = coef[keep], var[np.ix_(keep, keep)]
    if len(b) == 0:
        return ChiSquareTest(None, 0, None)
    f, _ = cholesky2(v, toler)
    df = int(np.sum(np.diag(f) > 0))
    return _chi2(float(b @ chsolve2(f, b)), df)


def global_tests(fit: CoxFit) -> dict[str, ChiSquareTest]:
    """Likelihood-ratio, Wald and score tests; the Wald test is omitted (None) when a
    coefficient diverges, since it is then meaningless (Hauck & Donner 1977)."""
    df = int(np.sum(~np.isnan(fit.coef)))
    lr = 2.0 * (fit.loglik[1] - fit.loglik[0])
    wald = wald_test(fit.coef, fit.var) if not fit.infinite.any() else ChiSquareTest(None, df, None)
    return {
        "likelihood_ratio": _chi2(lr, df),
        "wald": wald,
        "score": _chi2(fit.score_test, df),
    }
