"""Fisher's exact test for r x c tables (Freeman-Halton), deterministic.

scipy >= 1.15 answers r x c tables by Monte Carlo sampling (a different p-value at each
call), so Table 1 uses this exact enumeration instead: every table with the observed
margins is visited, its hypergeometric probability

    P = prod(r_i!) prod(c_j!) / (n! prod(a_ij!))

computed in logs, and the two-sided p-value is the sum of the probabilities of the
tables no more probable than the observed one, with the relative tolerance 1e-7 of R's
``fisher.test`` (Freeman & Halton, Biometrika 1951;38:141-149; R ``fisher.test``,
which uses the network algorithm of Mehta & Patel 1983 for the same quantity).

Before enumerating, the number of tables is bounded from above by the product, over all
columns but the last, of the number of ways to split the column total over the r rows,
C(c_j + r - 1, r - 1). The table or its transpose (same p-value), whichever has the
smaller bound, is enumerated; a bound above ``max_tables`` raises
:class:`TooManyTables` at once rather than after a long walk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["fisher_exact_rxc", "table_bound", "TooManyTables"]

_TOL = 1e-7


class TooManyTables(Exception):
    """The enumeration would visit more than ``max_tables`` tables."""


def _columns(col_sum: int, caps: list[int]):
    """All ways to split ``col_sum`` over rows with remaining row sums ``caps``."""
    if len(caps) == 1:
        if col_sum <= caps[0]:
            yield (col_sum,)
        return
    rest = sum(caps[1:])
    for a in range(max(0, col_sum - rest), min(col_sum, caps[0]) + 1):
        for tail in _columns(col_sum - a, caps[1:]):
            yield (a, *tail)


def table_bound(cols: Sequence[int], n_rows: int) -> int:
    """Upper bound on the tables with column sums ``cols`` over ``n_rows`` rows."""
    out = 1
    for c in list(cols)[:-1]:
        out *= math.comb(int(c) + n_rows - 1, n_rows - 1)
    return out


def fisher_exact_rxc(table: Sequence[Sequence[int]] | np.ndarray, max_tables: int = 10**6) -> float:
    """Two-sided exact p-value of independence in an r x c table of counts.

    Raises :class:`TooManyTables` when more than ``max_tables`` tables could be visited
    (the bound of :func:`table_bound`, checked before any enumeration).
    """
    t = np.asarray(table, dtype=np.int64)
    if t.ndim != 2 or (t < 0).any():
        raise ValueError("a table of non-negative counts is needed")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.shape[0] < 2 or t.shape[1] < 2:
        return 1.0
    if table_bound(t.sum(axis=1), t.shape[1]) < table_bound(t.sum(axis=0), t.shape[0]):
        t = t.T
    rows, cols = [int(x) for x in t.sum(axis=1)], [int(x) for x in t.sum(axis=0)]
    if table_bound(cols, len(rows)) > max_tables:
        raise TooManyTables(f"up to {table_bound(cols, len(rows))} tables (limit {max_tables})")
    n = sum(rows)
    const = sum(math.lgamma(r + 1) for r in rows) + sum(math.lgamma(c + 1) for c in cols)
    const -= math.lgamma(n + 1)
    lf = [math.lgamma(k + 1) for k in range(n + 1)]
    observed = const - sum(lf[int(a)] for a in t.ravel())
    limit = observed + math.log1p(_TOL)
    total, visited = 0.0, 0

    def walk(j: int, caps: list[int], logp: float) -> None:
        nonlocal total, visited
        if j == len(cols) - 1:  # the last column is fixed by the remaining row sums
            visited += 1
            if visited > max_tables:
                raise TooManyTables(f"more than {max_tables} tables")
            lp = logp - sum(lf[c] for c in caps)
            if lp <= limit:
                total += math.exp(lp)
            return
        for col in _columns(cols[j], caps):
            walk(j + 1, [c - a for c, a in zip(caps, col, strict=True)],
                 logp - sum(lf[a] for a in col))  # fmt: skip

    walk(0, rows, const)
    return min(1.0, total)
