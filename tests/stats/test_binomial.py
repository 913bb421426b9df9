"""Binomial confidence intervals against the seed letter and R (binom.test, prop.test)."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.binomial import binomial_ci

REF = json.loads((Path(__file__).parents[1] / "reference" / "compare.json").read_text())
RTOL = 1e-6  # against R


@pytest.mark.parametrize(
    ("x", "n", "printed"), [(10, 18, "55.6 (30.8-78.5)"), (17, 52, "32.7 (20.3-47.1)")]
)
def test_seed_letter_response_rates_by_clopper_pearson(x, n, printed):
    r = binomial_ci(x, n)
    assert f"{100 * r.estimate:.1f} ({100 * r.lower:.1f}-{100 * r.upper:.1f})" == printed
    assert r.method == "clopper-pearson" and r.conf_level == 0.95


@pytest.mark.parametrize("case", REF["binomial"], ids=lambda c: f"{c['x']}/{c['n']}@{c['level']}")
@pytest.mark.parametrize(
    ("method", "key"),
    [("clopper-pearson", "clopper_pearson"), ("wilson", "wilson"), ("wilson-cc", "wilson_cc")],
)
def test_against_r(case, method, key):
    r = binomial_ci(case["x"], case["n"], level=case["level"], method=method)
    np.testing.assert_allclose([r.lower, r.upper], case[key], rtol=RTOL, atol=1e-12)


def test_wilson_cc_at_half_differs_from_prop_test_by_design():
    # prop.test shrinks the correction to |x - n/2| = 0 here; Newcombe keeps 1/2, so the
    # corrected interval is wider than the uncorrected one
    cc, plain = binomial_ci(4, 8, method="wilson-cc"), binomial_ci(4, 8, method="wilson")
    assert cc.lower < plain.lower and cc.upper > plain.upper


def test_exact_edges_hand_computed():
    # x = 0: upper = 1 - (alpha/2)^(1/n); x = n: lower = (alpha/2)^(1/n)
    r0, rn = binomial_ci(0, 10), binomial_ci(10, 10)
    assert r0.lower == 0 and rn.upper == 1
    np.testing.assert_allclose(r0.upper, 1 - 0.025 ** (1 / 10), rtol=1e-12)
    np.testing.assert_allclose(rn.lower, 0.025 ** (1 / 10), rtol=1e-12)


@pytest.mark.parametrize("bad", [(11, 10), (-1, 10), (1, 0), (1.5, 4), (True, 4)])
def test_bad_counts(bad):
    with pytest.raises(ValueError):
        binomial_ci(*bad)


def test_bad_method_and_level():
    with pytest.raises(ValueError, match="clopper-pearson"):
        binomial_ci(1, 2, method="wald")
    with pytest.raises(ValueError, match="level"):
        binomial_ci(1, 2, level=95)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_interval_contains_estimate_and_nests(xn):
    x, n = xn
    for method in ("clopper-pearson", "wilson", "wilson-cc"):
        r95 = binomial_ci(x, n, method=method)
        r80 = binomial_ci(x, n, level=0.8, method=method)
        assert 0 <= r95.lower <= r95.estimate <= r95.upper <= 1
        assert r95.lower <= r80.lower + 1e-12 and r80.upper <= r95.upper + 1e-12
    assert binomial_ci(x, n).to_dict()["x"] == x
