"""The per-time sums of the Cox fit: the weighted Gram matrix against the per-time
information, blocks of rows, delayed entry and weights against a direct computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import remission.stats.cox_sums as cs
from remission.stats.cox_fit import cox_fit


def direct(time, event, xs, beta, strata, entry, w, efron=True):
    """Score and information by the textbook formulas, one event time at a time."""
    p = xs.shape[1]
    u, imat = np.zeros(p), np.zeros((p, p))
    r = w * np.exp(xs @ beta)
    for s in np.unique(strata):
        for t in np.unique(time[(strata == s) & (event == 1)]):
            risk = (strata == s) & (time >= t) & (entry < t)
            dead = (strata == s) & (time == t) & (event == 1)
            d = int(dead.sum())
            wbar = w[dead].sum() / d
            u += (w[dead, None] * xs[dead]).sum(axis=0)
            for k in range(d):
                f = k / d if efron else 0.0
                s0 = r[risk].sum() - f * r[dead].sum()
                s1 = (r[risk, None] * xs[risk]).sum(0) - f * (r[dead, None] * xs[dead]).sum(0)
                s2 = np.einsum("i,ij,ik->jk", r[risk], xs[risk], xs[risk]) - f * np.einsum(
                    "i,ij,ik->jk", r[dead], xs[dead], xs[dead]
                )
                u -= wbar * s1 / s0
                imat += wbar * (s2 / s0 - np.outer(s1, s1) / s0**2)
    return u, imat


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 10_000),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["efron", "breslow"]),
)
def test_score_and_information_match_the_direct_sums(seed, strata_on, entry_on, weights_on, ties):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    time = rng.integers(1, 7, n).astype(float)
    event = rng.integers(0, 2, n)
    event[0] = 1
    x = np.c_[rng.normal(size=n), rng.integers(0, 2, n)]
    strata = rng.integers(0, 3, n) if strata_on else None
    entry = np.where(rng.random(n) < 0.5, time - rng.integers(1, 4, n), -1.0) if entry_on else None
    w = rng.uniform(0.5, 2, n) if weights_on else None
    cd = cs.cox_data(time, event, x, strata, ties, entry, w)
    beta = rng.normal(size=2) * 0.5
    ev = cs.evaluate(cd, beta)
    # the rows of cd.xt are the sorted, centred and scaled columns
    xs = np.empty_like(x)
    xs[cd.order] = cd.xt.T
    u, imat = direct(time, event, xs, beta, np.zeros(n) if strata is None else strata,
                     np.full(n, -np.inf) if entry is None else entry,
                     np.ones(n) if w is None else w, ties == "efron")  # fmt: skip
    np.testing.assert_allclose(ev.u, u, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ev.imat, imat, rtol=1e-10, atol=1e-12)
    # the per-time information (for cox.zph) adds up to the same matrix
    np.testing.assert_allclose(ev.i_g.sum(axis=0), ev.imat, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ev.u_g.sum(axis=0), ev.u, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("entry_on", [False, True])
def test_small_blocks_give_the_same_fit(monkeypatch, entry_on):
    rng = np.random.default_rng(4)
    n = 400
    time = rng.integers(1, 30, n).astype(float)
    event = rng.integers(0, 2, n)
    x = rng.normal(size=(n, 3))
    strata = rng.integers(0, 2, n)
    entry = np.where(rng.random(n) < 0.3, time - 5, -1.0) if entry_on else None
    whole = cox_fit(time, event, x, strata, entry=entry)
    monkeypatch.setattr(cs, "_GRAM_COLS", 7)  # many blocks, pieces larger than a block
    monkeypatch.setattr(cs, "_PAIRS", 2)  # the per-time products in several passes
    blocked = cox_fit(time, event, x, strata, entry=entry)
    np.testing.assert_allclose(blocked.coef, whole.coef, rtol=1e-12)
    np.testing.assert_allclose(blocked.final.i_g, whole.final.i_g, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(blocked.final.i_g.sum(axis=0), blocked.final.imat, rtol=1e-10)
    np.testing.assert_allclose(blocked.var, whole.var, rtol=1e-12)
    np.testing.assert_allclose(blocked.loglik, whole.loglik, rtol=1e-13)


def test_the_callers_columns_are_not_written_to():
    time = np.array([3.0, 1, 2, 4])
    event = np.array([1, 1, 0, 1])
    for x in (
        np.array([[1.0], [5], [2], [7]]),
        np.asfortranarray([[1.0, 2], [5, 1], [2, 2], [7, 0]]),
    ):
        saved = x.copy()
        cox_fit(time, event, x)
        np.testing.assert_array_equal(x, saved)


def test_column_major_and_row_major_columns_give_the_same_fit():
    rng = np.random.default_rng(5)
    n = 500
    time = rng.integers(1, 40, n).astype(float)
    event = rng.integers(0, 2, n)
    x = rng.normal(size=(n, 3))
    a = cox_fit(time, event, np.ascontiguousarray(x))
    b = cox_fit(time, event, np.asfortranarray(x))  # as pandas 3 gives a frame's values
    np.testing.assert_array_equal(a.data.xt, b.data.xt)
    np.testing.assert_array_equal(a.coef, b.coef)
