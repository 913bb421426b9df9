"""Ordering MRD results honours their qualifiers."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.mrd import Order, compare_mrd, parse_mrd


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        ("0.06", "0.05", Order.HIGHER),
        ("0.05", "0.06", Order.LOWER),
        ("0.05", "5e-2", Order.EQUAL),
        ("0.06", "<0.005", Order.HIGHER),
        ("0.005", "<0.005", Order.HIGHER),  # at the limit: the negative is below it
        ("0.004", "<0.005", Order.UNKNOWN),
        ("<0.005", "0.06", Order.LOWER),
        ("0.02", "pos <0.01", Order.HIGHER),
        ("pos <0.01", "<0.005", Order.UNKNOWN),
        ("0.06", "neg", Order.UNKNOWN),  # sensitivity not stated
        ("N/A", "0.06", Order.UNKNOWN),
        ("N/A", "N/A", Order.UNKNOWN),
    ],
)
def test_compare(a, b, order):
    assert compare_mrd(parse_mrd(a), parse_mrd(b)) is order


values = st.one_of(
    st.floats(1e-4, 100).map(lambda x: f"{x!r}"),
    st.floats(1e-4, 1).map(lambda x: f"<{x!r}"),
    st.floats(1e-4, 1).map(lambda x: f"pos <{x!r}"),
    st.sampled_from(["N/A", "neg", "PNQ"]),
)


@settings(max_examples=100, deadline=None)
@given(values, values)
def test_compare_is_antisymmetric(a, b):
    flip = {Order.HIGHER: Order.LOWER, Order.LOWER: Order.HIGHER}
    x, y = parse_mrd(a), parse_mrd(b)
    r = compare_mrd(x, y)
    assert compare_mrd(y, x) is flip.get(r, r)
