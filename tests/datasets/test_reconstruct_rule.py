"""The reconstruction rule of remission.reconstruct, piece by piece."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from remission import reconstruct as r


def test_evenly_between_by_hand():
    assert r.evenly_between(58, 92, 2) == [69, 81]  # 69.33, 80.67
    assert r.evenly_between(34, 51, 4) == [37, 41, 44, 48]  # 37.4, 40.8, 44.2, 47.6
    assert r.evenly_between(51, 119, 4) == [65, 78, 92, 105]
    assert r.evenly_between(267, 1163, 3) == [491, 715, 939]
    assert r.evenly_between(0, 3, 1) == [2]  # 1.5 rounds half up


def test_km_by_hand():
    # 4 at risk: death at 1 (3/4), censored at 2, death at 3 with 2 at risk (1/2)
    assert r.km([(1, 1), (2, 0), (3, 1), (4, 0)]) == Fraction(3, 8)
    # tie: the censored patient at 3 is still at risk at 3
    assert r.km([(3, 1), (3, 0)]) == Fraction(1, 2)
    assert r.km([(2000, 1), (5, 0)]) == 1  # event beyond the 3-year horizon


def test_plan_is_the_documented_one():
    plan = r.plan()
    assert plan.gap == {
        "P01": 65, "P02": 51, "P03": 48, "P04": 119, "P05": 44, "P06": 34,
        "P07": 105, "P08": 37, "P09": 92, "P10": 78, "P11": 41,
    }  # fmt: skip
    assert plan.os["P04"] == (69, 1) and plan.os["P09"] == (57, 1)
    assert plan.efs["P10"] == (58, 0) and plan.efs["P07"] == (81, 0)
    assert {p: plan.os[p][0] for p in ("P01", "P02", "P03", "P05", "P06", "P08", "P11")} == {
        "P01": 1163, "P02": 939, "P03": 715, "P05": 491, "P06": 267, "P08": 222, "P11": 178,
    }  # fmt: skip


def test_check_figures_rejects_a_changed_date():
    rows = [dict(row) for row in r.reconstruct()]
    rows[8]["death_date"] = "2018-08-28"  # P09 dies on day 58 instead of 57
    rows[8]["last_followup_date"] = "2018-08-28"
    with pytest.raises(RuntimeError, match="death_day_after_hsct"):
        r.check_figures(rows)


def test_check_figures_returns_the_published_values():
    got = r.check_figures(r.reconstruct())
    for key, value in r.PUBLISHED.items():
        assert got[key] == value


@seed(20240610)
@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 1)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 1)), max_size=4),
    st.lists(st.integers(0, 400), min_size=1, max_size=5),
    st.randoms(use_true_random=False),
)
def test_bounds_contain_every_completion(known, pending_base, free, rnd):
    """_bounds brackets the exact KM for any way of giving the pending patients a gap."""
    lo, hi = min(free), max(free)
    pending = [(t + lo, t + hi, e) for t, e in pending_base]
    lower, upper = r._bounds(known, pending)
    for _ in range(5):
        completion = [(t + rnd.choice(free), e) for t, e in pending_base]
        exact = r.km(known + completion)
        assert lower <= exact <= upper


def test_bounds_by_hand():
    # exact prefix (5 patients): deaths at 10 and 20 with 5 and 4 at risk = 3/5, censored at 30;
    # the pending pair (one sure event in [100, 200], one censoring that may precede it)
    known = [(10, 1), (20, 1), (30, 0)]
    pending = [(100, 200, 1), (150, 250, 0)]
    lower, upper = r._bounds(known, pending)
    assert upper == Fraction(4, 5) * Fraction(3, 4) * Fraction(1, 2)  # event first: 2 at risk
    assert lower == 0  # the censoring first leaves 1 at risk for the event
