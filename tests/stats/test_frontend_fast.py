"""The vectorised path of ``survival_data`` gives exactly what the row-by-row path gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.cohort.problems import InputError
from remission.stats import frontend
from remission.stats.frontend import survival_data


def _slow(df, *args, **kwargs):
    saved = frontend._fast_path
    frontend._fast_path = lambda *a, **k: None
    try:
        return survival_data(df, *args, **kwargs)
    finally:
        frontend._fast_path = saved


def _same(a, b) -> None:
    np.testing.assert_array_equal(a.time, b.time)
    np.testing.assert_array_equal(a.event, b.event)
    assert a.time.dtype == b.time.dtype and a.event.dtype == b.event.dtype
    for x, y in ((a.group, b.group), (a.strata, b.strata)):
        assert (x is None) == (y is None)
        if x is not None:
            np.testing.assert_array_equal(x, y)
    assert a.group_labels == b.group_labels and a.strata_labels == b.strata_labels
    assert a.excluded == b.excluded and a.n_input == b.n_input


maybe_nan = st.one_of(st.none(), st.floats(0, 50, allow_nan=False))
group_value = st.one_of(
    st.none(), st.sampled_from(["a", "b", " ", "NA", "10", "9"]), st.integers(0, 3)
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(maybe_nan, st.sampled_from([0, 1, None]), group_value), min_size=1,
             max_size=30),
    st.booleans(),
)  # fmt: skip
def test_fast_equals_slow(data, with_strata) -> None:
    df = pd.DataFrame(data, columns=["t", "e", "g"])
    df["t"] = df["t"].astype(float)
    df["e"] = df["e"].astype(float)
    df["s"] = np.arange(len(df)) % 2
    strata = "s" if with_strata else None
    try:
        slow = _slow(df, "t", "e", group="g", strata=strata, require_events=False)
    except InputError as err:
        with pytest.raises(InputError) as fast_err:
            survival_data(df, "t", "e", group="g", strata=strata, require_events=False)
        assert fast_err.value.problems == err.problems
        return
    fast = survival_data(df, "t", "e", group="g", strata=strata, require_events=False)
    assert frontend._fast_path(df, ["t", "e", "g"], "t", "e", "g", None, None, {0, 1}, "x")
    _same(fast, slow)


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame({"t": [1.0, -1.0, 2.0], "e": [1, 0, 1]}),
        pd.DataFrame({"t": [1.0, np.inf, 2.0], "e": [1, 0, 1]}),
        pd.DataFrame({"t": [1.0, 2.0, 3.0], "e": [1, 2, 0.5]}),
        pd.DataFrame({"t": [1.0, 2.0], "e": [0, 0]}),
    ],
)
def test_problems_fall_back_to_the_same_messages(df) -> None:
    with pytest.raises(InputError) as slow:
        _slow(df, "t", "e", rows=[5, 6, 7][: len(df)])
    with pytest.raises(InputError) as fast:
        survival_data(df, "t", "e", rows=[5, 6, 7][: len(df)])
    assert fast.value.problems == slow.value.problems


def test_nullable_integers_and_given_rows() -> None:
    df = pd.DataFrame(
        {"t": pd.array([3, None, 5], dtype="Int64"), "e": pd.array([1, 0, None], dtype="Int64")}
    )
    d = survival_data(df, "t", "e", rows=[10, 11, 12])
    np.testing.assert_array_equal(d.time, [3.0])
    assert d.excluded == ((11, "missing t"), (12, "missing e"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 1), st.integers(-3, 12)), min_size=1,
                max_size=30))  # fmt: skip
def test_integer_group_column_codes(data) -> None:
    df = pd.DataFrame(data, columns=["t", "e", "g"])
    fast = survival_data(df, "t", "e", group="g", require_events=False)
    _same(fast, _slow(df, "t", "e", group="g", require_events=False))
