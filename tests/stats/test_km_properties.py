"""Invariants of the Kaplan-Meier family on random data (hypothesis, fixed budget)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.counts import CountTable, count_table
from remission.stats.km import km, km_from_counts

rows = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 1), st.sampled_from(["a", "b"])),
    min_size=1,
    max_size=40,
)


def _frame(data) -> pd.DataFrame:
    return pd.DataFrame(data, columns=["t", "e", "g"])


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["log-log", "log", "plain"]))
def test_curve_invariants(data, conf_type) -> None:
    res = km(_frame(data), "t", "e", group="g", conf_type=conf_type)
    for g in res.groups:
        s = g.survival
        assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) <= 1e-15)
        assert np.all(np.diff(g.cumhaz) >= 0)
        ok = ~np.isnan(g.lower)
        assert np.all(g.lower[ok] <= s[ok] + 1e-12) and np.all(g.upper[ok] >= s[ok] - 1e-12)
        med = g.median()
        assert (med.time is None) == (s.min() > 0.5 + 1e-8)
        tau = float(g.time[-1])
        assert 0 <= g.rmst(tau).rmst <= tau + 1e-12


@settings(max_examples=40, deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_row_order_and_pooling_do_not_matter(data, rnd) -> None:
    df = _frame(data)
    shuffled = df.sample(frac=1.0, random_state=rnd.randint(0, 2**31 - 1))
    a = km(df, "t", "e", group="g").table
    b = km(shuffled, "t", "e", group="g").table
    pd.testing.assert_frame_equal(a, b)
    t = df["t"].to_numpy(float)
    e = df["e"].to_numpy()
    cut = len(df) // 2
    parts = [count_table(t[:cut], e[:cut]), count_table(t[cut:], e[cut:])]
    pooled = km_from_counts(CountTable.pool([p for p in parts if len(p)]))
    whole = km_from_counts(count_table(t, e))
    np.testing.assert_allclose(pooled.groups[0].survival, whole.groups[0].survival, rtol=1e-12)
