"""The count table: hand-computed small cases, both counting paths, pooling, entries."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.counts import CountTable, count_table

T = np.array([1, 2, 2, 3, 5, 5, 8.0])
E = np.array([1, 0, 1, 1, 0, 1, 0])
G = np.array([0, 0, 1, 1, 0, 1, 1])


def test_hand_computed_two_groups():
    ct = count_table(T, E, G)
    np.testing.assert_array_equal(ct.group, [0, 0, 0, 1, 1, 1, 1])
    np.testing.assert_array_equal(ct.time, [1, 2, 5, 2, 3, 5, 8])
    np.testing.assert_array_equal(ct.n_risk, [3, 2, 1, 4, 3, 2, 1])
    np.testing.assert_array_equal(ct.n_event[:, 0], [1, 0, 0, 1, 1, 1, 0])
    np.testing.assert_array_equal(ct.n_censor, [0, 1, 1, 0, 0, 0, 1])


def test_integer_and_sorted_paths_agree():
    a = count_table(T, E, G)
    b = count_table(T + 0.25, E, G)
    np.testing.assert_array_equal(a.time + 0.25, b.time)
    for name in ("group", "n_risk", "n_event", "n_censor", "n_enter"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_competing_causes_and_tie_of_event_and_censoring():
    ct = count_table(np.array([4, 4, 4, 6.0]), np.array([1, 2, 0, 2]))
    np.testing.assert_array_equal(ct.n_event, [[1, 1], [0, 1]])
    np.testing.assert_array_equal(ct.n_censor, [1, 0])
    np.testing.assert_array_equal(ct.n_risk, [4, 1])
    assert ct.causes == (1, 2)


def test_delayed_entry():
    ct = count_table(np.array([3.0, 5, 6]), np.array([1, 0, 1]), entry=np.array([0.0, 2, 4]))
    np.testing.assert_array_equal(ct.time, [0, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(ct.n_risk, [0, 1, 2, 1, 2, 1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 1), st.integers(0, 2)),
        min_size=1,
        max_size=60,
    ),
    st.integers(1, 4),
)
def test_pooling_split_tables_equals_whole(rows, n_parts):
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([r[1] for r in rows])
    labels = ("a", "b", "c")
    g = np.array([r[2] for r in rows])
    whole = count_table(t, e, g, group_labels=labels)
    parts = [
        count_table(t[i::n_parts], e[i::n_parts], g[i::n_parts], group_labels=labels)
        for i in range(n_parts)
        if len(t[i::n_parts])
    ]
    pooled = CountTable.pool(parts)
    # drop empty rows (a group absent from every part has no rows)
    np.testing.assert_array_equal(pooled.time, whole.time)
    np.testing.assert_array_equal(pooled.n_risk, whole.n_risk)
    np.testing.assert_array_equal(pooled.n_event, whole.n_event)
    np.testing.assert_array_equal(pooled.n_censor, whole.n_censor)
    # at risk at the first time of a group is that group's size
    for gi in range(3):
        s = whole.rows(gi)
        if s.stop > s.start:
            assert whole.n_risk[s.start] == int((g == gi).sum())
