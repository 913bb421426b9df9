"""The Newton-Raphson worker: hand-computed likelihoods and an independent brute force."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.cox_fit import chinv2, cholesky2, chsolve2, cox_data, cox_fit, evaluate


def brute_loglik(time, event, x, beta, strata=None, ties="efron"):
    """Partial log-likelihood by the textbook formula, one time at a time (no tricks)."""
    time, event, x = np.asarray(time, float), np.asarray(event), np.atleast_2d(x)
    x = x.reshape(len(time), -1)
    strata = np.zeros(len(time)) if strata is None else np.asarray(strata)
    eta = x @ beta
    total = 0.0
    for s in np.unique(strata):
        ins = strata == s
        for t in np.unique(time[ins & (event == 1)]):
            risk = ins & (time >= t)
            dead = ins & (time == t) & (event == 1)
            d = dead.sum()
            s_r, s_d = np.exp(eta[risk]).sum(), np.exp(eta[dead]).sum()
            total += eta[dead].sum()
            for k in range(d):
                f = k / d if ties == "efron" else 0.0
                total -= math.log(s_r - f * s_d)
    return total


def test_hand_computed_three_subjects():
    # times 1,2,3 all events, x = 1,0,1: L = e^b/(2e^b+1) * 1/(1+e^b); score 0 at e^b = 1/sqrt 2
    fit = cox_fit(np.array([1.0, 2, 3]), np.array([1, 1, 1]), np.array([[1.0], [0], [1]]))
    assert fit.converged
    np.testing.assert_allclose(fit.coef, [-0.5 * math.log(2)], rtol=1e-10)
    y = 1 / math.sqrt(2)
    expected = math.log(y / (2 * y + 1)) - math.log(1 + y)
    np.testing.assert_allclose(fit.loglik[1], expected, rtol=1e-12)
    np.testing.assert_allclose(fit.loglik[0], math.log(1 / 3) + math.log(1 / 2), rtol=1e-12)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_evaluate_matches_brute_force_with_ties_and_strata(ties):
    rng = np.random.default_rng(7)
    n = 60
    time = rng.integers(1, 8, n).astype(float)
    event = rng.integers(0, 2, n)
    x = rng.normal(size=(n, 2))
    strata = rng.integers(0, 3, n)
    beta = np.array([0.3, -0.7])
    cd = cox_data(time, event, x, strata, ties)
    sc = cd.scale  # the worker runs on R's centred and scaled columns
    ev = evaluate(cd, beta / sc)
    u, imat = ev.u / sc, ev.imat / np.outer(sc, sc)
    # centring x changes eta by a constant per row, which cancels in the likelihood
    np.testing.assert_allclose(ev.loglik, brute_loglik(time, event, x, beta, strata, ties),
                               rtol=1e-12)  # fmt: skip
    # score and information against central differences of the brute force
    h = 1e-5
    for j in range(2):
        e = np.eye(2)[j] * h
        num = (brute_loglik(time, event, x, beta + e, strata, ties)
               - brute_loglik(time, event, x, beta - e, strata, ties)) / (2 * h)  # fmt: skip
        np.testing.assert_allclose(u[j], num, rtol=1e-6, atol=1e-8)
        up, um = evaluate(cd, (beta + e) / sc).u / sc, evaluate(cd, (beta - e) / sc).u / sc
        np.testing.assert_allclose(-(up - um) / (2 * h), imat[j], rtol=1e-6, atol=1e-8)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 6), st.integers(0, 1), st.floats(-2, 2)), min_size=4, max_size=30
    ),  # fmt: skip
    st.sampled_from(["efron", "breslow"]),
)
def test_fit_maximises_the_brute_force_likelihood(rows, ties):
    time = np.array([r[0] for r in rows], float)
    event = np.array([r[1] for r in rows])
    x = np.array([[r[2]] for r in rows])
    if event.sum() == 0:
        event[0] = 1
    fit = cox_fit(time, event, x, ties=ties)
    if not fit.converged or fit.infinite.any() or fit.singular.any():
        return
    b = fit.coef
    best = brute_loglik(time, event, x, b, ties=ties)
    np.testing.assert_allclose(fit.loglik[1], best, rtol=1e-9, atol=1e-9)
    for step in (1e-3, -1e-3):
        assert brute_loglik(time, event, x, b + step, ties=ties) <= best + 1e-9


def test_generalised_cholesky_on_a_singular_matrix():
    a = np.array([[4.0, 2, 6], [2, 5, 3], [6, 3, 9]])  # column 3 = 1.5 * column 1
    f, rank = cholesky2(a)
    assert rank == 2 and f[2, 2] == 0
    inv = chinv2(f)
    np.testing.assert_allclose(inv[:2, :2], np.linalg.inv(a[:2, :2]), rtol=1e-12)
    assert np.all(inv[2] == 0) and np.all(inv[:, 2] == 0)
    b = chsolve2(f, np.array([1.0, 2, 0]))
    np.testing.assert_allclose(b[:2], np.linalg.solve(a[:2, :2], [1.0, 2]), rtol=1e-12)
    assert b[2] == 0


def test_radix_and_lexsort_orders_agree():
    rng = np.random.default_rng(3)
    time = rng.integers(0, 50, 500).astype(float)
    event = rng.integers(0, 2, 500)
    x = rng.normal(size=(500, 1))
    strata = rng.integers(0, 3, 500)
    a = cox_fit(time, event, x, strata=strata)  # integer days: radix passes
    b = cox_fit(time + 0.5, event, x, strata=strata)  # not integers: lexsort
    np.testing.assert_array_equal(a.data.order, b.data.order)
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-12)


def test_efron_chunks_give_the_same_sums(monkeypatch):
    import remission.stats.cox_sums as cf

    rng = np.random.default_rng(9)
    time = rng.integers(1, 6, 300).astype(float)
    event = rng.integers(0, 2, 300)
    x = rng.normal(size=(300, 2))
    whole = cox_fit(time, event, x)
    monkeypatch.setattr(cf, "_CHUNK", 4)  # many small chunks, and times with d > chunk
    chunked = cox_fit(time, event, x)
    np.testing.assert_allclose(chunked.coef, whole.coef, rtol=1e-12)
    np.testing.assert_allclose(chunked.var, whole.var, rtol=1e-12)
    np.testing.assert_allclose(chunked.loglik, whole.loglik, rtol=1e-13)
