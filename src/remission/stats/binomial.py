"""Confidence intervals for a proportion (response rates): Clopper-Pearson and Wilson.

- ``"clopper-pearson"`` (default), the exact interval of Clopper & Pearson (1934,
  Biometrika 26:404-413) from beta quantiles, as R's ``binom.test``::

      lower = Beta^{-1}(alpha/2; x, n - x + 1)        (0 when x = 0)
      upper = Beta^{-1}(1 - alpha/2; x + 1, n - x)    (1 when x = n)

- ``"wilson"``, the score interval of Wilson (1927, JASA 22:209-212) *without*
  continuity correction (Newcombe 1998, Stat Med 17:857-872, method 3; R's
  ``prop.test(x, n, correct = FALSE)``)::

      (2 x + z^2 -+ z sqrt(z^2 + 4 x (n - x) / n)) / (2 (n + z^2))

- ``"wilson-cc"``, the score interval *with* continuity correction (Newcombe 1998,
  method 4)::

      lower = (2 x + z^2 - 1 - z sqrt(z^2 - 2 - 1/n + 4 p (n q + 1))) / (2 (n + z^2))
      upper = (2 x + z^2 + 1 + z sqrt(z^2 + 2 - 1/n + 4 p (n q - 1))) / (2 (n + z^2))

  with ``p = x/n``, ``q = 1 - p``, lower = 0 when x = 0 and upper = 1 when x = n. This
  equals R's ``prop.test(x, n, correct = TRUE)`` except when ``x = n/2`` exactly, where
  ``prop.test`` shrinks its correction to ``|x - n/2|`` = 0 (its correction is tied to
  the null value p = 0.5), while Newcombe's interval keeps the full 1/2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import special

__all__ = ["BinomialCI", "binomial_ci", "BINOMIAL_METHODS"]

BINOMIAL_METHODS = ("clopper-pearson", "wilson", "wilson-cc")


@dataclass(frozen=True)
class BinomialCI:
    """A proportion ``x/n`` with its confidence interval (fractions, not percent)."""

    x: int
    n: int
    estimate: float
    lower: float
    upper: float
    conf_level: float
    method: str

    def to_dict(self) -> dict:
        return {
            "x": self.x,
            "n": self.n,
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "conf_level": self.conf_level,
            "method": self.method,
        }


def binomial_ci(x: int, n: int, level: float = 0.95, method: str = "clopper-pearson") -> BinomialCI:
    """The confidence interval of the proportion ``x/n`` (see the module docstring).

    >>> r = binomial_ci(10, 18)
    >>> f"{100 * r.estimate:.1f} ({100 * r.lower:.1f}-{100 * r.upper:.1f})"
    '55.6 (30.8-78.5)'
    """
    if method not in BINOMIAL_METHODS:
        raise ValueError(f"method must be one of {', '.join(BINOMIAL_METHODS)}, not {method!r}")
    if isinstance(x, bool) or isinstance(n, bool) or int(x) != x or int(n) != n:
        raise ValueError(f"x and n must be whole numbers, not {x!r} and {n!r}")
    x, n = int(x), int(n)
    if n < 1 or not 0 <= x <= n:
        raise ValueError(f"need 0 <= x <= n and n >= 1, not x={x}, n={n}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level!r}")
    alpha = 1 - level
    if method == "clopper-pearson":
        lo = 0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, alpha / 2))
        hi = 1.0 if x == n else float(special.betaincinv(x + 1, n - x, 1 - alpha / 2))
    else:
        z = float(special.ndtri(1 - alpha / 2))
        lo, hi = (_wilson if method == "wilson" else _wilson_cc)(x, n, z)
    return BinomialCI(x, n, x / n, lo, hi, level, method)


def _wilson(x: int, n: int, z: float) -> tuple[float, float]:
    centre = 2 * x + z * z
    half = z * math.sqrt(z * z + 4 * x * (n - x) / n)
    den = 2 * (n + z * z)
    return max(0.0, (centre - half) / den), min(1.0, (centre + half) / den)


def _wilson_cc(x: int, n: int, z: float) -> tuple[float, float]:
    p = x / n
    q = 1 - p
    den = 2 * (n + z * z)
    lo = 0.0
    if x > 0:
        lo = (2 * n * p + z * z - 1 - z * math.sqrt(z * z - 2 - 1 / n + 4 * p * (n * q + 1))) / den
    hi = 1.0
    if x < n:
        hi = (2 * n * p + z * z + 1 + z * math.sqrt(z * z + 2 - 1 / n + 4 * p * (n * q - 1))) / den
    return max(0.0, lo), min(1.0, hi)
