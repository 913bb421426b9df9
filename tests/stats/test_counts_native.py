"""Integer-native counting: the caller's integer dtypes (int8..int64, unsigned, nullable
Int64 without a missing value) and whole-valued floats give identical count tables,
Kaplan-Meier curves and log-rank tests; the chunked bincount equals the sort path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.cohort.problems import InputError
from remission.stats import counts
from remission.stats.counts import count_table
from remission.stats.frontend import survival_data
from remission.stats.km import km
from remission.stats.logrank import compare
from remission.stats.timefix import aeq_times

DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint32", "float64", "Int64", "float32"]
TABLE_FIELDS = ("group", "time", "n_risk", "n_event", "n_censor", "n_enter")
CURVE_FIELDS = ("time", "n_risk", "n_event", "n_censor", "survival", "std_err", "lower",
                "upper", "cumhaz", "std_chaz")  # fmt: skip

rows = st.lists(
    st.tuples(st.integers(0, 120), st.integers(0, 1), st.integers(0, 2)), min_size=1,
    max_size=60,
)  # fmt: skip


def _frame(data, dtype: str, group_dtype: str = "int64") -> pd.DataFrame:
    df = pd.DataFrame(data, columns=["t", "e", "g"])
    return df.astype({"t": dtype, "e": "Int64" if dtype == "Int64" else "int64",
                      "g": group_dtype})  # fmt: skip


def _same_tables(a, b) -> None:
    for name in TABLE_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        np.testing.assert_array_equal(x, y, err_msg=name)
        assert x.dtype == y.dtype, name
    assert a.group_labels == b.group_labels and a.causes == b.causes


def _same_km(a, b) -> None:
    assert [g.group for g in a.groups] == [g.group for g in b.groups]
    for ga, gb in zip(a.groups, b.groups, strict=True):
        for name in CURVE_FIELDS:
            np.testing.assert_array_equal(getattr(ga, name), getattr(gb, name), err_msg=name)
    assert a.timefix == b.timefix


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["int8", "int16", "uint8", "int64"]))
def test_every_integer_dtype_gives_the_same_numbers(data, group_dtype) -> None:
    ref = _frame(data, "float64")
    ref_sd = survival_data(ref, "t", "e", group="g", require_events=False)
    assert ref_sd.time.dtype == np.float64  # the reference: float times, sort-free path
    ref_table = count_table(ref_sd.time, ref_sd.event, ref_sd.group,
                            group_labels=ref_sd.group_labels)  # fmt: skip
    ref_km, ref_km1 = km(ref, "t", "e", group="g"), km(ref, "t", "e")
    for dtype in DTYPES:
        df = _frame(data, dtype, group_dtype)
        sd = survival_data(df, "t", "e", group="g", require_events=False, native=True)
        if dtype not in ("float64", "float32"):
            assert sd.time.dtype.kind in "iu"  # kept, not converted to float64
        _same_tables(sd.count_table(), ref_table)
        _same_km(km(df, "t", "e", group="g"), ref_km)
        _same_km(km(df, "t", "e"), ref_km1)
        if len(ref_sd.group_labels) >= 2 and ref_sd.event.any():
            a, b = compare(df, "t", "e", "g"), compare(ref, "t", "e", "g")
            assert a.statistic == b.statistic and a.n == b.n
            np.testing.assert_array_equal(a.observed, b.observed)
            np.testing.assert_array_equal(a.expected, b.expected)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 20), st.integers(0, 3),
                       st.integers(0, 2)), min_size=1, max_size=50),
    st.integers(1, 9),
)  # fmt: skip
def test_chunked_dense_counting_equals_the_sort_path(data, chunk) -> None:
    """Chunks of any size (here 1..9 rows), several causes, groups and entries: the
    dense integer path equals the sort path (times shifted by a half to force it)."""
    a = np.array(data, dtype=np.int64)
    entry, exit_, event, g = a[:, 0], a[:, 0] + a[:, 1], a[:, 2], a[:, 3]
    saved, counts._CHUNK = counts._CHUNK, chunk
    try:
        dense = count_table(exit_.astype(np.int16), event.astype(np.int8), g.astype(np.int8),
                            entry=entry.astype(np.int32), group_labels=("a", "b", "c"),
                            causes=(1, 2, 3))  # fmt: skip
    finally:
        counts._CHUNK = saved
    sort = count_table(exit_ + 0.5, event, g, entry=entry + 0.5, group_labels=("a", "b", "c"),
                       causes=(1, 2, 3))  # fmt: skip
    np.testing.assert_array_equal(dense.time + 0.5, sort.time)
    for name in ("group", "n_risk", "n_event", "n_censor", "n_enter"):
        np.testing.assert_array_equal(getattr(dense, name), getattr(sort, name), err_msg=name)


def test_hand_computed_int8_table() -> None:
    ct = count_table(np.array([3, 1, 3, 2], np.int8), np.array([1, 0, 0, 1], np.int8))
    np.testing.assert_array_equal(ct.time, [1.0, 2.0, 3.0])
    assert ct.time.dtype == np.float64
    np.testing.assert_array_equal(ct.n_risk, [4, 3, 2])
    np.testing.assert_array_equal(ct.n_event[:, 0], [0, 1, 1])
    np.testing.assert_array_equal(ct.n_censor, [1, 0, 1])


def test_native_keeps_the_callers_arrays() -> None:
    df = pd.DataFrame({"t": np.array([5, 2, 9], np.int32), "e": np.array([1, 0, 1], np.int8),
                       "g": np.array([1, 0, 1], np.int64)})  # fmt: skip
    sd = survival_data(df, "t", "e", group="g", native=True)
    assert sd.time.dtype == np.int32 and sd.event.dtype == np.int8
    assert np.shares_memory(sd.time, df["t"].to_numpy())
    assert np.shares_memory(sd.group, df["g"].to_numpy())
    plain = survival_data(df, "t", "e", group="g")
    assert plain.time.dtype == np.float64 and plain.event.dtype == np.int64


@pytest.mark.parametrize("t", [np.array([1, 2, 3], np.int8), np.array([0, 40_000], np.int64)])
def test_timefix_leaves_integer_days_as_they_are(t) -> None:
    out, entry, merged = aeq_times(t)
    assert out is t and entry is None and merged == 0


def test_timefix_on_huge_integers_uses_the_float_rule() -> None:
    t = np.array([10**9, 10**9 + 1], np.int64)
    out, _, merged = aeq_times(t)
    assert merged == 1 and out.dtype == np.float64 and out.tolist() == [1e9, 1e9]


def test_negative_integer_time_still_reported() -> None:
    df = pd.DataFrame({"t": np.array([3, -1], np.int16), "e": [1, 0]})
    with pytest.raises(InputError, match="finite number >= 0"):
        km(df, "t", "e")


def test_disallowed_integer_event_code_still_reported() -> None:
    df = pd.DataFrame({"t": np.array([3, 4], np.int16), "e": np.array([1, 2], np.int8)})
    with pytest.raises(InputError, match="event code not allowed"):
        km(df, "t", "e")
