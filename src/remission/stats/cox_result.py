"""Result objects of the Cox model (frozen; ``to_dict()`` gives the JSON shape)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from remission.stats.concordance import Concordance
from remission.stats.cox_tests import ChiSquareTest
from remission.stats.timefix import TimeFix
from remission.stats.zph import Zph

__all__ = ["CoxCoefficient", "CoxResult", "ConvergenceWarning"]


class ConvergenceWarning(UserWarning):
    """A Cox fit that is not a regular maximum: a diverging coefficient (monotone
    likelihood, e.g. separation), a redundant covariate, no convergence, or strata
    without events. The same text is kept in ``CoxResult.warnings``."""


def _num(v: float | None) -> float | None:
    """JSON-safe number: NaN and infinities become None (null)."""
    if v is None or not math.isfinite(v):
        return None
    return float(v)


@dataclass(frozen=True)
class CoxCoefficient:
    """One column of the design: ``name`` as R names it (``age``, ``sexM``).

    ``status`` is ``"ok"``, ``"infinite"`` (the estimate diverges: ``coef`` is +-inf,
    ``last_iterate`` the value where the iteration stopped) or ``"singular"`` (redundant
    column, not estimable: ``coef`` is NaN).
    """

    name: str
    term: str
    coef: float
    se: float
    hazard_ratio: float
    lower: float
    upper: float
    z: float
    p_value: float
    status: str = "ok"
    last_iterate: float | None = None
    naive_se: float | None = None

    def to_dict(self) -> dict:
        out = {
            "name": self.name,
            "coef": _num(self.coef),
            "se": _num(self.se),
            "hazard_ratio": _num(self.hazard_ratio),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "z": _num(self.z),
            "p_value": _num(self.p_value),
            "status": self.status,
        }
        if self.last_iterate is not None:
            out["last_iterate"] = self.last_iterate
        if self.naive_se is not None:
            out["naive_se"] = _num(self.naive_se)
        return out


@dataclass(frozen=True)
class CoxResult:
    """A fitted Cox model: coefficients, tests, concordance, PH test, and what was left
    out or went wrong (``excluded`` rows, ``warnings``)."""

    n: int
    events: int
    ties: str
    conf_level: float
    coefficients: tuple[CoxCoefficient, ...]
    loglik: tuple[float, float]
    tests: dict[str, ChiSquareTest]
    concordance: Concordance | None
    zph: Zph | None
    strata: tuple[str, ...]
    iterations: int
    converged: bool
    warnings: tuple[str, ...]
    excluded: tuple[tuple[int, str], ...]
    timefix: TimeFix | None = None
    counting_process: bool = False
    variance: str = "model-based"

    def coefficient(self, name: str) -> CoxCoefficient:
        """The coefficient called ``name`` (``KeyError`` listing the names otherwise)."""
        for c in self.coefficients:
            if c.name == name:
                return c
        raise KeyError(f"{name!r}; coefficients are {[c.name for c in self.coefficients]}")

    def to_dict(self) -> dict:
        conc = self.concordance
        return {
            "n": self.n,
            "events": self.events,
            "ties": self.ties,
            "conf_level": self.conf_level,
            "coefficients": [c.to_dict() for c in self.coefficients],
            "loglik": [_num(self.loglik[0]), _num(self.loglik[1])],
            "concordance": _num(conc.concordance) if conc is not None else None,
            "concordance_std_err": _num(conc.std_err) if conc is not None else None,
            "concordance_counts": conc.to_dict() if conc is not None else None,
            "tests": {k: v.to_dict() for k, v in self.tests.items()},
            "zph": self.zph.to_dict() if self.zph is not None else None,
            "strata": list(self.strata),
            "iterations": self.iterations,
            "converged": self.converged,
            "warnings": list(self.warnings),
            "counting_process": self.counting_process,
            "variance": self.variance,
            "timefix": self.timefix.to_dict() if self.timefix is not None else None,
            "n_excluded": len(self.excluded),
            "excluded": [{"row": r, "reason": why} for r, why in self.excluded],
        }
