"""Kruskal-Wallis, Pearson's chi-square and the asymptotic Mann-Whitney U test on arrays.

The tests of Table 1 and of the MRD section, written on :mod:`scipy.special` so that a
report does not pay for importing :mod:`scipy.stats` (about a second at start-up); the
results equal ``scipy.stats.kruskal``, ``chi2_contingency(correction=False)`` and
``mannwhitneyu(method="asymptotic")`` (the tests check this).

- Kruskal-Wallis (Kruskal & Wallis, JASA 1952;47:583-621):
  ``H = 12 / (N (N + 1)) * sum_i R_i^2 / n_i - 3 (N + 1)``, divided by the tie
  correction ``1 - sum_t (t^3 - t) / (N^3 - N)``; ``p = P(chi2_{k-1} > H)``.
- Pearson's chi-square of an r x c table: ``X2 = sum (O - E)^2 / E`` with
  ``E = row total * column total / N``, ``(r - 1)(c - 1)`` degrees of freedom, no
  continuity correction.
- Mann-Whitney U (normal approximation with continuity correction, two-sided):
  ``U1 = R1 - n1 (n1 + 1) / 2``, ``z = (|U1 - n1 n2 / 2| - 1/2) / sigma`` with
  ``sigma^2 = n1 n2 / 12 * (N + 1 - sum_t (t^3 - t) / (N (N - 1)))``; ``p = 2 P(Z > z)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import special

__all__ = ["kruskal_p", "chi2_independence", "mann_whitney_asymptotic"]


def _ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mid-ranks of ``x`` (ties share their mean rank) and the sizes of the tie groups."""
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)
    mid = upper - (counts - 1) / 2.0
    return mid[inverse], counts[counts > 1].astype(float)


def kruskal_p(groups: Sequence[np.ndarray]) -> tuple[float, float]:
    """(H, p) of the Kruskal-Wallis test of ``groups`` (each a 1-d array, none empty)."""
    sizes = np.array([len(g) for g in groups], dtype=float)
    ranks, ties = _ranks(np.concatenate([np.asarray(g, dtype=float) for g in groups]))
    n = sizes.sum()
    edges = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    sums = np.array([ranks[a:b].sum() for a, b in zip(edges[:-1], edges[1:], strict=True)])
    h = 12.0 / (n * (n + 1.0)) * float((sums**2 / sizes).sum()) - 3.0 * (n + 1.0)
    correction = 1.0 - float((ties**3 - ties).sum()) / (n**3 - n)
    h /= correction
    return h, float(special.chdtrc(len(groups) - 1, h))


def chi2_independence(table: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(X2, p, expected counts) of Pearson's test of independence, no correction."""
    t = np.asarray(table, dtype=float)
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
    stat = float(((t - expected) ** 2 / expected).sum())
    df = (t.shape[0] - 1) * (t.shape[1] - 1)
    return stat, float(special.chdtrc(df, stat)), expected


def mann_whitney_asymptotic(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(U of ``a``, two-sided p) by the normal approximation with continuity correction."""
    n1, n2 = float(len(a)), float(len(b))
    ranks, ties = _ranks(np.concatenate([a, b]).astype(float))
    u1 = float(ranks[: len(a)].sum()) - n1 * (n1 + 1.0) / 2.0
    n = n1 + n2
    sigma = np.sqrt(n1 * n2 / 12.0 * ((n + 1.0) - float((ties**3 - ties).sum()) / (n * (n - 1.0))))
    z = (abs(u1 - n1 * n2 / 2.0) - 0.5) / sigma
    return u1, float(min(1.0, 2.0 * special.ndtr(-z)))
