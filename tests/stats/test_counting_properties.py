"""Invariants of counting-process data, splitting and R's tie rule (hypothesis, fixed
budget): splitting a patient's follow-up at an exposure changes no risk set, so every
estimator that ignores the exposure must give what it gives on the unsplit rows."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.cox import ConvergenceWarning, cox
from remission.stats.km import km
from remission.stats.logrank import compare
from remission.stats.timedep import split_at_exposure
from remission.stats.timefix import aeq_times

patients = st.lists(
    st.tuples(
        st.integers(1, 40),  # follow-up days
        st.integers(0, 1),  # event
        st.one_of(st.none(), st.integers(-2, 45)),  # exposure day (None: never)
        st.sampled_from(["a", "b"]),  # a fixed covariate
    ),
    min_size=4,
    max_size=40,
)


def _frame(data) -> pd.DataFrame:
    df = pd.DataFrame(data, columns=["t", "e", "x", "g"])
    df["x"] = df["x"].astype(float)
    return df


@settings(max_examples=50, deadline=None)
@given(patients)
def test_split_rows_give_the_same_kaplan_meier(data) -> None:
    df = _frame(data)
    split = split_at_exposure(df, "t", "e", "x")
    a = km(df, "t", "e", group="g")
    b = km(split, "tstop", "e", group="g", entry="tstart")
    for ga, gb in zip(a.groups, b.groups, strict=True):
        # the split rows add times (the end of a first interval looks like a censoring
        # and an entry, as in R's survfit); at the original times everything agrees
        assert set(ga.time) <= set(gb.time)
        at = gb.at(ga.time)
        np.testing.assert_array_equal(at["n_risk"], ga.n_risk)
        np.testing.assert_allclose(at["survival"], ga.survival, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(patients)
def test_split_rows_give_the_same_logrank_and_cox(data) -> None:
    df = _frame(data)
    if df["e"].sum() == 0 or df["g"].nunique() < 2:
        return
    split = split_at_exposure(df, "t", "e", "x")
    a = compare(df, "t", "e", "g")
    b = compare(split, "tstop", "e", "g", entry="tstart")
    np.testing.assert_allclose(b.statistic, a.statistic, rtol=1e-9, atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ca = cox(df, "t", "e", ["g"])
        cb = cox(split, "tstop", "e", ["g"], entry="tstart")
    # a diverging coefficient (monotone likelihood) has no maximum: each fit stops on its
    # own path towards the supremum, so the two log-likelihoods agree only near it
    diverged = any("diverges" in str(w) for w in (*ca.warnings, *cb.warnings))
    np.testing.assert_allclose(cb.loglik, ca.loglik, rtol=1e-6 if diverged else 1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1e3, allow_nan=False), min_size=1, max_size=30))
def test_tie_rule_is_idempotent_and_never_reorders(values) -> None:
    t = np.array(values)
    once, _, _ = aeq_times(t)
    twice, _, merged = aeq_times(once)
    assert merged == 0 and np.array_equal(once, twice)
    order = np.argsort(t, kind="stable")
    assert np.all(np.diff(once[order]) >= 0)  # merging keeps the order of the times
    assert np.all(once <= t)  # each value goes to the first of its run
