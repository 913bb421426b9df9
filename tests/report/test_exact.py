"""Fisher's exact test for r x c tables against R's fisher.test (R 4.2.2) and scipy (2x2)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from remission.report.exact import TooManyTables, fisher_exact_rxc, table_bound

# R: fisher.test(matrix(c(3,0,1,4,2,1), nrow=2))$p.value, etc. (printed with digits=17)
R_CASES = [
    ([[3, 1, 2], [0, 4, 1]], 0.18831168831168796),
    ([[2, 6, 1, 2], [0, 0, 0, 1], [1, 1, 0, 0]], 0.67307692307692402),
    ([[5, 0, 1, 0], [0, 3, 0, 2]], 0.0043290043290043221),
]


@pytest.mark.parametrize(("table", "p"), R_CASES)
def test_agrees_with_r_fisher_test(table, p):
    assert fisher_exact_rxc(table) == pytest.approx(p, rel=1e-6)


def test_deterministic_unlike_scipy_monte_carlo():
    t = [[3, 1, 2], [0, 4, 1]]
    assert len({fisher_exact_rxc(t) for _ in range(3)}) == 1


def test_degenerate_tables_and_limits():
    assert fisher_exact_rxc([[3, 4]]) == 1.0
    assert fisher_exact_rxc([[3, 0], [4, 0]]) == 1.0
    with pytest.raises(ValueError):
        fisher_exact_rxc([[-1, 2], [3, 4]])
    with pytest.raises(TooManyTables):
        fisher_exact_rxc([[10, 10, 10], [10, 10, 10], [10, 10, 10]], max_tables=100)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=4, max_size=4))
def test_two_by_two_equals_scipy(cells):
    t = np.array(cells).reshape(2, 2)
    assert fisher_exact_rxc(t) == pytest.approx(stats.fisher_exact(t).pvalue, rel=1e-9, abs=1e-12)


def test_large_tables_are_refused_at_once_and_transpose_is_equivalent():
    # a 4 x 12 table of 3,000 patients: the bound is far above the limit, no enumeration
    big = np.full((4, 12), 62)
    with pytest.raises(TooManyTables, match="up to"):
        fisher_exact_rxc(big, max_tables=10**5)
    t = [[3, 1, 2], [0, 4, 1]]
    assert fisher_exact_rxc(np.array(t).T) == pytest.approx(0.18831168831168796, rel=1e-6)
    # bound: columns (3, 5) over 2 rows -> C(4, 1) = 4 ways for the first column
    assert table_bound([3, 5, 3], 2) == 4 * 6
