"""Concordance: pair counts against a brute force over all pairs, and R's definitions."""

import importlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.concordance import concordance


def brute(time, event, lp, strata):
    """Every pair, by R's rules (censored at an event time counts as later)."""
    n = len(time)
    c = d = tx = ty = txy = 0
    infl = np.zeros((n, 3))
    for i in range(n):
        for j in range(n):
            if i == j or strata[i] != strata[j] or not event[i]:
                continue
            if time[j] > time[i] or (time[j] == time[i] and not event[j]):
                k = 0 if lp[i] > lp[j] else 1 if lp[i] < lp[j] else 2
                c, d, tx = c + (k == 0), d + (k == 1), tx + (k == 2)
                infl[i, k] += 1
                infl[j, k] += 1
            elif time[j] == time[i] and event[j] and i < j:
                if lp[i] == lp[j]:
                    txy += 1
                else:
                    ty += 1
    return c, d, tx, ty, txy, infl


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 1), st.integers(-3, 3), st.integers(0, 2)),
        min_size=2,
        max_size=40,
    )
)
def test_counts_and_std_err_match_brute_force(rows):
    time = np.array([r[0] for r in rows], float)
    event = np.array([r[1] for r in rows])
    lp = np.array([r[2] for r in rows], float) / 3
    strata = np.array([r[3] for r in rows])
    got = concordance(time, event, lp, strata)
    c, d, tx, ty, txy, infl = brute(time, event, lp, strata)
    assert (got.concordant, got.discordant, got.tied_x) == (c, d, tx)
    assert (got.tied_y, got.tied_xy) == (ty, txy)
    npair = c + d + tx
    if npair == 0:
        assert got.concordance is None and got.std_err is None
        return
    np.testing.assert_allclose(got.concordance, (c + tx / 2) / npair, rtol=1e-12)
    somer = (c - d) / npair
    dfbeta = ((infl[:, 0] - infl[:, 1]) - infl.sum(axis=1) * somer) / (2 * npair)
    np.testing.assert_allclose(got.std_err, np.sqrt((dfbeta**2).sum()), rtol=1e-10, atol=1e-15)


def test_hand_computed_small_case():
    # times 1(event, lp 2), 2(event, lp 1), 3(censored, lp 0): pairs (1,2) (1,3) (2,3) all
    # concordant -> C = 1
    got = concordance(np.array([1.0, 2, 3]), np.array([1, 1, 0]), np.array([2.0, 1, 0]))
    assert (got.concordant, got.discordant, got.tied_x) == (3, 0, 0)
    assert got.concordance == 1.0


def brute_q(time, event, lp, strata):
    """Per subject: concordant pairs as the earlier member (if an event) plus as the later."""
    n = len(time)
    q = np.zeros(n, np.int64)
    for i in range(n):
        for j in range(n):
            if i == j or strata[i] != strata[j] or not event[i]:
                continue
            later = time[j] > time[i] or (time[j] == time[i] and not event[j])
            if later and lp[i] > lp[j]:
                q[i] += 1
                q[j] += 1
    return q


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 8), st.integers(0, 1), st.integers(-4, 4), st.integers(0, 2)),
        min_size=1,
        max_size=50,
    ),
    st.booleans(),
    st.booleans(),
)
def test_sweep_counts_per_subject_match_brute_force(rows, packed, swap):
    """The one-pass sweep, over either coordinate and with the count packed into the row
    state or carried beside it, gives every subject's pair count of the brute force
    (ties in time and score, censoring at event times, strata)."""
    cm = importlib.import_module("remission.stats.concordance")  # the package re-exports
    # a function of the same name

    time = np.array([r[0] for r in rows], float)
    event = np.array([r[1] for r in rows]) > 0
    lp = np.array([r[2] for r in rows], float)
    strata = np.array([r[3] for r in rows])
    tr = cm._dense(time)[0]
    pos = 2 * (tr.max() - tr) + event
    r = cm._dense(lp)[0]
    a, b = (r, pos) if swap else (pos, r)
    order = cm._sweep_order(strata, a, b, None, False)
    saved = cm._PACK_BITS
    cm._PACK_BITS = 63 if packed else 0
    try:
        got = cm._sweep(a, event, order, cm._sizes(strata))
    finally:
        cm._PACK_BITS = saved
    np.testing.assert_array_equal(got, brute_q(time, event, lp, strata))


def test_concordance_of_a_larger_sample_matches_brute_force():
    rng = np.random.default_rng(11)
    n = 300
    time = rng.integers(0, 40, n).astype(float)
    event = rng.integers(0, 2, n)
    lp = np.round(rng.normal(size=n), 1)
    strata = rng.integers(0, 2, n)
    got = concordance(time, event, lp, strata)
    c, d, tx, ty, txy, _ = brute(time, event, lp, strata)
    assert (got.concordant, got.discordant, got.tied_x, got.tied_y, got.tied_xy) == (
        c, d, tx, ty, txy,
    )  # fmt: skip
