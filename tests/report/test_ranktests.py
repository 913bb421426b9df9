"""The Table 1 / MRD tests on scipy.special equal scipy.stats' own (to 1e-10 relative)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from remission.report.ranktests import chi2_independence, kruskal_p, mann_whitney_asymptotic

values = st.lists(st.integers(0, 12), min_size=2, max_size=25)  # integers: many ties


@settings(max_examples=60, deadline=None)
@given(st.lists(values, min_size=2, max_size=5))
def test_kruskal_equals_scipy(groups):
    arrays = [np.array(g, float) for g in groups]
    if np.ptp(np.concatenate(arrays)) == 0:
        return  # all equal: no test (Table 1 skips it)
    h, p = kruskal_p(arrays)
    ref = stats.kruskal(*arrays)
    assert h == pytest.approx(ref.statistic, rel=1e-10)
    assert p == pytest.approx(ref.pvalue, rel=1e-10, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(1, 40), min_size=3, max_size=3), min_size=2, max_size=4))
def test_chi_square_equals_scipy(rows):
    t = np.array(rows)
    stat, p, expected = chi2_independence(t)
    ref = stats.chi2_contingency(t, correction=False)
    assert stat == pytest.approx(ref.statistic, rel=1e-10, abs=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-10)
    np.testing.assert_allclose(expected, ref.expected_freq, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(values, values)
def test_mann_whitney_equals_scipy_asymptotic(a, b):
    a, b = np.array(a, float), np.array(b, float)
    if np.ptp(np.concatenate([a, b])) == 0:
        return
    u, p = mann_whitney_asymptotic(a, b)
    ref = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert u == pytest.approx(ref.statistic, rel=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-10)


def test_hand_computed_kruskal():
    # {1, 2} vs {3, 4}: ranks 1+2 = 3 and 3+4 = 7; H = 12/20 * (9/2 + 49/2) - 15 = 2.4
    h, p = kruskal_p([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    assert h == pytest.approx(2.4, rel=1e-12)
    assert p == pytest.approx(0.12133525035848208, rel=1e-9)  # P(chi2 on 1 df > 2.4)
